// `geosim play` end to end: scripts piped in or given with --script, run in separate processes;
// save in one process and resume in another; files are never overwritten silently.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/cli.hpp"

namespace {
namespace fs = std::filesystem;

using geosim::testing::Output;
using geosim::testing::slurp;

struct PlayDir {
  fs::path dir;
  explicit PlayDir(const std::string& name)
      : dir(fs::temp_directory_path() / ("geosim_play_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~PlayDir() { fs::remove_all(dir); }
  std::string path(const std::string& file) const { return (dir / file).string(); }

  /// Runs `geosim ARGS` in the folder with `input` on stdin (a pipe, not a terminal).
  Output geosim(const std::string& args, const std::string& input) const {
    std::ofstream(dir / "stdin.txt") << input;
    const std::string command = "cd " + dir.string() + " && GEOSIM_SCENARIOS=" + GEOSIM_SCENARIOS_DIR + " " +
                                GEOSIM_BINARY + " " + args + " <stdin.txt >stdout.txt 2>stderr.txt";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "stdout.txt"), slurp(dir / "stderr.txt")};
  }
};

/// The lines of `text` from the first one starting with `from` up to the next prompt echo.
std::string section(const std::string& text, const std::string& from) {
  const std::size_t start = text.find(from);
  if (start == std::string::npos) return "";
  const std::size_t end = text.find("\n> ", start + from.size());
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

TEST(PlayCli, PipedScriptWithBranchesSavesResumesInAnotherProcessAndReports) {
  const PlayDir d("script");
  const Output first =
      d.geosim("play realignment --seed 3",
               "# a facilitator's opening\n"
               "step 4\n"
               "inject pyongyang-visit\n"
               "inject adhoc \"Missile test over Japan\" PRK->JPN tension +0.1, PRK<->USA tension +0.05\n"
               "step 3\n"
               "move quiet-diplomacy\n"
               "branch hawks\n"
               "inject hanoi-tilts\n"
               "step 6\n"
               "switch main\n"
               "inject adhoc \"Talks\" VNM<->USA tension -0.05 baseline -0.02\n"
               "step 2\n"
               "branches\n"
               "save session.json\n"
               "report first.md\n");
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(first.err, "");
  for (const char* part :
       {"> step 4", "'pyongyang-visit' will fire in step 5", "(adhoc-1) will fire in step 5",
        "'quiet-diplomacy' is in play", "forked 'hawks' from 'main' at step 7", "on branch 'main' at step 7",
        "saved 2 branches to session.json", "wrote the after-action record of branch 'main' to first.md"})
    EXPECT_NE(first.out.find(part), std::string::npos) << part << "\n" << first.out;
  EXPECT_EQ(first.out.find('\033'), std::string::npos) << "no colours into a pipe";
  const std::string report = slurp(d.dir / "first.md");
  for (const char* part : {"# After-action record", "pyongyang-visit", "Missile test over Japan", "quiet-diplomacy",
                           "Talks", "## Indicators", "## Branches", "hawks"})
    EXPECT_NE(report.find(part), std::string::npos) << part;

  const Output second = d.geosim("play --resume session.json",
                                 "branches\n"
                                 "switch hawks\n"
                                 "log\n"
                                 "step 2\n"
                                 "report second.md\n"
                                 "save session.json\n");
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(second.err, "");
  EXPECT_NE(second.out.find("branch 'main' at step 9"), std::string::npos) << second.out;
  ASSERT_NE(section(first.out, "Branches (").find("* main"), std::string::npos) << first.out;
  EXPECT_EQ(section(first.out, "Branches ("), section(second.out, "Branches ("))
      << "the resumed branches are where the first process left them";
  EXPECT_NE(second.out.find("hanoi-tilts \"Hanoi moves toward the China-Russia axis\" (brought forward from step 15) "
                            "fired at step 8:\n        VNM->CHN tension -0.120"),
            std::string::npos)
      << second.out;
  EXPECT_NE(second.out.find("saved 2 branches to session.json"), std::string::npos) << "its own file: overwritten";
  EXPECT_NE(slurp(d.dir / "second.md").find("Branch: `hawks`, forked from `main` at step 7"), std::string::npos);
  EXPECT_NE(slurp(d.dir / "session.json").find("\"step 2\""), std::string::npos);
}

TEST(PlayCli, MalformedLinesDoNotAbortAScript) {
  const PlayDir d("malformed");
  std::ofstream(d.dir / "commands.txt") << "step 2\n"
                                           "stpe 3\n"
                                           "inject pyongyang-vist\n"
                                           "inject adhoc \"x\" PRK->XXX tension 0.1\n"
                                           "inject adhoc \"unterminated\n"
                                           "switch nowhere\n"
                                           "step 3\n"
                                           "  step 1000\n"
                                           "branch main\n"
                                           "save session.json\n";
  const Output o = d.geosim("play realignment --script commands.txt", "");
  EXPECT_EQ(o.code, 1) << "a script with failed commands ends with 1, after running the rest";
  // file:line:column, the column at the word at fault (an unknown name too), else at the command
  for (const char* part :
       {"commands.txt:2:1: error: unknown command 'stpe'; did you mean 'step'?",
        "commands.txt:3:8: error: unknown event 'pyongyang-vist'; did you mean 'pyongyang-visit'?",
        "commands.txt:4:23: error: unknown actor 'XXX'", "commands.txt:5:14: error: unterminated",
        "commands.txt:6:8: error: unknown branch 'nowhere'",
        // the count the scenario has no room for; the name taken
        "commands.txt:8:8: error: only 47 steps left", "commands.txt:9:8: error: a branch named 'main'",
        "7 commands of commands.txt failed (lines 2, 3, 4, 5, 6, 8, 9); the others ran"})
    EXPECT_NE(o.err.find(part), std::string::npos) << part << "\n" << o.err;
  EXPECT_NE(o.out.find("now at step 5"), std::string::npos) << o.out;
  EXPECT_NE(slurp(d.dir / "session.json").find("\"step 3\""), std::string::npos);
}

TEST(PlayCli, AFloodOfFailedLinesIsCutButTheScriptRunsOn) {
  // 150 lines that fail, then one that works: 100 errors shown, one line for the other 50, the
  // last line naming the first 20 failed lines and "130 more"; the last command still ran.
  const PlayDir d("flood");
  std::string script;
  for (int k = 0; k < 150; ++k) script += "stpe\n";
  script += "status\n";
  std::ofstream(d.dir / "many.txt") << script;
  const Output o = d.geosim("play realignment --script many.txt", "");
  EXPECT_EQ(o.code, 1);
  std::size_t shown = 0;
  for (std::size_t at = o.err.find(": error: unknown command 'stpe'"); at != std::string::npos;
       at = o.err.find(": error: unknown command 'stpe'", at + 1))
    ++shown;
  EXPECT_EQ(shown, 100u) << o.err;
  EXPECT_NE(o.err.find("many.txt:100:1: error: unknown command 'stpe'"), std::string::npos);
  EXPECT_EQ(o.err.find("many.txt:101:1"), std::string::npos);
  EXPECT_NE(o.err.find("many.txt: error: 50 more commands failed, not shown (the first 100 are above)\n"),
            std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find("150 commands of many.txt failed (lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, "
                       "16, 17, 18, 19, 20 and 130 more); the others ran\n"),
            std::string::npos)
      << o.err;
  EXPECT_LT(o.err.size(), 10000u);
  EXPECT_NE(o.out.find("> status"), std::string::npos) << "the script ran to its end";
}

TEST(PlayCli, NeverOverwritesAFileSilently) {
  const PlayDir d("overwrite");
  std::ofstream(d.dir / "notes.txt") << "my notes\n";
  const Output o = d.geosim("play realignment", "step\nsave notes.txt\nreport notes.txt\nsave s.json\nsave s.json\n");
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("'notes.txt' exists (written before this session); not overwriting it"), std::string::npos)
      << o.err;
  EXPECT_EQ(slurp(d.dir / "notes.txt"), "my notes\n");
  EXPECT_EQ(o.err.find("s.json"), std::string::npos) << "its own session file may be saved again";
  const Output other = d.geosim("play baseline", "step\nsave s.json\n");
  EXPECT_NE(other.err.find("'s.json' exists (another geosim session)"), std::string::npos) << other.err;
}

// A file the session wrote is replaced only by its own kind: `report` never replaces the saved
// session (which then still resumes), nor `save` a report.
TEST(PlayCli, AReportNeverReplacesTheSessionsOwnSavedSession) {
  const PlayDir d("own_kind");
  const Output o = d.geosim("play realignment", "step 3\nsave x.json\nreport x.json\nreport r.md\nsave r.md\n");
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("'x.json' exists (this session's saved session); not overwriting it"), std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find("'r.md' exists (this session's report); not overwriting it"), std::string::npos) << o.err;
  const Output resumed = d.geosim("play --resume x.json", "status\nreport x.json\nsave x.json\n");
  EXPECT_EQ(resumed.code, 1) << resumed.err;
  EXPECT_NE(resumed.out.find("step 3 (2025-08-22)"), std::string::npos) << resumed.out;
  EXPECT_NE(resumed.err.find("'x.json' exists (this session's saved session)"), std::string::npos) << resumed.err;
  EXPECT_NE(resumed.out.find("saved 1 branch to x.json"), std::string::npos) << "its own session: saved again";
}

