// What `geosim play` says, line by line: a moved-in policy file that does not load gives the
// command's line, then each of the file's problems on a line of its own at its own
// file:line:col (they were one line, joined by '?', at the command's column); an effect of
// size 0 is "no change" in the log, as in the report (the log printed the pair alone); save and
// report make a missing folder.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "support/cli.hpp"

namespace {
namespace fs = std::filesystem;
using geosim::testing::run_shell;
using geosim::testing::slurp;
using geosim::testing::temp_dir;

TEST(PlayMessages, APolicyThatDoesNotLoadGivesOneLinePerProblem) {
  const fs::path dir = temp_dir("play_bad_policy");
  std::string policy = slurp(fs::path(GEOSIM_SCENARIOS_DIR) / "policies" / "quiet-diplomacy.yaml");
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"from: SGP", "from: XXX"},
                                 std::pair<std::string, std::string>{"date: 2025-10-21", "date: 2025-13-41"}}) {
    const std::size_t at = policy.find(from);
    ASSERT_NE(at, std::string::npos) << "quiet-diplomacy.yaml no longer has " << from;
    policy.replace(at, from.size(), to);
  }
  std::ofstream(dir / "bad.yaml") << policy;
  std::ofstream(dir / "turns.txt") << "move  bad.yaml\n";
  const auto o =
      run_shell("cd '" + dir.string() + "' && " + std::string(GEOSIM_BINARY) + " play realignment --script turns.txt");
  EXPECT_EQ(o.code, 1);
  // the lines of the policy's problems, as `validate` numbers them
  std::size_t from_line = 1, date_line = 1;
  for (std::size_t i = 0; i < policy.find("from: XXX"); ++i) from_line += policy[i] == '\n';
  for (std::size_t i = 0; i < policy.find("date: 2025-13-41"); ++i) date_line += policy[i] == '\n';
  const std::string expected =
      "turns.txt:1:7: error: policy 'bad.yaml' does not load on this branch:\n"
      "bad.yaml:" +
      std::to_string(from_line) + ":11: error: unknown actor 'XXX'";
  EXPECT_NE(o.err.find(expected), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("\nbad.yaml:" + std::to_string(date_line) + ":11: error: expected 'date' as a date"),
            std::string::npos)
      << o.err;
  EXPECT_EQ(o.err.find('?'), std::string::npos) << o.err;
}

TEST(PlayMessages, AnEffectOfNothingIsNoChangeInTheLog) {
  const fs::path dir = temp_dir("play_log_zero");
  std::ofstream(dir / "turns.txt") << "inject adhoc \"x\" USA->VNM tension -0\nstep\nlog\n";
  const auto o =
      run_shell("cd '" + dir.string() + "' && " + std::string(GEOSIM_BINARY) + " play realignment --script turns.txt");
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("fired at step 1:\n        USA->VNM no change\n"), std::string::npos) << o.out;
}

// The resume command of a session saved under a name that starts with "--" runs as printed
// (printed bare, it read as an option).
TEST(PlayMessages, TheResumeCommandOfADashedNameRunsAsPrinted) {
  const fs::path dir = temp_dir("play_dash_name");
  std::ofstream(dir / "turns.txt") << "step\nsave --s.json\n";
  const std::string cd = "cd '" + dir.string() + "' && " + std::string(GEOSIM_BINARY);
  const auto saved = run_shell(cd + " play realignment --script turns.txt");
  ASSERT_EQ(saved.code, 0) << saved.err;
  const std::string hint = "(resume with: geosim play --resume ./--s.json)";
  ASSERT_NE(saved.out.find(hint), std::string::npos) << saved.out;
  const auto resumed = run_shell(cd + " play --resume ./--s.json < /dev/null");
  EXPECT_EQ(resumed.code, 0) << resumed.err;
}

// `save` and `report` make a missing folder, as the commands' --out do (they refused it); a file
// where the folder would be is said at the command's file name.
TEST(PlayMessages, SaveAndReportMakeAMissingFolder) {
  const fs::path dir = temp_dir("play_missing_folder");
  std::ofstream(dir / "turns.txt") << "step 2\nsave a/b/s.json\nreport c/r.md\nreport d/r.html\n";
  const std::string cd = "cd '" + dir.string() + "' && " + std::string(GEOSIM_BINARY);
  const auto o = run_shell(cd + " play realignment --script turns.txt");
  EXPECT_EQ(o.code, 0) << o.err;
  for (const char* file : {"a/b/s.json", "c/r.md", "d/r.html"}) EXPECT_TRUE(fs::is_regular_file(dir / file)) << file;
  EXPECT_EQ(run_shell(cd + " play --resume a/b/s.json < /dev/null").code, 0);
  std::ofstream(dir / "f") << "x";
  std::ofstream(dir / "bad.txt") << "save f/s.json\nsave g/\n";
  const auto bad = run_shell(cd + " play realignment --script bad.txt");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("bad.txt:1:6: error: cannot write 'f/s.json': Not a directory\n"), std::string::npos)
      << bad.err;
  EXPECT_NE(bad.err.find("bad.txt:2:6: error: not writing 'g/': it names a folder, not a file: give a file name\n"),
            std::string::npos)
      << bad.err;
  EXPECT_FALSE(fs::exists(dir / "g"));
  EXPECT_EQ(slurp(dir / "f"), "x");
}

// A session saved beside one copy of the shipped scenarios resumes against another (the session
// file taken to another machine): the scenario, its includes and a policy moved in by its shipped
// name are found by name there (the moved policy was refused as missing, the includes warned
// "cannot be read"); a moved policy that differs there is refused as changed.
TEST(PlayMessages, AMovedSessionFindsItsShippedFilesByName) {
  const fs::path dir = temp_dir("play_moved_session");
  fs::copy(GEOSIM_SCENARIOS_DIR, dir / "sc", fs::copy_options::recursive);
  std::ofstream(dir / "turns.txt") << "step 2\nmove quiet-diplomacy\nstep 1\nsave s.json\n";
  const std::string cd = "cd '" + dir.string() + "' && " + std::string(GEOSIM_BINARY);
  ASSERT_EQ(run_shell(cd + " --scenarios-dir sc play realignment --script turns.txt").code, 0);
  fs::rename(dir / "sc", dir / "elsewhere");
  const auto resumed = run_shell(cd + " --scenarios-dir elsewhere play --resume s.json < /dev/null");
  EXPECT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_EQ(resumed.err, "") << "nothing changed, nothing to warn of";
  EXPECT_NE(resumed.out.find("branch 'main' at step 3 of 52"), std::string::npos) << resumed.out;
  std::ofstream(dir / "elsewhere" / "policies" / "quiet-diplomacy.yaml", std::ios::app) << "\n# edited\n";
  const auto edited = run_shell(cd + " --scenarios-dir elsewhere play --resume s.json < /dev/null");
  EXPECT_EQ(edited.code, 1);
  EXPECT_NE(edited.err.find("quiet-diplomacy.yaml' had checksum"), std::string::npos) << edited.err;
  EXPECT_NE(edited.err.find("has changed since the session was saved"), std::string::npos) << edited.err;
}

}  // namespace
