// `--set NAME=VALUE` on the ensemble commands (ensemble, its shards and merge, compare, matrix),
// checked against an independent expectation: the same command on a copy of the shipped
// scenarios with the value written in their YAML (baseline.yaml's spillover, which every
// document scenario includes) gives the same bytes, except where the setting is recorded.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/cli.hpp"

namespace {
namespace fs = std::filesystem;

using geosim::testing::Output;
using geosim::testing::run_cli;
using geosim::testing::run_shell;
using geosim::testing::slurp;
using geosim::testing::temp_dir;

/// A copy of the shipped scenarios under `dir`/scenarios whose baseline.yaml says spillover
/// 0.03 instead of 0.05; its path.
fs::path scenarios_with_spillover(const fs::path& dir) {
  const fs::path copy = dir / "scenarios";
  fs::copy(GEOSIM_SCENARIOS_DIR, copy, fs::copy_options::recursive);
  std::string yaml = slurp(copy / "baseline.yaml");
  const std::string from = "  spillover: 0.05\n";
  const std::size_t at = yaml.find(from);
  EXPECT_NE(at, std::string::npos) << "baseline.yaml no longer says its spillover as this test expects";
  if (at != std::string::npos) yaml.replace(at, from.size(), "  spillover: 0.03\n");
  std::ofstream(copy / "baseline.yaml", std::ios::binary) << yaml;
  return copy;
}

/// `text` without the first `what` (unchanged when it is not there).
std::string without(std::string text, const std::string& what) {
  const std::size_t at = text.find(what);
  if (at != std::string::npos) text.erase(at, what.size());
  return text;
}

/// `text` without its lines that start with `prefix`.
std::string without_lines(const std::string& text, const std::string& prefix) {
  std::string out;
  for (std::size_t begin = 0; begin < text.size();) {
    std::size_t end = text.find('\n', begin);
    end = end == std::string::npos ? text.size() : end + 1;
    if (text.compare(begin, prefix.size(), prefix) != 0) out += text.substr(begin, end - begin);
    begin = end;
  }
  return out;
}

const std::string kRecorded = "  \"settings\": [\n    \"spillover=0.03\"\n  ],\n";

TEST(CliSet, EnsembleSetIsTheScenarioWrittenWithItAndItsReferencesToo) {
  const fs::path dir = temp_dir("cli_set_ensemble");
  const fs::path copy = scenarios_with_spillover(dir);
  const std::string request = "ensemble realignment --runs 300 --steps 20 --seed 5";
  const Output set = run_cli(request + " --set spillover=0.03 --out " + (dir / "set").string());
  ASSERT_EQ(set.code, 0) << set.err;
  const Output written =
      run_cli("--scenarios-dir " + copy.string() + " " + request + " --out " + (dir / "yaml").string());
  ASSERT_EQ(written.code, 0) << written.err;
  const Output plain = run_cli(request + " --out " + (dir / "plain").string());
  ASSERT_EQ(plain.code, 0) << plain.err;
  for (const char* file : {"percentiles.csv", "thresholds.csv"})
    EXPECT_EQ(slurp(dir / "set" / file), slurp(dir / "yaml" / file)) << file;
  EXPECT_NE(slurp(dir / "set" / "percentiles.csv"), slurp(dir / "plain" / "percentiles.csv"))
      << "the setting changes the runs";
  // ensemble.json records the setting as run.json does; otherwise the same bytes, resemblance
  // included: the document scenarios it is measured against took the setting too.
  const std::string record = slurp(dir / "set" / "ensemble.json");
  ASSERT_NE(record.find("\"seed\": 5,\n" + kRecorded), std::string::npos) << record;
  EXPECT_EQ(without(record, kRecorded), slurp(dir / "yaml" / "ensemble.json"));
  EXPECT_EQ(slurp(dir / "plain" / "ensemble.json").find("settings"), std::string::npos) << "no key without --set";
  ASSERT_NE(set.out.find("most resembles"), std::string::npos) << set.out;
  EXPECT_NE(set.out.find(", seed 5, set: spillover=0.03\n"), std::string::npos) << set.out;
  EXPECT_EQ(without_lines(without(set.out, ", set: spillover=0.03"), "Wrote"), without_lines(written.out, "Wrote"));
  // The document scenarios take the setting: one that a document scenario cannot take (an actor
  // it lacks) leaves the resemblance out, with a note, where without --set it is computed.
  std::ofstream(dir / "mine.yaml") << "scenario: {id: mine, title: Mine, start: 2025-08-01, step_days: 7, steps: 52}\n"
                                   << "include: [" << GEOSIM_SCENARIOS_DIR << "/baseline.yaml]\n"
                                   << "actors:\n  - {id: XYZ, name: Nowhere}\n";
  const std::string mine = "ensemble " + (dir / "mine.yaml").string() + " --runs 10 --out " + (dir / "mine").string();
  const Output unset = run_cli(mine);
  ASSERT_EQ(unset.code, 0) << unset.err;
  EXPECT_NE(unset.out.find("most resembles"), std::string::npos) << unset.out;
  const Output lacking = run_cli(mine + " --set restraint.XYZ=0.1");
  ASSERT_EQ(lacking.code, 0) << lacking.err;
  EXPECT_EQ(lacking.out.find("most resembles"), std::string::npos) << lacking.out;
  EXPECT_NE(lacking.out.find("(resemblance not computed: scenario 'symbolic-visit' does not take the --set settings "
                             "(unknown actor 'XYZ' in 'restraint.XYZ' (actors: "),
            std::string::npos)
      << lacking.out;
  // The default folder names the setting, as `run`'s does.
  const Output folder = run_shell("cd " + dir.string() + " && " + GEOSIM_BINARY +
                                  " ensemble realignment --runs 20 --steps 3 --set spillover=0.03");
  ASSERT_EQ(folder.code, 0) << folder.err;
  EXPECT_TRUE(fs::exists(dir / "out" / "realignment+spillover=0.03+steps=3+runs=20-ensemble" / "ensemble.json"))
      << folder.out;
  fs::remove_all(dir);
}

TEST(CliSet, ShardsRecordTheSettingAndMergeOnlyWithTheSameOne) {
  const fs::path dir = temp_dir("cli_set_shards");
  const std::string request = "ensemble realignment --runs 200 --steps 10 --seed 2 --set spillover=0.03";
  const Output whole = run_cli(request + " --out " + (dir / "whole").string());
  ASSERT_EQ(whole.code, 0) << whole.err;
  std::string shards;
  for (int k = 1; k <= 2; ++k) {
    const Output part = run_cli(request + " --shard " + std::to_string(k) + "/2 --out " + (dir / "parts").string());
    ASSERT_EQ(part.code, 0) << part.err;
    shards += " " + (dir / "parts" / ("shard-" + std::to_string(k) + "-of-2.gsshard")).string();
  }
  const Output merged = run_cli("ensemble merge" + shards + " --out " + (dir / "merged").string());
  ASSERT_EQ(merged.code, 0) << merged.err;
  for (const char* file : {"percentiles.csv", "thresholds.csv", "ensemble.json"})
    EXPECT_EQ(slurp(dir / "merged" / file), slurp(dir / "whole" / file)) << file;
  EXPECT_NE(slurp(dir / "merged" / "ensemble.json").find(kRecorded), std::string::npos);
  EXPECT_EQ(without_lines(merged.out, "Wrote"), without_lines(whole.out, "Wrote"));
  // The merge's default folder is the unsharded one's.
  const Output here = run_shell("cd " + dir.string() + " && " + GEOSIM_BINARY + " ensemble merge" + shards);
  ASSERT_EQ(here.code, 0) << here.err;
  const Output unsharded = run_shell("cd " + dir.string() + " && " + GEOSIM_BINARY + " " + request);
  ASSERT_EQ(unsharded.code, 0) << unsharded.err;
  EXPECT_EQ(here.out, unsharded.out);
  EXPECT_NE(here.out.find("out/realignment+spillover=0.03+seed=2+steps=10+runs=200-ensemble/ensemble.json"),
            std::string::npos)
      << here.out;
  // A part made without the setting, or with another value, is refused with one line.
  for (const std::string& other : {std::string(), std::string(" --set spillover=0.02")}) {
    const fs::path folder = dir / ("other" + std::to_string(other.size()));
    const Output part = run_cli("ensemble realignment --runs 200 --steps 10 --seed 2" + other + " --shard 2/2 --out " +
                                folder.string());
    ASSERT_EQ(part.code, 0) << part.err;
    const Output mixed = run_cli("ensemble merge " + (dir / "parts" / "shard-1-of-2.gsshard").string() + " " +
                                 (folder / "shard-2-of-2.gsshard").string() + " --out " + (dir / "bad").string());
    EXPECT_EQ(mixed.code, 1);
    EXPECT_EQ(std::count(mixed.err.begin(), mixed.err.end(), '\n'), 1) << mixed.err;
    EXPECT_NE(mixed.err.find(other.empty() ? "made without --set, but that one with --set spillover=0.03"
                                           : "made with --set spillover=0.02, but that one with --set spillover=0.03"),
              std::string::npos)
        << mixed.err;
  }
  EXPECT_FALSE(fs::exists(dir / "bad"));
  // A setting the scenario no longer takes (its file replaced since) is the shard file's, not --set's.
  fs::copy_file(fs::path(GEOSIM_SCENARIOS_DIR) / "baseline.yaml", dir / "mine.yaml");
  fs::copy_file(fs::path(GEOSIM_SCENARIOS_DIR) / "actors.yaml", dir / "actors.yaml");
  const std::string mine = "ensemble " + (dir / "mine.yaml").string() + " --runs 100 --steps 3 --set restraint.SGP=0.3";
  ASSERT_EQ(run_cli(mine + " --shard 1/1 --out " + (dir / "mine").string()).code, 0);
  ASSERT_EQ(run_cli("world --states 3 --out " + (dir / "mine.yaml").string()).code, 0);
  const std::string shard = (dir / "mine" / "shard-1-of-1.gsshard").string();
  const Output gone = run_cli("ensemble merge " + shard + " --out " + (dir / "bad").string());
  EXPECT_EQ(gone.code, 1);
  EXPECT_EQ(gone.err.rfind(shard + ": error: a setting it was made with: unknown actor 'SGP' in 'restraint.SGP'", 0),
            0u)
      << gone.err;
  // A file the scenario includes, moved since: the loader's line follows one naming the shard.
  fs::copy_file(fs::path(GEOSIM_SCENARIOS_DIR) / "baseline.yaml", dir / "mine.yaml",
                fs::copy_options::overwrite_existing);
  ASSERT_EQ(run_cli(mine + " --shard 1/1 --out " + (dir / "mine2").string()).code, 0);
  fs::rename(dir / "actors.yaml", dir / "moved.yaml");
  const std::string shard2 = (dir / "mine2" / "shard-1-of-1.gsshard").string();
  const Output moved = run_cli("ensemble merge " + shard2 + " --out " + (dir / "bad").string());
  EXPECT_EQ(moved.code, 1);
  EXPECT_EQ(moved.err.rfind("geosim: error: " + shard2 + ": the scenario it was made with, '" +
                                (dir / "mine.yaml").string() + "', no longer loads:\n" + (dir / "mine.yaml").string() +
                                ":17:11: error: include 'actors.yaml' not found",
                            0),
            0u)
      << moved.err;
  EXPECT_FALSE(fs::exists(dir / "bad"));
  fs::remove_all(dir);
}

TEST(CliSet, CompareAndMatrixSetEveryColumnAlike) {
  const fs::path dir = temp_dir("cli_set_compare");
  const fs::path copy = scenarios_with_spillover(dir);
  const std::string compare = "compare realignment realignment+quiet-diplomacy --runs 100 --steps 20";
  const Output set = run_cli(compare + " --set spillover=0.03 --out " + (dir / "set").string());
  ASSERT_EQ(set.code, 0) << set.err;
  const Output written =
      run_cli("--scenarios-dir " + copy.string() + " " + compare + " --out " + (dir / "yaml").string());
  ASSERT_EQ(written.code, 0) << written.err;
  const Output plain = run_cli(compare + " --out " + (dir / "plain").string());
  ASSERT_EQ(plain.code, 0) << plain.err;
  for (const char* file : {"compare.csv", "compare_thresholds.csv", "compare_paired.csv"})
    EXPECT_EQ(slurp(dir / "set" / file), slurp(dir / "yaml" / file)) << file;
  EXPECT_NE(slurp(dir / "set" / "compare.csv"), slurp(dir / "plain" / "compare.csv"));
  EXPECT_NE(set.out.find("100 runs each of 20 steps, seed 1, set: spillover=0.03, values"), std::string::npos)
      << set.out;
  EXPECT_EQ(without_lines(without(set.out, ", set: spillover=0.03"), "Wrote"), without_lines(written.out, "Wrote"));

  const std::string matrix = "matrix --policies no-action quiet-diplomacy --runs 40 --steps 20";
  const Output cells = run_cli(matrix + " --set spillover=0.03 --out " + (dir / "mset").string());
  ASSERT_EQ(cells.code, 0) << cells.err;
  const Output cells_yaml =
      run_cli("--scenarios-dir " + copy.string() + " " + matrix + " --out " + (dir / "myaml").string());
  ASSERT_EQ(cells_yaml.code, 0) << cells_yaml.err;
  const Output cells_plain = run_cli(matrix + " --out " + (dir / "mplain").string());
  ASSERT_EQ(cells_plain.code, 0) << cells_plain.err;
  EXPECT_EQ(slurp(dir / "mset" / "matrix.csv"), slurp(dir / "myaml" / "matrix.csv"));
  EXPECT_NE(slurp(dir / "mset" / "matrix.csv"), slurp(dir / "mplain" / "matrix.csv"));
  const std::string record = slurp(dir / "mset" / "matrix.json");
  ASSERT_NE(record.find("\"seed\": 1,\n" + kRecorded), std::string::npos) << record;
  EXPECT_EQ(without(record, kRecorded), slurp(dir / "myaml" / "matrix.json"));
  EXPECT_NE(cells.out.find("per cell of 20 steps, seed 1, set: spillover=0.03; run r"), std::string::npos) << cells.out;
  EXPECT_EQ(without_lines(without(cells.out, ", set: spillover=0.03"), "Wrote"),
            without_lines(cells_yaml.out, "Wrote"));
  fs::remove_all(dir);
}

TEST(CliSet, BadSettingsAreOneLineAndExitOne) {
  for (const std::string command : {"ensemble realignment --runs 10", "compare baseline realignment --runs 10",
                                    "matrix --policies no-action --runs 10"}) {
    for (const auto& [set, message] : std::vector<std::pair<std::string, std::string>>{
             {"restraint.XYZ=0.1", "--set: error: unknown actor 'XYZ'"},
             {"spillover=2", "--set: error: expected a value from 0 to 1 for 'spillover', found '2'"},
             {"spillover=1e-400",
              "--set: error: expected a value from 0 to 1 for 'spillover', found '1e-400' (too "
              "small to represent)"},
             {"spillover", "--set: error: expected NAME=VALUE (like restraint.VNM=0.1), found 'spillover'"}}) {
      const Output o = run_cli(command + " --set " + set);
      EXPECT_EQ(o.code, 1) << command << " --set " << set;
      EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
      EXPECT_NE(o.err.find(message), std::string::npos) << command << ": " << o.err;
    }
  }
  // A parameter is set or varied, not both.
  const Output both = run_cli("ensemble realignment --runs 10 --set spillover=0.03 --vary spillover=0..0.02");
  EXPECT_EQ(both.code, 1);
  EXPECT_EQ(both.err,
            "geosim: error: --vary: 'spillover' and --set 'spillover' give some of the same values (a value "
            "is either set or varied)\n");
  // A group and its member too, either way round, on ensemble and compare alike.
  for (const char* args : {"ensemble realignment --runs 10 --set restraint=0.3 --vary restraint.VNM=0..1",
                           "ensemble realignment --runs 10 --set restraint.VNM=0.3 --vary restraint=0..1",
                           "compare realignment baseline --runs 10 --set restraint=0.3 --vary restraint.VNM=0..1"}) {
    const Output o = run_cli(args);
    EXPECT_EQ(o.code, 1) << args;
    EXPECT_NE(o.err.find("give some of the same values"), std::string::npos) << args << ": " << o.err;
  }
}

}  // namespace

