// `--vary`: the Latin hypercube over an ensemble's runs, its keyed draws, and the share of runs
// in which a paired effect keeps its sign over the ranges.
#include <gtest/gtest.h>
#include <geosim/core/ensemble.hpp>
#include <geosim/core/ensemble_merge.hpp>
#include <geosim/core/model_parameters.hpp>
#include <geosim/core/paired.hpp>

#include <algorithm>
#include <cmath>

#include "support/builders.hpp"

namespace geosim {
namespace {

using testing::make_scenario;
using testing::set_relation;

Indicator indicator(const std::string& id, IndicatorKind kind,
                    std::vector<std::pair<std::size_t, std::size_t>> relations) {
  Indicator i;
  i.id = i.title = id;
  i.kind = kind;
  i.relations = std::move(relations);
  return i;
}

ParameterRange range(const Scenario& s, const std::string& text) {
  std::string error;
  auto r = parse_parameter_range(s, text, error);
  EXPECT_TRUE(r) << error;
  return *r;
}

TEST(LatinHypercube, EveryStratumOfEveryRangeIsHitOnce) {
  const Scenario s = make_scenario({"AAA", "BBB", "CCC"});
  const std::vector<ParameterRange> ranges{range(s, "restraint.AAA=0.02..0.1"), range(s, "spillover=0..1"),
                                           range(s, "baseline.BBB.CCC=0.3..0.7")};
  for (int runs : {1, 7, 64, 1000}) {
    const ParameterDesign d = latin_hypercube(ranges, 42, runs);
    for (std::size_t p = 0; p < ranges.size(); ++p) {
      std::vector<int> hits(std::size_t(runs), 0);
      for (int r = 0; r < runs; ++r) {
        const double v = d.values[p * std::size_t(runs) + std::size_t(r)];
        const double lo = ranges[p].low, hi = ranges[p].high;
        ASSERT_GE(v, lo);
        ASSERT_LT(v, hi);
        // The stratum the value falls in, from the value alone.
        const auto stratum = std::size_t(std::floor((v - lo) / (hi - lo) * runs));
        ASSERT_LT(stratum, std::size_t(runs));
        ++hits[stratum];
        EXPECT_EQ(int(stratum), d.strata[p * std::size_t(runs) + std::size_t(r)]);
      }
      EXPECT_TRUE(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; })) << runs << " runs, range " << p;
    }
  }
}

TEST(LatinHypercube, KeyedOnSeedAndNameNotOnTheOtherRanges) {
  const Scenario s = make_scenario({"AAA", "BBB"});
  const auto a = range(s, "restraint.AAA=0..1"), b = range(s, "reactivity.BBB=0..1");
  const ParameterDesign alone = latin_hypercube({a}, 5, 100), both = latin_hypercube({b, a}, 5, 100);
  EXPECT_TRUE(std::equal(alone.values.begin(), alone.values.end(), both.values.begin() + 100));
  const ParameterDesign other_seed = latin_hypercube({a}, 6, 100);
  EXPECT_NE(alone.values, other_seed.values);
  const ParameterDesign other_name = latin_hypercube({b}, 5, 100);
  EXPECT_NE(alone.strata, other_name.strata);
}

Scenario noisy() {
  Scenario s = make_scenario({"AAA", "BBB", "CCC"}, 0.4, 0.3);
  s.steps = 12;
  s.parameters.noise = 0.02;
  s.parameters.spillover = 0.05;
  s.events.push_back(testing::make_event(s, "clash", 3, "AAA", "BBB", 0.2));
  s.events.back().effects.back().tension->sd = 0.05;
  s.indicators.push_back(indicator("ab", IndicatorKind::mean, {{0, 1}, {1, 0}}));
  s.indicators.push_back(indicator("bc", IndicatorKind::mean, {{1, 2}, {2, 1}}));
  return s;
}

