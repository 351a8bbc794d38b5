#include <geosim/core/dynamics.hpp>
#include <geosim/core/rng.hpp>
#include <geosim/core/run.hpp>
#include <geosim/core/state.hpp>
#include <geosim/core/step.hpp>

#include <gtest/gtest.h>

#include <cstring>

#include <set>

#include "support/builders.hpp"
#include "support/dynamics_oracle.hpp"

using namespace geosim;

namespace {

/// States with restraint 0 and reactivity 0 (and make_scenario's spillover 0, noise 0):
/// tension moves only through events.
Scenario quiet(const std::vector<std::string>& ids) {
  Scenario s = geosim::testing::make_scenario(ids);
  for (auto& a : s.actors) a.restraint = a.reactivity = 0.0;
  return s;
}

Condition parse(const Scenario& s, const std::string& text) {
  ConditionNames names;
  names.actor = [&s](const std::string& id, std::size_t& out) {
    const auto found = s.find_actor(id);
    if (found) out = *found;
    return found.has_value();
  };
  names.indicator = [](const std::string&, std::size_t&) { return false; };
  Condition c;
  std::string error;
  std::size_t offset = 0;
  EXPECT_TRUE(parse_condition(text, names, c, error, offset)) << error;
  return c;
}

void add_condition(Scenario& s, Event& e, const std::string& text) {
  e.condition = parse(s, text);
  e.condition_text = text;
}

/// A state with every event that fired up to it, in order (the steps' StepResult::fired joined).
struct Logged : State {
  std::vector<AppliedEvent> log;
};

/// Runs `steps` steps with advance(), returning the states 0..steps with their logs.
std::vector<Logged> steps(const Scenario& s, int n, std::uint64_t seed = 0) {
  Rng rng(seed);
  std::vector<Logged> out{Logged{initial_state(s, rng), {}}};
  for (int i = 0; i < n; ++i) {
    StepResult next = advance(out.back(), s, rng);
    Logged logged{std::move(next.state), out.back().log};
    logged.log.insert(logged.log.end(), next.fired.begin(), next.fired.end());
    out.push_back(std::move(logged));
  }
  return out;
}

int fired_count(const Logged& state, const std::string& id) {
  int n = 0;
  for (const auto& a : state.log) n += a.id == id;
  return n;
}

const AppliedEvent* find_logged(const Logged& state, const std::string& id) {
  for (const auto& a : state.log)
    if (a.id == id) return &a;
  return nullptr;
}

}  // namespace

TEST(Step, ScheduledEventFiresInItsStepOnly) {
  Scenario s = quiet({"A", "B"});
  s.events.push_back(geosim::testing::make_event(s, "clash", 3, "A", "B", 0.2));
  const auto states = steps(s, 6);
  for (int t = 0; t <= 6; ++t) EXPECT_DOUBLE_EQ(states[t].tension(0, 1), t < 3 ? 0.3 : 0.5) << t;
  EXPECT_DOUBLE_EQ(states[6].tension(1, 0), 0.3);  // from/to: one direction only
  ASSERT_EQ(states[6].log.size(), 1u);
  EXPECT_EQ(states[6].log[0].step, 3);
  EXPECT_EQ(states[6].log[0].id, "clash");
  EXPECT_EQ(states[6].log[0].cause, "scheduled");
  EXPECT_EQ(states[6].log[0].event, 0u);
  EXPECT_FALSE(states[6].log[0].adhoc);
}

TEST(Step, FalseConditionBlocksEvent) {
  Scenario s = quiet({"A", "B"});
  Event blocked = geosim::testing::make_event(s, "blocked", 1, "A", "B", 0.2);
  add_condition(s, blocked, "tension(A, B) > 0.5");
  Event allowed = geosim::testing::make_event(s, "allowed", 1, "B", "A", 0.2);
  add_condition(s, allowed, "tension(A, B) < 0.5 and not tie(A, B) > 0");
  s.events = {blocked, allowed};
  const auto states = steps(s, 3);
  EXPECT_EQ(fired_count(states[3], "blocked"), 0);
  EXPECT_EQ(fired_count(states[3], "allowed"), 1);
  EXPECT_DOUBLE_EQ(states[3].tension(0, 1), 0.3);
  EXPECT_DOUBLE_EQ(states[3].tension(1, 0), 0.5);
}

