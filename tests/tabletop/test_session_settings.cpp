// play --set: a session's model parameters set as `run --set` sets them, kept over the policies
// moved in, saved with the session and read back when it resumes.
#include <gtest/gtest.h>

#include <algorithm>

#include <geosim/core/run.hpp>
#include <geosim/io/catalog.hpp>
#include <geosim/tabletop/session_file.hpp>
#include <nlohmann/json.hpp>

#include "support/session_play.hpp"

namespace geosim {
namespace {

using testing::run_ok;

std::optional<Session> start_set(std::vector<ParameterSetting> settings, std::vector<Diagnostic>& errors,
                                 std::vector<std::string> policies = {}) {
  return Session::start({"realignment",
                         std::move(policies),
                         11,
                         GEOSIM_SCENARIOS_DIR,
                         "",
                         {},
                         {},
                         std::move(settings),
                         kEnsembleMemoryBudget},
                        errors);
}

/// The shipped scenario loaded as `run NAME --policy ... --set ...` loads it.
Scenario loaded(const std::vector<ParameterSetting>& settings, const std::vector<std::string>& policies = {}) {
  LoadOptions options;
  for (const auto& p : policies) options.policies.push_back(*resolve_policy(p, GEOSIM_SCENARIOS_DIR));
  options.settings = settings;
  LoadResult r = load_scenario(*resolve_scenario("realignment", GEOSIM_SCENARIOS_DIR), options);
  EXPECT_TRUE(r.ok());
  return std::move(*r.scenario);
}

TEST(SessionSettings, ASessionStepsAsTheRunWithTheSameSettings) {
  const std::vector<ParameterSetting> settings{{"spillover", 0.03}, {"restraint.VNM", 0.3}};
  std::vector<Diagnostic> errors;
  auto s = start_set(settings, errors);
  ASSERT_TRUE(s) << format_diagnostic(errors.front());
  EXPECT_EQ(s->scenario().parameters.spillover, 0.03);
  EXPECT_EQ(s->scenario().actors[*s->scenario().find_actor("VNM")].restraint, 0.3);
  EXPECT_EQ(s->scenario().settings, (std::vector<std::string>{"spillover=0.03", "restraint.VNM=0.3"}));
  run_ok(*s, "step 20");
  const RunResult run = run_scenario(loaded(settings), {11, 0, 20});
  EXPECT_TRUE(s->current().state.tension == run.tension[20]) << "bit for bit, the run with --set";
  const RunResult unset = run_scenario(loaded({}), {11, 0, 20});
  EXPECT_FALSE(s->current().state.tension == unset.tension[20]) << "and not the run without";
}

TEST(SessionSettings, WhatIsSetStaysSetOverAPolicyMovedIn) {
  // economic-engagement adds 0.01 to VNM's restraint; --set restraint.VNM=0.2 is over it, as in
  // `run realignment --policy economic-engagement --set restraint.VNM=0.2`.
  std::vector<Diagnostic> errors;
  auto s = start_set({{"restraint.VNM", 0.2}}, errors);
  ASSERT_TRUE(s);
  run_ok(*s, "step 3");
  run_ok(*s, "move economic-engagement");
  const std::size_t vnm = *s->scenario().find_actor("VNM");
  EXPECT_EQ(s->current().scenario.actors[vnm].restraint, 0.2);
  EXPECT_EQ(loaded({{"restraint.VNM", 0.2}}, {"economic-engagement"}).actors[vnm].restraint, 0.2);
  EXPECT_NE(loaded({}, {"economic-engagement"}).actors[vnm].restraint, loaded({}).actors[vnm].restraint)
      << "the policy does change it without --set";
}

TEST(SessionSettings, SavedAndResumedWithTheirSettings) {
  std::vector<Diagnostic> errors;
  auto s = start_set({{"spillover", 0.03}, {"baseline.VNM.PRK", -0.0}}, errors);
  ASSERT_TRUE(s);
  run_ok(*s, "step 5");
  run_ok(*s, "move quiet-diplomacy");
  run_ok(*s, "step 7");
  const std::string text = session_to_json(*s, "");
  const nlohmann::json saved = nlohmann::json::parse(text);
  EXPECT_EQ(saved["settings"], nlohmann::json::array({"spillover=0.03", "baseline.VNM.PRK=0"})) << "-0 written as 0";
  ResumeResult r = session_from_json(text, "session.json", GEOSIM_SCENARIOS_DIR);
  ASSERT_TRUE(r.session) << (r.errors.empty() ? "" : format_diagnostic(r.errors.front()));
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(r.session->scenario().settings, s->scenario().settings);
  EXPECT_TRUE(r.session->current().state.tension == s->current().state.tension);
  // without settings, no key (a session saved before play --set had none)
  std::vector<Diagnostic> none;
  auto plain = start_set({}, none);
  ASSERT_TRUE(plain);
  EXPECT_FALSE(nlohmann::json::parse(session_to_json(*plain, "")).contains("settings"));
}

TEST(SessionSettings, ATamperedSettingIsPlacedInTheSessionFile) {
  std::vector<Diagnostic> errors;
  auto s = start_set({{"spillover", 0.03}}, errors);
  ASSERT_TRUE(s);
  std::string text = session_to_json(*s, "");
  const std::string good = "\"spillover=0.03\"";
  const std::size_t at = text.find(good);
  ASSERT_NE(at, std::string::npos);
  for (const auto& [bad, message] : std::vector<std::pair<std::string, std::string>>{
           {"\"spillover=7\"",
            "expected entry 1 of 'settings' to be a setting like --set's: expected a value from 0 "
            "to 1 "
            "for 'spillover', found '7'"},
           {"\"spillover\"", "expected NAME=VALUE"},
           {"3", "expected each entry of 'settings' to be NAME=VALUE text"}}) {
    std::string tampered = text;
    tampered.replace(at, good.size(), bad);
    const ResumeResult r = session_from_json(tampered, "session.json", GEOSIM_SCENARIOS_DIR);
    ASSERT_FALSE(r.session) << bad;
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_NE(r.errors[0].message.find(message), std::string::npos) << r.errors[0].message;
    // the line of the value in the file (1-based)
    EXPECT_EQ(r.errors[0].line, 1 + std::count(text.begin(), text.begin() + long(at), '\n')) << bad;
  }
}

TEST(SessionSettings, ASavedSettingTheScenarioRefusesIsPlacedAtSettingsNotBlamedOnSet) {
  std::vector<Diagnostic> errors;
  auto s = start_set({{"restraint.VNM", 0.3}}, errors);
  ASSERT_TRUE(s);
  const std::string text = session_to_json(*s, "");
  const std::size_t at = text.find("\"restraint.VNM=0.3\"");
  ASSERT_NE(at, std::string::npos);
  const std::size_t settings_at = text.find("\"settings\"");
  for (const char* bad : {"\"restraint.XYZ=0.3\"", "\"bogus=0.1\""}) {
    std::string tampered = text;
    tampered.replace(at, std::string("\"restraint.VNM=0.3\"").size(), bad);
    const ResumeResult r = session_from_json(tampered, "session.json", GEOSIM_SCENARIOS_DIR);
    ASSERT_FALSE(r.session) << bad;
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].file, "session.json");
    EXPECT_EQ(r.errors[0].line, 1 + std::count(text.begin(), text.begin() + long(settings_at), '\n')) << bad;
    EXPECT_EQ(r.errors[0].message.rfind("a setting saved in the session: ", 0), 0u) << r.errors[0].message;
  }
}