// The report's footer names the command that wrote it, --set included: run as printed, it
// writes the same page (it left --set out, and gave a report of the scenario as shipped).
TEST(CliSet, TheReportsFooterCommandWritesTheSameReport) {
  const fs::path dir = temp_dir("set_report_footer");
  const Output first = run_shell("cd " + dir.string() + " && " + std::string(GEOSIM_BINARY) +
                                 " report realignment --set restraint.VNM=0.3 --runs 20 --graphviz none --out a.html");
  ASSERT_EQ(first.code, 0) << first.err;
  const std::string page = slurp(dir / "a.html");
  const std::string start = "Written by <code>geosim ", end = "</code>";
  const std::size_t at = page.find(start);
  ASSERT_NE(at, std::string::npos);
  const std::string footer = page.substr(at + start.size(), page.find(end, at) - at - start.size());
  EXPECT_NE(footer.find("--set restraint.VNM=0.3"), std::string::npos) << footer;
  EXPECT_NE(footer.find("--graphviz none"), std::string::npos) << footer;  // the network as drawn
  const Output again =
      run_shell("cd " + dir.string() + " && " + std::string(GEOSIM_BINARY) + " " + footer + " --out b.html");
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_TRUE(slurp(dir / "a.html") == slurp(dir / "b.html")) << footer;
}