TEST(Step, ProbabilityZeroNeverFiresAndOneAlwaysFires) {
  Scenario s = quiet({"A", "B"});
  Event never = geosim::testing::make_event(s, "never", 1, "A", "B", 0.1);
  never.probability = 0.0;
  Event always = geosim::testing::make_event(s, "always", 1, "B", "A", 0.1);
  always.probability = 1.0;
  Event half = geosim::testing::make_event(s, "half", 1, "B", "A", 0.0);
  half.probability = 0.5;
  s.events = {never, always, half};
  int halves = 0;
  for (std::uint64_t seed = 0; seed < 400; ++seed) {
    const Logged after = steps(s, 1, seed).back();
    EXPECT_EQ(fired_count(after, "never"), 0);
    EXPECT_EQ(fired_count(after, "always"), 1);
    halves += fired_count(after, "half");
  }
  EXPECT_NEAR(halves, 200, 40);
}

TEST(Step, FollowUpWithDelayTwoFiresTwoStepsLater) {
  Scenario s = quiet({"A", "B"});
  Event parent = geosim::testing::make_event(s, "visit", 2, "A", "B", -0.1);
  parent.follow_ups.push_back(FollowUp{1, 2, 1.0});
  Event child = geosim::testing::make_event(s, "statement", 0, "B", "A", -0.1);
  child.timing = Timing::never;
  s.events = {parent, child};
  const auto states = steps(s, 6);
  ASSERT_EQ(states[2].pending.size(), 1u);
  EXPECT_EQ(states[2].pending[0].step, 4);
  EXPECT_EQ(fired_count(states[3], "statement"), 0);
  ASSERT_EQ(fired_count(states[6], "statement"), 1);
  const AppliedEvent* logged = find_logged(states[6], "statement");
  EXPECT_EQ(logged->step, 4);
  EXPECT_EQ(logged->cause, "follow-up of visit");
  EXPECT_TRUE(states[4].pending.empty());
  EXPECT_DOUBLE_EQ(states[3].tension(1, 0), 0.3);
  EXPECT_DOUBLE_EQ(states[4].tension(1, 0), 0.2);
}

TEST(Step, ZeroDelayFollowUpFiresInTheSameStep) {
  Scenario s = quiet({"A", "B"});
  Event parent = geosim::testing::make_event(s, "visit", 2, "A", "B", -0.1);
  parent.follow_ups.push_back(FollowUp{1, 0, 1.0});
  Event child = geosim::testing::make_event(s, "statement", 0, "B", "A", -0.1);
  child.timing = Timing::never;
  s.events = {parent, child};
  const auto states = steps(s, 4);
  ASSERT_EQ(states[4].log.size(), 2u);
  EXPECT_EQ(states[4].log[0].id, "visit");
  EXPECT_EQ(states[4].log[1].id, "statement");
  EXPECT_EQ(states[4].log[1].step, 2);
  EXPECT_EQ(states[4].log[1].cause, "follow-up of visit");
  EXPECT_DOUBLE_EQ(states[2].tension(1, 0), 0.2);
}

TEST(Step, FollowUpWithProbabilityZeroNeverFires) {
  Scenario s = quiet({"A", "B"});
  Event parent = geosim::testing::make_event(s, "visit", 1, "A", "B", -0.1);
  parent.follow_ups.push_back(FollowUp{1, 1, 0.0});
  Event child = geosim::testing::make_event(s, "statement", 0, "B", "A", -0.1);
  child.timing = Timing::never;
  s.events = {parent, child};
  for (std::uint64_t seed = 0; seed < 50; ++seed) EXPECT_EQ(fired_count(steps(s, 3, seed).back(), "statement"), 0);
}

TEST(Step, WindowEventFiresOnceWithinWindowAtSeedDependentStep) {
  Scenario s = quiet({"A", "B"});
  Event e = geosim::testing::make_event(s, "summit", 0, "A", "B", -0.05);
  e.timing = Timing::window;
  e.window_first = 3;
  e.window_last = 8;
  s.events = {e};
  std::set<int> fired_steps;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    const RunResult r = run_scenario(s, RunOptions{.seed = seed});
    ASSERT_EQ(r.events.size(), 1u) << seed;
    const AppliedEvent& a = r.events[0];
    EXPECT_EQ(a.cause, "window");
    EXPECT_GE(a.step, 3);
    EXPECT_LE(a.step, 8);
    EXPECT_EQ(a.step, r.final_state.window_step[0]);
    fired_steps.insert(a.step);
    // Same seed, same step.
    EXPECT_EQ(run_scenario(s, RunOptions{.seed = seed}).events[0].step, a.step);
  }
  EXPECT_EQ(fired_steps, (std::set<int>{3, 4, 5, 6, 7, 8}));
}

