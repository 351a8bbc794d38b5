// Ensembles: percentiles against hand-computed numbers, identical results for any thread
// count, threshold probabilities where the answer is known, resemblance to the document
// scenarios, parameter jitter, and thresholds declared in YAML.
#include <gtest/gtest.h>
#include <geosim/core/ensemble.hpp>
#include <geosim/core/indicator.hpp>
#include <geosim/core/rng.hpp>
#include <geosim/core/run.hpp>
#include <geosim/io/loader.hpp>

#include <cmath>
#include <cstring>

#include "support/builders.hpp"

namespace geosim {
namespace {

using testing::make_event;
using testing::make_scenario;
using testing::shipped;

Scenario load_shipped(const std::string& name) {
  LoadResult result = load_scenario(shipped(name + ".yaml"));
  for (const auto& e : result.errors) ADD_FAILURE() << format_diagnostic(e);
  return result.ok() ? *result.scenario : Scenario{};
}

/// Bitwise equality of two doubles (so -0.0 != 0.0 and NaN == NaN would both be caught).
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// --- Percentiles -----------------------------------------------------------------------------

TEST(Percentile, Type7MatchesHandComputedValues) {
  // n = 5, h = 4p/100: p5 -> h 0.2 -> 15 + 0.2*(20-15) = 16; p25 -> h 1 -> 20; p50 -> h 2 -> 35;
  // p75 -> h 3 -> 40; p95 -> h 3.8 -> 40 + 0.8*(50-40) = 48; p40 -> h 1.6 -> 20 + 0.6*15 = 29.
  const std::vector<double> sorted{15, 20, 35, 40, 50};
  EXPECT_DOUBLE_EQ(percentile_type7(sorted, 5), 16.0);
  EXPECT_DOUBLE_EQ(percentile_type7(sorted, 25), 20.0);
  EXPECT_DOUBLE_EQ(percentile_type7(sorted, 50), 35.0);
  EXPECT_DOUBLE_EQ(percentile_type7(sorted, 75), 40.0);
  EXPECT_DOUBLE_EQ(percentile_type7(sorted, 95), 48.0);
  EXPECT_DOUBLE_EQ(percentile_type7(sorted, 40), 29.0);
  EXPECT_DOUBLE_EQ(percentile_type7(sorted, 0), 15.0);
  EXPECT_DOUBLE_EQ(percentile_type7(sorted, 100), 50.0);
  // n = 4: p50 -> h 1.5 -> 2.5; p5 -> h 0.15 -> 1.15; p95 -> h 2.85 -> 3.85.
  const std::vector<double> four{1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(percentile_type7(four, 50), 2.5);
  EXPECT_DOUBLE_EQ(percentile_type7(four, 5), 1.15);
  EXPECT_DOUBLE_EQ(percentile_type7(four, 95), 3.85);
  EXPECT_DOUBLE_EQ(percentile_type7({7.0}, 95), 7.0);
}

TEST(Percentile, UnsortedInputGivesTheSameAsSorted) {
  std::vector<double> values{50, 15, 40, 35, 20};
  const auto p = percentiles_type7(values, {5, 25, 50, 75, 95});
  EXPECT_EQ(p, (std::vector<double>{16, 20, 35, 40, 48}));
  Rng rng(3);
  std::vector<double> many(1001);
  for (double& v : many) v = rng.normal();
  std::vector<double> sorted = many;
  std::sort(sorted.begin(), sorted.end());
  const auto q = percentiles_type7(many, {5, 25, 50, 75, 95});
  for (std::size_t i = 0; i < q.size(); ++i)
    EXPECT_EQ(q[i], percentile_type7(sorted, kEnsemblePercentiles[i])) << kEnsemblePercentiles[i];
}

// --- Determinism across threads ----------------------------------------------------------------

void expect_identical(const EnsembleResult& a, const EnsembleResult& b) {
  ASSERT_EQ(a.bands.size(), b.bands.size());
  for (std::size_t i = 0; i < a.bands.size(); ++i)
    for (std::size_t j = 0; j < a.bands[i].p.size(); ++j)
      ASSERT_TRUE(same_bits(a.bands[i].p[j], b.bands[i].p[j])) << "band " << i << " p" << j;
  ASSERT_EQ(a.mean.size(), b.mean.size());
  for (std::size_t i = 0; i < a.mean.size(); ++i) ASSERT_TRUE(same_bits(a.mean[i], b.mean[i])) << "mean " << i;
  ASSERT_EQ(a.end.size(), b.end.size());
  for (std::size_t i = 0; i < a.end.size(); ++i) ASSERT_TRUE(same_bits(a.end[i], b.end[i])) << "end " << i;
  ASSERT_EQ(a.thresholds.size(), b.thresholds.size());
  for (std::size_t i = 0; i < a.thresholds.size(); ++i) {
    EXPECT_EQ(a.thresholds[i].crossed_runs, b.thresholds[i].crossed_runs);
    EXPECT_TRUE(same_bits(a.thresholds[i].probability, b.thresholds[i].probability));
    EXPECT_EQ(a.thresholds[i].median_first_step, b.thresholds[i].median_first_step);
  }
  ASSERT_EQ(a.resemblance_share.size(), b.resemblance_share.size());
  for (std::size_t i = 0; i < a.resemblance_share.size(); ++i)
    EXPECT_TRUE(same_bits(a.resemblance_share[i], b.resemblance_share[i]));
}

TEST(Ensemble, ResultsAreIdenticalForOneTwoAndThreeThreads) {
  Scenario s = load_shipped("realignment");
  s.parameters.noise = 0.01;  // every run differs
  s.indicators[0].thresholds = {0.3, 0.32};
  EnsembleOptions options;
  options.runs = 120;
  options.seed = 7;
  options.parameter_sd = 0.2;
  options.keep_ends = true;
  const std::vector<EnsembleReference> refs{{"a", std::vector<double>(s.indicators.size(), 0.3)},
                                            {"b", std::vector<double>(s.indicators.size(), 0.5)}};
  options.threads = 1;
  const EnsembleResult one = run_ensemble(s, options, refs);
  options.threads = 2;
  const EnsembleResult two = run_ensemble(s, options, refs);
  options.threads = 3;
  const EnsembleResult three = run_ensemble(s, options, refs);
  expect_identical(one, two);
  expect_identical(one, three);
  EXPECT_NE(one.end[0], one.end[one.indicator_count]) << "runs differ from each other";
}

TEST(Ensemble, RunRWithoutParameterUncertaintyIsRunScenarioOfStreamR) {
  Scenario s = load_shipped("expanded-cooperation");
  s.parameters.noise = 0.005;
  EnsembleOptions options;
  options.runs = 5;
  options.seed = 11;
  options.threads = 2;
  options.keep_ends = true;
  const EnsembleResult e = run_ensemble(s, options);
  for (int r = 0; r < options.runs; ++r) {
    const RunResult run = run_scenario(s, RunOptions{11, std::uint64_t(r), -1});
    for (std::size_t k = 0; k < e.indicator_count; ++k)
      EXPECT_EQ(e.end[std::size_t(r) * e.indicator_count + k], run.indicators.back()[k]) << r << " " << k;
  }
}

// --- Thresholds -------------------------------------------------------------------------------

/// Two actors at tension 0.3; an indicator of their mean tension with `threshold`; in step 3 an
/// event with probability `p` raises both directions by 0.4 (to about 0.69).
Scenario spike_scenario(double p, std::vector<double> thresholds,
                        ThresholdDirection direction = ThresholdDirection::above) {
  Scenario s = make_scenario({"AAA", "BBB"}, 0.3);
  Event e = make_event(s, "spike", 3, "AAA", "BBB", 0.4);
  e.effects.front().both_directions = true;
  e.probability = p;
  s.events.push_back(e);
  Indicator indicator;
  indicator.id = "ab";
  indicator.relations = {{0, 1}, {1, 0}};
  indicator.thresholds = std::move(thresholds);
  indicator.direction = direction;
  s.indicators.push_back(indicator);
  return s;
}

TEST(EnsembleThresholds, DeterministicScenarioGivesExactlyZeroOrOne) {
  EnsembleOptions options;
  options.runs = 50;
  options.threads = 2;
  const EnsembleResult e = run_ensemble(spike_scenario(1.0, {0.5, 0.95}), options);
  ASSERT_EQ(e.thresholds.size(), 2u);
  EXPECT_EQ(e.thresholds[0].probability, 1.0);
  EXPECT_EQ(e.thresholds[0].crossed_runs, 50);
  EXPECT_EQ(e.thresholds[0].median_first_step, 3);
  EXPECT_EQ(e.thresholds[1].probability, 0.0);
  EXPECT_EQ(e.thresholds[1].median_first_step, -1);
  // Below 0.31: tension starts at 0.3, so every run is below it at step 0.
  const EnsembleResult below = run_ensemble(spike_scenario(1.0, {0.31, 0.2}, ThresholdDirection::below), options);
  EXPECT_EQ(below.thresholds[0].probability, 1.0);
  EXPECT_EQ(below.thresholds[0].median_first_step, 0);
  EXPECT_EQ(below.thresholds[1].probability, 0.0);
}

TEST(EnsembleThresholds, ChanceEventGivesItsProbabilityWithinBinomialTolerance) {
  EnsembleOptions options;
  options.runs = 2000;
  options.threads = 2;
  const EnsembleResult e = run_ensemble(spike_scenario(0.3, {0.5}), options);
  // Binomial sd = sqrt(0.3 * 0.7 / 2000) = 0.0102; allow four of them.
  EXPECT_NEAR(e.thresholds[0].probability, 0.3, 4 * std::sqrt(0.3 * 0.7 / 2000));
  EXPECT_EQ(e.thresholds[0].median_first_step, -1) << "fewer than half the runs cross";
  const EnsembleResult likely = run_ensemble(spike_scenario(0.8, {0.5}), options);
  EXPECT_NEAR(likely.thresholds[0].probability, 0.8, 4 * std::sqrt(0.8 * 0.2 / 2000));
  EXPECT_EQ(likely.thresholds[0].median_first_step, 3);
}

TEST(EnsembleThresholds, PercentileBandsSpanBothOutcomes) {
  EnsembleOptions options;
  options.runs = 400;
  const EnsembleResult e = run_ensemble(spike_scenario(0.5, {}), options);
  const PercentileBand& b = e.band(3, 0);
  EXPECT_NEAR(b.p5(), 0.3, 1e-9);
  EXPECT_GT(b.p95(), 0.6);
  EXPECT_NEAR(e.mean_at(0, 0), 0.3, 1e-12);
}

// --- Resemblance ------------------------------------------------------------------------------

TEST(EnsembleResemblance, SharesSumToOneAndARunOfXResemblesX) {
  const std::vector<std::string> names{"symbolic-visit", "expanded-cooperation", "intermediary", "realignment"};
  std::vector<Scenario> scenarios;
  for (const auto& n : names) scenarios.push_back(load_shipped(n));
  std::vector<EnsembleReference> refs;
  for (std::size_t i = 0; i < names.size(); ++i) {
    bool ok = false;
    refs.push_back(make_reference(names[i], scenarios[i], scenarios[0].indicators, -1, ok));
    ASSERT_TRUE(ok) << names[i];
  }
  for (std::size_t x = 0; x < names.size(); ++x) {
    EnsembleOptions options;
    options.runs = 40;
    options.seed = 0;  // run 0 is then the reference run itself
    options.threads = 2;
    const EnsembleResult e = run_ensemble(scenarios[x], options, refs);
    double sum = 0.0;
    for (double share : e.resemblance_share) sum += share;
    EXPECT_NEAR(sum, 1.0, 1e-12) << names[x];
    EnsembleOptions first_run = options;  // run 0 alone: the reference run itself
    first_run.runs = 1;
    EXPECT_EQ(run_ensemble(scenarios[x], first_run, refs).resemblance_share[x], 1.0) << names[x];
    const auto most = std::max_element(e.resemblance_share.begin(), e.resemblance_share.end());
    EXPECT_EQ(std::size_t(most - e.resemblance_share.begin()), x) << names[x] << " mostly resembles itself";
  }
}

TEST(EnsembleResemblance, ReferenceLackingAnIndicatorIsRefused) {
  Scenario target = spike_scenario(1.0, {});
  const Scenario other = make_scenario({"AAA", "BBB"});
  bool ok = true;
  const EnsembleReference ref = make_reference("other", other, target.indicators, -1, ok);
  EXPECT_FALSE(ok);
  EXPECT_TRUE(ref.end.empty());
}

// --- Parameter uncertainty --------------------------------------------------------------------

TEST(EnsembleParameters, JitterIsMeanPreservingAndStaysInRange) {
  std::vector<Actor> original(1), actors(1);
  original[0].restraint = 0.05;
  original[0].reactivity = 0.9;
  double sum = 0.0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {  // one run each: a run's jitter is keyed on (run, actor id)
    jitter_parameters(original, actors, 0.3, Rng::for_run(5, std::uint64_t(i)));
    sum += actors[0].restraint;
    EXPECT_GE(actors[0].reactivity, 0.0);
    EXPECT_LE(actors[0].reactivity, 1.0);
  }
  EXPECT_NEAR(sum / n, 0.05, 0.05 * 0.02);
  const Scenario s = spike_scenario(1.0, {});
  EnsembleOptions options;
  options.runs = 20;
  const EnsembleResult fixed = run_ensemble(s, options);
  options.parameter_sd = 0.5;
  const EnsembleResult jittered = run_ensemble(s, options);
  EXPECT_EQ(fixed.band(s.steps, 0).p5(), fixed.band(s.steps, 0).p95()) << "no jitter: runs agree";
  EXPECT_LT(jittered.band(s.steps, 0).p5(), jittered.band(s.steps, 0).p95()) << "jitter spreads the runs";
}

// --- Thresholds in YAML -----------------------------------------------------------------------

std::string indicator_yaml(const std::string& extra) {
  return "scenario: {id: t, title: T, start: 2025-08-01, steps: 4}\n"
         "actors: [{id: AAA}, {id: BBB}]\n"
         "indicators:\n"
         "  - id: ab\n    kind: mean\n    relations: [[AAA, BBB]]\n" +
         extra;
}

TEST(EnsembleThresholdsYaml, ThresholdThresholdsAndDirectionAreRead) {
  LoadResult one = load_scenario_text(indicator_yaml("    threshold: 0.8\n"), "t.yaml");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one.scenario->indicators[0].thresholds, std::vector<double>{0.8});
  EXPECT_EQ(one.scenario->indicators[0].direction, ThresholdDirection::above);
  LoadResult many = load_scenario_text(indicator_yaml("    thresholds: [0.75, 0.6]\n    direction: below\n"), "t.yaml");
  ASSERT_TRUE(many.ok());
  EXPECT_EQ(many.scenario->indicators[0].thresholds, (std::vector<double>{0.75, 0.6}));
  EXPECT_EQ(many.scenario->indicators[0].direction, ThresholdDirection::below);
  LoadResult none = load_scenario_text(indicator_yaml(""), "t.yaml");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none.scenario->indicators[0].thresholds.empty());
}

TEST(EnsembleThresholdsYaml, BadThresholdsGetClearErrors) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"    threshold: 1.5\n", "in [0, 1]"},
      {"    threshold: high\n", "'threshold'"},
      {"    thresholds: []\n", "expected 1 to 16 thresholds"},
      {"    thresholds: 0.5\n", "as a list"},
      {"    thresholds: [0.5, 0.5]\n", "duplicate threshold"},
      {"    threshold: 0.5\n    thresholds: [0.6]\n", "either 'threshold' or 'thresholds'"},
      {"    direction: below\n", "without a 'threshold'"},
      {"    threshold: 0.5\n    direction: sideways\n", "expected direction 'above' or 'below', found 'sideways'"},
      {"    treshold: 0.5\n", "did you mean 'threshold'"},
  };
  for (const auto& [extra, message] : cases) {
    const LoadResult r = load_scenario_text(indicator_yaml(extra), "t.yaml");
    EXPECT_FALSE(r.ok()) << extra;
    bool found = false;
    for (const auto& e : r.errors) found |= format_diagnostic(e).find(message) != std::string::npos;
    EXPECT_TRUE(found) << extra << "\n" << (r.errors.empty() ? "" : format_diagnostic(r.errors[0]));
  }
}

