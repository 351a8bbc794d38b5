// The step of worlds of kSmallWorld actors or more (drift_large: the spillover's sums, the drift
// and the bounds in one pass over each block of columns, T's and B's columns taken into a
// per-thread slab row by row, the new tension written back eight rows at a time, from about 725
// actors around the caches when each column starts a cache line) against the step
// with a breakdown, which evaluates the same equations one element at a time from the matrices
// (spillover_impl's sums, then each term): bit for bit, at sizes odd and even, multiples of the
// eight-column block and not (the slab's last rows), across 256 (where the step's layout used to
// change), above 500 (blocks of 32 columns) and 725 (2 MiB pages asked for, the new tension
// streamed when n is a multiple of 8, written through the caches when not), with and without
// noise and absent pairs, with few ties and many, and with events
// changing tensions, baselines and ties between steps (what the workspace keeps must follow
// them). The AVX2 loop (where the processor has it) against the SSE2 one, the same way.

#include <geosim/core/rng.hpp>
#include <geosim/core/state.hpp>
#include <geosim/core/step.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "support/builders.hpp"

using namespace geosim;

namespace {

/// tests/support's random_world (n states; each actor tied to
/// `ties_per_actor` random partners, n: about half of all pairs; with `absent`, every third
/// actor's pair with the one two further has no relation) and, with `events`, an event at every
/// step moving the tension, baseline and tie of a few pairs both ways (including a tie from zero).
Scenario large_world(int n, double noise, bool absent, int ties_per_actor, bool events, std::uint64_t seed) {
  Scenario s = geosim::testing::random_world(n, noise, absent, seed, ties_per_actor);
  const auto m = std::size_t(n);
  Rng rng(seed ^ 0x6576656e7473ULL);  // the events' own draws
  if (events)
    for (int step = 1; step <= 6; ++step) {
      Event e;
      e.id = "e" + std::to_string(step);
      e.title = e.id;
      e.timing = Timing::at_step;
      e.step = step;
      for (int k = 0; k < 3; ++k) {
        const auto a = std::size_t(rng.uniform_int(0, n - 1)), b = (a + 1 + std::size_t(k)) % m;
        Effect effect;
        effect.from = ActorSet{{a}, s.actors[a].id};
        effect.to = ActorSet{{b}, s.actors[b].id};
        effect.both_directions = true;
        if (k == 0) effect.tension = Magnitude{0.2, 0.0};
        if (k == 1) effect.baseline = Magnitude{-0.1, 0.0};
        if (k == 2 || step % 2 == 0) effect.tie = Magnitude{0.3, 0.0};
        e.effects.push_back(effect);
      }
      s.events.push_back(e);
    }
  return s;
}

using geosim::testing::same_bits;

/// Steps `s` six times four ways (with a workspace, AVX2 allowed and not; without one; with a
/// breakdown) and checks after each step that all give the breakdown's bits.
void expect_same_steps(const Scenario& s, const std::string& what) {
  const Rng rng = Rng::for_run(7, 0);
  State wide = initial_state(s, rng), narrow = wide, fresh = wide, slow = wide;
  StepWorkspace wide_space, narrow_space;
  narrow_space.wide = false;
  int fired = 0;
  for (int step = 1; step <= 6; ++step) {
    StepBreakdown breakdown;
    StepResult slow_step = advance(std::move(slow), s, rng, {}, &breakdown);
    slow = std::move(slow_step.state);
    fired += int(slow_step.fired.size());
    wide = advance(std::move(wide), s, rng, {}, nullptr, &wide_space).state;
    narrow = advance(std::move(narrow), s, rng, {}, nullptr, &narrow_space).state;
    fresh = advance(std::move(fresh), s, rng).state;
    ASSERT_TRUE(same_bits(wide.tension, slow.tension)) << what << ", step " << step << ": kept, wide";
    ASSERT_TRUE(same_bits(narrow.tension, slow.tension)) << what << ", step " << step << ": kept, SSE2";
    ASSERT_TRUE(same_bits(fresh.tension, slow.tension)) << what << ", step " << step << ": no workspace";
    ASSERT_TRUE(same_bits(wide.tie, slow.tie) && same_bits(wide.baseline, slow.baseline)) << what;
  }
  EXPECT_EQ(fired, s.events.empty() ? 0 : 6) << what;  // with events, they changed the state between steps
}

}  // namespace

