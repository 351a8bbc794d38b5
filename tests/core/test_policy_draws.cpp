// A policy that changes a model parameter (economic-engagement: Vietnam's restraint +0.01) is
// the same change in every run of an ensemble. The runs' drawn values (--vary, --parameter-sd)
// are the world's own, before the policy; the settled start is derived from them and the policy's
// change is added on top. Before, a drawn run was settled anew with the policy's value included,
// which absorbed the policy's standing effect: any spread, however small, changed the paired
// effect several-fold, and a range pinned to the scenario's own value was not the ensemble
// without it.
#include <gtest/gtest.h>
#include <geosim/core/ensemble.hpp>
#include <geosim/core/model_parameters.hpp>
#include <geosim/core/settle.hpp>
#include <geosim/io/loader.hpp>

#include <cmath>

#include "support/builders.hpp"

namespace geosim {
namespace {

using testing::shipped;

Scenario load(const std::string& file, std::vector<std::string> policies = {},
              std::vector<ParameterSetting> settings = {}) {
  LoadOptions options;
  for (const std::string& p : policies) options.policies.push_back(shipped("policies/" + p + ".yaml"));
  options.settings = std::move(settings);
  LoadResult r = load_scenario(shipped(file), options);
  for (const auto& e : r.errors) ADD_FAILURE() << format_diagnostic(e);
  return r.ok() ? *r.scenario : Scenario{};
}

ParameterRange range(const Scenario& s, const std::string& text) {
  std::string error;
  auto r = parse_parameter_range(s, text, error);
  EXPECT_TRUE(r) << error;
  return r ? *r : ParameterRange{};
}

EnsembleResult ensemble(const Scenario& s, double sd, std::vector<ParameterRange> vary = {}) {
  EnsembleOptions o;
  o.runs = 40;
  o.seed = 3;
  o.keep_ends = true;
  o.parameter_sd = sd;
  o.vary = std::move(vary);
  EnsembleResult r = run_ensemble(s, o);
  EXPECT_EQ(r.error, "");
  return r;
}

/// The mean over runs of (with - without) at the end, per indicator: the paired effect.
std::vector<double> paired_effect(const EnsembleResult& with, const EnsembleResult& without, std::size_t k) {
  std::vector<double> effect(k, 0.0);
  const std::size_t runs = with.end.size() / k;
  for (std::size_t r = 0; r < runs; ++r)
    for (std::size_t i = 0; i < k; ++i) effect[i] += (with.end[r * k + i] - without.end[r * k + i]) / double(runs);
  return effect;
}

TEST(PolicyDraws, TheWorldsOwnValuesAreThoseBeforeThePolicies) {
  const Scenario plain = load("realignment.yaml");
  EXPECT_FALSE(plain.before_policies);
  const Scenario s = load("realignment.yaml", {"economic-engagement"});
  ASSERT_TRUE(s.before_policies);
  const std::size_t vnm = *s.find_actor("VNM");
  EXPECT_EQ(s.before_policies->restraint[vnm], 0.06);  // actors.yaml
  EXPECT_EQ(s.actors[vnm].restraint, 0.06 + 0.01);     // the policy's "restraint: 0.01"
  EXPECT_EQ(s.before_policies->spillover, s.parameters.spillover);
  // A policy that changes no parameter (quiet diplomacy: events only) leaves none to record.
  EXPECT_FALSE(load("realignment.yaml", {"quiet-diplomacy"}).before_policies);
  // --set is applied again after the policies (over what a policy changed): no change is left.
  EXPECT_FALSE(load("realignment.yaml", {"economic-engagement"}, {{"restraint.VNM", 0.08}}).before_policies);
  // A run that draws nothing takes the policy's values themselves.
  Scenario run = s;
  use_own_parameters(s, run);
  EXPECT_EQ(run.actors[vnm].restraint, 0.06);
  apply_policy_changes(s, run);
  EXPECT_EQ(run.actors[vnm].restraint, s.actors[vnm].restraint);
  // A drawn one moves by the policy's change.
  run.actors[vnm].restraint = 0.05;
  apply_policy_changes(s, run);
  EXPECT_DOUBLE_EQ(run.actors[vnm].restraint, 0.05 + 0.01);
}

TEST(PolicyDraws, ARangePinnedToTheWorldsOwnValueGivesTheEnsembleWithoutIt) {
  const Scenario s = load("realignment.yaml", {"economic-engagement"});
  const EnsembleResult without = ensemble(s, 0.0);
  for (const char* pinned : {"restraint.VNM=0.06..0.06", "spillover=0.05..0.05"}) {
    SCOPED_TRACE(pinned);
    ASSERT_EQ(s.parameters.spillover, 0.05);  // the shipped world's own
    const EnsembleResult with = ensemble(s, 0.0, {range(s, pinned)});
    EXPECT_EQ(with.end, without.end);
    EXPECT_EQ(with.mean, without.mean);
  }
}

TEST(PolicyDraws, ATinySpreadMovesAPolicysPairedEffectByATinyAmount) {
  const Scenario world = load("realignment.yaml");
  const Scenario policy = load("realignment.yaml", {"economic-engagement"});
  const std::size_t k = world.indicators.size();
  const std::vector<double> fixed = paired_effect(ensemble(policy, 0.0), ensemble(world, 0.0), k);
  const std::vector<double> spread = paired_effect(ensemble(policy, 1e-6), ensemble(world, 1e-6), k);
  double largest = 0.0;
  for (double e : fixed) largest = std::max(largest, std::abs(e));
  EXPECT_GT(largest, 1e-3);  // the policy has an effect worth comparing
  for (std::size_t i = 0; i < k; ++i) EXPECT_NEAR(spread[i], fixed[i], 1e-6) << world.indicators[i].id;
}

}  // namespace
}  // namespace geosim
