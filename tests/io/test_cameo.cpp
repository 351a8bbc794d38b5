// The full CAMEO scale: every code of the published CAMEO-to-Goldstein table has its weight
// (checked against an independent copy of the table in tests/data), a code that is not in
// the table is refused with a suggestion, a leading zero survives with or without quotes, and
// a coded event's lasting share moves the baseline.
#include <gtest/gtest.h>
#include <geosim/core/run.hpp>
#include <geosim/io/cameo.hpp>
#include <geosim/io/loader.hpp>

#include <fstream>
#include <set>
#include <sstream>

namespace geosim {
namespace {

TEST(Cameo, EveryCodeOfThePublishedTableHasItsWeight) {
  std::ifstream in(std::string(GEOSIM_TEST_DATA) + "/cameo_goldstein.txt");
  ASSERT_TRUE(in) << "tests/data/cameo_goldstein.txt";
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "CAMEOEVENTCODE\tGOLDSTEINSCALE");
  std::set<std::string> codes;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string code;
    double weight = 0.0;
    ASSERT_TRUE(fields >> code >> weight) << line;
    codes.insert(code);
    const auto engine = goldstein_weight(code);
    ASSERT_TRUE(engine.has_value()) << code;
    EXPECT_EQ(*engine, weight) << code;
  }
  EXPECT_EQ(codes.size(), 311u);
  // Nothing beyond the table either.
  EXPECT_EQ(cameo_codes().size(), codes.size());
  for (const CameoCode& c : cameo_codes()) EXPECT_TRUE(codes.count(std::string(c.code))) << c.code;
}

TEST(Cameo, SubCodesHaveTheirOwnWeightNotTheirRoots) {
  EXPECT_EQ(goldstein_weight("087"), 9.0);    // de-escalate militarily; root 08 is +5.0
  EXPECT_EQ(goldstein_weight("0874"), 10.0);  // retreat or surrender militarily
  EXPECT_EQ(goldstein_weight("125"), -5.0);   // root 12 is -4.0
  EXPECT_EQ(goldstein_weight("127"), -5.0);
  EXPECT_EQ(goldstein_weight("130"), -4.4);  // root 13 is -6.0
}

TEST(Cameo, CodesNotInTheTableAreUnknown) {
  for (const char* code : {"099", "00", "21", "0", "", "0875", "1834", "42", "x42", "04 ", "+042"})
    EXPECT_FALSE(goldstein_weight(code).has_value()) << code;
  EXPECT_EQ(cameo_suggestion("099"), "09, 090, 091, 092, 093, 094");
  EXPECT_EQ(cameo_suggestion("42"), "042");
}

TEST(Cameo, QuadClassesAndTheLastingShare) {
  EXPECT_EQ(quad_class("042"), QuadClass::verbal_cooperation);
  EXPECT_EQ(quad_class("0874"), QuadClass::material_cooperation);
  EXPECT_EQ(quad_class("125"), QuadClass::verbal_conflict);
  EXPECT_EQ(quad_class("20"), QuadClass::material_conflict);
  EXPECT_EQ(lasting_share("042"), 0.0);
  EXPECT_EQ(lasting_share("057"), 0.5);
  EXPECT_EQ(lasting_share("061"), 0.5);
  EXPECT_EQ(lasting_share("163"), 0.5);
  EXPECT_EQ(lasting_share("13"), 0.0);
}

std::string two_actors(const std::string& event) {
  return "scenario: {id: t, title: T, start: 2025-08-01, steps: 600}\n"
         "actors:\n"
         "  - {id: A, restraint: 0.06, reactivity: 0.02}\n"
         "  - {id: B, restraint: 0.05, reactivity: 0.03}\n"
         "relations:\n"
         "  - {between: [A, B], tension: 0.5}\n"
         "events:\n" +
         event;
}

TEST(Cameo, AnUnknownCodeIsRefusedWithASuggestion) {
  const LoadResult r =
      load_scenario_text(two_actors("  - {id: e, step: 1, cameo: \"099\", effects: [{between: [A, B]}]}\n"), "t.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors.front().line, 8);
  EXPECT_NE(r.errors.front().message.find("'099'"), std::string::npos) << r.errors.front().message;
  EXPECT_NE(r.errors.front().message.find("did you mean 09, 090"), std::string::npos) << r.errors.front().message;
}

TEST(Cameo, ALeadingZeroSurvivesWithOrWithoutQuotes) {
  for (const char* written : {"040", "\"040\"", "'040'"}) {
    const LoadResult r = load_scenario_text(
        two_actors(std::string("  - {id: e, step: 1, cameo: ") + written + ", effects: [{between: [A, B]}]}\n"),
        "t.yaml");
    ASSERT_TRUE(r.ok()) << written << (r.errors.empty() ? "" : format_diagnostic(r.errors.front()));
    EXPECT_EQ(r.scenario->events[0].cameo, "040") << written;
    EXPECT_DOUBLE_EQ(r.scenario->events[0].effects[0].tension->mean, -0.01) << written;  // 040: +1.0
  }
}

/// A at B's tension after `steps` steps, minus the start.
double moved(const std::string& event, int steps) {
  const LoadResult r = load_scenario_text(two_actors(event), "t.yaml");
  if (!r.ok()) {
    ADD_FAILURE() << format_diagnostic(r.errors.front());
    return 0.0;
  }
  RunOptions options;
  options.steps = steps;
  const RunResult run = run_scenario(*r.scenario, options);
  return run.tension.back()(0, 1) - run.tension.front()(0, 1);
}

TEST(Cameo, ASignedAgreementOutlivesTheQuarterAVisitDoesNot) {
  // 057 (sign formal agreement, +8.0): tension -0.08 and, lasting share 0.5, baseline -0.04 on
  // both sides. Two actors, no spillover: the model is linear in T - B, so the settled state
  // moves by exactly the baseline change, -0.04 (docs/model.md, Reduction to Richardson).
  const std::string agreement = "  - {id: e, step: 1, cameo: \"057\", effects: [{between: [A, B]}]}\n";
  EXPECT_NEAR(moved(agreement, 600), -0.04, 1e-9);
  EXPECT_LT(moved(agreement, 14), -0.04);  // a quarter after: still more than the lasting part
  // 043 (make a visit... host a visit, +2.8), verbal: nothing lasts.
  EXPECT_NEAR(moved("  - {id: e, step: 1, cameo: \"043\", effects: [{between: [A, B]}]}\n", 600), 0.0, 1e-9);
  // `lasting:` overrides the rule, both ways.
  EXPECT_NEAR(moved("  - {id: e, step: 1, cameo: \"057\", lasting: 0, effects: [{between: [A, B]}]}\n", 600), 0.0,
              1e-9);
  EXPECT_NEAR(moved("  - {id: e, step: 1, cameo: \"043\", lasting: 1, effects: [{between: [A, B]}]}\n", 600), -0.028,
              1e-9);
  const LoadResult r = load_scenario_text(
      two_actors("  - {id: e, step: 1, lasting: 0.5, effects: [{between: [A, B], tension: 0.1}]}\n"), "t.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.errors.front().message.find("'lasting' only on an event with a 'cameo'"), std::string::npos);
}

}  // namespace
}  // namespace geosim
