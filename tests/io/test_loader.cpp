// Loader tests: a valid file loads with the right values, and every shipped scenario and policy
// loads with its quotes verified against the sources (hostile and wrong input:
// test_loader_syntax.cpp, test_loader_errors.cpp).
#include <gtest/gtest.h>
#include <unistd.h>
#include <geosim/io/cameo.hpp>
#include <geosim/io/loader.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "support/builders.hpp"
#include "support/loader_cases.hpp"

namespace geosim {
namespace {

using namespace testing;  // the cases and their assertions (support/loader_cases.hpp)

// ---------------------------------------------------------------------------------------------
// Valid files

TEST(LoaderGood, SmallScenarioLoadsWithTheRightValues) {
  auto r = load_scenario(kGood + "/small.yaml");
  ASSERT_TRUE(loads(r));
  const Scenario& s = *r.scenario;
  EXPECT_EQ(s.id, "small");
  EXPECT_EQ(s.title, "Small test scenario");
  EXPECT_EQ(format_date(s.start), "2025-08-01");
  EXPECT_EQ(s.step_days, 7);
  EXPECT_EQ(s.steps, 20);
  EXPECT_DOUBLE_EQ(s.parameters.spillover, 0.1);
  EXPECT_DOUBLE_EQ(s.parameters.noise, 0.01);
  ASSERT_TRUE(s.source.has_value());
  EXPECT_EQ(s.source->file, "doc.txt");

  // Actors, read once although two files include actors.yaml (a diamond).
  ASSERT_EQ(s.actor_count(), 4u);
  EXPECT_EQ(s.actors[0].id, "VNM");
  EXPECT_EQ(s.actors[0].name, "Vietnam");
  EXPECT_DOUBLE_EQ(s.actors[0].restraint, 0.06);
  EXPECT_DOUBLE_EQ(s.actors[0].reactivity, 0.02);
  EXPECT_DOUBLE_EQ(s.actors[1].restraint, 0.05);   // default
  EXPECT_DOUBLE_EQ(s.actors[1].reactivity, 0.03);  // default
  const std::size_t vnm = 0, sgp = 2, asean = 3;
  EXPECT_EQ(s.actors[asean].kind, ActorKind::organization);
  EXPECT_EQ(s.actors[asean].members, (std::vector<std::size_t>{vnm, sgp}));

  // `between` sets both directions; `from`/`to` one; defaults fill the rest.
  EXPECT_DOUBLE_EQ(tension(s, "VNM", "PRK"), 0.4);
  EXPECT_DOUBLE_EQ(tension(s, "PRK", "VNM"), 0.4);
  EXPECT_DOUBLE_EQ(baseline(s, "PRK", "VNM"), 0.35);
  EXPECT_DOUBLE_EQ(tie(s, "PRK", "VNM"), 0.1);
  EXPECT_DOUBLE_EQ(tension(s, "PRK", "SGP"), 0.5);
  EXPECT_DOUBLE_EQ(baseline(s, "PRK", "SGP"), 0.5);  // baseline defaults to tension
  EXPECT_DOUBLE_EQ(tie(s, "PRK", "SGP"), 0.05);      // the default tie
  EXPECT_DOUBLE_EQ(tension(s, "SGP", "PRK"), 0.3);   // the default
  EXPECT_DOUBLE_EQ(baseline(s, "SGP", "PRK"), 0.3);  // default baseline = default tension
  EXPECT_DOUBLE_EQ(tie(s, "SGP", "PRK"), 0.05);
  EXPECT_DOUBLE_EQ(tension(s, "VNM", "VNM"), 0.0);

  ASSERT_EQ(s.indicators.size(), 2u);
  EXPECT_EQ(s.indicators[0].title, "Vietnam–DPRK tension");
  EXPECT_EQ(s.indicators[0].relations.size(), 2u);  // both directions
  EXPECT_EQ(s.indicators[1].kind, IndicatorKind::cohesion);
  EXPECT_EQ(s.indicators[1].organization, asean);

  ASSERT_EQ(s.events.size(), 4u);
  const Event& visit = s.events[*s.find_event("visit")];
  const Event& statement = s.events[*s.find_event("statement")];
  const Event& talks = s.events[*s.find_event("talks")];
  const Event& review = s.events[*s.find_event("review")];
  // 2025-10-09 is start + 69 days; with 7-day steps it falls in step 69 / 7 + 1 = 10.
  EXPECT_EQ(visit.timing, Timing::at_step);
  EXPECT_EQ(visit.step, 10);
  EXPECT_EQ(visit.origin.line, 19);
  EXPECT_EQ(visit.origin.column, 5);
  EXPECT_EQ(visit.cameo, "042");
  EXPECT_EQ(visit.source.quote, "The visit begins on October 9, 2025");
  ASSERT_EQ(visit.effects.size(), 2u);
  // No size given: taken from the CAMEO code.
  ASSERT_TRUE(visit.effects[0].tension.has_value());
  EXPECT_DOUBLE_EQ(visit.effects[0].tension->mean, tension_change_for_goldstein(*goldstein_weight("042")));
  EXPECT_TRUE(visit.effects[0].both_directions);
  // members(ASEAN) expands to the members.
  EXPECT_EQ(visit.effects[1].from.actors, (std::vector<std::size_t>{vnm, sgp}));
  EXPECT_EQ(visit.effects[1].from.label, "members(ASEAN)");
  EXPECT_EQ(visit.effects[1].to.actors, (std::vector<std::size_t>{1}));
  EXPECT_DOUBLE_EQ(visit.effects[1].tension->mean, 0.02);
  EXPECT_DOUBLE_EQ(visit.effects[1].tension->sd, 0.01);
  EXPECT_FALSE(visit.effects[1].baseline.has_value());
  // Follow-ups resolved to event indices.
  ASSERT_EQ(visit.follow_ups.size(), 1u);
  EXPECT_EQ(visit.follow_ups[0].event, *s.find_event("statement"));
  EXPECT_EQ(visit.follow_ups[0].delay, 2);
  EXPECT_DOUBLE_EQ(visit.follow_ups[0].probability, 0.5);
  EXPECT_EQ(review.follow_ups[0].delay, 0);
  EXPECT_DOUBLE_EQ(review.follow_ups[0].probability, 1.0);

  EXPECT_EQ(statement.timing, Timing::never);
  EXPECT_DOUBLE_EQ(statement.probability, 1.0);
  EXPECT_FALSE(statement.effects[0].both_directions);
  EXPECT_DOUBLE_EQ(statement.effects[0].tension->mean, -0.05);
  EXPECT_DOUBLE_EQ(statement.effects[0].baseline->mean, -0.02);
  EXPECT_DOUBLE_EQ(statement.effects[0].tie->mean, 0.01);

  // Window 2025-11-01 (start + 92 days) to 2025-12-15 (start + 136): steps 14 to 20.
  EXPECT_EQ(talks.timing, Timing::window);
  EXPECT_EQ(talks.window_first, 14);
  EXPECT_EQ(talks.window_last, 20);
  EXPECT_DOUBLE_EQ(talks.probability, 0.7);
  EXPECT_TRUE(talks.condition.has_value());
  EXPECT_EQ(talks.title, "talks");  // the id when no title is given

  EXPECT_EQ(review.timing, Timing::at_step);
  EXPECT_EQ(review.step, 3);
  EXPECT_TRUE(review.condition.has_value());
}

TEST(LoaderGood, DatesBecomeSteps) {
  // Step k covers [start + (k-1)*7, start + k*7): day 0..6 -> step 1, day 7 -> step 2.
  const std::vector<std::pair<std::string, int>> cases{{"2025-08-01", 1},  {"2025-08-07", 1},  {"2025-08-08", 2},
                                                       {"2025-10-09", 10}, {"2025-10-10", 11}, {"2025-12-18", 20}};
  for (const auto& [date, step] : cases) {
    auto c = body("events:\n  - {id: a, date: " + date + "}\n");
    ASSERT_TRUE(loads(c.result)) << date;
    EXPECT_EQ(c.result.scenario->events[0].step, step) << date;
  }
  auto c = body("events:\n  - {id: a, date: 2025-12-19}\n");
  EXPECT_TRUE(
      fails_once(c.result, c.at("2025-12-19"), {"expected 'date' within the scenario's period", "found 2025-12-19"}));
}

TEST(LoaderGood, PoliciesAreApplied) {
  LoadOptions options;
  options.policies = {kGood + "/policy.yaml"};
  options.require_sources = true;
  auto r = load_scenario(kGood + "/small.yaml", options);
  ASSERT_TRUE(loads(r));
  const Scenario& s = *r.scenario;
  EXPECT_EQ(s.policies, (std::vector<std::string>{"test-policy"}));
  EXPECT_DOUBLE_EQ(tie(s, "SGP", "VNM"), 0.05 + 0.05);  // default tie + adjust
  EXPECT_DOUBLE_EQ(tie(s, "VNM", "SGP"), 0.05);         // from/to: one direction
  EXPECT_DOUBLE_EQ(s.actors[*s.find_actor("SGP")].restraint, 0.05 + 0.02);
  ASSERT_EQ(s.events.size(), 5u);
  const Event& e = s.events[*s.find_event("policy-event")];
  EXPECT_EQ(e.policy, "test-policy");
  EXPECT_EQ(e.step, 5);
  EXPECT_EQ(s.events[*s.find_event("visit")].policy, "");
}

TEST(LoaderGood, TextAndFileLoadAlike) {
  const std::string path = kGood + "/small.yaml";
  auto from_file = load_scenario(path);
  auto from_text = load_scenario_text(read_text(path), path, kGood);
  ASSERT_TRUE(loads(from_file));
  ASSERT_TRUE(loads(from_text));
  EXPECT_EQ(from_file.scenario->tension, from_text.scenario->tension);
  EXPECT_EQ(from_file.scenario->events.size(), from_text.scenario->events.size());
}

TEST(LoaderGood, YamlNiceties) {
  // A BOM, CRLF line ends, comments, quoted numbers and anchors used sensibly are all fine.
  std::string text = "\xEF\xBB\xBF" + kHead + "relations:\n  - &r {between: [VNM, PRK], tension: \"0.3\"}  # c\n";
  for (std::size_t p = 0; (p = text.find('\n', p)) != std::string::npos; p += 2) text.replace(p, 1, "\r\n");
  auto c = raw(text);
  ASSERT_TRUE(loads(c.result));
  EXPECT_DOUBLE_EQ(tension(*c.result.scenario, "PRK", "VNM"), 0.3);
  // Errors in a CRLF file still point at the right place.
  text.replace(text.find("tension"), 7, "tenson");
  c = raw(text);
  EXPECT_TRUE(fails_once(c.result, c.at("tenson"), {"unknown key 'tenson'"}));
}

// Every shipped scenario and policy loads with every event citing a passage of its source
// document, and every quote is found in that document.
std::string collapse(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void expect_quotes_verified(const Scenario& s) {
  for (const auto& e : s.events) {
    SCOPED_TRACE(e.id);
    ASSERT_FALSE(e.source.file.empty());
    ASSERT_FALSE(e.source.quote.empty());
    const std::string doc = collapse(read_text(kScenarios + "/sources/" + e.source.file));
    ASSERT_FALSE(doc.empty()) << e.source.file;
    EXPECT_NE(doc.find(collapse(e.source.quote)), std::string::npos) << e.source.quote;
  }
}

TEST(LoaderShipped, EveryScenarioAndPolicyLoadsWithVerifiedSources) {
  std::vector<std::string> scenarios, policies, parts;
  for (const auto& entry : fs::recursive_directory_iterator(kScenarios)) {
    if (entry.path().extension() != ".yaml") continue;
    const std::string path = entry.path().string();
    const std::string text = read_text(path);
    if (entry.path().parent_path().filename() == "policies")
      policies.push_back(path);
    else if (text.rfind("scenario:", 0) == 0 || text.find("\nscenario:") != std::string::npos)
      scenarios.push_back(path);
    else
      parts.push_back(path);
  }
  ASSERT_GE(scenarios.size(), 5u);
  ASSERT_GE(policies.size(), 4u);
  LoadOptions strict;
  strict.require_sources = true;
  for (const auto& path : scenarios) {
    SCOPED_TRACE(path);
    auto r = load_scenario(path, strict);
    ASSERT_TRUE(loads(r));
    expect_quotes_verified(*r.scenario);
  }
  // Each policy on the baseline, then all of them at once on the scenario with most events.
  for (const auto& policy : policies) {
    SCOPED_TRACE(policy);
    LoadOptions with_policy = strict;
    with_policy.policies = {policy};
    auto r = load_scenario(kScenarios + "/baseline.yaml", with_policy);
    ASSERT_TRUE(loads(r));
    expect_quotes_verified(*r.scenario);
    EXPECT_EQ(r.scenario->policies.size(), 1u);
  }
  LoadOptions all = strict;
  all.policies = policies;
  auto r = load_scenario(kScenarios + "/expanded-cooperation.yaml", all);
  ASSERT_TRUE(loads(r));
  EXPECT_EQ(r.scenario->policies.size(), policies.size());
  // Files meant to be included check on their own.
  for (const auto& path : parts) {
    SCOPED_TRACE(path);
    const auto errors = validate_file(path, kScenarios + "/baseline.yaml");
    for (const auto& e : errors) ADD_FAILURE() << format_diagnostic(e);
  }
}

}  // namespace
}  // namespace geosim