// What `save` writes, `--resume` reads: a tab typed in a rationale (kept as a space), a command
// of more than 1,000 bytes (an inject of 50 effects, 1,271 bytes); an escape is refused when typed.
TEST(PlayCli, EverySavedSessionResumes) {
  const PlayDir d("round_trip");
  std::string effects;
  for (int k = 0; k < 50; ++k) effects += std::string(k ? ", " : "") + "VNM->USA tension +0.001";
  const std::string adhoc = "inject adhoc \"Rumours\" " + effects;
  ASSERT_GT(adhoc.size(), 1000u);
  const Output o =
      d.geosim("play realignment", "move SGP quiet-diplomacy \"a\tb\"\nmove SGP quiet-diplomacy \"a\x1b[31mb\"\n" +
                                       adhoc + "\nstep\nsave s.json\n");
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("<stdin>:2:28: error: expected text without control characters, found U+001B"),
            std::string::npos)
      << o.err;
  EXPECT_EQ(o.err.find("<stdin>:1:"), std::string::npos) << o.err;
  EXPECT_EQ(o.err.find("<stdin>:3:"), std::string::npos) << o.err;
  const Output resumed = d.geosim("play --resume s.json", "log\n");
  EXPECT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("move SGP quiet-diplomacy \"a b\""), std::string::npos) << resumed.out;
  EXPECT_NE(resumed.out.find("Rumours"), std::string::npos) << resumed.out;
}

