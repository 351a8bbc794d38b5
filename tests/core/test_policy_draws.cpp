// A policy that changes a model parameter (economic-engagement: Vietnam's restraint +0.01) is
// the same change in every run of an ensemble. The runs' drawn values (--vary, --parameter-sd)
// are the world's own, before the policy; the settled start is derived from them and the policy's
// change is added on top. Before, a drawn run was settled anew with the policy's value included,
// which absorbed the policy's standing effect: any spread, however small, changed the paired
// effect several-fold, and a range pinned to the scenario's own value was not the ensemble
// without it.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <geosim/core/ensemble.hpp>
#include <geosim/core/model_parameters.hpp>
#include <geosim/core/rng.hpp>
#include <geosim/core/settle.hpp>
#include <geosim/io/loader.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "support/builders.hpp"
#include "support/cli.hpp"

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

// A baseline a policy adjusts, drawn by --vary: the policy's change is added to the drawn value
// too (it was lost: a range pinned to the world's own baseline gave the ensemble without the
// policy, and compare a paired effect of exactly 0). A spillover a policy sets is the run's as set.
TEST(PolicyDraws, AVariedBaselineTakesThePolicysChangeAndASetSpilloverStaysSet) {
  const std::filesystem::path dir = testing::temp_dir("policy_draws");
  std::ofstream(dir / "adj.yaml")
      << "policy: {id: adj, title: Adj}\nadjust:\n  - {from: VNM, to: USA, baseline: -0.1}\n";
  LoadOptions options;
  options.policies = {(dir / "adj.yaml").string()};
  LoadResult loaded = load_scenario(shipped("realignment.yaml"), options);
  ASSERT_TRUE(loaded.ok());
  const Scenario& s = *loaded.scenario;
  ASSERT_TRUE(s.before_policies);
  ASSERT_EQ(s.before_policies->baseline.size(), 1u);
  const double own = s.before_policies->baseline.front().second;
  EXPECT_EQ(own, load("realignment.yaml").baseline[s.before_policies->baseline.front().first]);
  const std::string pinned = fmt::format("baseline.VNM.USA={}..{}", own, own);
  const EnsembleResult without = ensemble(s, 0.0), with = ensemble(s, 0.0, {range(s, pinned)});
  EXPECT_EQ(with.end, without.end);
  const Scenario world = load("realignment.yaml");
  const std::vector<double> effect =
      paired_effect(ensemble(s, 0.0, {range(s, "baseline.VNM.USA=0.1..0.4")}),
                    ensemble(world, 0.0, {range(world, "baseline.VNM.USA=0.1..0.4")}), world.indicators.size());
  EXPECT_LT(effect.front(), -1e-3) << "Vietnam-US tension: the policy's -0.1 still lowers it";
  // The spillover a policy's parameters: block sets is the run's whatever was drawn.
  Scenario set = s;
  set.before_policies->spillover = 0.05;
  set.parameters.spillover = 0.0;
  Scenario run = set;
  run.parameters.spillover = 0.07;
  apply_policy_changes(set, run);
  EXPECT_EQ(run.parameters.spillover, 0.0);
  std::filesystem::remove_all(dir);
}

