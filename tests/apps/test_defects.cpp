// Smaller defects found by review, each checked where a user meets it: exit codes and argument
// checks of the command line, dates far ahead, organisation members, explain's firing counts,
// event dates, default output folders, and where the program finds its data.
#include <gtest/gtest.h>
#include <geosim/analysis/explain.hpp>
#include <geosim/core/date.hpp>
#include <geosim/core/run.hpp>
#include <geosim/io/loader.hpp>
#include <geosim/report/report.hpp>

#include <sys/wait.h>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/builders.hpp"
#include "support/cli.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;
using testing::Output;
using testing::run_cli;
using testing::slurp;
using testing::temp_dir;

TEST(Defects, EveryArgumentErrorExitsWithOneAndSaysWhy) {
  const char* bad[] = {
      "validate x.yaml --bogus",
      "ensemble baseline --runs 0",
      "run --seed abc",
      "analyze baseline --between VNM",
      "run --steps -1",
      "--bogus",
      "nosuchcommand",
      "run --seed -1",
      "run --seed 18446744073709551616",
      "run --seed 1e23",
      "run --seed ' 7'",
      "run --seed +7",
      "report --parameter-sd nan",
      "ensemble --parameter-sd inf",
      "compare baseline --parameter-sd -0.1",
      "play --seed 0x10",
      "explain baseline VNM",
      "export --format pdf",
      "matrix --runs",
      "play --script /tmp",
      "run baseline extra words",
  };
  for (const char* args : bad) {
    const Output o = run_cli(args);
    EXPECT_EQ(o.code, 1) << args << "\n" << o.err;
    EXPECT_FALSE(o.err.empty()) << args;
  }
  EXPECT_EQ(run_cli("--help").code, 0);
  EXPECT_EQ(run_cli("run --help").code, 0);
  // One actor twice is no channel (explain refuses it alike).
  Output o = run_cli("analyze baseline --between VNM VNM");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "geosim: error: expected two different actors after --between, found VNM twice\n");
  // A long --relations is quoted by its start, as every other argument is: one short line.
  o = run_cli("run baseline --steps 1 --relations " + std::string(4000, 'a'));
  EXPECT_EQ(o.code, 1);
  EXPECT_LT(o.err.size(), 300u) << o.err;
  EXPECT_NE(o.err.find("...' (4000 bytes)"), std::string::npos) << o.err;
}

TEST(Defects, SeedsAreTakenAsTypedOrRefused) {
  for (const char* seed : {"-1", "18446744073709551616", "1e23"}) {
    const Output o = run_cli(std::string("run --steps 1 --seed ") + seed);
    EXPECT_EQ(o.code, 1) << seed;
    EXPECT_NE(o.err.find("expected a whole number from 0 to 18446744073709551615"), std::string::npos) << o.err;
  }
  const fs::path dir = temp_dir("seed_max");
  const Output o = run_cli("run --steps 1 --seed 18446744073709551615 --out " + dir.string());
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("seed 18446744073709551615"), std::string::npos);
  const Output sd = run_cli("report --parameter-sd nan");
  EXPECT_NE(sd.err.find("expected a number from 0 to 2, found 'nan'"), std::string::npos) << sd.err;
  // The class: every number option refuses what is not a finite number in its range (analyze's
  // --cut took nan, and said "friendly = mean tension < nan").
  for (const char* cut : {"nan", "2", "-0.5"}) {
    const Output o = run_cli(std::string("analyze baseline --cut ") + cut);
    EXPECT_EQ(o.code, 1) << cut;
    EXPECT_NE(o.err.find(std::string("--cut: expected a number from 0 to 1, found '") + cut + "'"), std::string::npos)
        << o.err;
  }
  const Output folder = run_cli("play --script " + dir.string());
  EXPECT_NE(folder.err.find("it is a folder"), std::string::npos) << folder.err;
  fs::remove_all(dir);
}

TEST(Defects, DatesFarAheadDoNotWrap) {
  // 146097 days are exactly 400 Gregorian years; 2932897 days after 1970-01-01 is 10000-01-01.
  EXPECT_EQ(format_date(Date{2932897}), "10000-01-01");
  EXPECT_EQ(format_date(Date{2932897 + 57 * 146097}), "32800-01-01");
  EXPECT_EQ(format_date(Date{82 * 146097}), "34770-01-01");
  EXPECT_EQ(format_date(Date{82 * 146097 - 1}), "34769-12-31");
  EXPECT_EQ(format_date(Date{-1}), "1969-12-31");
  for (int days : {-1, 0, 20000, 2932896})  // 1969-12-31 to 9999-12-31
    EXPECT_EQ(parse_date(format_date(Date{days})).value_or(Date{-999}).days, days) << days;
}

