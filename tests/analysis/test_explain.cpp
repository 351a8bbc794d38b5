// explain(): the parts of a tension's change add up, and each part is what it says it is.
#include <geosim/analysis/explain.hpp>
#include <geosim/core/dynamics.hpp>
#include <geosim/core/rng.hpp>
#include <geosim/core/run.hpp>
#include <geosim/core/step.hpp>
#include <geosim/io/catalog.hpp>
#include <geosim/io/loader.hpp>
#include <geosim/report/explain_report.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "support/builders.hpp"

using namespace geosim;

namespace {

Scenario load(const std::string& path, const std::vector<std::string>& policies = {}) {
  LoadOptions options;
  for (const auto& p : policies) options.policies.push_back(geosim::testing::shipped("policies/" + p + ".yaml"));
  LoadResult result = load_scenario(path, options);
  for (const auto& e : result.errors) ADD_FAILURE() << format_diagnostic(e);
  return result.ok() ? *result.scenario : Scenario{};
}

std::vector<std::pair<std::size_t, std::size_t>> all_relations(std::size_t n) {
  std::vector<std::pair<std::size_t, std::size_t>> relations;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j) relations.emplace_back(i, j);
  return relations;
}

const Contribution* find(const Explanation& e, ContributionKind kind, const std::string& label) {
  for (const Contribution& c : e.contributions)
    if (c.kind == kind && c.label == label) return &c;
  return nullptr;
}

double sum_of(const Explanation& e, ContributionKind kind) {
  double sum = 0.0;
  for (const Contribution& c : e.contributions)
    if (c.kind == kind) sum += c.value;
  return sum;
}

/// Checks every directed relation of `s` (of a world of more than 30 actors, those among its
/// first 12: explaining all 42,230 of the 200-state world takes ten minutes): the parts add up,
/// and the end is the run's end.
void expect_parts_add_up(const Scenario& s, std::uint64_t seed) {
  const RunOptions options{.seed = seed};
  const RunResult run = run_scenario(s, options);
  const std::size_t n = s.actor_count() > 30 ? 12 : s.actor_count();
  const auto explanations = explain_relations(s, all_relations(n), options);
  ASSERT_EQ(explanations.size(), n * (n - 1));
  for (const Explanation& e : explanations) {
    const auto i = Eigen::Index(e.from), j = Eigen::Index(e.to);
    EXPECT_EQ(e.start, run.tension.front()(i, j));
    EXPECT_EQ(e.end, run.tension.back()(i, j));
    EXPECT_NEAR(e.sum_of_parts(), e.total, 1e-12) << s.id << " " << s.actors[e.from].id << "->" << s.actors[e.to].id;
  }
}

}  // namespace

TEST(Explain, PartsAddUpForEveryRelationOfEveryShippedScenario) {
  const auto scenarios = list_scenarios(GEOSIM_SCENARIOS_DIR);
  ASSERT_GE(scenarios.size(), 5u);
  for (const CatalogEntry& entry : scenarios) {
    Scenario s = load(entry.path);
    expect_parts_add_up(s, 1);
    s.parameters.noise = 0.03;  // noise on: its part and the bounds' part must be counted too
    expect_parts_add_up(s, 2);
  }
}

TEST(Explain, PartsAddUpWithPoliciesAndHeavyNoise) {
  Scenario s = load(geosim::testing::shipped("realignment.yaml"), {"quiet-diplomacy", "asean-dialogue"});
  s.parameters.noise = 0.2;  // large enough that the bounds cut in
  expect_parts_add_up(s, 3);
  const auto explanations = explain_relations(s, all_relations(s.actor_count()), RunOptions{.seed = 3});
  double bounds = 0.0, noise = 0.0;
  for (const Explanation& e : explanations) {
    bounds += std::abs(sum_of(e, ContributionKind::bounds));
    noise += std::abs(sum_of(e, ContributionKind::noise));
  }
  EXPECT_GT(bounds, 0.0);
  // Common random numbers: the no-event path draws the very same noise (keyed on step and the
  // pair's ids), so the noise's part against it is exactly 0; the shocks sit in "no-event path".
  EXPECT_EQ(noise, 0.0);
}

TEST(Explain, SpilloverByPartnerSumsToTheStepsSpilloverAgainstTheNoEventPath) {
  // Independently of explain(): sum StepBreakdown::spillover over the run, minus the same sum
  // over the run of the scenario without its events.
  const Scenario s = load(geosim::testing::shipped("intermediary.yaml"));
  auto total_spillover = [](const Scenario& scenario) {
    Rng rng = Rng::for_run(1, 0);
    State state = initial_state(scenario, rng);
    Eigen::MatrixXd spill = Eigen::MatrixXd::Zero(state.tension.rows(), state.tension.cols());
    for (int step = 0; step < scenario.steps; ++step) {
      StepBreakdown b;
      state = advance(state, scenario, rng, {}, &b).state;
      spill += b.spillover;
    }
    return spill;
  };
  Scenario still = s;
  still.events.clear();
  const Eigen::MatrixXd spill = total_spillover(s) - total_spillover(still);
  for (const Explanation& e : explain_relations(s, all_relations(s.actor_count()), RunOptions{.seed = 1}))
    EXPECT_NEAR(sum_of(e, ContributionKind::spillover), spill(Eigen::Index(e.from), Eigen::Index(e.to)), 1e-13);
}

