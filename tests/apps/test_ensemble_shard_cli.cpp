// The command line of ensembles at scale: the three files identical for 1 and 2 threads and for
// `--shard K/N` merged by `ensemble merge`; --per-run's series are the runs (run 0 is `geosim
// run`'s indicators.csv); a merge of shards that do not fit together exits 1 with one line.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "geosim/core/model_revision.hpp"
#include "geosim/io/ensemble_shard.hpp"
#include "support/cli.hpp"

namespace {

using geosim::testing::doc_sh_block;
using geosim::testing::run_cli;
using geosim::testing::run_shell;
using geosim::testing::sh_word_after;
using geosim::testing::slurp;
using geosim::testing::temp_dir;

const char* const kFiles[] = {"percentiles.csv", "thresholds.csv", "ensemble.json"};
const std::string kRequest = "ensemble baseline --runs 5000 --steps 8 --seed 3";

std::string gunzip(const std::filesystem::path& path) {
  std::string out;
  FILE* pipe = ::popen(("gzip -dc '" + path.string() + "'").c_str(), "r");
  if (!pipe) return out;
  char buffer[65536];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

TEST(EnsembleShardCli, ThreadsAndShardsGiveTheSameBytes) {
  const auto dir = temp_dir("ensemble_shard_cli");
  const auto one = run_cli(kRequest + " --threads 1 --out " + (dir / "one").string());
  ASSERT_EQ(one.code, 0) << one.err;
  const auto two = run_cli(kRequest + " --threads 2 --out " + (dir / "two").string());
  ASSERT_EQ(two.code, 0) << two.err;
  std::string shards;
  for (int k = 1; k <= 3; ++k) {
    const auto part =
        run_cli(kRequest + " --threads 2 --shard " + std::to_string(k) + "/3 --out " + (dir / "parts").string());
    ASSERT_EQ(part.code, 0) << part.err;
    shards += " " + (dir / "parts" / ("shard-" + std::to_string(k) + "-of-3.gsshard")).string();
  }
  const auto merged = run_cli("ensemble merge" + shards + " --out " + (dir / "merged").string());
  ASSERT_EQ(merged.code, 0) << merged.err;
  for (const char* file : kFiles) {
    const std::string expected = slurp(dir / "one" / file);
    ASSERT_FALSE(expected.empty()) << file;
    EXPECT_EQ(slurp(dir / "two" / file), expected) << file << ": 2 threads";
    EXPECT_EQ(slurp(dir / "merged" / file), expected) << file << ": 3 shards merged";
  }
  // Given in any order, the same bytes (the merge takes them in chunk order).
  const std::string part1 = (dir / "parts" / "shard-1-of-3.gsshard").string(),
                    part2 = (dir / "parts" / "shard-2-of-3.gsshard").string(),
                    part3 = (dir / "parts" / "shard-3-of-3.gsshard").string();
  ASSERT_EQ(
      run_cli("ensemble merge " + part3 + " " + part1 + " " + part2 + " --out " + (dir / "shuffled").string()).code, 0);
  for (const char* file : kFiles) EXPECT_EQ(slurp(dir / "shuffled" / file), slurp(dir / "one" / file)) << file;
  // A shard missing, given twice, damaged, or of another ensemble: refused with one line. Shard
  // 2 of 3 has chunks [floor(79/3), floor(2*79/3)) = [26, 52) of the 79: runs 1664 to 3327.
  const auto missing = run_cli("ensemble merge " + part1 + " " + part3 + " --out " + (dir / "bad").string());
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.err,
            "geosim: error: " + part1 + ": shard 2 of 3 (runs 1664 to 3327) is missing: give all 3 shard files\n");
  std::filesystem::copy_file(part3, dir / "copy.gsshard");
  const auto twice = run_cli("ensemble merge " + part1 + " " + part3 + " " + (dir / "copy.gsshard").string() +
                             " --out " + (dir / "bad").string());
  EXPECT_EQ(twice.code, 1);
  EXPECT_EQ(twice.err, "geosim: error: " + (dir / "copy.gsshard").string() + ": shard 3 of 3 again (also " + part3 +
                           "): give each shard file once\n");
  {
    std::string bytes = slurp(part2);
    bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 1);  // one bit of one value
    std::ofstream(dir / "damaged.gsshard", std::ios::binary) << bytes;
    std::ofstream(dir / "cut.gsshard", std::ios::binary) << slurp(part2).substr(0, 3000);
  }
  for (const char* name : {"damaged.gsshard", "cut.gsshard"}) {
    const auto damaged = run_cli("ensemble merge " + part1 + " " + (dir / name).string() + " " + part3);
    EXPECT_EQ(damaged.code, 1);
    EXPECT_EQ(damaged.err, "geosim: error: " + (dir / name).string() +
                               ": damaged or cut short (its checksum does not match its bytes): write it again with "
                               "the same `ensemble --shard K/N` command\n");
  }
  const auto other =
      run_cli("ensemble baseline --runs 5000 --steps 8 --seed 4 --shard 2/3 --out " + (dir / "other").string());
  ASSERT_EQ(other.code, 0) << other.err;
  const auto mixed = run_cli("ensemble merge " + (dir / "parts" / "shard-1-of-3.gsshard").string() + " " +
                             (dir / "other" / "shard-2-of-3.gsshard").string() + " " +
                             (dir / "parts" / "shard-3-of-3.gsshard").string() + " --out " + (dir / "bad").string());
  EXPECT_EQ(mixed.code, 1);
  EXPECT_NE(mixed.err.find("not a shard of the same ensemble as " + part1 + " (scenario, policies, runs, steps"),
            std::string::npos)
      << mixed.err;
  EXPECT_EQ(mixed.err.find("geosim: error: " + (dir / "other" / "shard-2-of-3.gsshard").string() + ": "), 0u)
      << "names the shard of the other ensemble: " << mixed.err;
  const auto junk = run_cli("ensemble merge " + (dir / "one" / "ensemble.json").string());
  EXPECT_EQ(junk.code, 1);
  EXPECT_NE(junk.err.find("not a geosim shard file"), std::string::npos) << junk.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "bad"));
  EXPECT_EQ(run_cli(kRequest + " --shard 4/3").code, 1);
  EXPECT_EQ(run_cli(kRequest + " --shard x").code, 1);
}