TEST(Defects, AMemberListedTwiceIsRefusedWhereItIsWritten) {
  const fs::path dir = temp_dir("members");
  std::ofstream(dir / "s.yaml") << "scenario: {id: twice, title: T, start: 2025-01-01, steps: 3}\n"
                                   "actors:\n"
                                   "  - {id: A, name: A}\n"
                                   "  - {id: B, name: B}\n"
                                   "  - {id: ORG, name: O, kind: organization, members: [A, B, A]}\n";
  const LoadResult r = load_scenario((dir / "s.yaml").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors.front().line, 5);
  EXPECT_NE(r.errors.front().message.find("'A' is listed twice in the members of 'ORG'"), std::string::npos)
      << r.errors.front().message;
  fs::remove_all(dir);
}

TEST(Defects, ExplainCountsFiringsNotChanges) {
  Scenario s = testing::make_scenario({"A", "B"});
  Event e = testing::make_event(s, "double", 1, "A", "B", 0.1);
  e.effects.push_back(e.effects.front());  // two effects on the same relation, one firing
  s.events.push_back(e);
  const Explanation x = explain(s, 0, 1, RunOptions{1, 0, 3});
  const auto it = std::find_if(x.contributions.begin(), x.contributions.end(),
                               [](const Contribution& c) { return c.label == "double"; });
  ASSERT_NE(it, x.contributions.end());
  EXPECT_EQ(it->firings, 1);
  EXPECT_NEAR(it->value, 0.2, 1e-12) << "both changes are credited";
}

TEST(Defects, EventsShowTheirOwnDateAndStepsTheirDays) {
  // The parade is dated 2025-10-10: step floor(70 / 7) + 1 = 11, the days 2025-10-10 to 10-16,
  // reported at 2025-10-17.
  const fs::path dir = temp_dir("event_dates");
  ASSERT_EQ(run_cli("run realignment --out " + dir.string()).code, 0);
  const auto record = nlohmann::json::parse(slurp(dir / "run.json"));
  bool parade = false, window = false;
  for (const auto& entry : record["events"]) {
    if (entry["event"] == "party-anniversary-parade") {
      parade = true;
      EXPECT_EQ(entry["step"], 11);
      EXPECT_EQ(entry["date"], "2025-10-10");
    }
    if (entry["cause"] != "scheduled" && !window) {
      window = true;
      const int step = entry["step"];
      const Date first = add_days(*parse_date("2025-08-01"), (step - 1) * 7);
      EXPECT_EQ(entry["date"], format_date(first) + " to " + format_date(add_days(first, 6))) << entry.dump();
    }
  }
  EXPECT_TRUE(parade);
  EXPECT_TRUE(window) << "a follow-up or window event has no date of its own";
  std::ofstream(dir / "turns.txt") << "step 11\n";
  const Output play = run_cli("play realignment --script " + (dir / "turns.txt").string());
  EXPECT_NE(play.out.find("step 11 (2025-10-10 to 2025-10-16): "), std::string::npos) << play.out;
  EXPECT_NE(play.out.find("party-anniversary-parade (2025-10-10)"), std::string::npos) << play.out;
  fs::remove_all(dir);
}

TEST(Defects, RelationsThatMovedMostCreditOnlyEventsThatPushedThatWay) {
  // A->B: +0.3 at step 1, -0.1 at step 2: up by 0.2 in all (no drift: restraint, reactivity,
  // spillover and noise are 0). Only `up` moved it the way it went.
  Scenario s = testing::make_scenario({"A", "B"});
  for (auto& a : s.actors) a.restraint = a.reactivity = 0.0;
  s.steps = 3;
  s.events.push_back(testing::make_event(s, "up", 1, "A", "B", 0.3));
  s.events.push_back(testing::make_event(s, "down", 2, "A", "B", -0.1));
  const std::string summary = run_summary(s, run_scenario(s, RunOptions{1, 0, -1}), 1);
  EXPECT_NE(summary.find("A -> B  0.300 -> 0.500  (+0.200)"), std::string::npos) << summary;
  EXPECT_NE(summary.find("by step 1 up: tension +0.300"), std::string::npos) << summary;
  EXPECT_EQ(summary.find("by step 2 down"), std::string::npos) << summary;
  // Without events nothing moves (restraint 0: the start stays), and the list says so.
  s.events.clear();
  const std::string still = run_summary(s, run_scenario(s, RunOptions{1, 0, -1}), 1);
  EXPECT_NE(still.find("Relations that moved most (tension start -> end):\n  none moved by 0.0001 or more\n\n0 events"),
            std::string::npos)
      << still;
}