// A policy moved in from a path longer than a saved session keeps (1000 bytes) is refused when
// typed, not saved into a session that then does not resume.
TEST(PlayCli, AMoveASavedSessionCouldNotKeepIsRefused) {
  const PlayDir d("long_move");
  fs::path folder = d.dir;
  for (int k = 0; k < 5; ++k) folder /= std::string(200, char('a' + k));
  fs::create_directories(folder);
  const fs::path policy = folder / "talks.yaml";
  ASSERT_GT(policy.string().size(), 1000u);
  std::ofstream(policy) << "policy: {id: talks, title: Talks}\nadjust:\n  - {between: [VNM, USA], tension: -0.05}\n";
  const Output o = d.geosim("play realignment", "move " + policy.string() + "\nstep\nsave s.json\n");
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("<stdin>:1:1: error: a policy's name and file may be at most 1000 bytes each"),
            std::string::npos)
      << o.err;
  const Output resumed = d.geosim("play --resume s.json", "status\n");
  EXPECT_EQ(resumed.code, 0) << resumed.err;
}

TEST(PlayCli, AnUnknownNameIsPointedAtInTheLine) {
  const PlayDir d("columns");
  std::ofstream(d.path("file")) << "x";  // a file where the folder would be: no folder can be made there
  const Output o = d.geosim("play realignment",
                            "inject adhoc \"Talks\" VNM->UAS tension -0.05\n"
                            "  inject adhoc \"T\" VNM->USA tension -0.05, XYZ<->CHN tension 0.1\n"
                            "move SPG quiet-diplomacy\n"
                            "switch nope\n"
                            "save file/dir/s.json\n");
  // Columns counted by hand, 1-based, from the line as typed (the second starts with two blanks).
  EXPECT_NE(o.err.find("<stdin>:1:27: error: unknown actor 'UAS'; did you mean 'USA'?"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("<stdin>:2:44: error: unknown actor 'XYZ'"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("<stdin>:3:6: error: unknown team 'SPG'; did you mean 'SGP'?"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("<stdin>:4:8: error: unknown branch 'nope'"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("<stdin>:5:6: error: cannot write 'file/dir/s.json': Not a directory"), std::string::npos)
      << o.err;
}

TEST(PlayCli, UnsavedChangesAreReportedAtTheEndOfAScript) {
  const PlayDir d("unsaved");
  Output o = d.geosim("play realignment", "step 2\n");
  EXPECT_EQ(o.code, 0);
  EXPECT_NE(o.err.find("warning: the session has unsaved changes"), std::string::npos) << o.err;
  o = d.geosim("play realignment", "status\nhelp\nquit\nstep\n");
  EXPECT_EQ(o.code, 0);
  EXPECT_EQ(o.err, "") << "nothing changed, nothing to warn about; quit stops reading";
  EXPECT_NE(o.out.find("inject adhoc \"TITLE\""), std::string::npos) << "help";
  EXPECT_EQ(o.out.find("> step"), std::string::npos) << "nothing after quit";
  o = d.geosim("play realignment", "step 2\ninject us-pushback\nundo\nundo\n");
  EXPECT_EQ(o.code, 0);
  EXPECT_EQ(o.err, "") << "every change undone: nothing to lose";
}

TEST(PlayCli, ResumeTakesNoOtherSettingsAndReportsAMissingFile) {
  const PlayDir d("resume");
  Output o = d.geosim("play --resume nothing.json", "");
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("cannot read the session file 'nothing.json'"), std::string::npos) << o.err;
  ASSERT_EQ(d.geosim("play realignment", "save s.json\n").code, 0);
  o = d.geosim("play --resume s.json --seed 4", "");
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("--resume takes the scenario, seed, policies and settings from the session file"),
            std::string::npos);
  o = d.geosim("play --resume s.json --set spillover=0.03", "");
  EXPECT_EQ(o.code, 1) << "a session's settings are its own";
  EXPECT_NE(o.err.find("--resume takes the scenario, seed, policies and settings from the session file"),
            std::string::npos)
      << o.err;
  o = d.geosim("play no-such-scenario", "");
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("shipped scenarios"), std::string::npos) << o.err;
  EXPECT_EQ(d.geosim("play --help", "").code, 0);
}

}  // namespace