// The merge prints what the unsharded ensemble prints, line for line: baseline draws nothing at
// random (the every-run-is-the-same note), world-200's resemblance is not computed (its note).
TEST(EnsembleShardCli, TheMergePrintsTheUnshardedEnsemblesNotes) {
  const auto dir = temp_dir("ensemble_shard_notes");
  for (const std::string request : {"ensemble baseline --runs 300 --steps 4", "ensemble world-200 --runs 200 --steps 2",
                                    "ensemble baseline --runs 200 --steps 3 --parameter-sd 0.1"}) {
    const auto whole = run_cli(request + " --out " + (dir / "out").string());
    ASSERT_EQ(whole.code, 0) << whole.err;
    std::string shards;
    for (int k = 1; k <= 2; ++k) {
      const auto part = run_cli(request + " --shard " + std::to_string(k) + "/2 --out " + (dir / "parts").string());
      ASSERT_EQ(part.code, 0) << part.err;
      shards += " " + (dir / "parts" / ("shard-" + std::to_string(k) + "-of-2.gsshard")).string();
    }
    const auto merged = run_cli("ensemble merge" + shards + " --out " + (dir / "out").string());
    ASSERT_EQ(merged.code, 0) << merged.err;
    EXPECT_EQ(merged.out, whole.out) << request;
    const bool same = request.find("baseline --runs 300") != std::string::npos;
    EXPECT_EQ(whole.out.find("Every run is the same") != std::string::npos, same) << whole.out;
    if (request.find("world-200") != std::string::npos) {
      EXPECT_NE(whole.out.find("(resemblance not computed"), std::string::npos) << whole.out;
    }
  }
}