/// Runs `geosim ARGS` in `cwd` with `env` prepended (e.g. "GEOSIM_DATA=/x"), no GEOSIM_SCENARIOS.
int run_in(const fs::path& cwd, const std::string& env, const std::string& args, std::string* out = nullptr) {
  const fs::path log = cwd / "stdout.txt";
  const std::string command = "cd '" + cwd.string() + "' && env -u GEOSIM_SCENARIOS -u GEOSIM_JS_DIR " + env + " " +
                              GEOSIM_BINARY + " " + args + " >'" + log.string() + "' 2>&1 </dev/null";
  const int status = std::system(command.c_str());
  if (out) *out = slurp(log);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Defects, ARunWithAPolicyDoesNotReplaceTheRunWithout) {
  const fs::path dir = temp_dir("default_out");
  const std::string env = "GEOSIM_DATA=" + std::string(GEOSIM_SOURCE_DIR);
  ASSERT_EQ(run_in(dir, env, "run realignment --steps 2"), 0);
  ASSERT_EQ(run_in(dir, env, "run realignment --steps 2 --policy quiet-diplomacy --policy asean-dialogue"), 0);
  EXPECT_TRUE(fs::exists(dir / "out/realignment+steps=2/run.json"));
  EXPECT_TRUE(fs::exists(dir / "out/realignment+quiet-diplomacy+asean-dialogue+steps=2/run.json"));
  EXPECT_EQ(slurp(dir / "out/realignment+steps=2/run.json").find("quiet-diplomacy"), std::string::npos)
      << "the run without the policy is still there";
  // Nor does another seed, another length or another ensemble replace the default one: the
  // options given other than their defaults name the folder.
  ASSERT_EQ(run_in(dir, env, "run realignment"), 0);
  ASSERT_EQ(run_in(dir, env, "run realignment --seed 3 --steps 52"), 0);  // 52: the scenario's own
  EXPECT_NE(slurp(dir / "out/realignment/run.json").find("\"seed\": 1,"), std::string::npos);
  EXPECT_NE(slurp(dir / "out/realignment+seed=3/run.json").find("\"seed\": 3,"), std::string::npos);
  std::string out;
  ASSERT_EQ(run_in(dir, env, "ensemble realignment --runs 70 --seed 2 --steps 3 --parameter-sd 0.1 --shard 2/2", &out),
            0)
      << out;
  ASSERT_EQ(run_in(dir, env, "ensemble realignment --runs 70 --seed 2 --steps 3 --parameter-sd 0.1 --shard 1/2"), 0);
  const fs::path ensemble = dir / "out/realignment+seed=2+steps=3+runs=70+parameter-sd=0.1-ensemble";
  EXPECT_TRUE(fs::exists(ensemble / "shard-2-of-2.gsshard")) << out;
  ASSERT_EQ(run_in(dir, env,
                   "ensemble merge " + (ensemble / "shard-1-of-2.gsshard").string() + " " +
                       (ensemble / "shard-2-of-2.gsshard").string(),
                   &out),
            0)
      << out;
  EXPECT_TRUE(fs::exists(ensemble / "ensemble.json")) << "merged beside its shards: " << out;
  // A range as given, less blanks; a spread named exactly (0.1234567 and 0.1234568 apart).
  ASSERT_EQ(run_in(dir, env,
                   "ensemble realignment --runs 2 --steps 1 --parameter-sd 0.1234567 --vary "
                   "'\tspillover = 0.01..0.02'",
                   &out),
            0)
      << out;
  EXPECT_TRUE(fs::exists(dir / "out/realignment+steps=1+runs=2+parameter-sd=0.1234567+spillover=0.01..0.02-ensemble"))
      << out;
  fs::remove_all(dir);
}