namespace {

TEST(PlayCli, ReportToHtmlWritesTheFullReportWithTheAfterActionLog) {
  const PlayDir d("html_report");
  const Output o = d.geosim("play realignment",
                            "step 10\ninject adhoc \"Missile test over Japan\" PRK->JPN tension +0.1\n"
                            "step 2\nmove quiet-diplomacy\nstep 3\nreport aar.html\nreport aar.md\n"
                            "save s.json\n");
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string html = slurp(d.dir / "aar.html");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u) << "an HTML page";
  EXPECT_NE(html.find("Missile test over Japan"), std::string::npos) << "the inject is in the log";
  EXPECT_NE(html.find("quiet-diplomacy"), std::string::npos) << "the move is in the log";
  EXPECT_EQ(html.find("http://"), std::string::npos) << "nothing fetched at view time";
  EXPECT_EQ(html.find("https://"), std::string::npos);
  const std::string markdown = slurp(d.dir / "aar.md");
  EXPECT_NE(markdown.find("Missile test over Japan"), std::string::npos);
  EXPECT_EQ(markdown.find("<!DOCTYPE html>"), std::string::npos) << "a .md report stays Markdown";
}

}  // namespace

namespace {

TEST(PlayCli, SetHoldsForTheWholeSessionAndIsSavedReportedAndResumed) {
  const PlayDir d("set");
  Output o = d.geosim("play realignment --set spillover=0.03 --set restraint.VNM=0.3",
                      "step 10\nmove economic-engagement\nstep 2\nreport aar.md\nreport aar.html\nsave s.json\n");
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("seed 1, set: spillover=0.03, restraint.VNM=0.3. Type `help`"), std::string::npos) << o.out;
  EXPECT_NE(slurp(d.dir / "aar.md").find("- Set (`--set`, every branch): `spillover=0.03`, `restraint.VNM=0.3`\n"),
            std::string::npos);
  EXPECT_NE(slurp(d.dir / "aar.html").find("set: <code>spillover=0.03, restraint.VNM=0.3</code>"), std::string::npos);
  EXPECT_NE(slurp(d.dir / "s.json").find("\"settings\": [\n    \"spillover=0.03\",\n    \"restraint.VNM=0.3\"\n  ]"),
            std::string::npos)
      << slurp(d.dir / "s.json");
  o = d.geosim("play --resume s.json", "report again.md\n");
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("set: spillover=0.03, restraint.VNM=0.3"), std::string::npos) << o.out;
  // the resumed session is the saved one, byte for byte: its scenario too, by its absolute path
  // (resuming finds the file from the session file's folder, which the record does not show)
  EXPECT_EQ(slurp(d.dir / "again.md"), slurp(d.dir / "aar.md"));
  EXPECT_NE(slurp(d.dir / "aar.md")
                .find("- Scenario: `realignment` (" +
                      (fs::path(GEOSIM_SCENARIOS_DIR) / "realignment.yaml").lexically_normal().string() + ")\n"),
            std::string::npos)
      << slurp(d.dir / "aar.md");
  // bad settings: one line, exit 1, as on run
  o = d.geosim("play realignment --set spillover=1e-400", "");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err,
            "--set: error: expected a value from 0 to 1 for 'spillover', found '1e-400' (too small to "
            "represent)\n");
  o = d.geosim("play realignment --set restraint.XYZ=0.1", "");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err.rfind("--set: error: unknown actor 'XYZ'", 0), 0u) << o.err;
}

}  // namespace