TEST(EnsembleThresholdsYaml, BaselineDeclaresThresholds) {
  const Scenario s = load_shipped("baseline");
  int declared = 0;
  for (const auto& indicator : s.indicators) declared += int(indicator.thresholds.size());
  EXPECT_GE(declared, 3);
}

// Every run's indicators at every step (the per-run series) are run_scenario's, which evaluates
// each indicator from its definition step by step: bit for bit, both when the ensemble keeps the
// tensions the indicators read and evaluates them once a run, and past kIndicatorHistoryDoubles
// (so many steps that it evaluates them step by step instead); with noise and a chance event.
TEST(Ensemble, EveryRunsIndicatorsAtEveryStepAreRunScenariosOnceARunAndStepByStep) {
  Scenario s = load_shipped("expanded-cooperation");
  s.parameters.noise = 0.01;
  s.indicators.push_back(s.indicators.front());  // a max and a cohesion beside the shipped means
  s.indicators.back().id = "largest";
  s.indicators.back().kind = IndicatorKind::max;
  const IndicatorPlan plan = plan_indicators(s);
  ASSERT_FALSE(plan.inputs.empty());
  const int past = int(kIndicatorHistoryDoubles / plan.inputs.size());  // (past + 1) steps do not fit
  for (int steps : {s.steps, 7, past}) {
    EnsembleOptions options;
    options.runs = 3;
    options.seed = 5;
    options.steps = steps;
    options.threads = 2;
    std::vector<double> series;
    options.per_run = [&](int, int count, const double* rows) {
      series.insert(series.end(), rows, rows + std::size_t(count) * std::size_t(steps + 1) * s.indicators.size());
    };
    const EnsembleResult e = run_ensemble(s, options);
    ASSERT_TRUE(e.error.empty()) << e.error;
    ASSERT_EQ(series.size(), 3 * std::size_t(steps + 1) * s.indicators.size());
    for (int r = 0; r < options.runs; ++r) {
      const RunResult run = run_scenario(s, RunOptions{5, std::uint64_t(r), steps});
      ASSERT_EQ(run.indicators.size(), std::size_t(steps + 1));
      for (int step = 0; step <= steps; ++step) {
        const double* got =
            series.data() + (std::size_t(r) * std::size_t(steps + 1) + std::size_t(step)) * s.indicators.size();
        ASSERT_EQ(std::memcmp(got, run.indicators[std::size_t(step)].data(), sizeof(double) * s.indicators.size()), 0)
            << steps << " steps, run " << r << ", step " << step;
      }
    }
  }
}

}  // namespace
}  // namespace geosim