TEST(VaryEnsemble, TheSameForAnyThreadCountAndShard) {
  const Scenario s = noisy();
  EnsembleOptions o;
  o.runs = 300;
  o.seed = 9;
  o.keep_ends = true;
  o.vary = {range(s, "restraint=0.02..0.2"), range(s, "baseline.AAA.BBB=0.2..0.6")};
  o.threads = 1;
  const EnsembleResult one = run_ensemble(s, o);
  o.threads = 3;
  const EnsembleResult three = run_ensemble(s, o);
  ASSERT_EQ(one.error, "");
  EXPECT_EQ(one.mean, three.mean);
  EXPECT_EQ(one.end, three.end);
  // Shards: the runs of chunks [0, 2) and [2, end) merged give the whole.
  const std::int64_t chunks = ensemble_chunks(o.runs);
  std::vector<EnsemblePart> parts;
  parts.push_back(run_ensemble_part(s, o, {}, 0, 2));
  parts.push_back(run_ensemble_part(s, o, {}, 2, chunks));
  const EnsembleResult merged = finish_ensemble(s, std::move(parts));
  EXPECT_EQ(merged.mean, one.mean);
  for (std::size_t i = 0; i < one.bands.size(); ++i) EXPECT_EQ(merged.bands[i].p, one.bands[i].p);
  // And the ranges did change the runs.
  o.vary.clear();
  EXPECT_NE(run_ensemble(s, o).end, one.end);
}

TEST(VaryEnsemble, ARangeLeavesEveryRunsOtherDrawsAsTheyWere) {
  // A range that holds its parameter at the scenario's own value: the runs are exactly the runs
  // without it (noise, event sizes and firing are drawn as before), bit for bit.
  const Scenario s = noisy();
  EnsembleOptions o;
  o.runs = 100;
  o.keep_ends = true;
  const EnsembleResult without = run_ensemble(s, o);
  o.vary = {range(s, "restraint.AAA=0.05..0.05"), range(s, "spillover=0.05..0.05")};
  const EnsembleResult with = run_ensemble(s, o);
  EXPECT_EQ(with.end, without.end);
  EXPECT_EQ(with.mean, without.mean);
}

TEST(VaryEnsemble, TheSignShareIsTheShareOfTheRangeWhereTheEffectHasTheMeansSign) {
  // Hand-worked: two actors, no noise, one step. A -> B starts at 0.25 with baseline B varied
  // over [0, 1]; the reference column has restraint 0.1, the other 0.5, so after one step
  //   T_with - T_without = (0.5 - 0.1) (B - 0.25),
  // positive exactly when B > 0.25. Over 100 runs, the Latin hypercube puts one run in each
  // stratum [k/100, (k+1)/100): the 75 strata from 0.25 up give B > 0.25, the mean effect is
  // positive, and the share of runs with its sign is exactly 0.75.
  Scenario without = make_scenario({"AAA", "BBB"}, 0.25);
  without.steps = 1;
  without.actors[0].reactivity = without.actors[1].reactivity = 0.0;
  without.actors[0].restraint = 0.1;
  without.indicators.push_back(indicator("ab", IndicatorKind::max, {{0, 1}}));
  Scenario with = without;
  with.actors[0].restraint = 0.5;
  EnsembleOptions o;
  o.runs = 100;
  o.keep_ends = true;
  o.vary = {range(without, "baseline.AAA.BBB=0..1")};
  const PairedSummary effect = paired_end_effect(run_ensemble(with, o), 0, run_ensemble(without, o), 0);
  EXPECT_GT(effect.mean, 0.0);
  EXPECT_DOUBLE_EQ(effect.sign_agreement, 0.75);
  // The mean effect: 0.4 * (mean B - 0.25), mean B within half a stratum of 0.5.
  EXPECT_NEAR(effect.mean, 0.4 * 0.25, 0.4 * 0.005);
}