namespace {

TEST(PlayCli, SaveRefusesASessionWhoseStoredPathsResumeWouldRefuse) {
  // A policy eleven folders of 99 characters deep: typed as a short relative path from there,
  // but stored relative to the session file's folder, over 1,000 bytes.
  const PlayDir d("deep");
  fs::path deep = d.dir;
  for (int k = 0; k < 11; ++k) deep /= std::string(99, 'd');
  fs::create_directories(deep);
  fs::copy_file(fs::path(GEOSIM_SCENARIOS_DIR) / "policies" / "quiet-diplomacy.yaml", deep / "p.yaml");
  const std::string command = "cd " + deep.string() + " && GEOSIM_SCENARIOS=" + GEOSIM_SCENARIOS_DIR + " " +
                              GEOSIM_BINARY + " play realignment --policy p.yaml >" + d.path("out.txt") + " 2>" +
                              d.path("err.txt") + " <<'EOF'\nstep 1\nsave " + d.path("s.json") + "\nEOF";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1) << slurp(d.dir / "err.txt");
  EXPECT_NE(slurp(d.dir / "err.txt")
                .find("error: the file of entry 1 of 'policies', as the session file would store "
                      "it, is over 1000 bytes or holds a control character"),
            std::string::npos)
      << slurp(d.dir / "err.txt");
  EXPECT_FALSE(fs::exists(d.dir / "s.json")) << "nothing written that --resume would refuse";
}

