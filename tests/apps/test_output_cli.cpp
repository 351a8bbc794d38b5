// Output files through the program: a file size limit, a stale file that cannot go, a failed
// write to standard output, a FIFO or a link as the output: one line naming the file, exit 1,
// and nothing half-written (the writing itself: tests/io/test_output_file.cpp).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "support/cli.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;
using testing::FileSizeLimit;
using testing::names_in;
using testing::run_cli;
using testing::slurp;
using testing::spit;
using testing::temp_dir;

// An output folder that cannot be made (a file where it or a parent would be) is refused before
// the work, by every command that writes a folder: one line, exit 1, nothing printed or written
// (run, ensemble and the others printed their whole summary first; an ensemble ran every run).
TEST(OutputFileCli, EveryCommandRefusesAnImpossibleFolderBeforeItWorks) {
  const fs::path dir = temp_dir("out_cli_folder");
  spit(dir / "file", "x");
  spit(dir / "o.csv", "step,date,from,to,tension\n1,2025-08-08,VNM,USA,0.3\n2,2025-08-15,VNM,USA,0.35\n");
  const std::string scenarios = std::string(GEOSIM_SOURCE_DIR) + "/scenarios";
  ASSERT_EQ(run_cli("ensemble baseline --runs 70 --steps 2 --shard 1/1 --out " + (dir / "parts").string()).code, 0);
  const std::string out = (dir / "file" / "x").string();
  const std::string commands[] = {
      "run baseline --steps 2",
      "ensemble baseline --runs 70 --steps 2",
      "ensemble baseline --runs 70 --steps 2 --shard 1/2",
      "ensemble merge " + (dir / "parts" / "shard-1-of-1.gsshard").string(),
      "compare baseline realignment --runs 10 --steps 2",
      "matrix --runs 5 --steps 2",
      "calibrate baseline --observed " + (dir / "o.csv").string() + " --train 1..2 --test 2..2",
      "ingest " + scenarios + "/events/sample.export.CSV --actors " + scenarios + "/actors.yaml",
  };
  for (const std::string& command : commands) {
    const testing::Output o = run_cli(command + " --out " + out);
    EXPECT_EQ(o.code, 1) << command;
    EXPECT_EQ(o.out, "") << command;
    EXPECT_EQ(o.err, "geosim: error: cannot create output folder '" + out + "': Not a directory\n") << command;
  }
  EXPECT_EQ(slurp(dir / "file"), "x");
  EXPECT_FALSE(fs::exists(dir / "new")) << "no folder made for a name that is one";
  fs::remove_all(dir);
}

// A folder where one of the files in the output folder would go (or a FIFO, or a link) is refused
// before the work too, by every command that writes a folder of files: compare and matrix ran
// every run first (tens of seconds), then refused.
TEST(OutputFileCli, EveryCommandRefusesAFolderAtOneOfItsFilesBeforeItWorks) {
  const fs::path dir = temp_dir("out_cli_inner");
  spit(dir / "o.csv", "step,date,from,to,tension\n1,2025-08-08,VNM,USA,0.3\n2,2025-08-15,VNM,USA,0.35\n");
  const std::string scenarios = std::string(GEOSIM_SOURCE_DIR) + "/scenarios";
  ASSERT_EQ(run_cli("ensemble baseline --runs 70 --steps 2 --shard 1/1 --out " + (dir / "parts").string()).code, 0);
  const std::pair<std::string, std::string> commands[] = {
      {"run baseline --steps 2", "run.json"},
      {"run baseline --steps 2", "tension.csv.gz"},  // the other form, which a run replaces too
      {"ensemble baseline --runs 70 --steps 2", "ensemble.json"},
      {"ensemble baseline --runs 70 --steps 2 --shard 1/2", "shard-1-of-2.gsshard"},
      {"ensemble merge " + (dir / "parts" / "shard-1-of-1.gsshard").string(), "thresholds.csv"},
      {"compare baseline realignment --runs 10 --steps 2", "compare_paired.csv"},
      {"matrix --runs 5 --steps 2", "matrix.json"},
      {"calibrate baseline --observed " + (dir / "o.csv").string() + " --train 1..2 --test 2..2", "backtest.csv"},
      {"ingest " + scenarios + "/events/sample.export.CSV --actors " + scenarios + "/actors.yaml", "events.yaml"},
  };
  for (const auto& [command, name] : commands) {
    const fs::path out = dir / "out";
    fs::remove_all(out);
    fs::create_directories(out / name);
    const testing::Output o = run_cli(command + " --out " + out.string());
    EXPECT_EQ(o.code, 1) << command;
    EXPECT_EQ(o.out, "") << command;
    EXPECT_EQ(o.err, "geosim: error: not writing '" + (out / name).string() +
                         "': it is a folder, and geosim replaces only regular files\n")
        << command;
    EXPECT_EQ(names_in(out), std::vector<std::string>{name}) << command;  // nothing written beside it
  }
  fs::remove_all(dir);
}

