// A world that stands still until something happens: `start_state: settled` derives the
// baselines that make the start the no-event fixed point (checked against a hand-worked case),
// the shipped world does not move without events, a baseline the rule cannot give is named
// with its place, and an undeclared drifting start is warned about.
#include <gtest/gtest.h>
#include <geosim/analysis/explain.hpp>
#include <geosim/core/run.hpp>
#include <geosim/core/settle.hpp>
#include <geosim/io/loader.hpp>

#include <cmath>

#include "support/builders.hpp"

namespace geosim {
namespace {

using testing::shipped;

// Three actors; A leans on C (tie 1), nobody else has ties. r = 0.1, k = 0.05 for everyone,
// sigma = 0.05. Hand-worked: S_AB = sigma * W_AC (T_CB - T_AB) / max(1, W_AC)
// = 0.05 * (0.3 - 0.5) = -0.01, and every other spillover is 0 (A's only partner is C, and
// S_AC skips m = C). D = r r - k k = 0.01 - 0.0025 = 0.0075, so
//   B_AB = T_AB - (r_B S_AB + k_A S_BA) / D = 0.5 + 0.001 / 0.0075   = 0.5 + 2/15
//   B_BA = T_BA - (k_B S_AB + r_A S_BA) / D = 0.3 + 0.0005 / 0.0075  = 0.3 + 1/15
// and B = T for every other relation. Check: the drift of A->B is
// 0.1 * 2/15 + 0.05 * (-1/15) - 0.01 = 0, of B->A 0.1 * 1/15 + 0.05 * (-2/15) + 0 = 0.
std::string three_actors(const std::string& start_state, const std::string& extra = "") {
  return testing::three_actor_world(start_state, extra);
}

Scenario load_text(const std::string& text) {
  LoadResult r = load_scenario_text(text, "t.yaml");
  for (const auto& e : r.errors) ADD_FAILURE() << format_diagnostic(e);
  return r.ok() ? *r.scenario : Scenario{};
}

double largest_move(const RunResult& r) { return (r.tension.back() - r.tension.front()).cwiseAbs().maxCoeff(); }

TEST(SettledStart, DerivedBaselinesMatchTheHandWorkedThreeActorCase) {
  const Scenario s = load_text(three_actors("start_state: settled\n"));
  ASSERT_EQ(s.actor_count(), 3u);
  EXPECT_EQ(s.start_state, StartState::settled);
  auto b = [&](std::size_t i, std::size_t j) { return s.baseline[i * 3 + j]; };
  EXPECT_NEAR(b(0, 1), 0.5 + 2.0 / 15.0, 1e-12);
  EXPECT_NEAR(b(1, 0), 0.3 + 1.0 / 15.0, 1e-12);
  EXPECT_NEAR(b(0, 2), 0.3, 1e-12);
  EXPECT_NEAR(b(2, 0), 0.3, 1e-12);
  EXPECT_NEAR(b(1, 2), 0.3, 1e-12);
  EXPECT_NEAR(b(2, 1), 0.3, 1e-12);
  // The fixed point holds: 400 steps without events move nothing.
  EXPECT_LT(largest_move(run_scenario(s)), 1e-12);
}

TEST(SettledStart, WithoutTheRuleTheSameWorldDrifts) {
  // Baselines as written (here: equal to the tensions) leave spillover unbalanced: A->B
  // follows C's 0.3. This is what a new scenario did before, silently.
  const Scenario s = load_text(three_actors(""));
  EXPECT_GT(largest_move(run_scenario(s)), 0.05);
  const auto warning = start_drift_warning(s);
  ASSERT_TRUE(warning.has_value());
  EXPECT_NE(warning->find("A -> B"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("start_state: settled"), std::string::npos) << *warning;
  // A drifting start that says so is not warned about; a settled one has nothing to warn.
  EXPECT_FALSE(start_drift_warning(load_text(three_actors("start_state: drifting\n"))).has_value());
  EXPECT_FALSE(start_drift_warning(load_text(three_actors("start_state: settled\n"))).has_value());
}

TEST(SettledStart, TheShippedWorldStandsStillWithoutEvents) {
  LoadResult r = load_scenario(shipped("baseline.yaml"));
  ASSERT_TRUE(r.ok());
  Scenario s = *r.scenario;
  EXPECT_EQ(s.start_state, StartState::settled);
  s.events.clear();
  s.parameters.noise = 0.0;
  ASSERT_EQ(s.steps, 52);
  const RunResult run = run_scenario(s);
  EXPECT_LE(largest_move(run), 0.001);
  for (const auto& t : run.tension) EXPECT_LE((t - run.tension.front()).cwiseAbs().maxCoeff(), 0.001);
  EXPECT_LE(start_drift(*r.scenario).largest, 0.001);
}

// resettle: with the loader's own values nothing changes, bit for bit; with another restraint
// the baselines are those loading with it --set gives; a value with no settled baseline in
// [0, 1] holds that baseline at the nearest end, and says how many were held.
TEST(SettledStart, ResettleGivesWhatLoadingWithTheValueGives) {
  LoadResult r = load_scenario(shipped("baseline.yaml"));
  ASSERT_TRUE(r.ok());
  Scenario s = *r.scenario;
  ASSERT_TRUE(s.settle_basis);
  EXPECT_EQ(resettle(s), 0u);
  EXPECT_EQ(s.baseline, r.scenario->baseline);
  LoadOptions with;
  with.settings = {{"restraint.VNM", 0.04}};
  LoadResult set = load_scenario(shipped("baseline.yaml"), with);
  ASSERT_TRUE(set.ok());
  s.actors[*s.find_actor("VNM")].restraint = 0.04;
  EXPECT_EQ(resettle(s), 0u);
  EXPECT_EQ(s.baseline, set.scenario->baseline);
  // restraint.USA = 0.03: refused by --set (DPRK -> USA would need a baseline above 1), held here
  Scenario held = *r.scenario;
  held.actors[*held.find_actor("USA")].restraint = 0.03;
  EXPECT_GT(resettle(held), 0u);
  const std::size_t n = held.actor_count(), prk = *held.find_actor("PRK"), usa = *held.find_actor("USA");
  EXPECT_EQ(held.baseline[prk * n + usa], 1.0);
  for (double b : held.baseline) EXPECT_TRUE(b >= 0.0 && b <= 1.0);
}

TEST(SettledStart, EveryShippedScenarioDeclaresASettledStartAndValidatesWithoutWarning) {
  for (const char* name : {"baseline", "symbolic-visit", "expanded-cooperation", "intermediary", "realignment"}) {
    LoadResult r = load_scenario(shipped(std::string(name) + ".yaml"));
    ASSERT_TRUE(r.ok()) << name;
    EXPECT_EQ(r.scenario->start_state, StartState::settled) << name;
    EXPECT_FALSE(start_drift_warning(*r.scenario).has_value()) << name;
  }
}

TEST(SettledStart, ABaselineOutsideTheUnitIntervalIsNamedWithItsPlaceAndValue) {
  // C's 0.9 toward B pulls A->B (0.1) up hard: B_AB = 0.1 - 0.1 * 0.04 / 0.0075 < 0.
  const std::string text =
      "scenario: {id: t, title: T, start: 2025-08-01, steps: 10}\n"
      "start_state: settled\n"
      "parameters: {spillover: 0.05}\n"
      "actors:\n"
      "  - {id: A, restraint: 0.1, reactivity: 0.05}\n"
      "  - {id: B, restraint: 0.1, reactivity: 0.05}\n"
      "  - {id: C, restraint: 0.1, reactivity: 0.05}\n"
      "relations:\n"
      "  - {from: A, to: B, tension: 0.1}\n"
      "  - {from: C, to: B, tension: 0.9}\n"
      "  - {from: A, to: C, tension: 0.3, tie: 1.0}\n";
  const LoadResult r = load_scenario_text(text, "t.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_FALSE(r.errors.empty());
  const Diagnostic& d = r.errors.front();
  EXPECT_EQ(d.file, "t.yaml");
  EXPECT_EQ(d.line, 9);  // the relation A -> B
  EXPECT_EQ(d.column, 5);
  // S_AB = 0.05 * (0.9 - 0.1) = 0.04; B_AB = 0.1 - 0.1 * 0.04 / 0.0075 = -0.433.
  EXPECT_NE(d.message.find("-0.433 for A -> B"), std::string::npos) << d.message;
}

TEST(SettledStart, AWrittenBaselineIsRefusedUnderASettledStartAndTheValueIsChecked) {
  LoadResult r = load_scenario_text(
      three_actors("start_state: settled\n", "  - {from: B, to: C, tension: 0.3, baseline: 0.4}\n"), "t.yaml");
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors.front().line, 12);
  EXPECT_NE(r.errors.front().message.find("start_state: drifting"), std::string::npos);
  r = load_scenario_text(three_actors("start_state: setled\n"), "t.yaml");
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors.front().message.find("did you mean 'settled'"), std::string::npos) << r.errors.front().message;
}

TEST(SettledStart, ExplainCreditsAgainstTheNoEventPath) {
  // A settled world with one push on A->B at step 3: the parts are what the push set in
  // motion. Relaxation on its own moved A->B by r (B - T) every step before (standing flow);
  // now it only returns what the push added, so event + relaxation + the rest sum to the
  // change and the no-event path's part is zero.
  const Scenario s = load_text(three_actors(
      "start_state: settled\n", "events:\n  - {id: push, step: 3, effects: [{from: A, to: B, tension: 0.1}]}\n"));
  RunOptions options;
  options.steps = 30;
  const Explanation e = explain(s, 0, 1, options);
  EXPECT_NEAR(e.sum_of_parts(), e.total, 1e-12);
  double still = 1.0, relax = 0.0, event = 0.0;
  for (const Contribution& c : e.contributions) {
    if (c.kind == ContributionKind::still) still = c.value;
    if (c.kind == ContributionKind::relaxation) relax = c.value;
    if (c.kind == ContributionKind::event) event = c.value;
  }
  EXPECT_NEAR(still, 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(event, 0.1);
  // Against the no-event path relaxation pulls the push back (negative), never the standing
  // r (B - T) * 30 = +0.4 it showed before.
  EXPECT_LT(relax, 0.0);
  EXPECT_GT(relax, -0.1);
  // With no events at all, nothing is credited to a force: the whole change is the no-event path.
  const Scenario drifting = load_text(three_actors(""));
  const Explanation d = explain(drifting, 0, 1, options);
  for (const Contribution& c : d.contributions) {
    if (c.kind != ContributionKind::still) {
      EXPECT_EQ(c.value, 0.0) << c.label;
    }
  }
  EXPECT_NEAR(d.sum_of_parts(), d.total, 1e-12);
  EXPECT_GT(std::abs(d.total), 0.01);
}

}  // namespace
}  // namespace geosim
