// Calibration against a known answer: a series the model itself generates from known parameters
// plus its own noise; calibrate recovers the parameters and its forecast beats persistence.
#include <gtest/gtest.h>
#include <geosim/analysis/calibrate.hpp>
#include <geosim/core/run.hpp>

#include <cmath>
#include <limits>

#include "support/builders.hpp"

namespace geosim {
namespace {

using testing::make_scenario;
using testing::set_relation;

// The short series of most tests; the recovery test's long one (the noise averages out).
constexpr int kSteps = 240, kTrainLast = 200;
constexpr int kLongSteps = 2100, kLongTrainLast = 2000;

/// The truth: three actors far from their baselines at the start, with ties for spillover.
Scenario truth() {
  Scenario s = make_scenario({"AAA", "BBB", "CCC"});
  s.steps = kSteps;
  s.actors[0].restraint = 0.15, s.actors[0].reactivity = 0.05;
  s.actors[1].restraint = 0.20, s.actors[1].reactivity = 0.03;
  s.actors[2].restraint = 0.12, s.actors[2].reactivity = 0.06;
  s.parameters.spillover = 0.10;
  s.parameters.noise = 0.01;
  set_relation(s, "AAA", "BBB", 0.90, 0.60, 0.5);
  set_relation(s, "BBB", "AAA", 0.85, 0.50, 0.2);
  set_relation(s, "AAA", "CCC", 0.05, 0.30, 0.3);
  set_relation(s, "CCC", "AAA", 0.10, 0.35, 0.4);
  set_relation(s, "BBB", "CCC", 0.70, 0.45, 0.4);
  set_relation(s, "CCC", "BBB", 0.20, 0.40, 0.1);
  return s;
}

ObservedSeries observe(const RunResult& run, std::size_t n) {
  ObservedSeries o;
  o.actors = n;
  o.last_step = int(run.tension.size()) - 1;
  o.dates.assign(run.tension.size(), "");
  o.tension.assign(run.tension.size() * n * n, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t s = 0; s < run.tension.size(); ++s)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        if (i != j) {
          o.tension[(s * n + i) * n + j] = run.tension[s](Eigen::Index(i), Eigen::Index(j));
          ++o.observations;
        }
  return o;
}

/// The guess calibrate starts from: every parameter at its default, baselines at 0.3.
Scenario guess() {
  Scenario s = truth();
  for (auto& a : s.actors) a.restraint = 0.05, a.reactivity = 0.03;
  s.parameters.spillover = 0.05;
  const std::size_t n = s.actor_count();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j) s.baseline[i * n + j] = 0.3;
  return s;
}

CalibrationOptions windows(int train_last = kTrainLast, int steps = kSteps) {
  CalibrationOptions o;
  o.train_first = 0;
  o.train_last = train_last;
  o.test_first = train_last;
  o.test_last = steps;
  return o;
}

TEST(Calibrate, RecoversKnownParametersAndBeatsPersistence) {
  const Scenario t = truth();
  const ObservedSeries observed = observe(run_scenario(t, {7, 0, kLongSteps}), 3);
  const CalibrationResult result = calibrate(guess(), observed, windows(kLongTrainLast, kLongSteps));
  ASSERT_EQ(result.error, "");
  ASSERT_EQ(result.parameters.size(), 3u + 3u + 1u + 6u);  // r, k per actor, sigma, six baselines
  EXPECT_TRUE(result.converged);
  // The stated tolerance (docs/grounding.md, "Calibration"): every parameter within 0.015 of the
  // truth (the spillover within 0.02) from 2,000 steps with noise of sd 0.01.
  for (const FittedValue& v : result.parameters) {
    const double tolerance = v.target.kind == ParameterKind::spillover ? 0.02 : 0.015;
    EXPECT_NEAR(v.after, parameter_value(t, v.target), tolerance) << v.name << " from " << v.before;
  }
  EXPECT_LT(result.rms_one_step_after, result.rms_one_step_before);
  // One-step errors are the noise: sd 0.01 (a little less where the bounds clip it).
  EXPECT_NEAR(result.rms_one_step_after, 0.01, 0.002);
  EXPECT_GT(result.overall.skill_persistence, 0.0);
  EXPECT_EQ(result.overall.test_points, 6 * (kLongSteps - kLongTrainLast));
  EXPECT_EQ(result.dyads.size(), 6u);
}

TEST(Calibrate, TheTestWindowTunesNothing) {
  const ObservedSeries observed = observe(run_scenario(truth(), {7, 0, kSteps}), 3);
  const CalibrationResult base = calibrate(guess(), observed, windows());
  ObservedSeries changed = observed;
  for (int s = kTrainLast + 1; s <= kSteps; ++s)  // every test-window value, not the forecast's start
    for (std::size_t k = 0; k < 9; ++k)
      if (!std::isnan(changed.tension[std::size_t(s) * 9 + k])) changed.tension[std::size_t(s) * 9 + k] = 0.95;
  const CalibrationResult after = calibrate(guess(), changed, windows());
  ASSERT_EQ(base.parameters.size(), after.parameters.size());
  for (std::size_t p = 0; p < base.parameters.size(); ++p)
    EXPECT_EQ(base.parameters[p].after, after.parameters[p].after) << base.parameters[p].name;
  EXPECT_NE(base.overall.mse_model, after.overall.mse_model);  // the backtest did see the change
  // The same change one step inside the training window does move the fit (the check can fail).
  ObservedSeries inside = observed;
  inside.tension[std::size_t(kTrainLast) * 9 + 1] = 0.95;
  const CalibrationResult moved = calibrate(guess(), inside, windows());
  bool differs = false;
  for (std::size_t p = 0; p < base.parameters.size(); ++p)
    differs |= base.parameters[p].after != moved.parameters[p].after;
  EXPECT_TRUE(differs);
}

TEST(Calibrate, FitsOnlyTheNamedParameters) {
  const Scenario t = truth();
  const ObservedSeries observed = observe(run_scenario(t, {7, 0, kSteps}), 3);
  Scenario start = t;
  start.parameters.spillover = 0.0;
  CalibrationOptions o = windows();
  std::string error;
  o.fit.push_back(*find_parameter(start, "spillover", error));
  const CalibrationResult result = calibrate(start, observed, o);
  ASSERT_EQ(result.error, "");
  ASSERT_EQ(result.parameters.size(), 1u);
  EXPECT_EQ(result.parameters[0].name, "spillover");
  EXPECT_NEAR(result.parameters[0].after, 0.10, 0.03);
  EXPECT_EQ(result.fitted.actors[0].restraint, t.actors[0].restraint);
}

TEST(Calibrate, SaysWhatTheDataCannotDetermine) {
  const Scenario t = truth();
  const ObservedSeries observed = observe(run_scenario(t, {7, 0, kSteps}), 3);
  // Enough data for every default value: no caution.
  EXPECT_TRUE(calibrate(guess(), observed, windows()).cautions.empty());
  // Two steps of training: 6 one-step observations (six dyads, one step each) for 13 values.
  const CalibrationResult short_fit = calibrate(guess(), observed, windows(1, kSteps));
  ASSERT_EQ(short_fit.error, "");
  ASSERT_EQ(short_fit.cautions.size(), 1u);
  EXPECT_NE(short_fit.cautions[0].find("13 values fitted from 6 one-step observations"), std::string::npos)
      << short_fit.cautions[0];
  // Without spillover, nothing observed on AAA and BBB's pair depends on CCC's baseline toward
  // AAA (a value's effect reaches its own dyad and the reverse one only): its column is zero.
  Scenario start = t;
  start.parameters.spillover = 0.0;
  ObservedSeries pair = observe(run_scenario(start, {7, 0, kSteps}), 3);
  for (int s = 0; s <= pair.last_step; ++s)
    for (std::size_t k : {2u, 5u, 6u, 7u})  // AAA->CCC, BBB->CCC, CCC->AAA, CCC->BBB unobserved
      pair.tension[std::size_t(s) * 9 + k] = std::numeric_limits<double>::quiet_NaN();
  CalibrationOptions o = windows();
  std::string error;
  for (const char* name : {"baseline.AAA.BBB", "baseline.CCC.AAA"})
    o.fit.push_back(*find_parameter(start, name, error));
  const CalibrationResult blind = calibrate(start, pair, o);
  ASSERT_EQ(blind.error, "");
  ASSERT_EQ(blind.cautions.size(), 1u);
  EXPECT_NE(blind.cautions[0].find("determine only 1 of the 2 values fitted: baseline.CCC.AAA"), std::string::npos)
      << blind.cautions[0];
}

TEST(Calibrate, RefusesWindowsThatOverlapOrLeaveTheSeries) {
  const ObservedSeries observed = observe(run_scenario(truth(), {7, 0, 20}), 3);
  CalibrationOptions o;
  o.train_first = 0, o.train_last = 10, o.test_first = 8, o.test_last = 20;
  EXPECT_NE(calibrate(guess(), observed, o).error.find("must not overlap"), std::string::npos);
  o.test_first = 10, o.test_last = 25;
  EXPECT_NE(calibrate(guess(), observed, o).error.find("after the series' last step"), std::string::npos);
  o.test_last = 20, o.train_first = 10;
  EXPECT_NE(calibrate(guess(), observed, o).error.find("at least two steps"), std::string::npos);
}

TEST(Calibrate, SkillIsOneMinusTheRatioOfSquaredErrors) {
  const ObservedSeries observed = observe(run_scenario(truth(), {7, 0, kSteps}), 3);
  const CalibrationResult r = calibrate(guess(), observed, windows());
  for (const DyadFit& d : r.dyads) {
    // Persistence, worked by hand from the series: the forecast start's value for every step.
    double sum = 0.0;
    for (int s = kTrainLast + 1; s <= kSteps; ++s) {
      const double e = observed.at(kTrainLast, d.from, d.to) - observed.at(s, d.from, d.to);
      sum += e * e;
    }
    EXPECT_NEAR(d.mse_persistence, sum / (kSteps - kTrainLast), 1e-15);
    EXPECT_DOUBLE_EQ(d.skill_persistence, 1.0 - d.mse_model / d.mse_persistence);
  }
}

}  // namespace
}  // namespace geosim