// --set is applied again after the policies, over their changes: a policy's restraint change
// is not checked against a --set value it never meets (it was refused: "found 0.3 + 0.93").
TEST(PolicyDraws, ASetValueIsNotAddedToAPolicysChangeToBeChecked) {
  const std::filesystem::path dir = testing::temp_dir("policy_set");
  std::ofstream(dir / "hi.yaml") << "policy: {id: hi, title: Hi}\nactors:\n  - {id: VNM, restraint: 0.93}\n";
  LoadOptions options;
  options.policies = {(dir / "hi.yaml").string()};
  options.settings = {{"restraint.VNM", 0.3}};
  LoadResult loaded = load_scenario(shipped("realignment.yaml"), options);
  for (const auto& e : loaded.errors) ADD_FAILURE() << format_diagnostic(e);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded.scenario->actors[*loaded.scenario->find_actor("VNM")].restraint, 0.3);
  options.settings.clear();  // alone, 0.06 + 0.93 is in [0, 1]; 0.1 more is not
  std::ofstream(dir / "hi.yaml") << "policy: {id: hi, title: Hi}\nactors:\n  - {id: VNM, restraint: 0.95}\n";
  EXPECT_FALSE(load_scenario(shipped("realignment.yaml"), options).ok());
  // play refuses a start policy given twice as the other commands do, in one line
  const testing::Output play = testing::run_shell("printf 'status\\n' | " + std::string(GEOSIM_BINARY) +
                                                  " play realignment --policy quiet-diplomacy --policy " +
                                                  shipped("policies/quiet-diplomacy.yaml"));
  EXPECT_EQ(play.code, 1);
  EXPECT_NE(
      play.err.find("'" + shipped("policies/quiet-diplomacy.yaml") + "' is given twice (each policy applies once)"),
      std::string::npos)
      << play.err;
  EXPECT_EQ(std::count(play.err.begin(), play.err.end(), '\n'), 1) << play.err;
  // Two files of one policy id: refused by run and by a new play session alike (a session saved
  // before play refused them still resumes: Session::start keeps them for a saved session).
  std::ofstream(dir / "a.yaml") << "policy: {id: lean, title: Lean}\nadjust:\n  - {between: [SGP, VNM], tie: 0.05}\n";
  std::ofstream(dir / "b.yaml") << "policy: {id: lean, title: Lean}\nadjust:\n  - {between: [SGP, VNM], tie: 0.01}\n";
  const std::string twice = " --policy " + (dir / "a.yaml").string() + " --policy " + (dir / "b.yaml").string();
  EXPECT_EQ(testing::run_cli("run realignment --steps 2" + twice + " --out " + (dir / "o").string()).code, 1);
  const testing::Output fresh = testing::run_shell("cd " + dir.string() + " && printf 'step\\n' | " +
                                                   std::string(GEOSIM_BINARY) + " play realignment" + twice);
  EXPECT_EQ(fresh.code, 1);
  EXPECT_NE(fresh.err.find("policy 'lean' is already applied"), std::string::npos) << fresh.err;
  std::filesystem::remove_all(dir);
}

// Where a range meets the policies: economic-engagement adds 0.01 to Vietnam's restraint, so a
// range reaching past 0.99 has that change cut at 1 in the runs drawn there; a range below, a
// scenario without the policy, or another actor's restraint meets nothing. A spillover a policy
// sets is the runs' whatever is drawn: the range does not reach them.
TEST(PolicyDraws, RangesThatMeetAPolicysChangeAreFound) {
  const Scenario with = load("realignment.yaml", {"economic-engagement"});
  ASSERT_TRUE(with.before_policies);
  const std::size_t vnm = *with.find_actor("VNM");
  const double change = with.actors[vnm].restraint - with.before_policies->restraint[vnm];
  ASSERT_NEAR(change, 0.01, 1e-12);
  const auto high = policy_range_clashes(with, {range(with, "restraint.VNM=0.5..0.995")});
  ASSERT_EQ(high.size(), 1u);
  EXPECT_EQ(high[0].target.kind, ParameterKind::restraint);
  EXPECT_EQ(high[0].target.actor, vnm);
  EXPECT_EQ(high[0].change, change);
  EXPECT_EQ(high[0].cut_from, 1.0 - change);
  EXPECT_FALSE(high[0].set_by_policy);
  EXPECT_EQ(policy_range_clashes(with, {range(with, "restraint=0.5..0.995")}).size(), 1u) << "VNM's alone";
  EXPECT_TRUE(policy_range_clashes(with, {range(with, "restraint.VNM=0.05..0.5")}).empty());
  EXPECT_TRUE(policy_range_clashes(with, {range(with, "restraint.USA=0.5..0.995")}).empty());
  EXPECT_TRUE(policy_range_clashes(with, {range(with, "reactivity.VNM=0.5..0.995")}).empty());
  const Scenario without = load("realignment.yaml");
  EXPECT_TRUE(policy_range_clashes(without, {range(without, "restraint.VNM=0.5..0.995")}).empty());
  // A policy that sets the spillover.
  const auto dir = testing::temp_dir("policy_range_spill");
  std::ofstream(dir / "spill.yaml") << "policy:\n  id: spill\n  title: Spill\nparameters:\n  spillover: 0.2\n";
  LoadOptions options;
  options.policies = {(dir / "spill.yaml").string()};
  const LoadResult spill = load_scenario(shipped("realignment.yaml"), options);
  ASSERT_TRUE(spill.ok());
  const auto set = policy_range_clashes(*spill.scenario, {range(*spill.scenario, "spillover=0.05..0.3")});
  ASSERT_EQ(set.size(), 1u);
  EXPECT_TRUE(set[0].set_by_policy);
  EXPECT_EQ(set[0].share, 1.0);
}

