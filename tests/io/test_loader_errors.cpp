// Loader tests, well-formed but wrong: unknown or missing keys, wrong types and ranges, unknown
// references, includes and sources: one line per problem naming the file, line and column, what
// was expected and what was found; never a silently accepted typo.
#include <gtest/gtest.h>
#include <sys/stat.h>
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
// Keys: missing, unknown (with a suggestion), duplicate

TEST(LoaderKeys, UnknownKeyWithSuggestion) {
  // One problem, one line: no second "missing key 'tension'" for the same typo.
  auto c = body("relations:\n  - between: [VNM, PRK]\n    tenson: 0.3\n");
  EXPECT_TRUE(fails_once(c.result, c.at("tenson"), {"unknown key 'tenson' in a relation", "did you mean 'tension'?"}));
  c = body("evnts: []\n");
  EXPECT_TRUE(
      fails_once(c.result, c.at("evnts"), {"unknown key 'evnts' in a scenario file", "did you mean 'events'?"}));
  c = body("events:\n  - {id: a, step: 1, probabilty: 0.5}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("probabilty"),
                         {"unknown key 'probabilty' in an event", "did you mean 'probability'?"}));
  c = body("events:\n  - {id: a, step: 1, effects: [{betwen: [VNM, PRK], tension: 0.1}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("betwen"), {"unknown key 'betwen' in an effect", "did you mean 'between'?"}));
  c = body("events:\n  - {id: a, step: 1, follow_ups: [{evnt: a, delay: 1}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("evnt"), {"unknown key 'evnt' in a follow-up", "did you mean 'event'?"}));
  c = raw("scenario:\n  id: t\n  tittle: T\n  start: 2025-08-01\n  steps: 3\nactors: [{id: VNM}, {id: PRK}]\n");
  EXPECT_TRUE(fails_once(c.result, c.at("tittle"), {"unknown key 'tittle' in 'scenario'", "did you mean 'title'?"}));
}

// Too few actors is placed at the list that has too few (it was the file as a whole, without a
// line); a scenario with no list of actors at all is said at the file's start, as a missing key.
TEST(LoaderKeys, TooFewActorsIsPlacedAtTheirList) {
  auto c = raw("scenario: {id: t, title: T, start: 2025-08-01, step_days: 7, steps: 3}\nactors: [{id: VNM}]\n");
  EXPECT_TRUE(fails_once(c.result, c.at("[{id: VNM}]"), {"expected at least two actors, found 1"}));
  c = raw("scenario: {id: t, title: T, start: 2025-08-01, step_days: 7, steps: 3}\n");
  ASSERT_EQ(c.result.errors.size(), 1u);
  EXPECT_EQ(c.result.errors[0].line, 1);
  EXPECT_EQ(c.result.errors[0].column, 1);
  EXPECT_EQ(c.result.errors[0].message, "missing key 'actors' (a list of at least two actors) in the scenario");
}

TEST(LoaderKeys, UnknownKeyWithoutCloseMatchListsTheKnownOnes) {
  auto c = body("defaults: {colour: red}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("colour"),
                         {"unknown key 'colour' in 'defaults'", "(expected one of: tension, baseline, tie)"}));
}

TEST(LoaderKeys, TwoUnknownKeysGiveTwoLines) {
  auto c = body("relations:\n  - between: [VNM, PRK]\n    tension: 0.3\n    tye: 0.1\n    basline: 0.2\n");
  ASSERT_TRUE(failed_cleanly(c.result));
  EXPECT_EQ(c.result.errors.size(), 2u) << dump(c.result);
  EXPECT_TRUE(fails_with(c.result, c.at("tye"), {"unknown key 'tye'", "did you mean 'tie'?"}));
  EXPECT_TRUE(fails_with(c.result, c.at("basline"), {"unknown key 'basline'", "did you mean 'baseline'?"}));
}

