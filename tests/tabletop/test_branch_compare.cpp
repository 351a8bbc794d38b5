// `compare NAME`: the current branch against another at the last step both reached. Its figures
// are checked against sessions that play each branch's commands alone from the start (no
// branches, no kept trajectories), and against what the commands did.
#include <gtest/gtest.h>
#include <geosim/core/indicator.hpp>
#include <geosim/tabletop/session.hpp>
#include <geosim/tabletop/session_view.hpp>

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <regex>
#include <string>
#include <vector>

#include "support/session_play.hpp"

namespace geosim {
namespace {

using testing::run_ok;

Session start() { return testing::start_shipped("realignment", 1, {}); }

Session played(const std::vector<std::string>& commands) {
  Session s = start();
  for (const auto& c : commands) run_ok(s, c);
  return s;
}

/// The indicator line of `title` in compare's text (which must outlive the match): its two
/// values and the difference as printed.
std::smatch indicator_line(const std::string& text, const std::string& title) {
  std::smatch m;
  std::regex_search(text, m,
                    std::regex("\n  " + title + R"( +(\d\.\d{3}) +(\d\.\d{3}) +([-+]?\d\.\d{3})( better| worse)?\n)"));
  return m;
}

TEST(BranchCompare, ComparesAtTheLastCommonStepAsSeparatePlaysWould) {
  Session s = start();
  run_ok(s, "step 13");
  ASSERT_TRUE(s.branch("hawk").ok);
  run_ok(s, "inject us-pushback");
  run_ok(s, "step 8");
  ASSERT_TRUE(s.switch_to("main").ok);
  run_ok(s, "inject adhoc \"Beijing welcomes the turn\" CHN<->VNM tension -0.05");
  run_ok(s, "step 5");  // main at 18, hawk at 21: compared at 18
  const CommandResult r = compare_branches(s, "hawk", 8);
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_NE(
      r.message.find("'main' (this branch) against 'hawk' at step 18 (2025-12-05), the last step both have reached"),
      std::string::npos)
      << r.message;

  // Each branch's commands played alone, to step 18.
  const Session main_alone =
      played({"step 13", "inject adhoc \"Beijing welcomes the turn\" CHN<->VNM tension -0.05", "step 5"});
  const Session hawk_alone = played({"step 13", "inject us-pushback", "step 5"});
  const Scenario& sc = main_alone.scenario();
  const auto a = evaluate_indicators(sc, main_alone.current().state.tension);
  const auto b = evaluate_indicators(sc, hawk_alone.current().state.tension);
  for (std::size_t k = 0; k < sc.indicators.size(); ++k) {
    const std::smatch m = indicator_line(r.message, sc.indicators[k].title);
    ASSERT_FALSE(m.empty()) << sc.indicators[k].title << "\n" << r.message;
    EXPECT_EQ(m[1].str(), fmt::format("{:.3f}", a[k])) << sc.indicators[k].title;
    EXPECT_EQ(m[2].str(), fmt::format("{:.3f}", b[k])) << sc.indicators[k].title;
    EXPECT_NEAR(std::stod(m[3].str()), a[k] - b[k], 0.0005 + 1e-12) << sc.indicators[k].title;
  }
  // Main's inject lowered Vietnam–China tension; lower is better, so main reads "better".
  const std::smatch us = indicator_line(r.message, "Vietnam–China tension");
  ASSERT_FALSE(us.empty());
  EXPECT_LT(std::stod(us[3].str()), -0.02) << r.message;
  EXPECT_EQ(us[4].str(), " better");
  // The relation that differs most is one the two injects touched, by the separate plays' gap.
  const auto& ta = main_alone.current().state.tension;
  const auto& tb = hawk_alone.current().state.tension;
  Eigen::Index bi = 0, bj = 0;
  (ta - tb).cwiseAbs().maxCoeff(&bi, &bj);
  const std::string top = fmt::format("most (tension, this branch minus the other):\n  {}->{} ",
                                      sc.actors[std::size_t(bi)].id, sc.actors[std::size_t(bj)].id);
  EXPECT_NE(r.message.find(top), std::string::npos) << top << "\n" << r.message;
  // What each played since step 13, where the histories part.
  EXPECT_NE(r.message.find("Played differently since step 13, where their histories part:\n"
                           "  main: at step 13: inject adhoc \"Beijing welcomes the turn\" CHN<->VNM tension -0.05\n"
                           "  hawk: at step 13: inject us-pushback"),
            std::string::npos)
      << r.message;
}

TEST(BranchCompare, BranchesThatPlayedTheSameDoNotDiffer) {
  Session s = start();
  run_ok(s, "move quiet-diplomacy");
  run_ok(s, "step 4");
  ASSERT_TRUE(s.branch("copy").ok);
  run_ok(s, "step 6");  // the same draws: stepping on alone changes nothing at the common step
  ASSERT_TRUE(s.switch_to("main").ok);
  run_ok(s, "step 2");
  const CommandResult r = compare_branches(s, "copy", 0);
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_NE(r.message.find("at step 6 ("), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("Relations: none differs by 0.001 or more."), std::string::npos) << r.message;
  EXPECT_EQ(r.message.find("better"), std::string::npos) << r.message;
  EXPECT_EQ(r.message.find("worse"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("\nBoth played the same up to step 6."), std::string::npos) << r.message;
}

// A move's adjustments apply at once: compare at that very step shows them, as status does.
TEST(BranchCompare, AMovesAdjustmentsShowAtTheStepItWasMade) {
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("geosim-tpol-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(file) << "policy: {id: tpol, title: Tension now}\nadjust:\n  - {from: VNM, to: USA, tension: 0.2}\n";
  Session s = start();
  run_ok(s, "step 1");
  ASSERT_TRUE(s.branch("pol").ok);
  run_ok(s, "move " + file.string());
  const CommandResult r = compare_branches(s, "main", 0);
  std::filesystem::remove(file);
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_NE(r.message.find("at step 1 ("), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("most (tension, this branch minus the other):\n  VNM->USA +0.200\n"), std::string::npos)
      << r.message;
  EXPECT_NE(r.message.find("  pol: at step 1: move " + file.string()), std::string::npos) << r.message;
}

// What was played is compared, not how it was typed: spacing, comments and one `step 2` for
// two `step`s play the same, and so are said to.
TEST(BranchCompare, TheSamePlayTypedDifferentlyIsTheSame) {
  Session s = start();
  ASSERT_TRUE(s.branch("b").ok);
  run_ok(s, "step 1   # first week");
  run_ok(s, "inject   us-pushback");
  run_ok(s, "step 2");
  ASSERT_TRUE(s.switch_to("main").ok);
  run_ok(s, "step");
  run_ok(s, "inject us-pushback \"why\"");
  run_ok(s, "step");
  run_ok(s, "step");
  run_ok(s, "inject hedging-abandoned");  // typed after the compared step's state: not part of it
  const CommandResult r = compare_branches(s, "b", 0);
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_NE(r.message.find("Relations: none differs by 0.001 or more."), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("\nBoth played the same up to step 3."), std::string::npos) << r.message;
  // A roll at the event's own chance, typed or not; a move of a policy by its name or its file;
  // an ad-hoc inject's changes whichever way and however grouped: the same play.
  Session t = start();
  const std::string file = std::string(GEOSIM_SCENARIOS_DIR) + "/policies/quiet-diplomacy.yaml";
  ASSERT_TRUE(t.branch("b").ok);
  for (const char* line :
       {"roll hedging-abandoned 0.4", "inject adhoc \"t\" USA->VNM tension 0.1, VNM->USA tension 0.1", "step"})
    run_ok(t, line);
  run_ok(t, "move " + file);
  ASSERT_TRUE(t.switch_to("main").ok);
  for (const char* line :
       {"roll hedging-abandoned", "inject adhoc \"t\" VNM<->USA tension +0.1", "step", "move quiet-diplomacy"})
    run_ok(t, line);
  const CommandResult same = compare_branches(t, "b", 0);
  EXPECT_NE(same.message.find("\nBoth played the same up to step 1."), std::string::npos) << same.message;
}

TEST(BranchCompare, RefusesAnUnknownBranchAndItsOwnAtTheName) {
  Session s = start();
  ASSERT_TRUE(s.branch("dove").ok);
  CommandResult r = compare_branches(s, "dvoe", 8);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.at, 8u);
  EXPECT_NE(r.message.find("unknown branch 'dvoe'"), std::string::npos) << r.message;
  r = compare_branches(s, "dove", 8);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.at, 8u);
  EXPECT_NE(r.message.find("the branch you are on"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace geosim