// A range is one range however it is spelled: shards made with ".03..0.09" and " 0.03 .. 0.090"
// merge into the bytes of the unsharded ensemble of "0.03..0.09" (they were refused as shards of
// another ensemble), and --set reads blanks around its name and value as --vary does.
TEST(EnsembleShardCli, ShardsOfOneRangeSpelledTwoWaysMerge) {
  const auto dir = temp_dir("ensemble_shard_spelling");
  const std::string request = "ensemble baseline --runs 300 --steps 4 --set 'spillover = 0.05'";
  const auto whole = run_cli(request + " --vary restraint.USA=0.03..0.09 --out " + (dir / "whole").string());
  ASSERT_EQ(whole.code, 0) << whole.err;
  ASSERT_EQ(run_cli(request + " --vary 'restraint.USA=.03..0.09' --shard 1/2 --out " + (dir / "parts").string()).code,
            0);
  ASSERT_EQ(
      run_cli(request + " --vary 'restraint.USA= 0.03 .. 0.090' --shard 2/2 --out " + (dir / "parts").string()).code,
      0);
  const auto merged =
      run_cli("ensemble merge " + (dir / "parts" / "shard-1-of-2.gsshard").string() + " " +
              (dir / "parts" / "shard-2-of-2.gsshard").string() + " --out " + (dir / "merged").string());
  ASSERT_EQ(merged.code, 0) << merged.err;
  auto unnamed = [](std::string text) {  // the folders written to are the two runs' own
    return text.substr(0, text.find("\nWrote "));
  };
  EXPECT_EQ(unnamed(merged.out), unnamed(whole.out));
  for (const char* file : kFiles) EXPECT_EQ(slurp(dir / "merged" / file), slurp(dir / "whole" / file)) << file;
  EXPECT_NE(whole.out.find("restraint.USA 0.03..0.09"), std::string::npos) << whole.out;
}

TEST(EnsembleShardCli, PerRunSeriesAreStreamedAndRunZeroIsGeosimRun) {
  const auto dir = temp_dir("ensemble_per_run");
  const auto e = run_cli("ensemble realignment --runs 130 --seed 5 --threads 2 --out " + (dir / "e").string() +
                         " --per-run " + (dir / "runs.csv.gz").string());
  ASSERT_EQ(e.code, 0) << e.err;
  const auto plain = run_cli("ensemble realignment --runs 130 --seed 5 --threads 1 --out " + (dir / "e").string() +
                             " --per-run " + (dir / "runs.csv").string());
  ASSERT_EQ(plain.code, 0) << plain.err;
  const std::string csv = slurp(dir / "runs.csv");
  EXPECT_EQ(gunzip(dir / "runs.csv.gz"), csv) << "gzip holds the same text, for any thread count";
  const auto run = run_cli("run realignment --seed 5 --out " + (dir / "r").string());
  ASSERT_EQ(run.code, 0) << run.err;
  const std::string indicators = slurp(dir / "r" / "indicators.csv");
  // header: run,<indicators.csv's header>; run 0's rows: "0," + indicators.csv's rows
  std::string expected = "run," + indicators.substr(0, indicators.find('\n') + 1);
  for (std::size_t at = indicators.find('\n') + 1; at < indicators.size();) {
    const std::size_t end = indicators.find('\n', at) + 1;
    expected += "0," + indicators.substr(at, end - at);
    at = end;
  }
  EXPECT_EQ(csv.substr(0, expected.size()), expected);
  std::size_t lines = 0;
  for (char c : csv) lines += c == '\n';
  const std::size_t steps = std::size_t(std::count(indicators.begin(), indicators.end(), '\n')) - 1;
  EXPECT_EQ(lines, 1 + 130 * steps);
  EXPECT_NE(csv.find("\n129,"), std::string::npos);
}