TEST(LoaderKeys, ProblemsInSeveralSectionsAreAllReported) {
  auto c = body(
      "parameters: {spillover: 2}\n"
      "relations:\n  - {between: [VNM, PRK], tension: 0.3, tye: 0.1}\n"
      "events:\n  - {id: a, step: 99}\n  - {id: B, step: 1}\n");
  ASSERT_TRUE(failed_cleanly(c.result));
  EXPECT_EQ(c.result.errors.size(), 4u) << dump(c.result);
  EXPECT_TRUE(fails_with(c.result, c.after("spillover: "), {"expected 'spillover' in [0, 1], found 2"}));
  EXPECT_TRUE(fails_with(c.result, c.at("tye"), {"unknown key 'tye'"}));
  EXPECT_TRUE(fails_with(c.result, c.at("99"), {"expected 'step' (a step number or a date) in [1, 20], found 99"}));
  EXPECT_TRUE(fails_with(c.result, c.at("B,"), {"expected an event id of lower-case letters", "found 'B'"}));
}

TEST(LoaderKeys, MissingKeys) {
  auto c = raw("scenario:\n  id: t\n  start: 2025-08-01\n  steps: 3\nactors: [{id: VNM}, {id: PRK}]\n");
  EXPECT_TRUE(fails_once(c.result, c.at("id: t"), {"missing key 'title' in 'scenario'"}));
  c = raw("actors: [{id: VNM}, {id: PRK}]\n");
  EXPECT_TRUE(fails_once(c.result, At{"case.yaml", 1, 1}, {"missing key 'scenario'"}));
  c = raw("scenario: {id: t, title: T, steps: 3}\nactors: [{id: VNM}, {id: PRK}]\n");
  EXPECT_TRUE(fails_once(c.result, At{"case.yaml", 1, 1}, {"missing key 'start' in 'scenario'"}));
  c = body("relations:\n  - between: [VNM, PRK]\n    tie: 0.1\n");
  EXPECT_TRUE(fails_once(c.result, c.at("between"), {"missing key 'tension' in a relation"}));
  c = body("relations:\n  - {tension: 0.1}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{tension"), {"missing key 'between' (or 'from' and 'to') in a relation"}));
  c = body("events:\n  - title: no id\n    step: 1\n");
  EXPECT_TRUE(fails_once(c.result, c.at("title"), {"missing key 'id' in an event"}));
  c = body("events:\n  - {id: a, step: 1, follow_ups: [{delay: 2}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{delay"), {"missing key 'event' in a follow-up"}));
  c = body("events:\n  - {id: a, step: 1, effects: [{between: [VNM, PRK]}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{between"),
                         {"expected at least one of 'tension', 'baseline' or 'tie'", "found none"}));
}

TEST(LoaderKeys, DuplicateKeys) {
  // yaml-cpp keeps both; the second would be silently ignored.
  auto c = body("relations:\n  - between: [VNM, PRK]\n    tension: 0.2\n    tension: 0.9\n");
  EXPECT_TRUE(fails_once(
      c.result, c.at("tension", 2),
      {"duplicate key 'tension' in a relation", "first given at line " + std::to_string(H + 3) + ", column 5"}));
  c = body("events: []\nevents: []\n");
  EXPECT_TRUE(fails_once(c.result, c.at("events", 2), {"duplicate key 'events' in a scenario file"}));
  c = body("actors: []\n");
  EXPECT_TRUE(fails_once(c.result, c.at("actors"), {"duplicate key 'actors'", "first given at line 7, column 1"}));
}

