// Played vs untouched in the tabletop mode, run by run: an inject that changes nothing has an
// effect of exactly 0 in every run (the draws are keyed, so the chance events fire alike), and a
// move's effect is set against the untouched scenario's same runs.
#include <gtest/gtest.h>
#include <geosim/core/run.hpp>
#include <geosim/tabletop/after_action.hpp>
#include <geosim/tabletop/played_effect.hpp>
#include <geosim/tabletop/session.hpp>
#include <geosim/tabletop/session_command.hpp>

#include "support/session_play.hpp"

#include <filesystem>

#include <unistd.h>
#include "support/builders.hpp"

namespace geosim {
namespace {

Session start(std::uint64_t seed = 1) { return testing::start_shipped("realignment", seed); }
using testing::run_ok;

const PlayedEffect& find(const std::vector<PlayedEffect>& effects, const std::string& id) {
  for (const auto& e : effects)
    if (e.id == id) return e;
  ADD_FAILURE() << "no indicator " << id;
  return effects.front();
}

TEST(PlayedEffect, NoInjectOrMoveNothingToCompare) {
  Session s = start();
  run_ok(s, "step 10");
  std::string error;
  EXPECT_TRUE(played_effects(s, 5, error).empty());
  EXPECT_EQ(error, "");
}

TEST(PlayedEffect, AnInjectThatChangesNothingHasNoEffectInAnyRun) {
  Session s = start(4);
  run_ok(s, "step 3");
  run_ok(s, "inject adhoc \"Words only\" SGP<->VNM tension 0");
  run_ok(s, "step 49");
  std::string error;
  const auto effects = played_effects(s, 30, error);
  ASSERT_EQ(effects.size(), s.scenario().indicators.size()) << error;
  for (const auto& e : effects) {
    EXPECT_EQ(e.effect.runs, 30);
    EXPECT_EQ(e.effect.mean, 0.0) << e.id;
    EXPECT_EQ(e.effect.low, 0.0) << e.id;
    EXPECT_EQ(e.effect.high, 0.0) << e.id;
    EXPECT_EQ(e.played, e.untouched) << e.id;
  }
}

TEST(PlayedEffect, AMoveIsSetAgainstTheUntouchedScenarioRunByRun) {
  Session s = start();
  run_ok(s, "move quiet-diplomacy");
  run_ok(s, "step 52");
  std::string error;
  const auto effects = played_effects(s, 20, error);
  ASSERT_FALSE(effects.empty()) << error;
  const PlayedEffect& e = find(effects, "vnm_sgp");
  // The untouched value is `geosim run realignment --seed 1`'s; the played one the branch's.
  const RunResult untouched = run_scenario(s.scenario(), RunOptions{1, 0, -1});
  std::size_t k = 0;
  while (s.scenario().indicators[k].id != "vnm_sgp") ++k;
  EXPECT_EQ(e.untouched, untouched.indicators.back()[k]);
  EXPECT_LT(e.played, e.untouched);  // quiet diplomacy eases Singapore–Vietnam
  EXPECT_EQ(e.effect.runs, 20);
  EXPECT_LT(e.effect.mean, 0.0);
  EXPECT_EQ(e.effect.sign_agreement, 1.0);
  EXPECT_LE(e.effect.low, e.effect.mean);
  EXPECT_GE(e.effect.high, e.effect.mean);
  // The after-action record carries it.
  const std::string md = after_action_markdown(gather_after_action(s));
  EXPECT_NE(md.find("## Played vs untouched"), std::string::npos);
}

TEST(PlayedEffect, ReplaysFromTheLoadedFilesWithoutReadingThemAgain) {
  // The session's folder is a copy that is emptied after play: the 100 replays must use what the
  // session loaded. Each replay is checked against a fresh restore of the branch in that run,
  // made while the files were there (the independent path: load, then replay the history).
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("geosim_played_effect_files_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::copy(GEOSIM_SCENARIOS_DIR, dir, std::filesystem::copy_options::recursive);
  std::vector<Diagnostic> errors;
  const SessionSetup setup{"realignment", {}, 2, dir.string(), "", {}, {}, {}, kEnsembleMemoryBudget};
  auto session = Session::start(setup, errors);
  ASSERT_TRUE(session) << (errors.empty() ? "" : format_diagnostic(errors.front()));
  run_ok(*session, "step 4");
  run_ok(*session, "move quiet-diplomacy");
  run_ok(*session, "step 20");
  const int runs = 6;
  std::vector<Eigen::MatrixXd> restored;
  for (int r = 0; r < runs; ++r) {
    auto fresh = Session::restore(setup, session->records(), session->current().name, errors, std::uint64_t(r));
    ASSERT_TRUE(fresh) << (errors.empty() ? "" : format_diagnostic(errors.front()));
    restored.push_back(fresh->current().state.tension);
  }
  std::filesystem::remove_all(dir);
  for (int r = 0; r < runs; ++r) {
    std::string error;
    const auto replayed = session->replay_current(std::uint64_t(r), error);
    ASSERT_TRUE(replayed) << error;
    EXPECT_EQ(replayed->state.tension, restored[std::size_t(r)]) << "run " << r;
  }
  std::string error;
  EXPECT_EQ(played_effects(*session, runs, error).size(), session->scenario().indicators.size()) << error;
}

}  // namespace
}  // namespace geosim