TEST(Step, EffectOnMembersReachesEveryMember) {
  Scenario s = quiet({"A", "B", "ORG", "C"});
  s.actors[2].kind = ActorKind::organization;
  s.actors[2].members = {0, 1};
  Event e;
  e.id = "sanctions";
  e.timing = Timing::at_step;
  e.step = 1;
  Effect effect;
  effect.from = ActorSet{{0, 1}, "members(ORG)"};
  effect.to = ActorSet{{3}, "C"};
  effect.both_directions = true;
  effect.tension = Magnitude{0.1, 0.0};
  e.effects.push_back(effect);
  Effect inner;  // members among themselves: no self-relations
  inner.from = inner.to = ActorSet{{0, 1}, "members(ORG)"};
  inner.both_directions = true;
  inner.tie = Magnitude{0.2, 0.0};
  e.effects.push_back(inner);
  s.events = {e};
  const Logged after = steps(s, 1).back();
  for (int m : {0, 1}) {
    EXPECT_DOUBLE_EQ(after.tension(m, 3), 0.4);
    EXPECT_DOUBLE_EQ(after.tension(3, m), 0.4);
    EXPECT_DOUBLE_EQ(after.tension(m, 2), 0.3);  // the organisation itself is untouched
    EXPECT_DOUBLE_EQ(after.tension(2, m), 0.3);
  }
  EXPECT_DOUBLE_EQ(after.tie(0, 1), 0.2);
  EXPECT_DOUBLE_EQ(after.tie(1, 0), 0.2);
  EXPECT_EQ(after.tie(0, 0), 0.0);
  EXPECT_DOUBLE_EQ(after.tension(0, 1), 0.3);
  ASSERT_EQ(after.log.size(), 1u);
  EXPECT_EQ(after.log[0].changes.size(), 6u);  // A->C, C->A, B->C, C->B, A->B, B->A
}

TEST(Step, EventChangesAreBoundedAndLoggedAsActualChange) {
  Scenario s = quiet({"A", "B"});
  Event e = geosim::testing::make_event(s, "war", 1, "A", "B", 5.0);
  e.effects[0].baseline = Magnitude{-2.0, 0.0};
  s.events = {e};
  const Logged after = steps(s, 1).back();
  EXPECT_EQ(after.tension(0, 1), 1.0);
  EXPECT_EQ(after.baseline(0, 1), 0.0);
  ASSERT_EQ(after.log[0].changes.size(), 1u);
  EXPECT_DOUBLE_EQ(after.log[0].changes[0].tension, 0.7);
  EXPECT_DOUBLE_EQ(after.log[0].changes[0].baseline, -0.3);
}

TEST(Step, ContinuousPartActsOnPostEventState) {
  Scenario s = geosim::testing::make_scenario({"A", "B"});
  s.actors[0].restraint = 0.1;
  s.actors[0].reactivity = 0.0;
  s.actors[1].restraint = 0.0;
  s.actors[1].reactivity = 0.05;
  s.events.push_back(geosim::testing::make_event(s, "clash", 1, "A", "B", 0.4));
  Rng rng(0);
  const State start = initial_state(s, rng);
  StepBreakdown b;
  const State after = advance(start, s, rng, {}, &b).state;
  EXPECT_NEAR(b.events(0, 1), 0.4, 1e-15);
  EXPECT_NEAR(b.relaxation(0, 1), 0.1 * (0.3 - 0.7), 1e-15);  // on 0.7, not on 0.3
  EXPECT_NEAR(b.reciprocity(1, 0), 0.05 * (0.7 - 0.3), 1e-15);
  EXPECT_NEAR(after.tension(0, 1), 0.7 - 0.04, 1e-15);
  EXPECT_NEAR(after.tension(1, 0), 0.3 + 0.02, 1e-15);
}