TEST(LoaderKeys, KeyThatIsNotText) {
  auto c = body("defaults: {[tension]: 0.3}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("[tension]"), {"expected a key of 'defaults'", "found a list"}));
}

// ---------------------------------------------------------------------------------------------
// Types and ranges

TEST(LoaderValues, WrongTypes) {
  const std::string actors = "\nactors: [{id: VNM}, {id: PRK}]\n";
  auto c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: many}" + actors);
  EXPECT_TRUE(
      fails_once(c.result, c.at("many"), {"expected 'steps' as a whole number in [1, 100000]", "found 'many'"}));
  c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: 10.5}" + actors);
  EXPECT_TRUE(fails_once(c.result, c.at("10.5"), {"expected 'steps' as a whole number", "found '10.5'"}));
  c = raw("scenario: {id: t, title: T, start: 2025-02-30, steps: 3}" + actors);
  EXPECT_TRUE(
      fails_once(c.result, c.at("2025-02-30"), {"expected 'start' as a date YYYY-MM-DD", "found '2025-02-30'"}));
  c = raw("scenario: {id: t, title: [T], start: 2025-08-01, steps: 3}" + actors);
  EXPECT_TRUE(fails_once(c.result, c.at("[T]"), {"expected the scenario title as text", "found a list"}));
  c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: 3}\nactors: VNM\n");
  EXPECT_TRUE(fails_once(c.result, c.at("VNM"), {"expected 'actors' as a list", "found 'VNM'"}));
  c = body("relations:\n  - {between: [VNM, PRK], tension: [0.3]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("[0.3]"), {"expected 'tension' as a number in [0, 1]", "found a list"}));
  c = body("relations:\n  - {between: VNM, tension: 0.3}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("VNM"), {"expected 'between' as a list of two actors [A, B]", "found 'VNM'"}));
  c = body("relations:\n  - {between: [VNM, PRK, SGP], tension: 0.3}\n");
  EXPECT_TRUE(
      fails_once(c.result, c.at("[VNM"), {"expected 'between' as a list of two actors [A, B]", "found a list"}));
  c = body("events:\n  - {id: a, step: 1, probability: yes}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("yes"), {"expected 'probability' as a number in [0, 1]", "found 'yes'"}));
  c = body("events:\n  - {id: a, step: 1, effects: {between: [VNM, PRK], tension: 0.1}}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{between"), {"expected 'effects' as a list", "found a mapping"}));
  c = body("relations:\n  - {between: [VNM, PRK], tension: 0.3, note: {a: b}}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{a: b}"), {"expected a note as text", "found a mapping"}));
  c = body("events:\n  - {id: a, step: 1, cameo: \"999\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("\"999\""), {"expected a known CAMEO code", "found '999'"}));
  // the effects the unknown code was to size are not reported again
  c = body("events:\n  - {id: a, step: 1, cameo: \"999\", effects: [{between: [VNM, PRK]}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("\"999\""), {"expected a known CAMEO code", "found '999'"}));
  c = raw(kHead.substr(0, kHead.find("  - {id: ASEAN")) + "  - {id: ASEAN, kind: union}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("union"), {"expected kind 'state' or 'organization'", "found 'union'"}));
  c = body("relations:\n  - {between: [VNM, VNM], tension: 0.3}\n");
  EXPECT_TRUE(
      fails_once(c.result, c.at("{between"), {"expected two different actors in a relation", "found 'VNM' twice"}));
  c = body("events:\n  - {id: a, step: 1, effects: [{between: [VNM, PRK], from: VNM, tension: 0.1}]}\n");
  EXPECT_TRUE(
      fails_once(c.result, c.at("{between"), {"expected either 'between' or 'from'/'to' in an effect", "found both"}));
}