// What geosim-mpi's refusal of --per-run says to do instead (docs/scale.md): each shard's
// series, joined in shard order without the later header lines, are the unsharded ensemble's.
TEST(EnsembleShardCli, EachShardsPerRunSeriesJoinedAreTheWholes) {
  const auto dir = temp_dir("ensemble_shard_per_run");
  const std::string request = "ensemble realignment --runs 300 --steps 5 --seed 2";
  const auto whole = run_cli(request + " --out " + (dir / "w").string() + " --per-run " + (dir / "all.csv").string());
  ASSERT_EQ(whole.code, 0) << whole.err;
  std::string joined;
  for (int k = 1; k <= 3; ++k) {
    const std::string file = (dir / ("runs-" + std::to_string(k) + ".csv")).string();
    const auto part =
        run_cli(request + " --shard " + std::to_string(k) + "/3 --out " + (dir / "p").string() + " --per-run " + file);
    ASSERT_EQ(part.code, 0) << part.err;
    const std::string text = slurp(file);
    joined += k == 1 ? text : text.substr(text.find('\n') + 1);
  }
  const std::string all = slurp(dir / "all.csv");
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(joined, all);
}

/// `text` with its one `from` replaced by `to` ("" when `from` is not there exactly once).
std::string replace_once(const std::string& text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) return "";
  return text.substr(0, at) + to + text.substr(at + from.size());
}

// docs/scale.md's Slurm array job, as written, run as Slurm runs it: once per task of its
// --array, with the variables Slurm sets; then the page's merge command. Only the run count is
// smaller (a million runs would take minutes). The merged files are the unsharded ensemble's.
TEST(EnsembleShardCli, TheDocsSlurmArrayJobAndMergeGiveTheUnshardedBytes) {
  const std::string script = doc_sh_block("scale.md", "## A Slurm array job", 0);
  const std::string merge = doc_sh_block("scale.md", "## A Slurm array job", 1);
  ASSERT_NE(script.find("#SBATCH --array=1-"), std::string::npos) << script;
  ASSERT_NE(merge.find("ensemble merge"), std::string::npos) << merge;
  EXPECT_EQ(doc_sh_block("scale.md", "## A Slurm array job", 2), "")
      << "the section has two blocks; the next is another's";
  const int tasks = std::stoi(script.substr(script.find("--array=1-") + 10));
  ASSERT_GE(tasks, 2);
  const std::string small = replace_once(script, "--runs 1000000", "--runs 1500 --steps 6");
  ASSERT_FALSE(small.empty()) << "the page's job no longer asks for --runs 1000000:\n" << script;
  const auto dir = temp_dir("docs_slurm_array");
  { std::ofstream(dir / "job.sh") << small; }
  const std::string bin = std::filesystem::path(GEOSIM_BINARY).parent_path().string();
  const std::string env = "cd '" + dir.string() + "' && export PATH='" + bin + "':\"$PATH\" SCRATCH='" +
                          (dir / "scratch").string() +
                          "' SLURM_CPUS_PER_TASK=2 SLURM_ARRAY_TASK_COUNT=" + std::to_string(tasks) + " && ";
  for (int k = 1; k <= tasks; ++k) {
    const auto task = run_shell(env + "SLURM_ARRAY_TASK_ID=" + std::to_string(k) + " bash job.sh");
    ASSERT_EQ(task.code, 0) << "task " << k << ": " << task.err;
  }
  const auto merged = run_shell(env + merge);
  ASSERT_EQ(merged.code, 0) << merged.err;
  // The unsharded ensemble of the page's scenario and seed (none given: the default).
  const std::string scenario = sh_word_after(script, " ensemble"), seed = sh_word_after(script, "--seed");
  ASSERT_FALSE(scenario.empty()) << script;
  const auto whole =
      run_cli("ensemble " + scenario + " --runs 1500 --steps 6" + (seed.empty() ? "" : " --seed " + seed) +
              " --threads 1 --out " + (dir / "whole").string());
  ASSERT_EQ(whole.code, 0) << whole.err;
  const std::string out = merge.substr(merge.rfind("--out ") + 6);
  const std::filesystem::path result = dir / out.substr(0, out.find_first_of(" \n"));
  for (const char* file : kFiles) {
    const std::string expected = slurp(dir / "whole" / file);
    ASSERT_FALSE(expected.empty()) << file;
    EXPECT_EQ(slurp(result / file), expected) << file << ": " << tasks << " array tasks merged";
  }
}

}  // namespace