namespace {

/// Four actors with ties, spillover, events, and (optionally) noise; a pair pinned near 1
/// with strong reactivity so clamping is active.
Scenario busy(double noise) {
  Scenario s = geosim::testing::make_scenario({"A", "B", "C", "D"}, 0.4, 0.3);
  s.parameters.spillover = 0.2;
  s.parameters.noise = noise;
  s.steps = 25;
  for (auto& a : s.actors) a.reactivity = 0.5, a.restraint = 0.05;
  geosim::testing::set_relation(s, "A", "B", 0.98, 0.2, 0.6);
  geosim::testing::set_relation(s, "B", "A", 0.98, 0.2, 0.6);
  geosim::testing::set_relation(s, "C", "D", 0.02, 0.9, 0.1);
  s.events.push_back(geosim::testing::make_event(s, "hit", 2, "A", "B", 0.5));
  s.events.push_back(geosim::testing::make_event(s, "hug", 3, "C", "D", -0.5));
  s.events.push_back(geosim::testing::make_event(s, "mid", 4, "A", "C", 0.2));
  return s;
}

void expect_breakdown_sums(const Scenario& s, std::uint64_t seed, bool* bounds_active) {
  Rng rng(seed);
  State state = initial_state(s, rng);
  for (int t = 0; t < s.steps; ++t) {
    StepBreakdown b;
    const State next = advance(state, s, rng, {}, &b).state;
    const Eigen::MatrixXd parts = b.events + b.relaxation + b.reciprocity + b.spillover + b.noise + b.bounds;
    const Eigen::MatrixXd total = next.tension - state.tension;
    EXPECT_LE((parts - total).cwiseAbs().maxCoeff(), 1e-12) << "step " << t + 1;
    if (b.bounds.cwiseAbs().maxCoeff() > 1e-6) *bounds_active = true;
    state = next;
  }
}

}  // namespace

TEST(Step, BreakdownPartsSumToTotalChange) {
  bool bounds_active = false;
  expect_breakdown_sums(busy(0.0), 1, &bounds_active);
  EXPECT_TRUE(bounds_active);
}

TEST(Step, BreakdownPartsSumToTotalChangeWithNoise) {
  bool bounds_active = false;
  for (std::uint64_t seed = 0; seed < 10; ++seed) expect_breakdown_sums(busy(0.2), seed, &bounds_active);
  EXPECT_TRUE(bounds_active);
}

TEST(Step, BreakdownPartsAreTheDynamicsTerms) {
  const Scenario s = busy(0.0);
  Rng rng(3);
  const State start = initial_state(s, rng);
  StepBreakdown b;
  advance(start, s, rng, {}, &b);  // no events in step 1
  Eigen::VectorXd r(4), k(4);
  for (int i = 0; i < 4; ++i) r(i) = s.actors[i].restraint, k(i) = s.actors[i].reactivity;
  EXPECT_TRUE(b.events.isZero(0.0));
  EXPECT_TRUE(b.noise.isZero(0.0));
  EXPECT_TRUE(b.relaxation.isApprox(oracle::relaxation(start.tension, start.baseline, r)));
  EXPECT_TRUE(b.reciprocity.isApprox(oracle::reciprocity(start.tension, start.baseline, k)));
  EXPECT_TRUE(b.spillover.isApprox(spillover(start.tension, start.tie, 0.2)));
  EXPECT_LT(b.bounds(0, 1), -0.1);  // 0.98 + 0.5 * 0.78 - ... is clamped back to 1
}

TEST(Step, AdvanceDoesNotModifyItsInput) {
  Scenario s = busy(0.1);
  s.events[0].follow_ups.push_back(FollowUp{2, 3, 1.0});
  Rng rng(5);
  State state = initial_state(s, rng);
  for (int t = 0; t < 4; ++t) {
    const State copy = state;
    const State next = advance(state, s, rng).state;
    EXPECT_EQ(state.step, copy.step);
    EXPECT_TRUE(state.tension == copy.tension);
    EXPECT_TRUE(state.baseline == copy.baseline);
    EXPECT_TRUE(state.tie == copy.tie);
    EXPECT_EQ(state.window_step, copy.window_step);
    EXPECT_EQ(state.pending.size(), copy.pending.size());
    EXPECT_EQ(next.step, state.step + 1);
    state = next;
  }
}

TEST(Step, InjectedScenarioEventIgnoresProbabilityAndCondition) {
  Scenario s = quiet({"A", "B"});
  Event e = geosim::testing::make_event(s, "coup", 0, "A", "B", 0.3);
  e.timing = Timing::never;
  e.probability = 0.0;
  add_condition(s, e, "tension(A, B) > 0.9");
  s.events = {e};
  Rng rng(0);
  const State start = initial_state(s, rng);
  EXPECT_EQ(advance(start, s, rng).fired.size(), 0u);
  StepInputs inputs;
  inputs.scenario_events = {0};
  const StepResult after = advance(start, s, rng, inputs);
  ASSERT_EQ(after.fired.size(), 1u);
  EXPECT_EQ(after.fired[0].cause, "inject");
  EXPECT_FALSE(after.fired[0].adhoc);
  EXPECT_EQ(after.fired[0].step, 1);
  EXPECT_DOUBLE_EQ(after.state.tension(0, 1), 0.6);
}