TEST(SessionSettings, SaveRefusesWhatResumeWouldRefuse) {
  std::vector<Diagnostic> errors;
  auto s = start_set({}, errors, {"quiet-diplomacy"});
  ASSERT_TRUE(s);
  const std::string text = session_to_json(*s, "");
  EXPECT_EQ(session_save_error(text), "");
  ASSERT_TRUE(session_from_json(text, "s.json", GEOSIM_SCENARIOS_DIR).session);
  // the policy's file as it would be stored: 1,001 bytes, or with a tab
  nlohmann::json j = nlohmann::json::parse(text);
  const std::string file = j["policies"][0]["file"];
  for (const std::string& stored : {std::string(kMaxSessionText + 1, 'd'), std::string("p\tq.yaml")}) {
    j["policies"][0]["file"] = stored;
    const std::string bad = j.dump(2);
    EXPECT_EQ(session_save_error(bad).rfind("the file of entry 1 of 'policies', as the session file would store it, "
                                            "is over 1000 bytes or holds a control character",
                                            0),
              0u)
        << session_save_error(bad);
    EXPECT_FALSE(session_from_json(bad, "s.json", GEOSIM_SCENARIOS_DIR).session) << "resume does refuse it";
  }
  j["policies"][0]["file"] = file;
  j["scenario"]["name"] = std::string(kMaxSessionText + 1, 'n');
  EXPECT_NE(session_save_error(j.dump(2)).find("the name of the scenario"), std::string::npos);
}

TEST(SessionSettings, WhatASavedSessionCannotKeepIsRefusedAtTheStart) {
  std::vector<Diagnostic> errors;
  EXPECT_FALSE(start_set({}, errors, std::vector<std::string>(kMaxSessionPolicyFiles + 1, "quiet-diplomacy")));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(format_diagnostic(errors[0]),
            "--policy: error: at most 64 policies from the start (a saved session keeps that "
            "many), found 65");
  errors.clear();
  EXPECT_FALSE(start_set({}, errors, {std::string(kMaxSessionText + 1, 'p')}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("at most 1000 bytes"), std::string::npos) << errors[0].message;
  errors.clear();
  EXPECT_FALSE(start_set({{"restraint.XYZ", 0.1}}, errors));
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(format_diagnostic(errors[0]).rfind("--set: error: unknown actor 'XYZ'", 0), 0u)
      << format_diagnostic(errors[0]);
}

}  // namespace
}  // namespace geosim