// Shards of a scenario edited between them, or since, do not merge, though the edit (a relation
// of an included file, a reference scenario the resemblance is measured against) leaves its ids,
// steps and indicators as they were; restored byte for byte, the same shards merge again
// (hostile report and review, 2026-12-03).
TEST(EnsembleShardCli, ShardsOfAnEditedScenarioDoNotMerge) {
  namespace fs = std::filesystem;
  const auto dir = temp_dir("ensemble_shard_edited");
  fs::copy(GEOSIM_SCENARIOS_DIR, dir / "sc", fs::copy_options::recursive);
  const std::string geosim = "--scenarios-dir " + (dir / "sc").string() + " ";
  const std::string actors = slurp(dir / "sc" / "actors.yaml");
  const std::string request = geosim + "ensemble baseline --runs 128 --steps 4 --out " + (dir / "parts").string();
  const std::string part1 = (dir / "parts" / "shard-1-of-2.gsshard").string();
  const std::string part2 = (dir / "parts" / "shard-2-of-2.gsshard").string();
  const std::string merge = geosim + "ensemble merge " + part1 + " " + part2 + " --out " + (dir / "merged").string();
  ASSERT_EQ(run_cli(request + " --shard 1/2").code, 0);
  const std::string edited = [&] {
    std::string text = actors;
    const std::size_t at = text.find("tension: 0.26");  // VNM-USA, in the file baseline includes
    EXPECT_NE(at, std::string::npos);
    return text.replace(at, 13, "tension: 0.27");
  }();
  geosim::testing::spit(dir / "sc" / "actors.yaml", edited);
  ASSERT_EQ(run_cli(request + " --shard 2/2").code, 0);
  const auto between = run_cli(merge);
  EXPECT_EQ(between.code, 1);
  EXPECT_EQ(between.err, "geosim: error: " + part2 + ": not a shard of the same ensemble as " + part1 +
                             ": the files the two read (the scenario's, the references') were not the same (edited "
                             "in between, or another copy)\n");
  ASSERT_EQ(run_cli(request + " --shard 1/2").code, 0);  // both of the edited scenario
  const std::string since_message = "geosim: error: " + part1 +
                                    ": scenario 'baseline' is not the one the shards ran: the files it was read from "
                                    "(the scenario, its includes, policies and source documents, and the scenarios "
                                    "its resemblance is measured against) changed since the shards were made; make "
                                    "the shards again\n";
  geosim::testing::spit(dir / "sc" / "actors.yaml", actors);
  const auto since = run_cli(merge);
  EXPECT_EQ(since.code, 1);
  EXPECT_EQ(since.err, since_message);
  EXPECT_FALSE(fs::exists(dir / "merged"));
  // A reference scenario edited since: its end state, which the resemblance counts are measured
  // against, may differ.
  geosim::testing::spit(dir / "sc" / "actors.yaml", edited);
  const std::string visit = slurp(dir / "sc" / "symbolic-visit.yaml");
  geosim::testing::spit(dir / "sc" / "symbolic-visit.yaml", visit + "# edited\n");
  const auto reference = run_cli(merge);
  EXPECT_EQ(reference.code, 1);
  EXPECT_EQ(reference.err, since_message);
  geosim::testing::spit(dir / "sc" / "symbolic-visit.yaml", visit);
  const auto again = run_cli(merge);
  EXPECT_EQ(again.code, 0) << again.err;
  const auto whole = run_cli(geosim + "ensemble baseline --runs 128 --steps 4 --out " + (dir / "whole").string());
  ASSERT_EQ(whole.code, 0) << whole.err;
  for (const char* file : kFiles) EXPECT_EQ(slurp(dir / "merged" / file), slurp(dir / "whole" / file)) << file;
}