TEST(Step, InjectedAdhocEventFires) {
  const Scenario s = quiet({"A", "B"});
  Event move = geosim::testing::make_event(s, "move", 0, "B", "A", -0.2);
  move.timing = Timing::never;
  move.probability = 0.0;
  Rng rng(0);
  StepInputs inputs;
  inputs.adhoc_events = {move};
  const StepResult after = advance(initial_state(s, rng), s, rng, inputs);
  ASSERT_EQ(after.fired.size(), 1u);
  EXPECT_TRUE(after.fired[0].adhoc);
  EXPECT_EQ(after.fired[0].id, "move");
  EXPECT_EQ(after.fired[0].event, 0u);
  EXPECT_DOUBLE_EQ(after.state.tension(1, 0), 0.1);
}

TEST(Step, BreakdownDoesNotChangeTheStep) {
  // `explain` steps with a breakdown, `run` without: both paths must give the same bits, or an
  // explanation would describe a different trajectory from the one that was run.
  for (double noise : {0.0, 0.2}) {
    const Scenario s = busy(noise);
    Rng plain_rng(5), explained_rng(5);
    State plain = initial_state(s, plain_rng);
    State explained = initial_state(s, explained_rng);
    for (int t = 0; t < s.steps; ++t) {
      StepBreakdown b;
      plain = advance(std::move(plain), s, plain_rng).state;
      explained = advance(std::move(explained), s, explained_rng, {}, &b).state;
      ASSERT_EQ(0, std::memcmp(plain.tension.data(), explained.tension.data(),
                               sizeof(double) * std::size_t(plain.tension.size())))
          << "noise " << noise << ", step " << t + 1;
    }
  }
}

// A run's steps with a StepWorkspace (the tie structure and the transposed difference kept from
// step to step, patched where events change them) against the same steps without one
// (everything rebuilt from the state every step): bit for bit, with events that change
// tensions, baselines and ties every step, noise, absent pairs, and more actors than the
// spillover's block of eight columns (12: a full block and a partial one).
TEST(Step, WorkspaceKeepsEveryStepBitIdentical) {
  const std::size_t n = 12;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < n; ++i) ids.push_back("S" + std::to_string(i));
  Scenario s = geosim::testing::make_scenario(ids);
  s.parameters.spillover = 0.2;
  s.parameters.noise = 0.02;
  Rng setup(5);
  for (auto& a : s.actors) {
    a.restraint = 0.05 + 0.1 * setup.uniform();
    a.reactivity = 0.02 + 0.05 * setup.uniform();
  }
  s.absent.assign(n * n, 0);
  for (auto [a, b] : {std::pair{0, 5}, std::pair{3, 9}, std::pair{7, 11}})
    s.absent[a * n + b] = s.absent[b * n + a] = 1;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const bool none = i == j || s.absent[i * n + j];
      s.tension[i * n + j] = none ? 0.0 : setup.uniform();
      s.baseline[i * n + j] = none ? 0.0 : setup.uniform();
      s.tie[i * n + j] = none || setup.uniform() < 0.7 ? 0.0 : setup.uniform();
    }
  for (int step = 1; step <= 30; ++step) {
    const auto a = std::size_t(setup.uniform_int(0, std::int64_t(n) - 1));
    const auto b = (a + 1 + std::size_t(setup.uniform_int(0, std::int64_t(n) - 2))) % n;
    Event e = geosim::testing::make_event(s, "e" + std::to_string(step), step, ids[a], ids[b], 0.1);
    e.probability = 0.6;
    e.effects[0].tension = Magnitude{0.05, 0.1};
    e.effects[0].baseline = Magnitude{0.0, 0.05};
    if (step % 3 == 0) e.effects[0].tie = Magnitude{0.1, 0.2};  // some steps change a tie
    e.effects[0].both_directions = true;
    s.events.push_back(e);
  }
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const Rng rng = Rng::for_run(seed, 0);
    State kept = initial_state(s, rng), fresh = initial_state(s, rng);
    StepWorkspace workspace;
    int tie_changes = 0;
    for (int step = 1; step <= 30; ++step) {
      StepResult with = advance(std::move(kept), s, rng, {}, nullptr, &workspace);
      StepResult without = advance(std::move(fresh), s, rng);
      kept = std::move(with.state);
      fresh = std::move(without.state);
      for (const auto& applied : with.fired)
        for (const auto& c : applied.changes) tie_changes += c.tie != 0.0;
      ASSERT_EQ(std::memcmp(kept.tension.data(), fresh.tension.data(), n * n * sizeof(double)), 0)
          << "seed " << seed << ", step " << step;
    }
    EXPECT_GT(tie_changes, 0);  // the ties did change along the way
  }
}