// A single output file that cannot be written (a folder, a FIFO or a link there, or a file where
// its folder would be) is refused before the work, by every command that writes one after
// working: one line, exit 1, nothing printed (analyze printed its whole analysis first; report
// ran its ensembles). A missing folder is made (export, analyze and world had refused it).
TEST(OutputFileCli, EveryCommandRefusesAnImpossibleFileBeforeItWorks) {
  const fs::path dir = temp_dir("out_cli_file");
  fs::create_directories(dir / "folder");
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  fs::create_symlink(dir / "elsewhere", dir / "link");
  const std::pair<std::string, std::string> targets[] = {
      {"folder", "not writing '{}': it is a folder, and geosim replaces only regular files"},
      {"fifo", "not writing '{}': it is a FIFO, and geosim replaces only regular files"},
      {"link",
       "not writing '{}': it is a symbolic link (geosim never writes through a link; give the path of the file it "
       "points to)"},
      {"file/x", "cannot write '{}': Not a directory"},
      {"new/", "not writing '{}': it names a folder, not a file: give a file name"},
  };
  spit(dir / "file", "x");
  for (const auto& [name, message] : targets) {
    const std::string path = (dir / name).string();
    for (const std::string& command :
         {"analyze baseline --json " + path, "export baseline --format dot --out " + path,
          "report baseline --runs 10 --steps 2 --out " + path, "world --states 5 --out " + path,
          "ensemble baseline --runs 5 --steps 2 --out " + (dir / "ens").string() + " --per-run " + path}) {
      const testing::Output o = run_cli(command);
      EXPECT_EQ(o.code, 1) << command;
      EXPECT_EQ(o.out, "") << command;
      EXPECT_EQ(o.err, "geosim: error: " + fmt::format(fmt::runtime(message), path) + "\n") << command;
    }
  }
  EXPECT_FALSE(fs::exists(dir / "elsewhere"));
  EXPECT_EQ(slurp(dir / "file"), "x");
  EXPECT_FALSE(fs::exists(dir / "new")) << "no folder made for a name that is one";
  // A folder that is missing is made, as the commands that write a folder of files make theirs.
  for (const auto& [command, name] :
       std::vector<std::pair<std::string, std::string>>{{"analyze baseline --json ", "a/a.json"},
                                                        {"export baseline --format dot --out ", "b/c/g.dot"},
                                                        {"report baseline --runs 10 --steps 2 --out ", "d/r.html"},
                                                        {"world --states 5 --out ", "e/w.yaml"}}) {
    const testing::Output o = run_cli(command + (dir / name).string());
    EXPECT_EQ(o.code, 0) << command << o.err;
    EXPECT_TRUE(fs::is_regular_file(dir / name)) << name;
  }
  fs::remove_all(dir);
}

