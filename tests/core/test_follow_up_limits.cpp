// Follow-ups cannot multiply without end: the loader refuses self-reinforcing cycles and
// same-step fan-outs beyond a step's limit, and a step that still meets too many stops the
// run with an error naming the event (never bad_alloc). Counts are worked out by hand.
#include <geosim/core/rng.hpp>
#include <geosim/core/run.hpp>
#include <geosim/core/state.hpp>
#include <geosim/core/step.hpp>
#include <geosim/io/loader.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/builders.hpp"
#include "support/cli.hpp"

using namespace geosim;

namespace {
namespace fs = std::filesystem;

/// A scenario (two actors) with `events` appended as YAML under `events:`.
LoadResult load_events(const std::string& events) {
  const std::string text =
      "scenario: {id: t, title: T, start: 2025-08-01, steps: 20}\n"
      "actors:\n  - {id: A, name: A}\n  - {id: B, name: B}\n"
      "events:\n" +
      events;
  return load_scenario_text(text, "t.yaml", ".");
}

std::string first_error(const LoadResult& r) { return r.errors.empty() ? "" : r.errors.front().message; }

/// An event `id` on date `date` (or none) with probability `p` and the given follow-ups.
std::string event(const std::string& id, const std::string& follow_ups, double p = 1.0, bool dated = true) {
  return "  - id: " + id + "\n    title: " + id + "\n" + (dated ? "    date: 2025-08-15\n" : "") +
         "    probability: " + std::to_string(p) + "\n" +
         "    effects: [{from: A, to: B, tension: 0.001}]\n    follow_ups: [" + follow_ups + "]\n";
}

// ---------------------------------------------------------------- the loader

TEST(FollowUpLimits, AnEventSchedulingItselfTwiceIsRefused) {
  // Each firing schedules two more: the expected growth factor is 2.
  const LoadResult r = load_events(event("rumour", "{event: rumour, delay: 1}, {event: rumour, delay: 1}"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(first_error(r).find("self-reinforcing cycle (rumour)"), std::string::npos) << first_error(r);
  EXPECT_NE(first_error(r).find("on average 2.00 more"), std::string::npos) << first_error(r);
}

TEST(FollowUpLimits, TheGrowthFactorCountsFollowUpAndEventProbabilities) {
  // Two follow-ups at 0.45: factor 0.9, accepted. At 0.5: factor 1, refused (it never dies out
  // on average). An event firing with probability 0.4 scheduling itself twice: 0.8, accepted.
  EXPECT_TRUE(
      load_events(event("e", "{event: e, delay: 2, probability: 0.45}, {event: e, delay: 3, probability: 0.45}")).ok());
  const LoadResult one =
      load_events(event("e", "{event: e, delay: 2, probability: 0.5}, {event: e, delay: 3, probability: 0.5}"));
  ASSERT_FALSE(one.ok());
  EXPECT_NE(first_error(one).find("on average 1.00 more"), std::string::npos) << first_error(one);
  EXPECT_TRUE(load_events(event("e", "{event: e, delay: 1}, {event: e, delay: 1}", 0.4)).ok());
}

TEST(FollowUpLimits, ACycleThroughSeveralEventsIsFoundByItsPerronRoot) {
  // a -> b (p 1), b -> a twice (p 0.3 each), b -> c (c outside the cycle): the cycle's matrix
  // [[0, 1], [0.6, 0]] has Perron root sqrt(0.6) = 0.775 < 1. With b -> a at 0.6 twice: sqrt(1.2) = 1.095.
  const std::string c = event("c", "", 1.0, false);
  EXPECT_TRUE(
      load_events(event("a", "{event: b, delay: 1}") +
                  event("b",
                        "{event: a, delay: 1, probability: 0.3}, {event: a, delay: 2, probability: 0.3}, {event: c}",
                        1.0, false) +
                  c)
          .ok());
  const LoadResult r = load_events(
      event("a", "{event: b, delay: 1}") +
      event("b", "{event: a, delay: 1, probability: 0.6}, {event: a, delay: 2, probability: 0.6}, {event: c}", 1.0,
            false) +
      c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(first_error(r).find("self-reinforcing cycle (a, b)"), std::string::npos) << first_error(r);
  EXPECT_NE(first_error(r).find("on average 1.10 more"), std::string::npos) << first_error(r);
}

TEST(FollowUpLimits, ASameStepFanOutBeyondTheStepLimitIsRefused) {
  // level-d sets off level-(d+1) twice in the same step: level-d sets off 2^(17-d) - 1 events
  // with 16 levels below it; the first over 10,000, from the bottom, is level-3 (16383).
  std::string events;
  for (int d = 0; d <= 16; ++d) {
    const std::string next = "level-" + std::to_string(d + 1);
    events += event("level-" + std::to_string(d),
                    d < 16 ? "{event: " + next + ", delay: 0}, {event: " + next + ", delay: 0}" : "", 1.0, d == 0);
  }
  const LoadResult r = load_events(events);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(first_error(r),
            "event 'level-3' sets off on average 16383 events in the same step through zero-delay "
            "follow-ups; a step applies at most 10000");
}

// ---------------------------------------------------------------- the step

TEST(FollowUpLimits, TooManyPendingFollowUpsStopTheRunNamingTheEvent) {
  // Built in code, past the loader: at step k, 2^(k-1) copies fire and schedule 2^k. 2^13 = 8192
  // fit under kMaxPendingFollowUps = 10000, 2^14 do not: step 14 fails, steps 0..13 are kept.
  Scenario s = geosim::testing::make_scenario({"A", "B"});
  s.steps = 40;
  Event e = geosim::testing::make_event(s, "rumour", 1, "A", "B", 0.0);
  e.follow_ups = {{0, 1, 1.0}, {0, 1, 1.0}};
  s.events.push_back(e);
  const RunResult r = run_scenario(s);
  EXPECT_EQ(r.tension.size(), 14u);
  EXPECT_EQ(r.final_state.step, 13);
  EXPECT_EQ(r.final_state.error,
            "step stopped: event 'rumour' schedules 'rumour' while 10000 follow-ups already wait (the limit): its "
            "follow-ups multiply");
  EXPECT_EQ(r.final_state.pending.size(), kMaxPendingFollowUps);
}

TEST(FollowUpLimits, TooManyEventsInOneStepStopTheRun) {
  // level-d (d = 0..16) sets off level-(d+1) twice with no delay. The queue holds levels 0..12
  // (8191 events) before level 12's events push level 13; it reaches 10000 on the way.
  Scenario s = geosim::testing::make_scenario({"A", "B"});
  for (int d = 0; d <= 16; ++d) {
    Event e = geosim::testing::make_event(s, "level-" + std::to_string(d), d == 0 ? 1 : -1, "A", "B", 0.0);
    if (d > 0) e.timing = Timing::never;
    if (d < 16) e.follow_ups = {{std::size_t(d + 1), 0, 1.0}, {std::size_t(d + 1), 0, 1.0}};
    s.events.push_back(e);
  }
  const RunResult r = run_scenario(s);
  EXPECT_EQ(r.tension.size(), 1u);
  EXPECT_EQ(r.final_state.error,
            "step stopped: event 'level-12' sets off 'level-13' in the same step after 10000 "
            "events in this step (the limit): its follow-ups multiply");
  // A state with an error stays as it is.
  Rng rng(1);
  EXPECT_EQ(advance(r.final_state, s, rng).state.step, r.final_state.step);
}

TEST(FollowUpLimits, EventsStopAtTheChangesAStepMayRecord) {
  // e0 sets off e1, e1 sets off e2, e2 sets off e3, with no delay; each changes one relation.
  // With room for 3 changes, the step stops after e3, the event that passes it.
  Scenario s = geosim::testing::make_scenario({"A", "B"});
  for (int d = 0; d <= 3; ++d) {
    Event e = geosim::testing::make_event(s, "e" + std::to_string(d), d == 0 ? 1 : -1, "A", "B", 0.01);
    if (d > 0) e.timing = Timing::never;
    if (d < 3) e.follow_ups = {{std::size_t(d + 1), 0, 1.0}};
    s.events.push_back(e);
  }
  ASSERT_EQ(event_change_bound(s.events[3]), 1u);
  Rng rng(1);
  StepInputs inputs;
  inputs.max_changes = 3;
  StepResult r = advance(initial_state(s, rng), s, rng, inputs);
  EXPECT_EQ(r.fired.size(), 4u);
  EXPECT_EQ(r.state.error,
            "step stopped: event 'e3' would take the relation changes recorded past the memory they "
            "may use (events fired again and again through follow-ups multiply them): make those "
            "follow-ups less likely or the events' effects narrower");
  inputs.max_changes = 4;
  r = advance(initial_state(s, rng), s, rng, inputs);
  EXPECT_EQ(r.fired.size(), 4u);
  EXPECT_EQ(r.state.error, "");
}

// ---------------------------------------------------------------- the CLI

TEST(FollowUpLimits, ARunWhoseEventsReFireBeyondItsMemoryStopsWithOneLine) {
  // The shipped 200-state world with a storm of 200 effects between the blocs' members (430,546
  // relation changes a firing, under the 1,000,000 an event may make) that sets itself off again
  // with probability 0.95: the loader's checks pass (growth 0.95, one firing fits), but at 1,400
  // bytes a change three firings fill the 2 GiB and the fourth stops the run. Before, the run went
  // on to 7.8 GB and 82 s, and an out-of-memory error under `ulimit -v 8000000`.
  std::ifstream in(geosim::testing::shipped("world-200.yaml"));
  std::stringstream text;
  text << in.rdbuf();
  std::string world = text.str();
  const char* blocs[] = {"AFRICA", "AMERICAS", "ASIA", "EUROPE", "OCEANIA", "WEST_ASIA"};
  std::string storm =
      "  - id: storm\n    title: Storm\n    source: {file: world_generator.txt, quote: \"A chance "
      "event of a generated world\"}\n    step: 1\n    effects:\n";
  std::vector<std::pair<int, int>> pairs;  // the 15 pairs of blocs, taken in turn
  for (int a = 0; a < 6; ++a)
    for (int b = a + 1; b < 6; ++b) pairs.emplace_back(a, b);
  for (int k = 0; k < 200; ++k)
    storm += std::string("      - {between: [members(") + blocs[pairs[k % 15].first] + "), members(" +
             blocs[pairs[k % 15].second] + ")], tension: 0.00001}\n";
  storm += "    follow_ups:\n      - {event: storm, probability: 0.95, delay: 1}\n";
  world.insert(world.find("events:\n") + 8, storm);
  const fs::path dir = geosim::testing::temp_dir("storm");
  fs::copy(fs::path(GEOSIM_SCENARIOS_DIR) / "sources", dir / "sources");
  std::ofstream(dir / "storm.yaml") << world;
  auto o = geosim::testing::run_cli("validate " + (dir / "storm.yaml").string());
  EXPECT_EQ(o.code, 0) << o.err;
  o = geosim::testing::run_cli("run " + (dir / "storm.yaml").string() + " --out " + (dir / "out").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err,
            "geosim: error: step stopped: event 'storm' would take the relation changes recorded past the "
            "memory they may use (events fired again and again through follow-ups multiply them): make those "
            "follow-ups less likely or the events' effects narrower\n");
  EXPECT_FALSE(fs::exists(dir / "out" / "run.json"));
  // explain and export run the same run, with the run's own limit on its records: the same line
  // (explain went on to 2.1 GB before, each step on its own limit of 2 GiB of records).
  for (const std::string& command :
       {"explain " + (dir / "storm.yaml").string() + " USA FRA",
        "export " + (dir / "storm.yaml").string() + " --format json --out " + (dir / "g.json").string()}) {
    o = geosim::testing::run_cli(command);
    EXPECT_EQ(o.code, 1) << command;
    EXPECT_EQ(o.err,
              "geosim: error: step stopped: event 'storm' would take the relation changes recorded past the "
              "memory they may use (events fired again and again through follow-ups multiply them): make "
              "those follow-ups less likely or the events' effects narrower\n")
        << command;
  }
  EXPECT_FALSE(fs::exists(dir / "g.json"));
  fs::remove_all(dir);
}

TEST(FollowUpLimits, ValidateRefusesTheHostileFilesAndRunStopsWithOneLine) {
  const fs::path dir = fs::path(GEOSIM_TEST_DATA) / "hostile";
  auto o = geosim::testing::run_cli("validate " + (dir / "follow_up_doubling.yaml").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("self-reinforcing cycle (rumour)"), std::string::npos) << o.err;
  // Two fan-outs of 8191 events each pass the loader (each is under the limit) but not one step.
  const fs::path out = geosim::testing::temp_dir("follow_up_limits");
  o = geosim::testing::run_cli("run " + (dir / "follow_up_two_fanouts.yaml").string() + " --out " + out.string());
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err,
            "geosim: error: step stopped: event 'level-11' sets off 'level-12' in the same step after 10000 "
            "events in this step (the limit): its follow-ups multiply\n");
  EXPECT_FALSE(fs::exists(out / "run.json"));
  for (const char* command : {"ensemble", "explain"}) {
    o = geosim::testing::run_cli(std::string(command) + " " + (dir / "follow_up_two_fanouts.yaml").string() +
                                 (command == std::string("ensemble") ? " --runs 3 --out " + out.string() : " VNM PRK"));
    EXPECT_EQ(o.code, 1) << command << ": " << o.err;
    EXPECT_NE(o.err.find("event 'level-11' sets off 'level-12'"), std::string::npos) << command << ": " << o.err;
  }
  fs::remove_all(out);
}

}  // namespace
