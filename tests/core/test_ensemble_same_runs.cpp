// An ensemble whose runs cannot differ says so: ensemble_runs_can_differ is false exactly when
// nothing is drawn (checked by running the ensemble: every band of every step has no width), and
// `geosim ensemble` then prints one line saying why and how to add variation.
#include <geosim/core/ensemble.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/builders.hpp"
#include "support/cli.hpp"

using namespace geosim;

namespace {

/// Two states, a fixed event both ways at step 2 (probability 1), one that never fires
/// (probability 0), a window of one step, a sure follow-up and an indicator of the pair.
Scenario fixed_world() {
  Scenario s = geosim::testing::make_scenario({"AAA", "BBB"}, 0.3);
  s.parameters.spillover = 0.1;
  Event spike = geosim::testing::make_event(s, "spike", 2, "AAA", "BBB", 0.2);
  spike.effects.front().both_directions = true;
  Event never = geosim::testing::make_event(s, "never", 3, "AAA", "BBB", 0.5);
  never.probability = 0.0;
  Event window = geosim::testing::make_event(s, "window", 0, "BBB", "AAA", -0.1);
  window.timing = Timing::window;
  window.window_first = window.window_last = 4;
  Event after = geosim::testing::make_event(s, "after", 0, "AAA", "BBB", 0.05);
  after.timing = Timing::never;
  spike.follow_ups.push_back({3, 1, 1.0});
  for (Event* e : {&spike, &never, &window, &after}) s.events.push_back(*e);
  Indicator indicator;
  indicator.id = "ab";
  indicator.relations = {{0, 1}, {1, 0}};
  s.indicators.push_back(indicator);
  return s;
}

/// The widest 5th-95th percentile band over every step and indicator.
double widest_band(const Scenario& s, const EnsembleOptions& options) {
  const EnsembleResult r = run_ensemble(s, options);
  EXPECT_TRUE(r.error.empty()) << r.error;
  double widest = 0.0;
  for (const PercentileBand& b : r.bands) widest = std::max(widest, b.p95() - b.p5());
  return widest;
}

TEST(EnsembleSameRuns, NothingDrawnMeansEveryBandHasNoWidth) {
  EnsembleOptions options;
  options.runs = 40;
  const Scenario s = fixed_world();
  EXPECT_FALSE(ensemble_runs_can_differ(s, options));
  EXPECT_EQ(widest_band(s, options), 0.0);
}

TEST(EnsembleSameRuns, EachSourceOfVariationMakesTheRunsDiffer) {
  EnsembleOptions options;
  options.runs = 40;
  auto differ = [&](Scenario s, EnsembleOptions o, const char* why) {
    EXPECT_TRUE(ensemble_runs_can_differ(s, o)) << why;
    EXPECT_GT(widest_band(s, o), 0.0) << why;
  };
  Scenario s = fixed_world();
  s.parameters.noise = 0.02;
  differ(s, options, "noise");
  s = fixed_world();
  s.events[0].probability = 0.5;
  differ(s, options, "a chance event");
  s = fixed_world();
  s.events[2].window_last = 6;
  differ(s, options, "a window of three steps");
  s = fixed_world();
  s.events[0].follow_ups.front().probability = 0.5;
  differ(s, options, "a chance follow-up");
  s = fixed_world();
  s.events[0].effects.front().tension->sd = 0.05;
  differ(s, options, "an uncertain size");
  EnsembleOptions jitter = options;
  jitter.parameter_sd = 0.2;
  differ(fixed_world(), jitter, "--parameter-sd");
}

TEST(EnsembleSameRuns, TheCommandSaysSoInOneLineAndOnlyThen) {
  const auto dir = geosim::testing::temp_dir("same_runs");
  const std::string head =
      "scenario: {id: fixed, title: Fixed, start: 2025-08-01, steps: 6}\n"
      "actors: [{id: AAA}, {id: BBB}]\n"
      "indicators:\n  - {id: ab, title: AB, kind: mean, relations: [[AAA, BBB]]}\n"
      "events:\n  - {id: spike, step: 2, effects: [{between: [AAA, BBB], tension: 0.2}]}\n";
  std::ofstream(dir / "fixed.yaml") << head;
  std::ofstream(dir / "noisy.yaml") << head << "parameters: {noise: 0.02}\n";
  const std::string line = "Every run is the same: the scenario draws nothing at random";
  auto o = geosim::testing::run_cli("ensemble " + (dir / "fixed.yaml").string() + " --runs 20 --out " +
                                    (dir / "a").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out.rfind(line, 0), 0u) << o.out;
  EXPECT_NE(o.out.find("--parameter-sd 0.2 or --vary"), std::string::npos) << o.out;
  // its example names an actor of this scenario, so that it runs as suggested (below)
  EXPECT_NE(o.out.find("(e.g. --vary restraint.AAA=0.03..0.09)"), std::string::npos) << o.out;
  for (const char* more : {" --parameter-sd 0.2", " --vary restraint.AAA=0.03..0.09"}) {
    o = geosim::testing::run_cli("ensemble " + (dir / "fixed.yaml").string() + " --runs 20 --out " +
                                 (dir / "b").string() + more);
    ASSERT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(o.out.find(line), std::string::npos) << more << ": " << o.out;
  }
  o = geosim::testing::run_cli("ensemble " + (dir / "noisy.yaml").string() + " --runs 20 --out " +
                               (dir / "c").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out.find(line), std::string::npos) << o.out;
  std::filesystem::remove_all(dir);
}

}  // namespace