// A file size limit (`ulimit -f`, SIGXFSZ's default ends the program) is a failed write like a
// full disk: one line naming the file, exit 1, no temporary or partial file, for a file streamed
// during the run (--per-run) and for a set of files (run's).
TEST(OutputFileCli, AFileSizeLimitIsAFailedWriteNotACrash) {
  const fs::path dir = temp_dir("out_cli_ulimit");
  const std::string cd = "cd '" + dir.string() + "' && ulimit -f 50 && " + GEOSIM_BINARY;
  const auto per_run = testing::run_shell(cd + " ensemble baseline --runs 2000 --steps 10 --out e --per-run big.csv");
  EXPECT_EQ(per_run.code, 1) << per_run.err;
  EXPECT_EQ(per_run.err, "geosim: error: cannot write 'big.csv': " + std::string(std::strerror(EFBIG)) + "\n");
  const auto run = testing::run_shell(cd + " run world-200 --out r");
  EXPECT_EQ(run.code, 1) << run.err;
  EXPECT_NE(run.err.find("geosim: error: cannot write 'r/tension.csv': " + std::string(std::strerror(EFBIG))),
            std::string::npos)
      << run.err;
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"r"})) << "no partial file, no temporary";
  EXPECT_EQ(names_in(dir / "r"), std::vector<std::string>{});
  fs::remove_all(dir);
}

TEST(OutputFileCli, RunSaysWhichStaleFileItCouldNotRemoveAndExits1) {
  if (::geteuid() != 0 || !fs::exists("/usr/bin/setpriv")) GTEST_SKIP() << "needs root and setpriv";
  const std::string as_nobody_cmd = "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups ";
  if (testing::run_shell(as_nobody_cmd + GEOSIM_BINARY + " list").code != 0)
    GTEST_SKIP() << "user nobody cannot run this build of geosim (its folder is private)";
  const fs::path dir = temp_dir("out_cli_stale");
  fs::permissions(dir, fs::perms(01777));
  fs::create_directory(dir / "b");
  fs::permissions(dir / "b", fs::perms(01777));
  spit(dir / "b" / "tension.csv", "step,date,from,to,tension\n");  // root's, from an earlier run
  const testing::Output o = testing::run_shell(as_nobody_cmd + GEOSIM_BINARY + " run baseline --steps 3 --gzip --out " +
                                               (dir / "b").string());
  const std::string b = (dir / "b").string();
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, fmt::format("geosim: error: the new files in '{0}' are complete, but '{0}/tension.csv' (an earlier "
                               "run's, not this one's) could not be removed: Operation not permitted; delete it "
                               "before reading '{0}'\n",
                               b));
  EXPECT_EQ(names_in(dir / "b"),
            (std::vector<std::string>{"indicators.csv", "run.json", "tension.csv", "tension.csv.gz"}));
  fs::remove_all(dir);
}

TEST(OutputFileCli, RunLeavesNoTensionFileOfTheOtherFormatBehind) {
  // A tool reading tension.csv must not get an earlier run's data beside this run's .gz (and
  // the other way round).
  const fs::path dir = temp_dir("out_cli_gzip");
  ASSERT_EQ(run_cli("run baseline --steps 3 --out " + dir.string()).code, 0);
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"indicators.csv", "run.json", "tension.csv"}));
  ASSERT_EQ(run_cli("run baseline --steps 3 --gzip --out " + dir.string()).code, 0);
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"indicators.csv", "run.json", "tension.csv.gz"}));
  spit(dir / "notes.txt", "mine");
  ASSERT_EQ(run_cli("run baseline --steps 3 --out " + dir.string()).code, 0);
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"indicators.csv", "notes.txt", "run.json", "tension.csv"}));
  fs::remove_all(dir);
}