// --parameter-sd draws each actor's own restraint log-normally (jitter_parameters); a policy's
// change on top of a draw past 1 - change is cut at 1. economic-engagement moves Vietnam's
// restraint 0.06 -> 0.07: at sd 2 the draw passes 0.99 with P(Z > (ln(0.99 / 0.06) + 2) / 2)
// = P(Z > 2.40168) = 0.00816 (the normal table: 1 - Phi(2.40) = 0.0082). Checked against the
// share of 200,000 runs' own draws that the engine makes, and at sd 0.2 below the reported share.
TEST(PolicyDraws, ASpreadThatMeetsAPolicysChangeIsFoundWithItsShare) {
  const Scenario with = load("realignment.yaml", {"economic-engagement"});
  ASSERT_TRUE(with.before_policies);
  const std::size_t vnm = *with.find_actor("VNM");
  ASSERT_NEAR(with.before_policies->restraint[vnm], 0.06, 1e-12);
  const auto found = policy_spread_clashes(with, 2.0, {});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].target.kind, ParameterKind::restraint);
  EXPECT_EQ(found[0].target.actor, vnm);
  EXPECT_NEAR(found[0].change, 0.01, 1e-12);
  EXPECT_NEAR(found[0].cut_from, 0.99, 1e-12);
  EXPECT_NEAR(found[0].share, 0.00816, 0.00001);
  // The engine's own draws: the share of runs whose drawn restraint passes 0.99.
  std::vector<Actor> own = with.actors, drawn = with.actors;
  for (std::size_t i = 0; i < own.size(); ++i) {
    own[i].restraint = with.before_policies->restraint[i];
    own[i].reactivity = with.before_policies->reactivity[i];
  }
  const int runs = 200000;
  int cut = 0;
  for (int run = 0; run < runs; ++run) {
    jitter_parameters(own, drawn, 2.0, Rng::for_run(7, std::uint64_t(run)));
    cut += drawn[vnm].restraint > 0.99;
  }
  const double p = found[0].share, se = std::sqrt(p * (1 - p) / runs);
  EXPECT_NEAR(double(cut) / runs, p, 4 * se) << cut << " of " << runs;
  // Below one run in 1,000 it is not said; a varied restraint is the range's, not the draw's; no
  // policy, no spread: nothing.
  EXPECT_TRUE(policy_spread_clashes(with, 0.2, {}).empty());
  EXPECT_TRUE(policy_spread_clashes(with, 2.0, {range(with, "restraint.VNM=0.05..0.5")}).empty());
  EXPECT_EQ(policy_spread_clashes(with, 2.0, {range(with, "reactivity.VNM=0.05..0.5")}).size(), 1u);
  EXPECT_TRUE(policy_spread_clashes(with, 0.0, {}).empty());
  const Scenario without = load("realignment.yaml");
  EXPECT_TRUE(policy_spread_clashes(without, 2.0, {}).empty());
}

// A range's share is the part of it past the cut (its strata are even): 0.5..0.995 past 0.99.
TEST(PolicyDraws, ARangesShareIsThePartOfItPastTheCut) {
  const Scenario with = load("realignment.yaml", {"economic-engagement"});
  const auto high = policy_range_clashes(with, {range(with, "restraint.VNM=0.5..0.995")});
  ASSERT_EQ(high.size(), 1u);
  EXPECT_NEAR(high[0].share, 0.005 / 0.495, 1e-12);
  const auto pinned = policy_range_clashes(with, {range(with, "restraint.VNM=0.995..0.995")});
  ASSERT_EQ(pinned.size(), 1u);
  EXPECT_EQ(pinned[0].share, 1.0);
}

}  // namespace
}  // namespace geosim