// A byte that is not UTF-8 has no place in a session file (JSON holds UTF-8 only): a typed line
// with one is refused at its column, and a scenario whose path holds one is refused before play
// starts, not at `save`. `run` records such a path in run.json with U+FFFD in the byte's place.
TEST(PlayCli, TextThatIsNotUtf8IsRefusedWhereItComesIn) {
  const PlayDir d("utf8");
  const Output typed = d.geosim("play baseline", "inject adhoc \"T\xFFz\" VNM->USA tension 0.1\nstep\nsave s.json\n");
  EXPECT_EQ(typed.code, 1) << typed.err;
  EXPECT_NE(typed.err.find("<stdin>:1:16: error: expected UTF-8 text, found an invalid byte (0xFF)"), std::string::npos)
      << typed.err;
  EXPECT_NE(typed.out.find("saved 1 branch to s.json"), std::string::npos) << typed.out;
  EXPECT_EQ(d.geosim("play --resume s.json", "status\n").code, 0);

  fs::copy_file(fs::path(GEOSIM_SCENARIOS_DIR) / "baseline.yaml", d.dir / "b\xFF.yaml");
  fs::copy_file(fs::path(GEOSIM_SCENARIOS_DIR) / "actors.yaml", d.dir / "actors.yaml");
  const Output play = d.geosim("play 'b\xFF.yaml'", "save t.json\n");
  EXPECT_EQ(play.code, 1);
  EXPECT_EQ(play.err,
            "b\\xff.yaml: error: a session file records this path, and it is not UTF-8 text: rename the file "
            "or its folder, or give it through a link whose path is\n");
  EXPECT_FALSE(fs::exists(d.dir / "t.json"));
  const Output run = d.geosim("run 'b\xFF.yaml' --out out", "");
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(slurp(d.dir / "out" / "run.json").find("\"file\": \"b\xEF\xBF\xBD.yaml\""), std::string::npos);
  // Played from a folder so named, by a UTF-8 relative path: the session file would store the
  // path from its own folder, through that one, so `save` refuses it with one line.
  fs::create_directories(d.dir / "w\xFF");
  fs::copy_file(fs::path(GEOSIM_SCENARIOS_DIR) / "baseline.yaml", d.dir / "w\xFF" / "b.yaml");
  fs::copy_file(fs::path(GEOSIM_SCENARIOS_DIR) / "actors.yaml", d.dir / "w\xFF" / "actors.yaml");
  std::ofstream(d.dir / "save.txt") << "step\nsave ../s2.json\n";
  const std::string command = "cd '" + (d.dir / "w\xFF").string() + "' && " + GEOSIM_BINARY +
                              " play b.yaml <../save.txt >../out.txt 2>../err.txt";
  EXPECT_NE(std::system(command.c_str()), 0);
  EXPECT_NE(
      slurp(d.dir / "err.txt").find("<stdin>:2:6: error: the session file would store a path that is not UTF-8 text"),
      std::string::npos)
      << slurp(d.dir / "err.txt");
  EXPECT_FALSE(fs::exists(d.dir / "s2.json"));
}

// A script saved by Notepad (a UTF-8 byte order mark, CRLF line ends) runs as typed.
TEST(PlayCli, AScriptWithAByteOrderMarkRuns) {
  const PlayDir d("bom");
  std::ofstream(d.dir / "turns.txt") << "\xEF\xBB\xBFstep 2\r\nstatus\r\n";
  const Output o = d.geosim("play realignment --script turns.txt", "");
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("> step 2\nnow at step 2 (2025-08-15) of 52"), std::string::npos) << o.out;
  // Its first line is held to the limit without the mark: 4,000 bytes and a CRLF run, one byte
  // more (a blank, the rest of the line cut) is refused, not run as a shorter command.
  const std::string full = "step 1" + std::string(3994, ' ');
  std::ofstream(d.dir / "long.txt") << "\xEF\xBB\xBF" << full << "\r\nstatus\r\n";
  EXPECT_EQ(d.geosim("play realignment --script long.txt", "").code, 0);
  std::ofstream(d.dir / "longer.txt") << "\xEF\xBB\xBF" << full << " 2 and more\r\nstatus\r\n";
  const Output longer = d.geosim("play realignment --script longer.txt", "");
  EXPECT_EQ(longer.code, 1);
  EXPECT_NE(longer.err.find("longer.txt:1:4001: error: expected a line of at most 4000 bytes"), std::string::npos)
      << longer.err;
}