TEST(Explain, SingleEventAndItsSpilloverPartnerByHand) {
  // A, B, C with no restraint or reactivity; A's only tie is to C (weight 1), C holds B at 0.8
  // and nothing moves C. An event raises A->B from 0.3 to 0.4 in step 1; then spillover
  // closes sigma = 0.1 of the gap to C's 0.8 each step: T_AB(t) = 0.8 - 0.4 * 0.9^t.
  // Without the event (the no-event path) T_AB(t) = 0.8 - 0.5 * 0.9^t: C's pull moves it by
  // 0.5 (1 - 0.9^t) anyway, and the push, by closing the gap, took 0.1 (1 - 0.9^t) of that.
  Scenario s = geosim::testing::make_scenario({"A", "B", "C"}, 0.3);
  for (auto& a : s.actors) a.restraint = a.reactivity = 0.0;
  s.parameters.spillover = 0.1;
  geosim::testing::set_relation(s, "A", "C", 0.3, 0.3, 1.0);
  geosim::testing::set_relation(s, "C", "B", 0.8, 0.8);
  s.events.push_back(geosim::testing::make_event(s, "push", 1, "A", "B", 0.1));
  const int steps = 6;
  const Explanation e = explain(s, 0, 1, RunOptions{.steps = steps});
  EXPECT_NEAR(e.end, 0.8 - 0.4 * std::pow(0.9, steps), 1e-12);
  const Contribution* push = find(e, ContributionKind::event, "push");
  ASSERT_NE(push, nullptr);
  EXPECT_NEAR(push->value, 0.1, 1e-15);
  EXPECT_EQ(push->firings, 1);
  EXPECT_EQ(push->first_step, 1);
  const Contribution* via_c = find(e, ContributionKind::spillover, "spillover via C");
  ASSERT_NE(via_c, nullptr);
  EXPECT_EQ(via_c->index, 2u);
  EXPECT_NEAR(via_c->value, -0.1 * (1 - std::pow(0.9, steps)), 1e-12);
  EXPECT_NEAR(sum_of(e, ContributionKind::still), 0.5 * (1 - std::pow(0.9, steps)), 1e-12);
  for (auto kind :
       {ContributionKind::relaxation, ContributionKind::reciprocity, ContributionKind::noise, ContributionKind::bounds})
    EXPECT_EQ(sum_of(e, kind), 0.0);
  EXPECT_EQ(e.contributions.size(), 7u);  // push, relaxation, reciprocity, via C, noise, bounds, no-event path
  EXPECT_NEAR(e.sum_of_parts(), e.total, 1e-15);
  EXPECT_NE(explanation_table(s, e).find("spillover via C"), std::string::npos);
}

TEST(Explain, BoundsAndClippedEventsAreCounted) {
  // A->B starts at 0.95; an event of +0.2 is clipped to +0.05 (the logged change). A does not
  // relax (restraint 0) but answers B's excess hostility (0.9 over a 0.3 baseline) with
  // reactivity 0.5, pushing A->B past 1 every step: the bounds part takes it back.
  Scenario s = geosim::testing::make_scenario({"A", "B"}, 0.3);
  s.actors[0].restraint = 0.0;
  s.actors[0].reactivity = 0.5;
  geosim::testing::set_relation(s, "A", "B", 0.95, 0.95);
  geosim::testing::set_relation(s, "B", "A", 0.9, 0.3);
  s.events.push_back(geosim::testing::make_event(s, "spike", 1, "A", "B", 0.2));
  const Explanation e = explain(s, 0, 1, RunOptions{.steps = 3});
  EXPECT_NEAR(find(e, ContributionKind::event, "spike")->value, 0.05, 1e-15);
  EXPECT_LT(sum_of(e, ContributionKind::bounds), 0.0);
  EXPECT_EQ(e.end, 1.0);
  EXPECT_NEAR(e.sum_of_parts(), e.total, 1e-15);
}

TEST(Explain, EventPartEqualsTheLoggedChanges) {
  const Scenario s = load(geosim::testing::shipped("realignment.yaml"));
  const RunResult run = run_scenario(s, RunOptions{.seed = 1});
  std::map<std::pair<std::size_t, std::size_t>, std::map<std::string, std::pair<double, int>>> logged;
  for (const AppliedEvent& applied : run.events)
    for (const RelationChange& c : applied.changes) {
      auto& entry = logged[{c.from, c.to}][applied.id];
      entry.first += c.tension;
      ++entry.second;
    }
  int events_seen = 0;
  for (const Explanation& e : explain_relations(s, all_relations(s.actor_count()), RunOptions{.seed = 1})) {
    const auto& expected = logged[{e.from, e.to}];
    std::size_t count = 0;
    for (const Contribution& c : e.contributions) {
      if (c.kind != ContributionKind::event) continue;
      ++count;
      ASSERT_TRUE(expected.count(c.label)) << c.label;
      EXPECT_EQ(c.value, expected.at(c.label).first) << c.label;
      EXPECT_EQ(c.firings, expected.at(c.label).second) << c.label;
      EXPECT_EQ(c.index, *s.find_event(c.label));
    }
    EXPECT_EQ(count, expected.size());
    events_seen += int(count);
  }
  EXPECT_GT(events_seen, 10);
}