TEST(DriftLarge, EverySizeGivesTheBitsOfTheElementByElementStep) {
  for (int n : {16, 17, 23, 24, 31, 33, 64, 100, 255, 256, 257}) {
    for (double noise : {0.0, 0.05}) {
      for (bool absent : {false, true}) {
        for (int ties : {3, n}) {
          const Scenario s = large_world(n, noise, absent, ties, false, std::uint64_t(1000 * n + ties));
          expect_same_steps(s, std::to_string(n) + " actors, " + std::to_string(ties) + " ties an actor, noise " +
                                   std::to_string(noise) + (absent ? ", absent pairs" : ""));
        }
      }
    }
  }
}

TEST(DriftLarge, WorldsAbove500ActorsAndWithHugePagesGiveTheSameBits) {
  // Above 500 actors the blocks are 32 columns wide (their last columns in blocks of 8 and an
  // overlapping one), and from about 725 the run's arrays are asked to be backed by 2 MiB pages
  // (which moves no value): few ties, so that the element-by-element step stays quick.
  for (int n : {501, 760, 761}) {
    for (bool absent : {false, true}) {
      const double noise = absent ? 0.05 : 0.0;
      const bool events = n == 760 && !absent;
      const Scenario s = large_world(n, noise, absent, 3, events, std::uint64_t(1000 * n + 3));
      expect_same_steps(s, std::to_string(n) + " actors, noise " + std::to_string(noise) +
                               (absent ? ", absent pairs" : "") + (events ? ", events" : ""));
    }
  }
}

TEST(DriftLarge, ArraysStartACacheLine) {
  // EIGEN_MAX_ALIGN_BYTES=64, carried by geosim::core (engine/CMakeLists.txt): the large step
  // streams the new tension a whole line at a time only when its columns start lines; without the
  // definition the bits stay the same but the step at 2,000 actors is about a third slower.
  for (Eigen::Index n : {1, 9, 760, 2000}) {
    const Eigen::MatrixXd m(n, n);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(m.data()) % 64, 0u) << n << " actors";
  }
}

TEST(DriftLarge, EventsBetweenStepsAreFollowedByWhatTheWorkspaceKeeps) {
  for (int n : {16, 21, 40, 257}) {
    for (bool absent : {false, true}) {
      const Scenario s = large_world(n, 0.05, absent, 4, true, std::uint64_t(n));
      expect_same_steps(s, std::to_string(n) + " actors with events" + std::string(absent ? ", absent pairs" : ""));
    }
  }
}

// The element-by-element step is itself checked against the model's equations by hand (test_step,
// test_dynamics); here one element of a 16-actor world with ties is checked against the formula
// written out, so that the large path is also tied to something outside the step.
TEST(DriftLarge, OneElementByTheFormula) {
  const Scenario s = large_world(16, 0.0, false, 3, false, 5);
  const Rng rng = Rng::for_run(1, 0);
  const State before = initial_state(s, rng);
  StepWorkspace workspace;
  const State after = advance(State(before), s, rng, {}, nullptr, &workspace).state;
  const Eigen::MatrixXd &t = before.tension, &b = before.baseline, &w = before.tie;
  for (Eigen::Index i = 0; i < 16; ++i)
    for (Eigen::Index j = 0; j < 16; ++j) {
      if (i == j) {
        EXPECT_EQ(after.tension(i, j), 0.0);
        continue;
      }
      double sum = 0.0, row_sum = 0.0;
      for (Eigen::Index k = 0; k < 16; ++k)
        if (k != i) {
          row_sum += w(i, k);
          if (k != j) sum += w(i, k) * (t(k, j) - t(i, j));
        }
      const double spill = s.parameters.spillover * sum / std::max(1.0, row_sum);
      const auto& a = s.actors[std::size_t(i)];
      const double v = t(i, j) + a.restraint * (b(i, j) - t(i, j)) + a.reactivity * (t(j, i) - b(j, i)) + spill;
      EXPECT_NEAR(after.tension(i, j), std::clamp(v, 0.0, 1.0), 1e-12) << i << " -> " << j;
    }
}