// Every choice that changes what is written names the folder (a subset of relations, another
// calibration), and no id or choice makes a name the file system refuses (255 bytes).
TEST(Defects, DefaultFoldersNameEveryChoiceWithinTheNameLimit) {
  const fs::path dir = temp_dir("default_out_choices");
  const std::string env = "GEOSIM_DATA=" + std::string(GEOSIM_SOURCE_DIR);
  std::string out;
  ASSERT_EQ(run_in(dir, env, "run realignment --steps 2"), 0);
  const std::string full = slurp(dir / "out/realignment+steps=2/tension.csv");
  ASSERT_EQ(run_in(dir, env, "run realignment --steps 2 --relations top:3", &out), 0) << out;
  ASSERT_EQ(run_in(dir, env, "run realignment --steps 2 --relations USA/VNM", &out), 0) << out;
  EXPECT_EQ(slurp(dir / "out/realignment+steps=2/tension.csv"), full) << "the full run is still there";
  const std::string top = slurp(dir / "out/realignment+steps=2+relations=top:3/tension.csv");
  EXPECT_EQ(std::count(top.begin(), top.end(), '\n'), 1 + 3 * 3) << top;  // a header, 3 relations, steps 0..2
  int hashed = 0;  // FROM/TO holds a '/', which no folder's name can: by a checksum
  for (const auto& entry : fs::directory_iterator(dir / "out")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("realignment+steps=2+relations-", 0) != 0) continue;
    ++hashed;
    EXPECT_EQ(name.size(), std::string("realignment+steps=2+relations-").size() + 16) << name;
    EXPECT_NE(slurp(entry.path() / "tension.csv").find(",USA,VNM,"), std::string::npos) << name;
  }
  EXPECT_EQ(hashed, 1);

  // Two calibrations that differ in a window: each in its own folder, named by its choices.
  ASSERT_EQ(run_in(dir, env, "run baseline --steps 12 --out obs"), 0);
  const std::string calibrate = "calibrate baseline --observed obs/tension.csv --fit spillover --max-iterations 3";
  ASSERT_EQ(run_in(dir, env, calibrate + " --train 1..8 --test 8..12", &out), 0) << out;
  ASSERT_EQ(run_in(dir, env, calibrate + " --train 2..8 --test 8..12", &out), 0) << out;
  std::vector<std::string> calibrations;
  for (const auto& entry : fs::directory_iterator(dir / "out"))
    if (entry.path().filename().string().ends_with("-calibration")) {
      calibrations.push_back(entry.path().filename().string());
      EXPECT_TRUE(fs::exists(entry.path() / "fitted.yaml")) << entry.path();
    }
  std::sort(calibrations.begin(), calibrations.end());
  ASSERT_EQ(calibrations.size(), 2u) << out;
  const std::string observed = calibrations[0].substr(0, std::string("baseline+observed-").size() + 16);
  EXPECT_EQ(calibrations[0], observed + "+train=1..8+test=8..12+fit=spillover+max-iterations=3-calibration");
  EXPECT_EQ(calibrations[1], observed + "+train=2..8+test=8..12+fit=spillover+max-iterations=3-calibration");

  // Three policies with ids of 100 bytes (the longest allowed): 314 bytes spelled out.
  std::string args = "run realignment --steps 1";
  for (char c : {'a', 'b', 'c'}) {
    const std::string id = std::string(99, c) + "1";
    std::ofstream(dir / (std::string(1, c) + ".yaml")) << "policy:\n  id: " << id << "\n  title: Long\n";
    args += " --policy " + (dir / (std::string(1, c) + ".yaml")).string();
  }
  ASSERT_EQ(run_in(dir, env, args, &out), 0) << out;
  bool found = false;
  for (const auto& entry : fs::directory_iterator(dir / "out")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("realignment+policies-", 0) != 0) continue;
    found = true;
    EXPECT_EQ(name, "realignment+policies-" + name.substr(21, 16) + "+steps=1");
    EXPECT_TRUE(fs::exists(entry.path() / "run.json"));
  }
  EXPECT_TRUE(found) << out;
  fs::remove_all(dir);
}

TEST(Defects, TheProgramFindsItsDataWithoutABuildMachinePath) {
  const std::string binary = slurp(GEOSIM_BINARY);
  ASSERT_FALSE(binary.empty());
  EXPECT_EQ(binary.find(std::string(GEOSIM_SOURCE_DIR) + "/scenarios"), std::string::npos);
  EXPECT_EQ(binary.find(std::string(GEOSIM_SOURCE_DIR) + "/node_modules"), std::string::npos);
  // From a folder without scenarios/: the shipped ones, linked beside the program in the build tree.
  const fs::path dir = temp_dir("data_dirs");
  std::string out;
  ASSERT_EQ(run_in(dir, "", "list", &out), 0) << out;
  EXPECT_NE(out.find("realignment"), std::string::npos) << out;
  // $GEOSIM_DATA comes first.
  fs::create_directories(dir / "data/scenarios");
  std::ofstream(dir / "data/scenarios/mine.yaml")
      << "scenario: {id: mine, title: My own, start: 2025-01-01, steps: 3}\n"
         "actors:\n  - {id: A, name: A}\n  - {id: B, name: B}\n";
  ASSERT_EQ(run_in(dir, "GEOSIM_DATA=" + (dir / "data").string(), "list", &out), 0) << out;
  EXPECT_NE(out.find("mine"), std::string::npos) << out;
  EXPECT_EQ(out.find("realignment"), std::string::npos) << out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace geosim