TEST(Explain, SameSeedSameAnswer) {
  const Scenario s = load(geosim::testing::shipped("realignment.yaml"));
  const std::size_t vnm = *s.find_actor("VNM"), usa = *s.find_actor("USA");
  const Explanation a = explain(s, vnm, usa, RunOptions{.seed = 1});
  const Explanation b = explain(s, vnm, usa, RunOptions{.seed = 1});
  ASSERT_EQ(a.contributions.size(), b.contributions.size());
  for (std::size_t k = 0; k < a.contributions.size(); ++k)
    EXPECT_EQ(a.contributions[k].value, b.contributions[k].value);
  EXPECT_EQ(explanation_table(s, a), explanation_table(s, b));
}

namespace geosim {
namespace {

// The table as a reader checks it: three parts of 0.00004 each show as 0.0000 and add up to
// 0.0000, against a sum of +0.0001: a line says so and how to see more (a student adding
// realignment's VNM -> USA by hand got +0.0442 against +0.0441, told the parts add up exactly).
// With --digits 6 every part shows and the line goes. A 200-state world's zero parts (200
// partners) are named up to kZeroPartsNamed, the rest counted.
TEST(ExplainTable, SaysWhenThePartsAsShownDoNotAddUpAndNamesFewZeroParts) {
  const Scenario s = geosim::testing::make_scenario({"A", "B", "C"});
  Explanation e;
  e.from = 0;
  e.to = 1;
  e.start = 0.3;
  e.end = 0.30012;
  e.total = 0.00012;
  for (const char* label : {"x", "y", "z"})
    e.contributions.push_back({ContributionKind::event, label, 0, 0.00004, 1, 1, 0.0});
  for (int k = 0; k < 12; ++k)
    e.contributions.push_back({ContributionKind::spillover, "spillover via P" + std::to_string(k), 2, 0.0, 0, 0, 0.0});
  const std::string four = explanation_table(s, e, 4);
  EXPECT_NE(four.find("sum of the parts  +0.0001  (end - start +0.0001)"), std::string::npos) << four;
  EXPECT_NE(four.find("(the parts as shown add up to 0.0000: each is rounded to 4 decimals; --digits 6 shows more)"),
            std::string::npos)
      << four;
  EXPECT_NE(four.find("spillover via P7 and 4 more\n"), std::string::npos) << four;
  EXPECT_EQ(four.find("spillover via P8"), std::string::npos) << four;
  const std::string six = explanation_table(s, e, 6);
  EXPECT_EQ(six.find("as shown add up"), std::string::npos) << six;
  EXPECT_EQ(six.find("smaller than"), std::string::npos) << six;
  EXPECT_NE(four.find("(every part is smaller than 4 decimals show: the largest is +4.00e-05)"), std::string::npos)
      << four;
  EXPECT_NE(six.find("+0.000040"), std::string::npos) << six;
  EXPECT_NE(six.find("(end - start +0.000120)"), std::string::npos) << six;
  // By default, the decimals that give the largest part two significant digits (at least 4).
  EXPECT_EQ(explanation_digits(e), 6);
  EXPECT_EQ(explanation_table(s, e), six);
  for (const auto& [largest, digits] : std::vector<std::pair<double, int>>{
           {0.0442, 4}, {0.001, 4}, {0.00099, 5}, {-0.0005, 5}, {0.00004, 6}, {0.0, 4}, {1e-15, 12}}) {
    e.contributions[0].value = largest;
    e.contributions[1].value = e.contributions[2].value = 0.0;
    EXPECT_EQ(explanation_digits(e), digits) << largest;
  }
  // At the most decimals there is no more to show: the line does not offer it.
  for (std::size_t k = 0; k < 3; ++k) e.contributions[k].value = 0.4e-12;
  e.total = 1.2e-12;
  const std::string twelve = explanation_table(s, e, 12);
  EXPECT_NE(twelve.find("(every part is smaller than 12 decimals show: the largest is +4.00e-13)\n"), std::string::npos)
      << twelve;
  // Parts too small for 12 decimals: said, with the largest's size (bars beside zeros said nothing).
  for (std::size_t k = 0; k < 3; ++k) e.contributions[k].value = -3.1e-14;
  e.total = -9.3e-14;
  EXPECT_NE(explanation_table(s, e).find("(every part is smaller than 12 decimals show: the largest is -3.10e-14)\n"),
            std::string::npos)
      << explanation_table(s, e);
  for (std::size_t k = 0; k < 3; ++k) e.contributions[k].value = 0.4e-12;
  e.total = 1.2e-12;
  EXPECT_NE(twelve.find("(the parts as shown add up to 0.000000000000: each is rounded to 12 decimals)\n"),
            std::string::npos)
      << twelve;
}

}  // namespace
}  // namespace geosim