TEST(LoaderValues, OutOfRange) {
  auto c = body("relations:\n  - {between: [VNM, PRK], tension: 1.5}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("1.5"), {"expected 'tension' in [0, 1]", "found 1.5"}));
  c = body("relations:\n  - {between: [VNM, PRK], tension: 0.3, tie: -0.1}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("-0.1"), {"expected 'tie' in [0, 1]", "found -0.1"}));
  const std::string actors = "\nactors: [{id: VNM}, {id: PRK}]\n";
  c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: 0}" + actors);
  EXPECT_TRUE(fails_once(c.result, c.at("0}"), {"expected 'steps' in [1, 100000]", "found 0"}));
  c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: 3, step_days: 0}" + actors);
  EXPECT_TRUE(fails_once(c.result, c.at("0}"), {"expected 'step_days' in [1, 3660]", "found 0"}));
  c = body("events:\n  - {id: a, step: 1, probability: -0.1}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("-0.1"), {"expected 'probability' in [0, 1]", "found -0.1"}));
  c = body("events:\n  - {id: a, step: 1, follow_ups: [{event: a, delay: -1}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("-1"), {"expected 'delay' in [0, 100000]", "found -1"}));
  c = body("events:\n  - {id: a, step: 21}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("21"), {"expected 'step' (a step number or a date) in [1, 20]", "found 21"}));
  c = body("events:\n  - {id: a, date: 2025-07-31}\n");
  EXPECT_TRUE(
      fails_once(c.result, c.at("2025-07-31"),
                 {"expected 'date' within the scenario's period (2025-08-01 to 2025-12-18)", "found 2025-07-31"}));
  // The period's last day is the last step's (20 weeks from 2025-08-01 end on 2025-12-18): the day
  // after is refused, the last day taken.
  c = body("events:\n  - {id: a, date: 2025-12-19}\n");
  EXPECT_TRUE(
      fails_once(c.result, c.at("2025-12-19"),
                 {"expected 'date' within the scenario's period (2025-08-01 to 2025-12-18)", "found 2025-12-19"}));
  EXPECT_TRUE(body("events:\n  - {id: a, date: 2025-12-18, effects: [{between: [VNM, PRK], tension: 0.1}]}\n")
                  .result.errors.empty());
  c = body("events:\n  - {id: a, window: {from: 2025-09-01, to: 2025-08-20}}\n");
  EXPECT_TRUE(
      fails_once(c.result, c.at("{from"), {"expected the window's end on or after its start", "found it before"}));
  c = body("events:\n  - {id: a, step: 1, effects: [{between: [VNM, PRK], tension: -1.5}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("-1.5"), {"expected the 'tension' change in [-1, 1]", "found -1.5"}));
  c = body("events:\n  - {id: a, step: 1, date: 2025-08-02}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{id"),
                         {"expected at most one of 'date', 'step' or 'window' in an event", "found several"}));
  c = body("events:\n  - {id: a, step: 1, effects: [{between: [VNM, PRK], tension: {mean: 0.1, sd: 3}}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("3}"), {"expected the 'tension' change sd in [0, 2]", "found 3"}));
}

TEST(LoaderValues, NotANumberInfinityAndHugeNumbers) {
  const std::vector<std::pair<std::string, std::string>> cases{{".nan", "not a number"},
                                                               {".NaN", "not a number"},
                                                               {"nan", "not a number"},
                                                               {".inf", "infinite"},
                                                               {"-.inf", "infinite"},
                                                               {"+.Inf", "infinite"},
                                                               {"inf", "infinite"},
                                                               {"1e999", "too large to represent"},
                                                               {"-1e999", "too large to represent"},
                                                               {"1e-999", "too small to represent"}};
  for (const auto& [value, why] : cases) {
    SCOPED_TRACE(value);
    auto c = body("relations:\n  - {between: [VNM, PRK], tension: " + value + "}\n");
    EXPECT_TRUE(fails_once(c.result, c.at(value),
                           {"expected 'tension' as a finite number in [0, 1]", "found '" + value + "' (" + why + ")"}));
  }
  // One '+' is read, as YAML allows; two signs are not a number (+-0.04 was read as -0.04).
  auto plus = body("relations:\n  - {between: [VNM, PRK], tension: +0.25}\n");
  EXPECT_TRUE(plus.result.errors.empty()) << dump(plus.result);
  plus = body("events:\n  - {id: a, step: 1, effects: [{between: [VNM, PRK], tension: +-0.04}]}\n");
  EXPECT_TRUE(fails_once(plus.result, plus.at("+-0.04"),
                         {"expected the 'tension' change as a number in [-1, 1]", "found '+-0.04'"}))
      << dump(plus.result);
  // The same in a magnitude, a probability, a parameter, an integer and a condition.
  auto c = body("events:\n  - {id: a, step: 1, effects: [{between: [VNM, PRK], tension: {mean: .nan, sd: .inf}}]}\n");
  ASSERT_TRUE(failed_cleanly(c.result));
  EXPECT_EQ(c.result.errors.size(), 2u) << dump(c.result);
  EXPECT_TRUE(fails_with(c.result, c.at(".nan"),
                         {"expected the 'tension' change mean as a finite number", "found '.nan' (not a number)"}));
  EXPECT_TRUE(fails_with(c.result, c.at(".inf"),
                         {"expected the 'tension' change sd as a finite number", "found '.inf' (infinite)"}));
  c = body("events:\n  - {id: a, step: 1, probability: .NAN}\n");
  EXPECT_TRUE(fails_once(c.result, c.at(".NAN"), {"expected 'probability' as a finite number", "(not a number)"}));
  c = body("parameters: {noise: .inf}\n");
  EXPECT_TRUE(fails_once(c.result, c.at(".inf"), {"expected 'noise' as a finite number", "(infinite)"}));
  const std::string actors = "\nactors: [{id: VNM}, {id: PRK}]\n";
  c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: 1e999}" + actors);
  EXPECT_TRUE(fails_once(c.result, c.at("1e999"), {"expected 'steps' as a whole number", "found '1e999'"}));
  c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: 99999999999999999999999}" + actors);
  EXPECT_TRUE(
      fails_once(c.result, c.at("9999"), {"expected 'steps' as a whole number", "found '99999999999999999999999'"}));
  c = raw("scenario: {id: t, title: T, start: 2025-08-01, steps: .inf}" + actors);
  EXPECT_TRUE(fails_once(c.result, c.at(".inf"), {"expected 'steps' as a whole number", "found '.inf'"}));
  c = body("events:\n  - {id: a, step: 1, condition: \"tension(VNM, PRK) > 1e999\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("1e999"),
                         {"in condition: expected a finite number (too large to represent)", "found '1e999'"}));
  c = body("events:\n  - {id: a, step: 1, condition: \"tension(VNM, PRK) > 1e-400\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("1e-400"),
                         {"in condition: expected a finite number (too small to represent)", "found '1e-400'"}));
  c = body("events:\n  - {id: a, step: 1, condition: \"tension(VNM, PRK) > +0.31\"}\n");
  EXPECT_TRUE(c.result.errors.empty()) << "one '+', as YAML values take it: " << dump(c.result);
  c = body("events:\n  - {id: a, step: 1, condition: \"tension(VNM, PRK) > +-0.31\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("+-0.31"), {"in condition: expected a finite number", "found '+-0.31'"}));
}