TEST(OutputFileCli, AFailedWriteToStandardOutputIsAnError) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const fs::path dir = temp_dir("out_full");
  for (const char* args : {"export baseline --format csv", "list", "explain baseline VNM USA", "run --help"}) {
    const std::string command = std::string("GEOSIM_SCENARIOS=") + GEOSIM_SCENARIOS_DIR + " " + GEOSIM_BINARY + " " +
                                args + " >/dev/full 2>" + (dir / "err").string() + " </dev/null";
    const int status = std::system(command.c_str());
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << args;
    const std::string err = slurp(dir / "err");
    EXPECT_NE(err.find("geosim: error: cannot write the output to standard output"), std::string::npos) << args << err;
  }
  fs::remove_all(dir);
}

TEST(OutputFileCli, RunRefusesToReplaceAFifoAndWritesNothing) {
  const fs::path dir = temp_dir("out_cli_fifo");
  ASSERT_EQ(::mkfifo((dir / "run.json").c_str(), 0644), 0);
  const testing::Output o = run_cli("run baseline --out " + dir.string());
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("it is a FIFO"), std::string::npos) << o.err;
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"run.json"}) << "no tension.csv written alone";
  EXPECT_TRUE(fs::is_fifo(dir / "run.json"));
  fs::remove_all(dir);
}

