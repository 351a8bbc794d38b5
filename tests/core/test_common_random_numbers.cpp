// Common random numbers: every draw is keyed by what it is for (rng.hpp), so adding an event,
// an actor, a policy or an inject, or reordering the scenario, changes no other draw. Each test
// compares two runs of the same seed bit for bit, by ids; under the old single stream read in
// order, each of them differed.
#include <gtest/gtest.h>
#include <geosim/core/rng.hpp>
#include <geosim/core/run.hpp>
#include <geosim/core/state.hpp>
#include <geosim/core/step.hpp>

#include <algorithm>
#include <bit>
#include <map>
#include <string>
#include <vector>

#include "support/builders.hpp"

namespace geosim {
namespace {

using testing::make_event;
using testing::make_scenario;
using testing::set_relation;

/// A world of `ids` (which must include A, B, C, D) with chance everywhere: noise, a window
/// event with a chance and uncertain sizes, a chance follow-up, a dated chance event.
/// Spillover 0, so a relation depends only on its own dyad's events and draws.
Scenario chance_world(const std::vector<std::string>& ids) {
  Scenario s = make_scenario(ids, 0.4, 0.0);
  s.steps = 20;
  s.parameters.noise = 0.02;
  set_relation(s, "A", "B", 0.5, 0.45);
  Event clash = make_event(s, "clash", 0, "A", "B", 0.1);
  clash.timing = Timing::window;
  clash.window_first = 2;
  clash.window_last = 8;
  clash.probability = 0.5;
  clash.effects[0].tension->sd = 0.05;
  Effect lasting = clash.effects[0];
  std::swap(lasting.from, lasting.to);
  lasting.tension.reset();
  lasting.baseline = Magnitude{0.02, 0.01};
  clash.effects.push_back(lasting);
  Event reprisal = make_event(s, "reprisal", 0, "B", "A", 0.05);
  reprisal.timing = Timing::never;
  reprisal.effects[0].tension->sd = 0.02;
  Event talks = make_event(s, "talks", 5, "A", "B", -0.05);
  talks.probability = 0.4;
  talks.effects[0].both_directions = true;
  talks.effects[0].tension->sd = 0.02;
  s.events = {clash, reprisal, talks};
  s.events[0].follow_ups.push_back(FollowUp{1, 2, 0.5});
  return s;
}

/// An unrelated chance event on C->D, with its own chance follow-up; put first, so that every
/// other event's index shifts.
Scenario with_side_event(Scenario s) {
  Event side = make_event(s, "side", 0, "C", "D", 0.2);
  side.timing = Timing::window;
  side.window_first = 1;
  side.window_last = 10;
  side.probability = 0.5;
  side.effects[0].tension->sd = 0.1;
  Event echo = make_event(s, "echo", 0, "D", "C", 0.1);
  echo.timing = Timing::never;
  for (Event& e : s.events)
    for (FollowUp& f : e.follow_ups) f.event += 2;
  side.follow_ups.push_back(FollowUp{1, 1, 0.5});
  s.events.insert(s.events.begin(), {side, echo});
  return s;
}

/// What a run did to the A-B dyad, by ids: every event applied to it (step, id, cause, changes)
/// and the dyad's tension and baseline at every step, as exact bits in a string.
std::string dyad_story(const Scenario& s, std::uint64_t seed, const std::vector<StepInputs>& inputs = {}) {
  const Rng rng = Rng::for_run(seed, 0);
  State state = initial_state(s, rng);
  const auto a = Eigen::Index(*s.find_actor("A")), b = Eigen::Index(*s.find_actor("B"));
  std::string out;
  auto bits = [](double v) { return std::to_string(std::bit_cast<std::uint64_t>(v)) + " "; };
  std::vector<AppliedEvent> log;
  for (int t = 0; t < s.steps; ++t) {
    StepResult step =
        advance(std::move(state), s, rng, std::size_t(t) < inputs.size() ? inputs[std::size_t(t)] : StepInputs{});
    state = std::move(step.state);
    log.insert(log.end(), step.fired.begin(), step.fired.end());
    out += bits(state.tension(a, b)) + bits(state.tension(b, a)) + bits(state.baseline(b, a)) + "\n";
  }
  for (const AppliedEvent& e : log) {
    if (e.id != "clash" && e.id != "reprisal" && e.id != "talks") continue;
    out += std::to_string(e.step) + " " + e.id + " " + e.cause + ":";
    for (const RelationChange& c : e.changes) out += " " + bits(c.tension) + bits(c.baseline);
    out += "\n";
  }
  return out;
}

/// The runs (of `seeds`) in which `id` fired, with the step.
std::vector<std::pair<std::uint64_t, int>> firings(const Scenario& s, const std::string& id, int seeds) {
  std::vector<std::pair<std::uint64_t, int>> out;
  for (std::uint64_t seed = 0; seed < std::uint64_t(seeds); ++seed)
    for (const AppliedEvent& e : run_scenario(s, RunOptions{seed, 0, -1}).events)
      if (e.id == id) out.emplace_back(seed, e.step);
  return out;
}

TEST(CommonRandomNumbers, TheWorldHasChanceInIt) {
  // Not vacuous: each chance event fires in some runs and not in others.
  const Scenario s = chance_world({"A", "B", "C", "D"});
  for (const std::string id : {"clash", "reprisal", "talks"}) {
    const auto f = firings(s, id, 100);
    EXPECT_GT(f.size(), 5u) << id;
    EXPECT_LT(f.size(), 95u) << id;
  }
}

TEST(CommonRandomNumbers, AnUnrelatedEventChangesNoOtherDraw) {
  const Scenario plain = chance_world({"A", "B", "C", "D"});
  const Scenario more = with_side_event(plain);
  ASSERT_FALSE(firings(more, "side", 50).empty());
  for (std::uint64_t seed = 0; seed < 100; ++seed) EXPECT_EQ(dyad_story(plain, seed), dyad_story(more, seed)) << seed;
}

TEST(CommonRandomNumbers, AnUnrelatedActorChangesNoOtherDraw) {
  // E comes first, so every other actor's index shifts by one.
  const Scenario plain = chance_world({"A", "B", "C", "D"});
  const Scenario more = chance_world({"E", "A", "B", "C", "D"});
  for (std::uint64_t seed = 0; seed < 100; ++seed) EXPECT_EQ(dyad_story(plain, seed), dyad_story(more, seed)) << seed;
}

TEST(CommonRandomNumbers, ReorderingActorsAndEventsChangesNothing) {
  const Scenario plain = chance_world({"A", "B", "C", "D"});
  // Actors in another order; events as reprisal, clash, talks (every index changes; clash still
  // comes before talks, so two events of one step apply in the same order, as arithmetic needs).
  Scenario shuffled = chance_world({"D", "B", "C", "A"});
  std::swap(shuffled.events[0], shuffled.events[1]);
  shuffled.events[1].follow_ups[0].event = 0;
  for (std::uint64_t seed = 0; seed < 100; ++seed)
    EXPECT_EQ(dyad_story(plain, seed), dyad_story(shuffled, seed)) << seed;
}

TEST(CommonRandomNumbers, AnInjectChangesNoOtherDraw) {
  // The facilitator fires the unrelated event at step 3 and an ad hoc one at step 6.
  const Scenario s = with_side_event(chance_world({"A", "B", "C", "D"}));
  std::vector<StepInputs> inputs(6);
  inputs[2].scenario_events = {0};
  Event adhoc = make_event(s, "adhoc-1", 0, "D", "C", -0.1);
  adhoc.effects[0].tension->sd = 0.05;
  inputs[5].adhoc_events = {adhoc};
  for (std::uint64_t seed = 0; seed < 100; ++seed) EXPECT_EQ(dyad_story(s, seed), dyad_story(s, seed, inputs)) << seed;
}

TEST(CommonRandomNumbers, AnEventDueTwiceForTheSameReasonDrawsTwice) {
  // Two firings of one event in one step (here: injected twice) are two draws, not one.
  const Scenario s = chance_world({"A", "B"});
  Event adhoc = make_event(s, "adhoc-1", 0, "A", "B", 0.0);
  adhoc.effects[0].tension->sd = 0.05;
  StepInputs inputs;
  inputs.adhoc_events = {adhoc, adhoc};
  const Rng rng = Rng::for_run(1, 0);
  const StepResult next = advance(initial_state(s, rng), s, rng, inputs);
  ASSERT_EQ(next.fired.size(), 2u);
  EXPECT_NE(next.fired[0].changes[0].tension, next.fired[1].changes[0].tension);
}

TEST(CommonRandomNumbers, NoiseOfAPairDependsOnlyOnItsIdsAndTheStep) {
  // The noise part of the step's breakdown, by ids, with and without an extra actor.
  Scenario plain = make_scenario({"A", "B", "C"}, 0.5, 0.0);
  plain.parameters.noise = 0.05;
  Scenario more = make_scenario({"C", "Z", "B", "A"}, 0.5, 0.0);
  more.parameters.noise = 0.05;
  const Rng rng = Rng::for_run(3, 7);
  StepBreakdown one, two;
  advance(initial_state(plain, rng), plain, rng, {}, &one);
  advance(initial_state(more, rng), more, rng, {}, &two);
  int nonzero = 0;
  for (const std::string from : {"A", "B", "C"})
    for (const std::string to : {"A", "B", "C"}) {
      const double x = one.noise(Eigen::Index(*plain.find_actor(from)), Eigen::Index(*plain.find_actor(to)));
      const double y = two.noise(Eigen::Index(*more.find_actor(from)), Eigen::Index(*more.find_actor(to)));
      EXPECT_EQ(x, y) << from << "->" << to;
      nonzero += x != 0.0;
    }
  EXPECT_EQ(nonzero, 6);
  EXPECT_NE(one.noise(0, 1), one.noise(1, 0));  // the two directions are two deviates
}

}  // namespace
}  // namespace geosim
