// What a step's workspace holds: StepWorkspace::bytes(scenario), which an ensemble counts per
// thread before it starts, covers what the workspace really holds after the steps of a run, as
// the allocator counts it (glibc's mallinfo2; AddressSanitizer's own count in the sanitizer build), in small and large
// worlds, with and without noise, and when an event ties every pair.
#include <geosim/core/rng.hpp>
#include <geosim/core/state.hpp>
#include <geosim/core/step.hpp>

#include <gtest/gtest.h>
#include <malloc.h>

#include <cstddef>

// Under AddressSanitizer its own allocator serves malloc, and glibc's mallinfo2 does not see it.
#if defined(__SANITIZE_ADDRESS__)
#define GEOSIM_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GEOSIM_TEST_ASAN 1
#endif
#endif
#ifdef GEOSIM_TEST_ASAN
#include <sanitizer/allocator_interface.h>
#endif

#include "support/builders.hpp"

using namespace geosim;

namespace {

/// Bytes the allocator has handed out and not had back (heap and mmap'd blocks).
std::size_t in_use() {
#ifdef GEOSIM_TEST_ASAN
  return __sanitizer_get_current_allocated_bytes();
#else
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
#endif
}

/// An event at `step` that changes the tie of every pair of the world, both ways.
Event tie_everyone(const Scenario& s, int step) {
  Event e;
  e.id = e.title = "tie-everyone";
  e.timing = Timing::at_step;
  e.step = step;
  Effect effect;
  for (std::size_t i = 0; i < s.actor_count(); ++i) effect.from.actors.push_back(i);
  effect.to = effect.from;
  effect.both_directions = true;
  effect.tie = Magnitude{0.3, 0.0};
  e.effects.push_back(effect);
  return e;
}

struct Case {
  int n;
  double noise;
  bool absent;
  bool tie_event;
};

class StepWorkspaceBytes : public ::testing::TestWithParam<Case> {};

TEST_P(StepWorkspaceBytes, CoverWhatTheAllocatorHandsTheWorkspaceInARun) {
  const Case c = GetParam();
  Scenario s = geosim::testing::random_world(c.n, c.noise, c.absent, 7, 2);
  if (c.tie_event) s.events.push_back(tie_everyone(s, 3));
  const Rng rng = Rng::for_run(1, 0);
  State state = initial_state(s, rng);
  StepWorkspace workspace;
  const std::size_t before = in_use();
  for (int step = 0; step < 6; ++step) state = advance(std::move(state), s, rng, {}, nullptr, &workspace).state;
  ASSERT_TRUE(state.error.empty()) << state.error;
  const std::size_t after = in_use();
  ASSERT_GE(after, before);
  const std::size_t grown = after - before;
  const std::size_t n = std::size_t(c.n), square = n * n * sizeof(double);
  // what the workspace says it holds is what the allocator gave it, the large step's slab
  // included (the step keeps no buffer of its own outside the workspace: at 120 actors the slab
  // alone, 120 KiB, would exceed this allowance for the allocator's own bookkeeping)
  const std::size_t small = 64 * 1024;
  EXPECT_LE(workspace.held(), grown + small);
  EXPECT_LE(grown, workspace.held() + small);
  EXPECT_LE(workspace.held(), StepWorkspace::bytes(s));
  // and the estimate is not far above it: the n x n matrices a run of this size fills (the next
  // tension and the noise, and below 16 actors the answer twice) plus at most twice the ties' lists
  const std::size_t matrices = (n < 16 ? 4 : 2) * square;
  EXPECT_GE(StepWorkspace::bytes(s), matrices);
  EXPECT_LE(StepWorkspace::bytes(s), 2 * workspace.held() + square);
}

INSTANTIATE_TEST_SUITE_P(Worlds, StepWorkspaceBytes,
                         ::testing::Values(Case{7, 0.02, false, false}, Case{7, 0.0, true, true},
                                           Case{40, 0.02, false, false}, Case{40, 0.0, true, true},
                                           Case{120, 0.02, false, true}));

TEST(StepWorkspaceBytes, CountTheTiesAnEventCanMakeAtMostOncePerPair) {
  // 40 actors, every pair tied by the event (twice over, both ways): n(n-1) ties at most, so the
  // estimate with the event is the one with every pair tied from the start.
  Scenario sparse = geosim::testing::random_world(40, 0.0, false, 3, 1);
  Scenario dense = sparse;
  for (std::size_t i = 0; i < 40; ++i)
    for (std::size_t k = 0; k < 40; ++k) dense.tie[i * 40 + k] = i == k ? 0.0 : 0.5;
  Scenario tied = sparse;
  tied.events.push_back(tie_everyone(tied, 2));
  tied.events.push_back(tie_everyone(tied, 3));
  EXPECT_LT(StepWorkspace::bytes(sparse), StepWorkspace::bytes(dense));
  EXPECT_EQ(StepWorkspace::bytes(tied), StepWorkspace::bytes(dense));
}

}  // namespace
