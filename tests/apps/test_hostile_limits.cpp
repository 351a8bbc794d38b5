// What cannot finish or cannot be read back is refused up front with one line (hostile report
// items 1, 6 and 11): a run's or a play branch's history beyond the 2 GiB budget, a world beyond
// the loader's limits, a period ending after 9999-12-31.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include <string>

#include "support/cli.hpp"

namespace {
namespace fs = std::filesystem;
using geosim::testing::Output;
using geosim::testing::run_cli;
using geosim::testing::run_shell;
using geosim::testing::spit;
using geosim::testing::temp_dir;

int lines(const std::string& text) { return int(std::count(text.begin(), text.end(), '\n')); }

/// A scenario of `actors` actors (A0, A1, ...) at the defaults, `steps` steps of `days` days from `start`.
std::string scenario_text(int actors, int steps, int days, const std::string& start) {
  std::string y = "scenario:\n  id: big\n  title: Big\n  start: " + start + "\n  step_days: " + std::to_string(days) +
                  "\n  steps: " + std::to_string(steps) + "\n\ndefaults: {tension: 0.3, tie: 0.01}\n\nactors:\n";
  for (int a = 0; a < actors; ++a) y += "  - {id: A" + std::to_string(a) + ", name: State " + std::to_string(a) + "}\n";
  return y;
}

TEST(HostileLimits, ARunWhoseHistoryPassesTheBudgetIsRefusedUpFront) {
  // 206 actors: 206^2 doubles a step, 100001 steps = 31.6 GiB (> 2 GiB)
  const fs::path dir = temp_dir("limits_run");
  for (const std::string command : {"run", "report"}) {
    const Output o = run_cli(command + " world-200 --steps 100000 --out " + (dir / command).string() +
                             (command == "report" ? " --runs 1" : ""));
    EXPECT_EQ(o.code, 1) << command;
    EXPECT_EQ(lines(o.err), 1) << o.err;
    EXPECT_NE(o.err.find("a run of 100000 steps of 206 actors would need 31.6 GiB"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("use fewer steps or actors"), std::string::npos) << o.err;
    EXPECT_FALSE(fs::exists(dir / command));
  }
}

/// scenario_text's actors with two blocs, W (A0 to A99) and E (A100 to A199), and `events` events
/// at step 1 of `effects` effects W<->E each: 100 x 100 x 2 = 20,000 relation changes an effect.
std::string blocs_text(int steps, int events, int effects) {
  std::string y = scenario_text(200, steps, 7, "2025-01-01");
  for (const char* bloc : {"W", "E"}) {
    y += std::string("  - {id: ") + bloc + ", name: Bloc " + bloc + ", kind: organization, members: [";
    for (int a = 0; a < 100; ++a) y += (a ? ", A" : "A") + std::to_string(bloc[0] == 'W' ? a : 100 + a);
    y += "]}\n";
  }
  y += "\nevents:\n";
  for (int e = 0; e < events; ++e) {
    y += "  - id: e" + std::to_string(e) + "\n    title: E\n    step: 1\n    effects:\n";
    for (int k = 0; k < effects; ++k) y += "      - {between: [members(W), members(E)], tension: 0.001}\n";
  }
  return y;
}

// Every change an event makes is recorded when it fires (and written to run.json): an event of
// more than 1,000,000 is refused where its effects are, and a run whose events, each firing once,
// would record more than the budget holds (kChangeRecordBytes, 1,400 bytes a change) is refused
// before it starts. A bloc against a bloc was once a quadratic search per effect, and a run of
// five events of 100 such effects took 25 s and 3.4 GB.
TEST(HostileLimits, EventsThatWouldRecordTooManyChangesAreRefusedUpFront) {
  const fs::path dir = temp_dir("limits_changes");
  spit(dir / "one.yaml", blocs_text(3, 1, 51));  // 51 x 20,000 = 1,020,000
  Output o = run_cli("validate " + (dir / "one.yaml").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("one.yaml:219:7: error: expected an event's effects to change at most 1000000 relations in "
                       "all (each recorded when it fires), found 1020000"),
            std::string::npos)
      << o.err;
  spit(dir / "fifty.yaml", blocs_text(3, 1, 50));  // 1,000,000: at the limit
  EXPECT_EQ(run_cli("validate " + (dir / "fifty.yaml").string()).code, 0);
  // 2 events of 50: 2,000,000 changes x 1,400 bytes = 2.608 GiB, with the tensions (4 x 202^2
  // doubles) 2.609 GiB. The effects' list starts at line 219 (10 lines, 200 actors, 2 blocs, 6 more).
  spit(dir / "two.yaml", blocs_text(3, 2, 50));
  o = run_cli("run " + (dir / "two.yaml").string() + " --out " + (dir / "out").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err,
            "geosim: error: a run of 3 steps of 202 actors would need 2.6 GiB of memory (it keeps the 202 x 202 "
            "tensions of every step, and its events' 2000000 relation changes, 2.6 GiB), more than its limit of "
            "2.0 GiB: use fewer steps or actors, or events that change fewer relations\n");
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(HostileLimits, PlayRefusesAStepPastTheBudgetAndKeepsTheSession) {
  // 300 actors: 0.69 MiB a step; 5000 steps = 3.4 GiB
  const fs::path dir = temp_dir("limits_play");
  spit(dir / "big.yaml", scenario_text(300, 5000, 7, "2025-01-01"));
  const Output o = run_shell("printf 'step 5000\\nstep 2\\nstatus\\n' | " + std::string(GEOSIM_BINARY) + " play " +
                             (dir / "big.yaml").string());
  EXPECT_NE(o.err.find("'step 5000': this branch of 5000 steps of 300 actors would need 3.4 GiB"), std::string::npos)
      << o.err;
  EXPECT_NE(o.out.find("step 2"), std::string::npos) << o.out;  // the session goes on
}

TEST(HostileLimits, WorldNeverWritesWhatItsLoaderRefuses) {
  const fs::path dir = temp_dir("limits_world");
  const Output o = run_cli("world --states 245 --steps 520 --events 20 --out " + (dir / "w.yaml").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err,
            "geosim: error: --steps and --events: a world of 520 steps with 20 chance events a step has 10400 "
            "events, more than the limit of 10000 on steps times events (a scenario's most events): use fewer "
            "steps or events (see `geosim world --help`)\n");
  EXPECT_FALSE(fs::exists(dir / "w.yaml"));
  // 500 x 20 = 10000 events: at the limit, written and loaded
  const Output ok = run_cli("world --states 20 --steps 500 --events 20 --out " + (dir / "ok.yaml").string());
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(run_cli("validate " + (dir / "ok.yaml").string()).code, 0);
}

TEST(HostileLimits, APeriodEndingAfterTheYear9999IsRefused) {
  const fs::path dir = temp_dir("limits_date");
  // 9999-12-01 + 3 x 10 days = 9999-12-31: the last readable date; one more day is not
  spit(dir / "last.yaml", scenario_text(2, 3, 10, "9999-12-01"));
  spit(dir / "after.yaml", scenario_text(2, 3, 11, "9999-12-01"));
  EXPECT_EQ(run_cli("validate " + (dir / "last.yaml").string()).code, 0);
  const Output after = run_cli("validate " + (dir / "after.yaml").string());
  EXPECT_EQ(after.code, 1);
  EXPECT_EQ(lines(after.err), 1) << after.err;
  EXPECT_NE(after.err.find("after.yaml:6:10: error: 3 steps of 11 days from 9999-12-01 end after 9999-12-31"),
            std::string::npos)
      << after.err;
  // --steps past the same date, for a run, an explanation and an ensemble
  const std::string last = (dir / "last.yaml").string();
  for (const std::string& command :
       {"run " + last + " --steps 4 --out " + (dir / "r").string(), "explain " + last + " A0 A1 --steps 4",
        "ensemble " + last + " --runs 2 --steps 4 --out " + (dir / "e").string()}) {
    const Output o = run_cli(command);
    EXPECT_EQ(o.code, 1) << command;
    EXPECT_NE(o.err.find("4 steps of 10 days from 9999-12-01 end after 9999-12-31"), std::string::npos)
        << command << ": " << o.err;
  }
  EXPECT_EQ(run_cli("run " + last + " --steps 3 --out " + (dir / "r3").string()).code, 0);
}

TEST(HostileLimits, SettingsThatOverlapOrStopTheStartSettlingSaySo) {
  // --vary: a group and its member are refused like --set's (loader_settings tests)
  const fs::path dir = temp_dir("limits_set");
  const Output vary = run_cli("ensemble realignment --runs 2 --vary restraint=0..1 --vary restraint.VNM=0..1 --out " +
                              (dir / "v").string());
  EXPECT_EQ(vary.code, 1);
  EXPECT_EQ(lines(vary.err), 1) << vary.err;
  EXPECT_NE(vary.err.find("--vary: 'restraint' and 'restraint.VNM' overlap"), std::string::npos) << vary.err;
  // spillover 0.2 leaves 29 relations of the settled start outside [0, 1]: the first line names the setting
  const Output settle = run_cli("run realignment --set spillover=0.2 --out " + (dir / "s").string());
  EXPECT_EQ(settle.code, 1);
  EXPECT_EQ(settle.err.substr(0, settle.err.find('\n')),
            "--set: error: with spillover=0.2 the settled start cannot be derived (29 relations, the first 3 below): "
            "change the --set values (the files are fine as they are)");
  // three of them as examples, without the advice to edit the files
  EXPECT_EQ(lines(settle.err), 4) << settle.err;
  EXPECT_NE(settle.err.find("actors.yaml:121:5: error: a settled start needs a baseline of -0.053 for VNM -> ASEAN, "
                            "outside [0, 1] with these values\n"),
            std::string::npos)
      << settle.err;
  EXPECT_EQ(settle.err.find("start_state"), std::string::npos) << settle.err;
  // The same from a `fitted:` block (a calibration's output included): its values and its place
  // named first, the relations as examples.
  std::ofstream(dir / "fb.yaml") << "scenario: {id: fb, title: Fb, start: 2025-08-01, steps: 3}\n"
                                    "include: ['"
                                 << GEOSIM_SCENARIOS_DIR
                                 << "/actors.yaml']\n"
                                    "fitted:\n  spillover: 0.2\nfitted_step_days: 7\n";
  const Output fitted = run_cli("run " + (dir / "fb.yaml").string() + " --out " + (dir / "f").string());
  EXPECT_EQ(fitted.code, 1);
  EXPECT_EQ(fitted.err.substr(0, fitted.err.find('\n')),
            (dir / "fb.yaml").string() +
                ":4:3: error: with spillover=0.2 the settled start cannot be derived (29 "
                "relations, the first 3 below): change the fitted values (fit fewer parameters, or give the scenario "
                "'start_state: drifting')");
  EXPECT_EQ(lines(fitted.err), 4) << fitted.err;
  // near-zero restraint and reactivity need baselines of about 1e157: written as such, not in 157 digits
  const Output huge =
      run_cli("run realignment --set restraint=1e-160 --set reactivity=2e-160 --out " + (dir / "h").string());
  EXPECT_EQ(huge.code, 1);
  EXPECT_NE(huge.err.find("needs a baseline of -7.15e+156 for VNM -> PRK"), std::string::npos)
      << huge.err.substr(0, 500);
  std::size_t longest = 0;
  for (std::size_t at = 0, next; at < huge.err.size(); at = next + 1) {
    next = huge.err.find('\n', at);
    if (next == std::string::npos) next = huge.err.size();
    longest = std::max(longest, next - at);
  }
  EXPECT_LT(longest, 250u);
  // A file that does not settle as written is the file's fault, whatever --set adds: its own error,
  // with its advice, and no "the files are fine as they are" (said before, and first).
  std::ofstream(dir / "det0.yaml") << "scenario: {id: det0, title: Det0, start: 2025-08-01, steps: 3}\n"
                                      "start_state: settled\n"
                                      "actors:\n  - {id: A, restraint: 0.05, reactivity: 0.05}\n"
                                      "  - {id: B, restraint: 0.05, reactivity: 0.05}\n";
  const Output file =
      run_cli("run " + (dir / "det0.yaml").string() + " --set spillover=0.05 --out " + (dir / "d").string());
  EXPECT_EQ(file.code, 1);
  EXPECT_EQ(file.err, (dir / "det0.yaml").string() +
                          ":2:14: error: a settled start needs restraint(A) * restraint(B) != reactivity(A) * "
                          "reactivity(B) for A and B, found them equal\n");
}

// `play` reading a pipe keeps at most a command's length of a line: an endless line (100 MB of
// one byte) is refused by its length at line 1, column 4001, in bounded memory (the whole line
// was held, 258 MB at 300 MB), and the next line still runs.
TEST(HostileLimits, AnEndlessLineFromAPipeIsRefusedInBoundedMemory) {
  if (geosim::testing::kAddressSanitizer) GTEST_SKIP() << "no address-space limit under AddressSanitizer";
  const fs::path dir = temp_dir("limits_play_line");
  const Output o =
      run_shell("cd '" + dir.string() +
                "' && ulimit -v 200000 && ( head -c 100000000 /dev/zero | tr '\\0' a; printf '\\nstatus\\n' ) | " +
                std::string(GEOSIM_BINARY) + " --scenarios-dir " + GEOSIM_SCENARIOS_DIR + " play baseline");
  EXPECT_EQ(o.code, 1) << o.err;
  EXPECT_NE(o.err.find("<stdin>:1:4001: error: expected a line of at most 4000 bytes"), std::string::npos) << o.err;
  EXPECT_NE(o.out.find("> status\n"), std::string::npos) << o.out.substr(o.out.size() > 300 ? o.out.size() - 300 : 0);
  EXPECT_LT(o.out.size(), std::size_t(20000));  // the line is not echoed whole
}

// ingest's file count is bounded with a message of its own, and its usage says it takes many
// (CLI11's bound showed "files(1x)", one file).
TEST(HostileLimits, IngestTakesManyFilesUpToABound) {
  std::string files;
  for (int i = 0; i < 1001; ++i) files += " x" + std::to_string(i);
  const Output o =
      run_cli("ingest" + files + " --actors " + std::string(GEOSIM_SOURCE_DIR) + "/scenarios/actors.yaml --out never");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "geosim: error: expected at most 1000 event files, found 1001\n");
  EXPECT_NE(run_cli("ingest --help").out.find("ingest [OPTIONS] files..."), std::string::npos);
}
}  // namespace