// Shards made by geosims that compute differently (their model revisions differ: a shard file
// made before revisions were recorded reads as revision 0) do not merge; shards all of one
// earlier geosim merge as they are, with a warning that the result is that geosim's.
TEST(EnsembleShardCli, ShardsOfGeosimsThatComputeDifferentlyDoNotMerge) {
  namespace fs = std::filesystem;
  const auto dir = temp_dir("ensemble_shard_model");
  const std::string request = "ensemble baseline --runs 128 --steps 4 --out " + (dir / "parts").string();
  ASSERT_EQ(run_cli(request + " --shard 1/2").code, 0);
  ASSERT_EQ(run_cli(request + " --shard 2/2").code, 0);
  const fs::path part1 = dir / "parts" / "shard-1-of-2.gsshard", part2 = dir / "parts" / "shard-2-of-2.gsshard";
  ASSERT_EQ(slurp(part1).substr(0, 8), "GSSHARD7");
  // The shard as a geosim of revision `model` made it; the revision it had.
  const auto as_revision = [](const fs::path& file, std::uint64_t model) {
    geosim::ShardOrigin origin;
    std::string error;
    const auto part = geosim::decode_shard(slurp(file), origin, error);
    EXPECT_TRUE(part) << error;
    if (!part) return std::uint64_t(-1);
    const std::uint64_t had = origin.model;
    origin.model = model;
    geosim::testing::spit(file, geosim::encode_shard(*part, origin));
    return had;
  };
  EXPECT_EQ(as_revision(part1, geosim::kModelRevision), geosim::kModelRevision) << "this geosim's, recorded";
  as_revision(part2, 0);
  const std::string merge =
      "ensemble merge " + part1.string() + " " + part2.string() + " --out " + (dir / "merged").string();
  const auto mixed = run_cli(merge);
  EXPECT_EQ(mixed.code, 1);
  EXPECT_EQ(mixed.err, "geosim: error: " + part2.string() + ": not a shard of the same ensemble as " + part1.string() +
                           ": the two were made by geosims that compute differently (model revisions 0 and " +
                           std::to_string(geosim::kModelRevision) +
                           "; 0: before revisions were recorded): make every shard with the same geosim\n");
  EXPECT_FALSE(fs::exists(dir / "merged"));
  as_revision(part1, 0);
  const auto unrecorded = run_cli(merge);
  ASSERT_EQ(unrecorded.code, 0) << unrecorded.err;
  EXPECT_EQ(unrecorded.err,
            "geosim: warning: the shards do not record the model revision of the geosim that made them (an earlier "
            "shard format): the result is what that geosim's unsharded ensemble writes, which is this one's only if "
            "the two compute alike\n");
  fs::remove_all(dir / "merged");
  as_revision(part1, geosim::kModelRevision + 1);
  as_revision(part2, geosim::kModelRevision + 1);
  const auto other = run_cli(merge);
  ASSERT_EQ(other.code, 0) << other.err;
  EXPECT_EQ(other.err, "geosim: warning: the shards were made by a geosim that computes differently (model revision " +
                           std::to_string(geosim::kModelRevision + 1) + ", this one's " +
                           std::to_string(geosim::kModelRevision) +
                           "): the result is what that geosim's unsharded ensemble writes, not this one's\n");
}
