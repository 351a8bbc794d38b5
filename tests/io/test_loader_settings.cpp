// `--set NAME=VALUE` (LoadOptions::settings): a parameter set from the command line is applied as
// a `fitted:` block at the end would be. A restraint, reactivity or spillover set before a
// settled start derives its baselines, so the start still stands still (checked against a
// hand-worked three-actor case); a baseline after; each recorded in Scenario::settings.
#include <gtest/gtest.h>
#include <geosim/core/model_parameters.hpp>
#include <geosim/core/run.hpp>
#include <geosim/io/loader.hpp>

#include <cmath>

#include "support/builders.hpp"

namespace geosim {
namespace {

// testing::three_actor_world: three actors, A leans on C (tie 1), r = 0.1, k = 0.05 for everyone,
// sigma = 0.05 (worked by hand in tests/core/test_settle.cpp), then --set restraint.A=0.2. S_AB = 0.05 * (0.3 - 0.5) =
// -0.01, every other spillover 0. D = r_A r_B - k_A k_B = 0.02 - 0.0025 = 0.0175, so
//   B_AB = T_AB - (r_B S_AB + k_A S_BA) / D = 0.5 + 0.001 / 0.0175  = 0.5 + 2/35
//   B_BA = T_BA - (k_B S_AB + r_A S_BA) / D = 0.3 + 0.0005 / 0.0175 = 0.3 + 1/35
// Check: A->B drifts 0.2 * 2/35 - 0.05 * 1/35 - 0.01 = 0; B->A 0.1 * 1/35 - 0.05 * 2/35 = 0.
LoadResult load(const std::string& start_state, std::vector<ParameterSetting> settings) {
  LoadOptions options;
  options.settings = std::move(settings);
  return load_scenario_text(testing::three_actor_world(start_state), "t.yaml", ".", options);
}

double largest_move(const Scenario& s) {
  const RunResult r = run_scenario(s);
  return (r.tension.back() - r.tension.front()).cwiseAbs().maxCoeff();
}

TEST(LoaderSettings, ARestraintSetBeforeTheSettledStartKeepsTheWorldStill) {
  const LoadResult r = load("start_state: settled\n", {{"restraint.A", 0.2}});
  ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : format_diagnostic(r.errors.front()));
  const Scenario& s = *r.scenario;
  EXPECT_EQ(s.actors[0].restraint, 0.2);
  EXPECT_NEAR(s.baseline[0 * 3 + 1], 0.5 + 2.0 / 35.0, 1e-12);
  EXPECT_NEAR(s.baseline[1 * 3 + 0], 0.3 + 1.0 / 35.0, 1e-12);
  EXPECT_LT(largest_move(s), 1e-12) << "400 steps without events move nothing";
  EXPECT_EQ(s.settings, std::vector<std::string>{"restraint.A=0.2"});
  // Set after loading instead (the baselines settled for r_A = 0.1), the same world drifts.
  LoadResult plain = load("start_state: settled\n", {});
  ASSERT_TRUE(plain.ok());
  std::string error;
  set_parameter(*plain.scenario, *find_parameter(*plain.scenario, "restraint.A", error), 0.2);
  EXPECT_GT(largest_move(*plain.scenario), 1e-3);
}

TEST(LoaderSettings, ABaselineIsSetAfterTheStartAndGroupsSetEveryMember) {
  const LoadResult r = load("start_state: drifting\n", {{"baseline.A.C", 0.4}, {"reactivity", 0.07}});
  ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : format_diagnostic(r.errors.front()));
  EXPECT_EQ(r.scenario->baseline[0 * 3 + 2], 0.4);
  for (const Actor& a : r.scenario->actors) EXPECT_EQ(a.reactivity, 0.07) << a.id;
  EXPECT_EQ(r.scenario->settings, (std::vector<std::string>{"baseline.A.C=0.4", "reactivity=0.07"}));
}

TEST(LoaderSettings, ASettingIsTheValueTheRunUsesWhateverAPolicyDoes) {
  // The shipped economic-engagement policy adds 0.01 to Vietnam's restraint (0.06 -> 0.07).
  LoadOptions options;
  options.policies = {testing::shipped("policies/economic-engagement.yaml")};
  const LoadResult with_policy = load_scenario(testing::shipped("realignment.yaml"), options);
  ASSERT_TRUE(with_policy.ok());
  const double policy_value = with_policy.scenario->actors[*with_policy.scenario->find_actor("VNM")].restraint;
  EXPECT_NEAR(policy_value, 0.07, 1e-12);
  options.settings = {{"restraint.VNM", 0.3}};
  const LoadResult both = load_scenario(testing::shipped("realignment.yaml"), options);
  ASSERT_TRUE(both.ok()) << (both.errors.empty() ? "" : format_diagnostic(both.errors.front()));
  EXPECT_EQ(both.scenario->actors[*both.scenario->find_actor("VNM")].restraint, 0.3) << "not 0.31";
  EXPECT_EQ(both.scenario->settings, std::vector<std::string>{"restraint.VNM=0.3"});
  // The name is recorded as the parameter's, whatever was typed around it.
  options.settings = {{" restraint.VNM\t", 0.25}};
  const LoadResult typed = load_scenario(testing::shipped("realignment.yaml"), options);
  ASSERT_TRUE(typed.ok());
  EXPECT_EQ(typed.scenario->settings, std::vector<std::string>{"restraint.VNM=0.25"});
}

TEST(LoaderSettings, AnUnknownOrRepeatedNameIsOneErrorNamingTheFlag) {
  struct Case {
    std::vector<ParameterSetting> settings;
    const char* message;
  };
  const Case cases[] = {
      {{{"restraint.X", 0.1}}, "unknown actor 'X'"},
      {{{"resistance", 0.1}}, "resistance"},
      {{{"restraint.A", 0.1}, {"restraint.A", 0.2}}, "'restraint.A' is given twice"},
      // a group and its member, in either order: the later would silently replace the earlier
      {{{"restraint.A", 0.3}, {"restraint", 0.1}},
       "'restraint.A' and 'restraint' overlap ('restraint' includes 'restraint.A'): one would replace the other"},
      {{{"restraint", 0.1}, {"restraint.A", 0.3}}, "'restraint' and 'restraint.A' overlap ('restraint' includes"},
      {{{"spillover", 1.5}}, "expected a value from 0 to 1 for 'spillover'"},
  };
  for (const Case& c : cases) {
    const LoadResult r = load("start_state: drifting\n", c.settings);
    EXPECT_FALSE(r.ok()) << c.message;
    ASSERT_EQ(r.errors.size(), 1u) << c.message;
    EXPECT_EQ(r.errors.front().file, "--set");
    EXPECT_NE(r.errors.front().message.find(c.message), std::string::npos) << r.errors.front().message;
  }
}

TEST(LoaderSettings, MinusZeroIsSetAndNamedAsZero) {
  const LoadResult r = load("start_state: drifting\n", {{"restraint.A", -0.0}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.scenario->settings, std::vector<std::string>{"restraint.A=0"});
}

}  // namespace
}  // namespace geosim