TEST(OutputFileCli, ExportRefusesASymlinkOut) {
  const fs::path dir = temp_dir("out_cli_link");
  spit(dir / "target.dot", "mine");
  fs::create_symlink(dir / "target.dot", dir / "graph.dot");
  const testing::Output o = run_cli("export baseline --format dot --out " + (dir / "graph.dot").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("symbolic link"), std::string::npos) << o.err;
  EXPECT_EQ(slurp(dir / "target.dot"), "mine");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace geosim

namespace geosim {
namespace {
// --per-run names a file of its own: one of the ensemble's own outputs is refused before the
// runs (the per-run series were replaced and both said written); a file in the results' folder,
// not made yet, is made there with it.
TEST(OutputFileCli, PerRunIsNeverOneOfTheEnsemblesOwnFilesAndMayGoBesideThem) {
  const fs::path dir = temp_dir("out_cli_per_run");
  const std::string cd = "cd '" + dir.string() + "' && " + GEOSIM_BINARY;
  const std::string via_parent = "../" + dir.filename().string() + "/col/thresholds.csv";
  for (const std::string& own : {std::string("col/percentiles.csv"), std::string("col/./ensemble.json"), via_parent}) {
    const testing::Output o =
        testing::run_shell(cd + " ensemble baseline --runs 20 --steps 2 --out col --per-run " + own);
    EXPECT_EQ(o.code, 1) << own;
    EXPECT_NE(o.err.find("--per-run '" + own + "' is the command's own"), std::string::npos) << o.err;
    EXPECT_EQ(o.out, "") << own;
  }
  EXPECT_FALSE(fs::exists(dir / "col"));
  const testing::Output shard = testing::run_shell(
      cd + " ensemble baseline --runs 20 --steps 2 --shard 1/1 --out s --per-run s/shard-1-of-1.gsshard");
  EXPECT_EQ(shard.code, 1) << shard.err;
  EXPECT_NE(shard.err.find("is the command's own shard-1-of-1.gsshard"), std::string::npos) << shard.err;
  // the results folder itself, or a folder above it: refused before the runs, nothing written
  for (const std::string& folder : {std::string("col --per-run col"), std::string("col/x --per-run col")}) {
    const testing::Output o = testing::run_shell(cd + " ensemble baseline --runs 20 --steps 2 --out " + folder);
    EXPECT_EQ(o.code, 1) << folder;
    EXPECT_NE(o.err.find("is where the command's results folder"), std::string::npos) << o.err;
    EXPECT_EQ(o.out, "") << folder;
    EXPECT_FALSE(fs::exists(dir / "col")) << folder;
  }
  const testing::Output beside =
      testing::run_shell(cd + " ensemble baseline --runs 20 --steps 2 --out new --per-run new/runs.csv");
  ASSERT_EQ(beside.code, 0) << beside.err;
  EXPECT_EQ(slurp(dir / "new" / "runs.csv").substr(0, 4), "run,") << slurp(dir / "new" / "runs.csv").substr(0, 80);
  EXPECT_TRUE(fs::exists(dir / "new" / "percentiles.csv"));
  fs::remove_all(dir);
}
// An output named as one of the command's own inputs (the scenario file, a file it includes, a
// policy, an event file, the observed series, a shard) is refused before the work, by every
// command that writes one: `export s/baseline.yaml --out s/baseline.yaml` replaced the scenario
// with its DOT graph. The input is left as it was.
TEST(OutputFileCli, NoCommandWritesOverOneOfItsInputs) {
  const fs::path dir = temp_dir("out_cli_inputs");
  fs::copy(std::string(GEOSIM_SOURCE_DIR) + "/scenarios", dir / "s", fs::copy_options::recursive);
  const std::string cd = "cd '" + dir.string() + "' && " + GEOSIM_BINARY;
  spit(dir / "o" / "backtest.csv",
       "step,date,from,to,tension\n1,2025-08-08,VNM,USA,0.3\n2,2025-08-15,VNM,USA,0.35\n"
       "3,2025-08-22,VNM,USA,0.32\n4,2025-08-29,VNM,USA,0.31\n");
  ASSERT_EQ(testing::run_shell(cd + " ensemble s/baseline.yaml --runs 70 --steps 2 --shard 1/1 --out p").code, 0);
  spit(dir / "i" / "dyads.csv", slurp(dir / "s" / "events" / "sample.export.CSV"));
  for (const char* name : {"vega", "vega-lite", "vega-embed"})  // report's libraries (not run: the check comes first)
  {
    spit(dir / "js" / name / "build" / (std::string(name) + ".min.js"), "/* " + std::string(name) + " */");
    spit(dir / "js" / name / "package.json", "{\"version\": \"1.0.0\"}");
  }
  fs::copy_file("/usr/share/iso-codes/json/iso_3166-1.json", dir / "i" / "iso.json");
  fs::create_directories(dir / "tz");
  const std::pair<std::string, std::string> cases[] = {
      // the command, the input it names as output
      {"export s/baseline.yaml --out s/baseline.yaml", "s/baseline.yaml"},
      {"export s/realignment.yaml --out ./s/common/../actors.yaml", "s/actors.yaml"},
      {"export s/baseline.yaml --policy s/policies/quiet-diplomacy.yaml --out s/policies/quiet-diplomacy.yaml",
       "s/policies/quiet-diplomacy.yaml"},
      {"analyze s/baseline.yaml --json s/actors.yaml", "s/actors.yaml"},
      {"report s/realignment.yaml --runs 10 --out s/common/visit.yaml", "s/common/visit.yaml"},
      {"ensemble s/symbolic-visit.yaml --runs 10 --out e --per-run s/common/visit.yaml", "s/common/visit.yaml"},
      {"calibrate s/baseline.yaml --observed o/backtest.csv --out o --train 1..2 --test 3..4", "o/backtest.csv"},
      {"ingest i/dyads.csv --actors s/actors.yaml --out i", "i/dyads.csv"},
      {"export s/symbolic-visit.yaml --out s/sources/001_5708eaa1c5602c93.txt", "s/sources/001_5708eaa1c5602c93.txt"},
      {"report s/baseline.yaml --runs 10 --js-dir js --out js/vega-lite/build/vega-lite.min.js",
       "js/vega-lite/build/vega-lite.min.js"},
      {"report s/baseline.yaml --runs 10 --js-dir js --out js/vega/package.json", "js/vega/package.json"},
      {"world --states 20 --iso-codes i/iso.json --out ./i/iso.json", "i/iso.json"},
      {"ensemble merge p/shard-1-of-1.gsshard --out p", ""},  // a shard is no output's name: written
  };
  for (const auto& [command, input] : cases) {
    const std::string before = input.empty() ? "" : slurp(dir / input);
    const testing::Output o = testing::run_shell(cd + " " + command);
    if (input.empty()) {
      EXPECT_EQ(o.code, 0) << command << o.err;
      continue;
    }
    EXPECT_EQ(o.code, 1) << command;
    EXPECT_EQ(o.out, "") << command;
    EXPECT_NE(o.err.find("would write over"), std::string::npos) << command << o.err;
    EXPECT_NE(o.err.find(input.substr(input.find('/') + 1)), std::string::npos) << command << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
    EXPECT_EQ(slurp(dir / input), before) << command;
  }
  // world's tables found through the environment, not named: the same.
  fs::copy_file("/usr/share/zoneinfo/zone.tab", dir / "tz" / "zone.tab");
  const std::string zone = slurp(dir / "tz" / "zone.tab");
  const testing::Output tz = testing::run_shell("cd '" + dir.string() + "' && TZDIR=tz " + GEOSIM_BINARY +
                                                " world --states 20 --out ./tz/zone.tab");
  EXPECT_EQ(tz.code, 1) << tz.out;
  EXPECT_NE(tz.err.find("--out would write over 'tz/zone.tab', a file the command reads"), std::string::npos) << tz.err;
  EXPECT_EQ(slurp(dir / "tz" / "zone.tab"), zone);
  // play's save and report, even where the user would be asked to overwrite: never the files played from.
  spit(dir / "cmds.txt",
       "step\nreport s/actors.yaml\nsave ./s/realignment.yaml\nreport s/common/visit.yaml\n"
       "save s/sources/001_5708eaa1c5602c93.txt\n");
  const std::string scenario = slurp(dir / "s" / "realignment.yaml"), actors = slurp(dir / "s" / "actors.yaml");
  const testing::Output play = testing::run_shell(cd + " play s/realignment.yaml < cmds.txt");
  EXPECT_EQ(play.code, 1) << play.err;
  for (const char* file :
       {"s/actors.yaml", "./s/realignment.yaml", "s/common/visit.yaml", "s/sources/001_5708eaa1c5602c93.txt"})
    EXPECT_NE(play.err.find(std::string("'") + file + "' is a file this session is played from: name another file"),
              std::string::npos)
        << play.err;
  EXPECT_EQ(slurp(dir / "s" / "realignment.yaml"), scenario);
  EXPECT_EQ(slurp(dir / "s" / "actors.yaml"), actors);
  // A run's results folder holding a scenario named as one of the run's files.
  fs::copy_file(dir / "s" / "baseline.yaml", dir / "s" / "run.json");
  const testing::Output run = testing::run_shell(cd + " run s/run.json --out s");
  EXPECT_EQ(run.code, 1) << run.out;
  EXPECT_NE(run.err.find("--out would write over 's/run.json'"), std::string::npos) << run.err;
  fs::remove_all(dir);
}
// The files a folder's --out gets are the ones its --help names: compare's help left out
// compare_paired.csv.
TEST(OutputFileCli, HelpNamesEveryFileOutWrites) {
  const fs::path dir = temp_dir("out_cli_help");
  const std::pair<std::string, std::vector<std::string>> commands[] = {
      {"compare", {"compare.csv", "compare_paired.csv", "compare_thresholds.csv"}},  // names_in: sorted
      {"matrix", {"matrix.csv", "matrix.json"}},
  };
  for (const auto& [command, files] : commands) {
    const std::string args = command == "compare" ? " baseline realignment --runs 10 --steps 2" : " --runs 5 --steps 2";
    ASSERT_EQ(run_cli(command + args + " --out " + (dir / command).string()).code, 0) << command;
    EXPECT_EQ(names_in(dir / command), files) << command;
    const std::string help = run_cli(command + " --help").out;
    for (const std::string& file : files) EXPECT_NE(help.find(file), std::string::npos) << command << ": " << file;
  }
  fs::remove_all(dir);
}
}  // namespace
}  // namespace geosim