// ---------------------------------------------------------------------------------------------
// References: actors, events, includes

TEST(LoaderReferences, UnknownActorListsTheKnownOnes) {
  auto c = body("relations:\n  - {between: [VNM, XXX], tension: 0.3}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("XXX"), {"unknown actor 'XXX'", kKnownActors}));
  c = body("relations:\n  - {from: PRKK, to: VNM, tension: 0.3}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("PRKK"), {"unknown actor 'PRKK'; did you mean 'PRK'?", kKnownActors}));
  c = body("events:\n  - {id: a, step: 1, effects: [{from: VNM, to: USA, tension: 0.1}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("USA"), {"unknown actor 'USA'", kKnownActors}));
  c = body("indicators:\n  - {id: x, kind: mean, relations: [[VNM, PRK], [SGP, CHN]]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("CHN"), {"unknown actor 'CHN'", kKnownActors}));
  c = body("indicators:\n  - {id: x, kind: cohesion, of: EU}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("EU"), {"unknown actor 'EU'", kKnownActors}));
  c = body("indicators:\n  - {id: x, kind: cohesion, of: VNM}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("VNM"), {"expected an organization for 'of'", "found the state 'VNM'"}));
  c = raw(kHead.substr(0, kHead.find("  - {id: ASEAN")) + "  - {id: ASEAN, kind: organization, members: [VNM, MYS]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("MYS"), {"unknown actor 'MYS' in members", kKnownActors}));
  c = body("events:\n  - {id: a, step: 1, condition: \"tie(VNM, EU) > 0.5\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("EU"), {"in condition: unknown actor 'EU'", kKnownActors}));
}

TEST(LoaderReferences, UnknownOrganization) {
  auto c = body("events:\n  - {id: a, step: 1, effects: [{between: [members(EU), PRK], tension: 0.1}]}\n");
  EXPECT_TRUE(
      fails_once(c.result, c.at("members(EU)"),
                 {"expected members(ORGANIZATION), found unknown organization 'EU'", "(known organizations: ASEAN)"}));
  c = body("events:\n  - {id: a, step: 1, effects: [{between: [members(VNM), PRK], tension: 0.1}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("members(VNM)"), {"found unknown organization 'VNM'"}));
}

TEST(LoaderReferences, ConditionColumnsPlainAndQuoted) {
  const std::string condition = "tension(VNM, PRK) > 0.5 and tension(VNM, XYZ) < 1";
  for (const std::string& written : {condition, "\"" + condition + "\"", "'" + condition + "'"}) {
    SCOPED_TRACE(written);
    auto c = body("events:\n  - id: a\n    step: 1\n    condition: " + written + "\n");
    EXPECT_TRUE(fails_once(c.result, c.at("XYZ"), {"in condition: unknown actor 'XYZ'", kKnownActors}));
    c = body("events:\n  - {id: a, step: 1, condition: " + (written[0] == 't' ? "\"" + written + "\"" : written) +
             "}\n");
    EXPECT_TRUE(fails_once(c.result, c.at("XYZ"), {"in condition: unknown actor 'XYZ'"}));
  }
  // An error at the end of the text points just after it.
  for (const std::string& written : {std::string("tension(VNM, PRK) >"), std::string("\"tension(VNM, PRK) >\"")}) {
    auto c = body("events:\n  - id: a\n    condition: " + written + "\n");
    EXPECT_TRUE(fails_once(c.result, c.after("PRK) >"),
                           {"in condition: expected a finite number", "found the end of the condition"}));
  }
  auto c = body("events:\n  - {id: a, condition: \"indicator(risk) > 0.5\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("risk"), {"in condition: unknown indicator 'risk'"}));
  c = body("events:\n  - {id: a, condition: \"tension(VNM, PRK) >> 0.5\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("> 0.5"), {"in condition: expected a finite number", "found '>'"}));
  // Escapes or folding move the text away from the file's columns: the start of the condition.
  c = body("events:\n  - id: a\n    condition: \"tension(VNM, \\x50RK) > 0.5 and tie(VNM, XYZ) < 1\"\n");
  EXPECT_TRUE(fails_once(c.result, c.at("\"tension"), {"in condition: unknown actor 'XYZ'"}));
  c = body("events:\n  - id: a\n    condition: >\n      tension(VNM, PRK) > 0.5 and\n      tension(VNM, XYZ) < 1\n");
  EXPECT_TRUE(fails_once(c.result, c.at(">\n"), {"in condition: unknown actor 'XYZ'"}));
}

TEST(LoaderReferences, ColumnsCountCharactersNotBytes) {
  // "Việt Nam–Hàn" is 12 characters in 18 bytes.
  auto c = body("relations:\n  - {note: \"Việt Nam–Hàn\", between: [VNM, PRK], tenson: 0.3}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("tenson"), {"unknown key 'tenson'"}));
  c = body("events:\n  - {id: a, title: \"Hà Nội\", condition: \"tension(VNM, XYZ) > 0.5\"}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("XYZ"), {"in condition: unknown actor 'XYZ'"}));
  c = body("events:\n  - {id: a, condition: \"tension(VNM, PRK) > 0.5 and ‘x’\"}\n");
  EXPECT_TRUE(fails_once(
      c.result, c.at("‘x’"),
      {"in condition: expected tension(A, B), baseline(A, B), tie(A, B), indicator(id), 'not' or '('", "found '‘x’'"}));
  c = body("relations:\n  - {note: \"Việt Nam–Hàn\", between: [VNM, PRK], tension: 0.3\n");
  EXPECT_TRUE(fails_once(c.result, c.after("0.3"),
                         {"invalid YAML: expected ',' or '}' in a { } mapping", "found the end of the file"}));
}

TEST(LoaderReferences, DuplicateIds) {
  auto c = raw(kHead + "  - {id: PRK, name: again}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("PRK, name"), {"duplicate actor id 'PRK'", "first defined at case.yaml:9:5"}));
  c = body("events:\n  - {id: a, step: 1}\n  - {id: b, step: 1}\n  - {id: a, step: 2}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("a, step: 2"),
                         {"duplicate event id 'a'", "first defined at case.yaml:" + std::to_string(H + 2) + ":5"}));
  c = body("indicators:\n  - {id: x, kind: cohesion, of: ASEAN}\n  - {id: x, kind: mean, relations: [[VNM, PRK]]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("x, kind: mean"), {"duplicate indicator id 'x'"}));
  c = body("relations:\n  - {between: [VNM, PRK], tension: 0.3}\n  - {from: PRK, to: VNM, tension: 0.4}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{from"), {"duplicate relation PRK -> VNM (each ordered pair is given once)"}));
  // A pair listed again, either way round, would weigh twice in the indicator's mean.
  c = body("indicators:\n  - {id: x, kind: mean, relations: [[VNM, PRK], [PRK, VNM]]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("[PRK, VNM]"), {"expected each pair once, found PRK–VNM again"}));
  c = body("indicators:\n  - {id: x, kind: max, relations: [[VNM, PRK], [VNM, PRK]]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("[VNM, PRK]]"), {"expected each pair once, found VNM–PRK again"}));
  // Event ids are unique across included files.
  c = body("include: [shared_events.yaml]\nevents:\n  - {id: shared, step: 2}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("shared, step"), {"duplicate event id 'shared'", "shared_events.yaml:3:5"}));
}

TEST(LoaderReferences, FollowUpToAMissingEvent) {
  auto c = body(
      "events:\n  - id: statement\n  - id: visit\n    step: 1\n    follow_ups:\n      - {event: statment, delay: 2}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("statment"),
                         {"follow-up refers to unknown event 'statment'", "did you mean 'statement'?"}));
}

TEST(LoaderReferences, CycleOfZeroDelayFollowUps) {
  auto c = body(
      "events:\n"
      "  - id: a\n    step: 1\n    follow_ups: [{event: b, delay: 0}]\n"
      "  - id: b\n    follow_ups: [{event: c, delay: 0}]\n"
      "  - id: c\n    follow_ups: [{event: a, delay: 0}]\n");
  EXPECT_TRUE(fails_once(c.result, c.at("id: a"),
                         {"follow-ups with zero delay form a cycle that would never end", "a -> b -> c -> a"}));
  c = body("events:\n  - {id: a, follow_ups: [{event: a, delay: 0}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{id: a"), {"cycle", "a -> a"}));
  // With a delay somewhere in the loop it stops each step, but firing for ever (a growth
  // factor of 1) is refused as self-reinforcing; below 1 it dies out: fine.
  c = body(
      "events:\n  - {id: a, step: 1, follow_ups: [{event: b, delay: 0}]}\n"
      "  - {id: b, follow_ups: [{event: a, delay: 1}]}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{id: a"), {"self-reinforcing cycle (a, b)", "on average 1.00 more"}));
  EXPECT_TRUE(loads(body("events:\n  - {id: a, step: 1, follow_ups: [{event: b, delay: 0}]}\n"
                         "  - {id: b, follow_ups: [{event: a, delay: 1, probability: 0.9}]}\n")
                        .result));
}

// A start that is no date is one problem: the period is not then checked from 1970-01-01, a
// date the user never wrote.
TEST(LoaderErrors, AStartThatIsNoDateIsOneError) {
  const Case c =
      raw("scenario:\n  id: t\n  title: T\n  start: 2025-8-1\n  step_days: 3000\n  steps: 3000\n"
          "actors: [{id: AAA}, {id: BBB}]\n");
  EXPECT_TRUE(fails_once(c.result, c.at("2025-8-1"), {"expected 'start' as a date YYYY-MM-DD, found '2025-8-1'"}));
}

TEST(LoaderIncludes, MissingInclude) {
  auto r = load_scenario(kBad + "/include_missing.yaml");
  EXPECT_TRUE(fails_once(r, At{"include_missing.yaml", 4, 5}, {"include 'nowhere.yaml' not found", "looked for"}));
  auto c = body("include: nowhere.yaml\n");
  EXPECT_TRUE(fails_once(c.result, c.at("nowhere"), {"include 'nowhere.yaml' not found"}));
  c = body("include: [.]\n");
  EXPECT_TRUE(fails_once(c.result, c.at("."), {"include '.' is not a regular file (a folder): only files are read"}));
  // A FIFO is named as one, and never opened (a read would wait for a writer).
  const std::filesystem::path fifo =
      std::filesystem::temp_directory_path() / ("geosim_fifo_" + std::to_string(::getpid()));
  std::filesystem::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  c = body("include: ['" + fifo.string() + "']\n");
  EXPECT_TRUE(fails_once(c.result, c.at("'" + fifo.string()), {"is not a regular file (a FIFO): only files are read"}));
  std::filesystem::remove(fifo);
}

TEST(LoaderIncludes, FileIncludingItself) {
  auto r = load_scenario(kBad + "/include_self.yaml");
  EXPECT_TRUE(fails_once(r, At{"include_self.yaml", 2, 32}, {"include 'include_self.yaml' includes the file itself"}));
}

TEST(LoaderIncludes, CycleOfIncludes) {
  auto r = load_scenario(kBad + "/include_cycle_a.yaml");
  EXPECT_TRUE(
      fails_once(r, At{"include_cycle_b.yaml", 2, 32}, {"include 'include_cycle_a.yaml' forms a cycle of includes"}));
  // Entered from text, the cycle is the same.
  auto c = raw("include: [include_cycle_a.yaml]\n");
  EXPECT_TRUE(fails_once(c.result, At{"include_cycle_b.yaml", 2, 32}, {"forms a cycle of includes"}));
}

TEST(LoaderIncludes, TooDeepAChainOfIncludes) {
  TempDir dir;
  const int files = 20;
  for (int k = 0; k < files; ++k) {
    const std::string next = "chain_" + std::to_string(k + 1) + ".yaml";
    dir.write("chain_" + std::to_string(k) + ".yaml", k == 0          ? kHead + "include: [" + next + "]\n"
                                                      : k + 1 < files ? "include: [" + next + "]\n"
                                                                      : "events: []\n");
  }
  auto r = load_scenario((dir.path / "chain_0.yaml").string());
  // chain_0 .. chain_16 are 17 files deep: chain_16 may not include another.
  EXPECT_TRUE(fails_once(r, At{"chain_16.yaml", 1, 11}, {"expected includes nested at most 16 deep", "found deeper"}));
}

TEST(LoaderIncludes, ProblemInAnIncludedFileNamesThatFile) {
  auto r = load_scenario(kBad + "/include_broken.yaml");
  EXPECT_TRUE(
      fails_once(r, At{"broken_part.yaml", 4, 12}, {"invalid YAML: expected ',' or ']' in a [ ] list", "found ':'"}));
}

TEST(LoaderIncludes, IncludeOfTheWrongType) {
  auto c = body("include: {file: x.yaml}\n");
  EXPECT_TRUE(fails_once(c.result, c.at("{file"), {"expected include as a list of names", "found a mapping"}));
  c = body("include: [[x.yaml]]\n");
  EXPECT_TRUE(fails_once(c.result, c.at("[x.yaml]"), {"expected include as text", "found a list"}));
}

}  // namespace
}  // namespace geosim