// The command `save` prints to resume runs as printed in a shell, whatever the file's name.
TEST(PlayCli, TheResumeCommandPrintedRunsAsPrinted) {
  const PlayDir d("resume_hint");
  const Output o = d.geosim("play realignment", "step\nsave \"it's here.json\"\n");
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string hint = "resume with: geosim play --resume 'it'\\''s here.json')";
  ASSERT_NE(o.out.find(hint), std::string::npos) << o.out;
  const Output resumed = d.geosim("play --resume 'it'\\''s here.json'", "status\n");
  EXPECT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("step 1 (2025-08-08)"), std::string::npos) << resumed.out;
}

// `report FILE` writes HTML for .html and .htm whatever their case, Markdown otherwise.
TEST(PlayCli, AReportIsHtmlByItsExtensionInAnyCase) {
  const PlayDir d("report_case");
  const Output o = d.geosim("play realignment", "step\nreport a.HTML\nreport b.Htm\nreport c.md\n");
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(slurp(d.dir / "a.HTML").rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(slurp(d.dir / "b.Htm").rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(slurp(d.dir / "c.md").rfind("# After-action record", 0), 0u);
}

}  // namespace

// A name a terminal would act on (a right-to-left override) is printed for bash to read back.
TEST(PlayCli, TheResumeCommandOfANameWithABidiOverrideRunsAsPrinted) {
  const PlayDir d("resume_bidi");
  const Output o = d.geosim("play realignment",
                            "step\nsave \xE2\x80\xAE"
                            "evil.json\n");
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string hint = "resume with: geosim play --resume $'\\xe2\\x80\\xaeevil.json')";
  ASSERT_NE(o.out.find(hint), std::string::npos) << o.out;
  std::ofstream(d.dir / "resume.sh") << "cd " << d.dir.string() << " && GEOSIM_SCENARIOS=" << GEOSIM_SCENARIOS_DIR
                                     << " " << GEOSIM_BINARY
                                     << " play --resume $'\\xe2\\x80\\xaeevil.json' </dev/null >resumed.txt 2>&1\n";
  EXPECT_EQ(std::system(("bash " + (d.dir / "resume.sh").string()).c_str()), 0) << slurp(d.dir / "resumed.txt");
}

// A report the user edited after the session wrote it is theirs: `report` to it again is refused
// (the notes were lost); unchanged, it is replaced as before. A folder is refused without a question.
TEST(PlayCli, AReportEditedSinceTheSessionWroteItIsNotReplaced) {
  const PlayDir d("edited_report");
  const std::string script = "report r.md\nreport kept.md\nstep 1\nreport kept.md\nreport r.md\nreport dir\n";
  std::ofstream(d.dir / "script.txt") << script;
  fs::create_directory(d.dir / "dir");
  // the script's first two reports are written, then r.md is edited while the session goes on
  std::ofstream(d.dir / "run.sh") << "cd " << d.dir.string() << " && (head -2 script.txt; sleep 1; echo NOTES >> r.md; "
                                  << "tail -n +3 script.txt) | GEOSIM_SCENARIOS=" << GEOSIM_SCENARIOS_DIR << " "
                                  << GEOSIM_BINARY << " play realignment >out.txt 2>err.txt\n";
  EXPECT_EQ(WEXITSTATUS(std::system(("bash " + (d.dir / "run.sh").string()).c_str())), 1);
  const std::string err = slurp(d.dir / "err.txt");
  EXPECT_NE(err.find("<stdin>:5:8: error: 'r.md' exists (this session's report, changed since the session wrote it)"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("<stdin>:6:8: error: not writing 'dir': it is a folder"), std::string::npos) << err;
  EXPECT_NE(err.find("2 commands of <stdin> failed (lines 5, 6)"), std::string::npos) << err;
  EXPECT_NE(slurp(d.dir / "r.md").find("NOTES"), std::string::npos);
  EXPECT_NE(slurp(d.dir / "kept.md").find("step 1"), std::string::npos);  // replaced: unchanged since
}