TEST(VaryEnsemble, RangesAreCheckedWhenParsed) {
  const Scenario s = make_scenario({"AAA", "BBB"});
  std::string error;
  EXPECT_FALSE(parse_parameter_range(s, "restraint.AAA=0.2..0.1", error));
  EXPECT_FALSE(parse_parameter_range(s, "restraint.AAA=0..1.5", error));
  EXPECT_FALSE(parse_parameter_range(s, "restraint.AAA=0.1", error));
  // a third dot was the high end's: "0...1" was 0..0.1
  EXPECT_FALSE(parse_parameter_range(s, "restraint.AAA=0...1", error));
  EXPECT_EQ(error, "expected a range LO..HI with two dots between the ends for 'restraint.AAA', found '0...1'");
  EXPECT_FALSE(parse_parameter_range(s, "restraint.ZZZ=0..1", error));
  EXPECT_EQ(error, "unknown actor 'ZZZ' in 'restraint.ZZZ' (actors: AAA, BBB)");
  EXPECT_FALSE(parse_parameter_range(s, "restraint.AAB=0..1", error));
  EXPECT_EQ(error, "unknown actor 'AAB' in 'restraint.AAB'; did you mean 'AAA'? (actors: AAA, BBB)");
  EXPECT_TRUE(parse_parameter_range(s, "spillover=0.01..0.1", error));
  // an end that is no number says why, as --set does
  EXPECT_FALSE(parse_parameter_range(s, "spillover=1e-400..0.2", error));
  EXPECT_EQ(error,
            "expected a range LO..HI with 0 <= LO <= HI <= 1 for 'spillover', found '1e-400..0.2' (too small "
            "to represent)");
  EXPECT_FALSE(parse_parameter_range(s, "spillover=0.2..0.1", error));
  EXPECT_EQ(error, "expected a range LO..HI with 0 <= LO <= HI <= 1 for 'spillover', found '0.2..0.1'")
      << "no reason to give";
  EXPECT_FALSE(parse_parameter_range(s, "spillover=+-0.1..0.2", error));
  EXPECT_NE(error.find("(not a number)"), std::string::npos) << error;
  EXPECT_TRUE(parse_parameter_range(s, "spillover=+0.01..0.1", error)) << "one '+', as --set and YAML";
  const ParameterRange zero = range(s, "restraint.AAA=-0..-0");  // written and recorded as 0, like --set
  EXPECT_FALSE(std::signbit(zero.low));
  EXPECT_FALSE(std::signbit(zero.high));
}

}  // namespace
}  // namespace geosim

namespace geosim {
namespace {

std::string parameter_error(const Scenario& s, const std::string& name) {
  std::string error;
  EXPECT_FALSE(find_parameter(s, name, error).has_value()) << name;
  return error;
}

// A mistyped parameter is answered with the name meant, the rest kept as typed.
TEST(ParameterNames, AMistypedNameGetsTheNameMeant) {
  const Scenario s = testing::make_scenario({"AAA", "BBB"});
  const std::string expected = " (expected restraint[.ACTOR], reactivity[.ACTOR], spillover or baseline[.FROM.TO])";
  EXPECT_EQ(parameter_error(s, "restrain.AAA"),
            "unknown parameter 'restrain.AAA'; did you mean 'restraint.AAA'?" + expected);
  EXPECT_EQ(parameter_error(s, "reactivty"), "unknown parameter 'reactivty'; did you mean 'reactivity'?" + expected);
  EXPECT_EQ(parameter_error(s, "spillover.AAA"),
            "unknown parameter 'spillover.AAA'; did you mean 'spillover' (one for all actors)?" + expected);
  EXPECT_EQ(parameter_error(s, "zzz"), "unknown parameter 'zzz'" + expected);
  EXPECT_EQ(parameter_error(s, "baseline.AAA"), "expected 'baseline.FROM.TO', found 'baseline.AAA'");
}

}  // namespace
}  // namespace geosim
