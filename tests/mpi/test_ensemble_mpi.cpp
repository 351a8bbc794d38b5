// geosim-mpi (GEOSIM_MPI=ON): `mpirun -np 2 geosim-mpi ensemble ...` prints and writes exactly
// what `geosim ensemble ... --threads 1` does, byte for byte, for the baseline and for a
// scenario with noise, run counts that are not a multiple of the 64-run chunk and a process
// with no runs at all; without mpirun it is geosim; a refused request is one error line and
// exit code 1, with no process left waiting (every command runs under `timeout`).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/cli.hpp"

namespace {

using geosim::testing::Output;
using geosim::testing::run_shell;
using geosim::testing::slurp;
using geosim::testing::temp_dir;

const char* const kFiles[] = {"percentiles.csv", "thresholds.csv", "ensemble.json"};

/// mpirun with N processes on this machine whatever its cores (CI runs as root, which Open MPI
/// refuses unless told); -q: no notice of its own when a process exits with an error.
std::string mpirun(int processes) {
  return "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout 300 " MPIEXEC " -q --oversubscribe -np " +
         std::to_string(processes) + " " GEOSIM_MPI_BINARY;
}

/// Runs `program request --out res` in the folder `dir` (so that the printed paths are alike).
Output run_in(const std::filesystem::path& dir, const std::string& program, const std::string& request) {
  std::filesystem::create_directories(dir);
  return run_shell("cd '" + dir.string() + "' && " + program + " " + request + " --out res");
}

/// Under mpirun (and without it, geosim-mpi alone), `request` prints and writes what `geosim
/// request --threads 1` does.
void expect_same_as_one_thread(const std::string& name, const std::string& request, int processes) {
  const auto dir = temp_dir("ensemble_mpi_" + name);
  const Output one = run_in(dir / "one", "timeout 300 " GEOSIM_BINARY, request + " --threads 1");
  ASSERT_EQ(one.code, 0) << one.err;
  const Output spread = run_in(dir / "mpi", mpirun(processes), request + " --threads 2");
  ASSERT_EQ(spread.code, 0) << spread.err;
  const Output alone = run_in(dir / "alone", "timeout 300 " GEOSIM_MPI_BINARY, request);
  ASSERT_EQ(alone.code, 0) << alone.err;
  EXPECT_NE(one.out.find("Wrote res/percentiles.csv"), std::string::npos) << one.out;
  EXPECT_EQ(spread.out, one.out);
  EXPECT_EQ(alone.out, one.out);
  EXPECT_EQ(spread.err, "");
  for (const char* file : kFiles) {
    const std::string expected = slurp(dir / "one" / "res" / file);
    ASSERT_FALSE(expected.empty()) << file;
    EXPECT_EQ(slurp(dir / "mpi" / "res" / file), expected) << file << ": " << processes << " processes";
    EXPECT_EQ(slurp(dir / "alone" / "res" / file), expected) << file << ": without mpirun";
  }
}

TEST(EnsembleMpi, BaselineOnTwoProcessesIsOneThreadByteForByte) {
  // 200 runs: chunks of 64, 64, 64 and 8; process 0 gets 1 chunk, process 1 gets 3.
  expect_same_as_one_thread("baseline", "ensemble baseline --runs 200 --steps 12 --seed 3", 2);
}

TEST(EnsembleMpi, NoisyScenarioWithRangesOnTwoProcessesIsOneThreadByteForByte) {
  // realignment has chance events and noise; 333 runs (6 chunks, the last of 13 runs), with
  // parameter noise and a varied range on top.
  expect_same_as_one_thread("realignment",
                            "ensemble realignment --runs 333 --seed 5 --parameter-sd 0.2 --vary spillover=0.1..0.3", 2);
}

TEST(EnsembleMpi, ThreeProcessesSendTheirPartsInTurnAndProcessZeroMergesEach) {
  // 1,000 runs (16 chunks: 5, 5 and 6 a process), noisy: process 0 merges process 1's part while
  // process 2 waits for its turn.
  expect_same_as_one_thread("three", "ensemble realignment --runs 1000 --seed 2 --parameter-sd 0.2", 3);
}

TEST(EnsembleMpi, MoreProcessesThanChunks) {
  // 64 runs are one chunk: process 1 of 2 has no runs and sends an empty part.
  expect_same_as_one_thread("one_chunk", "ensemble baseline --runs 64 --steps 6 --seed 9", 2);
}

/// One line, "geosim: error: ..." containing `what`, exit code 1, nothing on stdout, no results.
void expect_refused(const std::string& name, const std::string& command, const std::string& what) {
  const auto dir = temp_dir("ensemble_mpi_refused_" + name);
  const Output refused = run_shell("cd '" + dir.string() + "' && " + command);
  EXPECT_EQ(refused.code, 1) << name << ": " << refused.err;
  EXPECT_EQ(refused.err.rfind("geosim: error: ", 0), 0u) << name << ": " << refused.err;
  EXPECT_EQ(refused.err.find('\n'), refused.err.size() - 1) << name << ": " << refused.err;
  EXPECT_NE(refused.err.find(what), std::string::npos) << name << ": " << refused.err;
  EXPECT_EQ(refused.out, "") << name;
  EXPECT_FALSE(std::filesystem::exists(dir / "res")) << name;
}

TEST(EnsembleMpi, RefusedRequestsAreOneLineAndExitOneOnEveryProcess) {
  const std::string both = mpirun(2) + " ensemble ";
  expect_refused("scenario", both + "no-such-scenario --runs 100 --out res", "unknown scenario 'no-such-scenario'");
  expect_refused("vary", both + "baseline --runs 100 --vary nothing=1..2 --out res", "--vary");
  // The series of every run: each shard's, joined (EnsembleShardCli.EachShardsPerRunSeriesJoinedAreTheWholes).
  expect_refused("per_run", both + "baseline --runs 100 --per-run runs.csv --out res",
                 "--per-run: not under mpirun (every run's series would have to travel to process 0); run each part "
                 "without mpirun as `--shard K/N --per-run runs-K.csv` and join the files in K order");
  expect_refused("shard", both + "baseline --runs 100 --shard 1/2 --out res", "--shard");
  expect_refused("command", mpirun(2) + " run baseline --out res", "only `geosim-mpi ensemble");
  // Processes given different requests (mpirun's "A : B"): whichever refuses, its one line
  // comes out once (process 0 prints process 1's) and no process waits for the others.
  const std::string one = "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout 300 " MPIEXEC
                          " -q --oversubscribe -np 1 " GEOSIM_MPI_BINARY " ensemble ";
  const std::string good = "baseline --runs 100 --out res";
  const std::string bad = "no-such-scenario --runs 100 --out res";
  expect_refused("zero_refuses", one + bad + " : -np 1 " GEOSIM_MPI_BINARY " ensemble " + good, "no-such-scenario");
  expect_refused("one_refuses", one + good + " : -np 1 " GEOSIM_MPI_BINARY " ensemble " + bad, "no-such-scenario");
  expect_refused("other_scenario",
                 one + good + " : -np 1 " GEOSIM_MPI_BINARY " ensemble realignment --runs 100 --out res",
                 "process 1 ran another scenario than process 0");
}

TEST(EnsembleMpi, AnArgumentErrorIsGeosimsOnEveryProcess) {
  // Found by every process alike while parsing, before any runs; process 1's alone too.
  const auto dir = temp_dir("ensemble_mpi_argument");
  const Output alone = run_shell("timeout 300 " GEOSIM_BINARY " ensemble baseline --runs 0");
  ASSERT_EQ(alone.code, 1);
  ASSERT_NE(alone.err.find("--runs"), std::string::npos) << alone.err;
  const Output both = run_shell(mpirun(2) + " ensemble baseline --runs 0");
  EXPECT_EQ(both.code, 1);
  EXPECT_EQ(both.err, alone.err);
  const Output second =
      run_shell("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout 300 " MPIEXEC
                " -q --oversubscribe -np 1 " GEOSIM_MPI_BINARY
                " ensemble baseline --runs 100 : -np 1 " GEOSIM_MPI_BINARY " ensemble baseline --runs 0");
  EXPECT_EQ(second.code, 1);
  EXPECT_EQ(second.err, alone.err);
}

// docs/scale.md's Slurm job with MPI, as written, with the variables Slurm sets for two tasks of
// one core each (Open MPI started from the script's mpirun; as root, and with more processes
// than cores allowed, through Open MPI's variables). Only the run count is smaller. It writes
// what `geosim ensemble ... --threads 1` writes.
TEST(EnsembleMpi, TheDocsSlurmJobWritesWhatOneThreadWrites) {
  const std::string script = geosim::testing::doc_sh_block("scale.md", "### A Slurm job with MPI", 0);
  ASSERT_NE(script.find("mpirun"), std::string::npos) << script;
  const std::size_t at = script.find("--runs 1000000");
  ASSERT_NE(at, std::string::npos) << script;
  const std::string small = script.substr(0, at) + "--runs 300 --steps 6" + script.substr(at + 14);
  const auto dir = temp_dir("ensemble_mpi_docs_slurm");
  std::ofstream(dir / "job.sh") << small;
  const std::string bin = std::filesystem::path(GEOSIM_MPI_BINARY).parent_path().string();
  const std::string mpi = std::filesystem::path(MPIEXEC).parent_path().string();
  const Output job =
      run_shell("cd '" + dir.string() + "' && export PATH='" + bin + "':'" + mpi +
                "':\"$PATH\" SLURM_NTASKS=2 SLURM_CPUS_PER_TASK=1 OMPI_ALLOW_RUN_AS_ROOT=1 "
                "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 && timeout 300 bash job.sh");
  ASSERT_EQ(job.code, 0) << job.err;
  // The page's scenario and seed (none given: the default), on one process and thread.
  const std::string scenario = geosim::testing::sh_word_after(script, " ensemble");
  const std::string seed = geosim::testing::sh_word_after(script, "--seed");
  ASSERT_FALSE(scenario.empty()) << script;
  const Output one = run_in(
      dir / "one", "timeout 300 " GEOSIM_BINARY,
      "ensemble " + scenario + " --runs 300 --steps 6" + (seed.empty() ? "" : " --seed " + seed) + " --threads 1");
  ASSERT_EQ(one.code, 0) << one.err;
  const std::string out = small.substr(small.rfind("--out ") + 6);
  const std::filesystem::path result = dir / out.substr(0, out.find_first_of(" \n"));
  for (const char* file : kFiles) {
    const std::string expected = slurp(dir / "one" / "res" / file);
    ASSERT_FALSE(expected.empty()) << file;
    EXPECT_EQ(slurp(result / file), expected) << file;
  }
}

}  // namespace
