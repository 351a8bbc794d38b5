// Ensembles check what a request needs before they start: a request over the memory budget
// is refused with how much and why, through every command that runs one (it used to
// segfault on an unchecked allocation).
#include <geosim/core/ensemble.hpp>
#include <geosim/io/loader.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/builders.hpp"
#include "support/cli.hpp"

using namespace geosim;

namespace {

/// The budget's figure as the message prints it: GiB with one decimal.
std::string gib(double bytes) {
  char text[64];
  std::snprintf(text, sizeof text, "%.1f GiB", bytes / 1073741824.0);
  return text;
}

TEST(EnsembleLimits, MemoryIsTheTreeNodesTheWorkersChunksAndTheEndStatesWhenKept) {
  // 1000 runs of 52 steps, 3 indicators (159 columns), 2 threads: 16 chunks, so 5 levels, none
  // above the blocks of 32 chunks: one node for the blocks below, 3 blocks being filled (one a
  // thread and one more) and 2 nodes a thread being made, each of 1000 values a column; per
  // thread 2 * 64 rows of 159.
  const std::size_t nodes = (0 + 1 + 3 + 4) * 1000 * 159 * 8, workers = 2 * 128 * 159 * 8;
  EXPECT_EQ(ensemble_memory(1000, 52, 3, 2), nodes + workers);
  EXPECT_EQ(ensemble_memory(1000, 52, 3, 2, true), nodes + workers + 1000 * 3 * 8);
  EXPECT_EQ(ensemble_memory(1, 0, 0, 1), std::size_t(0));
}

TEST(EnsembleLimits, MemoryGrowsWithTheRunsOnlyByTheTreesLevels) {
  // Beyond kQuantileCapacity runs a node keeps 2048 values a column, whatever its runs: from
  // 100,000 to 1,000,000 runs only the levels grow (11 to 14 of them, 6 to 9 above the blocks of
  // 32 chunks), not the runs' series. Besides: one node for the blocks below, 3 blocks being
  // filled, 2 nodes a thread being made.
  const std::size_t columns = 53 * 12, node = 2048 * columns * 8, workers = 2 * 128 * columns * 8;
  EXPECT_EQ(ensemble_memory(100000, 52, 12, 2), (6 + 1 + 3 + 4) * node + workers);
  EXPECT_EQ(ensemble_memory(1000000, 52, 12, 2), (9 + 1 + 3 + 4) * node + workers);
  EXPECT_LT(ensemble_memory(1000000, 52, 12, 2), std::size_t(200) << 20);
}

/// Two actors and four indicators: the summaries' size set by the steps and runs alone.
Scenario four_indicators() {
  Scenario s = geosim::testing::make_scenario({"A", "B"});
  s.indicators.resize(4);
  return s;
}

// Just over the limit, the need is not printed as the limit itself ("2.0 GiB ... more than its
// limit of 2.0 GiB"): as many decimals as it takes. 1,000,000 runs of 2,365 steps of 4
// indicators: 9,464 columns, (9 + 1 + 2 + 2) nodes of 2,048 values and 128 rows a column:
// 230,400 * 9,464 = 2,180,505,600 bytes = 2.0307 GiB (and the thread's few kilobytes).
TEST(EnsembleLimits, ANeedJustOverTheLimitDoesNotReadAsTheLimit) {
  const Scenario s = four_indicators();
  EnsembleOptions options;
  options.runs = 1000000;
  options.steps = 2365;
  options.threads = 1;
  EXPECT_EQ(ensemble_request_error(s, options),
            "an ensemble of 1000000 runs of 2365 steps with 4 indicators would need 2.03 GiB of memory (the "
            "percentile summaries keep up to 2048 values of every indicator at every step), more than its limit "
            "of 2.0 GiB: use fewer steps");
  // One run is singular: 1 run of 100,000 steps of 21 indicators, 2,100,021 columns of (0 + 1 +
  // 2 + 2) nodes of one value and 128 rows: 1,064 * 2,100,021 bytes = 2.08 GiB.
  options.runs = 1;
  options.steps = 100000;
  Scenario many = s;
  many.indicators.resize(21);
  EXPECT_EQ(ensemble_request_error(many, options),
            "an ensemble of 1 run of 100000 steps with 21 indicators would need 2.1 GiB of memory (the "
            "percentile summaries keep up to 2048 values of every indicator at every step), more than its limit "
            "of 2.0 GiB: use fewer steps");
}

TEST(EnsembleLimits, ARequestOverTheBudgetIsRefusedBeforeItStarts) {
  const Scenario s = four_indicators();
  EnsembleOptions options;
  options.runs = 1000000;
  options.steps = 100000;
  options.threads = 1;
  // 15,625 chunks: 14 levels, 9 above the blocks; one node for the blocks below, 2 blocks being
  // filled, 2 nodes being made; 2048 values of 400,004 columns a node; 64 * 2 rows a worker.
  const double need = (9.0 + 1 + 2 + 2) * 2048 * 400004 * 8 + 128.0 * 400004 * 8;
  const std::string error = ensemble_request_error(s, options);
  EXPECT_EQ(error, "an ensemble of 1000000 runs of 100000 steps with 4 indicators would need " + gib(need) +
                       " of memory (the percentile summaries keep up to 2048 values of every indicator at every "
                       "step), more than its limit of 2.0 GiB: use fewer steps");
  const EnsembleResult result = run_ensemble(s, options);
  EXPECT_EQ(result.error, error);
  EXPECT_TRUE(result.bands.empty());
  options.steps = 1000;
  EXPECT_EQ(ensemble_request_error(s, options), "") << "a million runs of 1000 steps now fit";
  options.steps = 100000;
  options.keep_ends = true;
  EXPECT_NE(ensemble_request_error(s, options)
                .find("and the paired comparison every run's end state), more than "
                      "its limit of 2.0 GiB: use fewer steps or runs"),
            std::string::npos);
}

// The work of one process's part is bounded up front: 10 actors and 100 steps are 1e4
// relation-steps a run, so 1e10 runs are the limit, 1e14, exactly (accepted) and one more run is
// over it; a part of the runs (a shard's, an MPI process's) counts only its own runs. The CLI:
// the hostile 300 actors of 100,000 daily steps, a million runs, 9e15 (it was accepted, about 70
// days of two threads), refused at once; the first shard of two, 7,812 of the 15,625 chunks of 64
// runs (499,968 runs, 4.49971e15), also refused.
TEST(EnsembleLimits, AnEnsembleTooLongForOneProcessIsRefusedBeforeItsRuns) {
  const Scenario ten = geosim::testing::make_scenario({"A", "B", "C", "D", "E", "F", "G", "H", "I", "J"});
  EXPECT_EQ(ensemble_work_error(ten, 100, 10'000'000'000), "");
  EXPECT_EQ(ensemble_work_error(ten, 100, 10'000'000'001),
            "10000000001 runs of 100 steps of 10 actors are 1e+14 relation-steps (runs x steps x actors^2), more than "
            "the limit of 1e+14 for one process (about a day and a half of one thread): use fewer runs or steps, or "
            "share the runs out over processes with --shard K/N or mpirun (docs/scale.md)");
  const auto dir = geosim::testing::temp_dir("ensemble_work");
  const std::string out = (dir / "never").string();
  const std::string hostile = std::string(GEOSIM_SOURCE_DIR) + "/tests/data/hostile/too_big_to_run.yaml";
  auto o = geosim::testing::run_cli("ensemble " + hostile + " --runs 1000000 --out " + out);
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err,
            "geosim: error: 1000000 runs of 100000 steps of 300 actors are 9e+15 relation-steps (runs x steps x "
            "actors^2), more than the limit of 1e+14 for one process (about a day and a half of one thread): use "
            "fewer runs or steps, or share the runs out over processes with --shard K/N or mpirun (docs/scale.md)\n");
  // A shard's part is refused before its --per-run folder is made (it was left behind, empty).
  const std::string per_run = (dir / "per-run" / "runs.csv").string();
  o = geosim::testing::run_cli("ensemble " + hostile + " --runs 1000000 --shard 1/2 --out " + out + " --per-run " +
                               per_run);
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("499968 runs of 100000 steps of 300 actors are 4.49971e+15 relation-steps"), std::string::npos)
      << o.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "per-run"));
  // compare checks every column before it runs any: the too-long one is named at once.
  o = geosim::testing::run_cli("compare baseline " + hostile + " --runs 100000");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(
      o.err.rfind("geosim: error: hostile: 100000 runs of 100000 steps of 300 actors are 9e+14 relation-steps", 0), 0u)
      << o.err;
  EXPECT_EQ(o.out, "");
  EXPECT_FALSE(std::filesystem::exists(out));
  std::filesystem::remove_all(dir);
}

TEST(EnsembleLimits, OnlyTheThreadsThatCanWorkAreCountedAndTooManyAreNamed) {
  const Scenario s = four_indicators();
  EnsembleOptions options;
  // One chunk (64 runs) of 100,000 steps: one thread steps it whatever the threads asked for.
  // Counted on 1 thread, 5 nodes of 64 x 400,004 doubles and a worker's 128 rows fit in 2 GiB
  // (1.4 GiB); counted on 8, 26 nodes would not.
  options.runs = 64;
  options.steps = 100000;
  options.threads = 1;
  EXPECT_EQ(ensemble_request_error(s, options), "");
  options.threads = 8;
  EXPECT_EQ(ensemble_request_error(s, options), "") << "a single chunk is stepped by one thread";
  // 100,000 runs of 52 steps fit on one thread, not on 1,024 (3 nodes a thread): the threads are
  // named and fewer of them advised.
  options.runs = 100000;
  options.steps = 52;
  options.threads = 1;
  EXPECT_EQ(ensemble_request_error(s, options), "");
  options.threads = 1024;
  const std::string error = ensemble_request_error(s, options);
  EXPECT_NE(error.find(" on 1024 threads would need "), std::string::npos) << error;
  EXPECT_EQ(error.substr(error.size() - std::string("use fewer threads").size()), "use fewer threads") << error;
}

TEST(EnsembleLimits, EveryCommandRefusesWithOneLineAndExitCodeOne) {
  const LoadResult baseline = load_scenario(geosim::testing::shipped("baseline.yaml"));
  ASSERT_TRUE(baseline.ok());
  const double k = double(baseline.scenario->indicators.size());
  const double columns = 100001 * k;
  const double need = (9.0 + 1 + 2 + 2) * 2048 * columns * 8 + 128 * columns * 8;  // as above
  const std::string line =
      "an ensemble of 1000000 runs of 100000 steps with " + std::to_string(int(k)) + " indicators would need ";
  const std::string flags = " --runs 1000000 --steps 100000 --threads 1";
  for (const char* command :
       {"ensemble baseline", "compare baseline realignment", "matrix --scenarios baseline", "report baseline"}) {
    const auto o = geosim::testing::run_cli(command + flags + " --out /nonexistent/never-written");
    EXPECT_EQ(o.code, 1) << command << ": " << o.err;
    EXPECT_NE(o.err.find(line), std::string::npos) << command << ": " << o.err;
    // the paired commands also keep every run's end state: a million runs' worth more
    const bool paired = std::string(command).rfind("ensemble", 0) != 0;
    EXPECT_NE(o.err.find(gib(need + (paired ? 1e6 * k * 8 : 0.0)) + " of memory"), std::string::npos)
        << command << ": " << o.err;
    EXPECT_EQ(o.err.find('\n'), o.err.size() - 1) << command << ": one line, got " << o.err;
  }
}

TEST(EnsembleLimits, AResultKeepsItsBandsAndMeansAndItsEndsWhenKept) {
  // 3 indicators over 53 steps (0..52): 159 columns of a band (5 doubles) and a mean.
  EXPECT_EQ(ensemble_result_memory(1000, 52, 3, false), std::size_t(159 * 6 * 8));
  EXPECT_EQ(ensemble_result_memory(1000, 52, 3, true), std::size_t(159 * 6 * 8 + 1000 * 3 * 8));
}

/// The whole number after `before` in `text` (-1 when there is none).
long long number_after(const std::string& text, const std::string& before) {
  const std::size_t at = text.find(before);
  return at == std::string::npos ? -1 : std::atoll(text.c_str() + at + before.size());
}

// compare keeps every column's result and matrix every cell's run scores: a column or cell that
// fits alone is refused, up front, when it does not fit beside what the ones before it keep.
TEST(EnsembleLimits, CompareAndMatrixCountWhatTheColumnsAndCellsBeforeKeep) {
  const LoadResult baseline = load_scenario(geosim::testing::shipped("baseline.yaml"));
  ASSERT_TRUE(baseline.ok());
  const std::size_t k = baseline.scenario->indicators.size();
  // 30 columns of 1 run of 100,000 steps: each keeps 100,001 * k columns of 6 doubles and its
  // run's k ends; one column alone needs about 1 GiB (checked: 2 columns run).
  const double column = (100001.0 * double(k) * 6 + double(k)) * 8;
  // Each column a copy of the shipped baseline (the same file twice is refused, however spelled).
  const std::filesystem::path dir = geosim::testing::temp_dir("limits_columns");
  std::string text;
  {
    std::ifstream in(geosim::testing::shipped("baseline.yaml"));
    std::stringstream read;
    read << in.rdbuf();
    text = read.str();
  }
  const std::string include = "include: [actors.yaml]";
  ASSERT_NE(text.find(include), std::string::npos);
  text.replace(text.find(include), include.size(), "include: ['" + geosim::testing::shipped("actors.yaml") + "']");
  for (int i = 0; i < 300; ++i) std::ofstream(dir / ("b" + std::to_string(i) + ".yaml")) << text;
  auto column_path = [&](long long i) { return (dir / ("b" + std::to_string(i) + ".yaml")).string(); };
  std::string columns = "compare";
  for (int i = 0; i < 30; ++i) columns += " " + column_path(i);
  const auto many = geosim::testing::run_cli(columns + " --runs 1 --steps 100000 --threads 1 --out /nonexistent/x");
  EXPECT_EQ(many.code, 1) << many.err;
  const long long before = number_after(many.err, "the results of the ");
  ASSERT_GT(before, 1) << many.err;
  ASSERT_LT(before, 30) << many.err;
  EXPECT_EQ(
      many.err.find("geosim: error: column " + std::to_string(before + 1) + " (" + column_path(before) +
                    "): the results of the " + std::to_string(before) + " columns before it, kept to compare them (" +
                    gib(double(before) * column) + ") and an ensemble of 1 run of 100000 steps beside them ("),
      0u)
      << many.err;
  const std::string advice = ": use fewer columns, steps or runs\n";
  EXPECT_EQ(many.err.substr(many.err.size() - std::min(many.err.size(), advice.size())), advice) << many.err;
  EXPECT_EQ(many.err.find('\n'), many.err.size() - 1) << many.err;
  EXPECT_EQ(
      geosim::testing::run_cli("compare baseline " + column_path(0) + " --runs 1 --steps 100000 --threads 1").code, 0);
  // Cells of 1,000,000 runs: each keeps a million run scores and its score's terms. The first
  // cell's ensemble fits alone; a later one does not beside the cells before it.
  const double cell = (1e6 + double(baseline.scenario->score->terms.size())) * 8;
  // 300 columns, each the shipped baseline by a path of its own.
  std::string cells = "matrix --policies no-action --scenarios";
  for (int i = 0; i < 300; ++i) cells += " " + column_path(i);
  const auto matrix = geosim::testing::run_cli(cells + " --runs 1000000 --threads 1");
  EXPECT_EQ(matrix.code, 1) << matrix.err;
  const long long cells_before = number_after(matrix.err, "the run scores of the ");
  ASSERT_GT(cells_before, 0) << matrix.err;
  ASSERT_LT(cells_before, 300) << matrix.err;
  EXPECT_EQ(matrix.err.find("geosim: error: " + column_path(cells_before) + " with no-action: the run scores of the " +
                            std::to_string(cells_before) + " cells before it, kept for the paired regret (" +
                            gib(double(cells_before) * cell) + ") and an ensemble of 1000000 runs of "),
            0u)
      << matrix.err;
  EXPECT_EQ(matrix.err.find('\n'), matrix.err.size() - 1) << matrix.err;
  std::filesystem::remove_all(dir);
}

// docs/ensembles.md's example of a refusal (inline, not a fenced block: the pages' output test
// does not run it) is what the command prints, word for word.
TEST(EnsembleLimits, TheEnsemblesPagesRefusalExampleIsWhatTheCommandPrints) {
  std::ifstream in(std::string(GEOSIM_SOURCE_DIR) + "/docs/ensembles.md");
  std::stringstream read;
  read << in.rdbuf();
  std::string text = read.str();
  std::replace(text.begin(), text.end(), '\n', ' ');
  const std::string command = "ensemble baseline --runs 1000000 --steps 100000 --threads 1";
  const std::string marker = "`geosim " + command + "` prints `";
  ASSERT_NE(text.find(marker), std::string::npos) << "docs/ensembles.md shows this command";
  const std::size_t from = text.find(marker) + marker.size();
  const std::string shown = text.substr(from, text.find('`', from) - from);
  const auto o = geosim::testing::run_cli(command + " --out /nonexistent/never-written");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, shown + "\n");
}

TEST(EnsembleLimits, EachThreadCountsItsStepsWorkspaceItsStateAndItsCopyOfTheScenario) {
  // 2000 actors without ties, events or noise: the workspace's next tension and noise (2 n x n
  // doubles), restraint and reactivity, the ties' row sums and scales (4 n doubles), the noise's
  // keys (n) and the ties' column and row starts (2 (n + 1) indices), the large step's slab (a
  // block of 32 columns of T, B and the mask of absent pairs: 3 x 32 n doubles, and 8 to align
  // them); the state's tension, baseline and tie (3 n x n doubles).
  std::vector<std::string> ids;
  for (int i = 0; i < 2000; ++i) ids.push_back("S" + std::to_string(i));
  const Scenario s = geosim::testing::make_scenario(ids);
  const double square = 2000.0 * 2000 * 8;
  const double each = 5 * square + 4 * 2000 * 8 + 2000 * 8 + 2 * 2001 * 8 + (3 * 32 * 2000 + 8) * 8;
  EnsembleOptions options;
  EXPECT_EQ(double(ensemble_thread_memory(s, options)), each);
  options.parameter_sd = 0.1;  // and its own copy of the relations, to jitter
  EXPECT_EQ(double(ensemble_thread_memory(s, options)), each + 3 * square);
  options.parameter_sd = 0.0;
  // 1000 runs (16 chunks) of make_scenario's 10 steps on 16 threads: 16 copies, no indicators to summarise
  options.threads = 16;
  EXPECT_EQ(ensemble_request_error(s, options),
            "an ensemble of 1000 runs of 10 steps with 0 indicators of 2000 actors on 16 threads would need " +
                gib(16 * each) +
                " of memory (the percentile summaries keep up to 2048 values of every indicator "
                "at every step; each thread steps its own copy of the 2000 actors' relations in " +
                gib(each) + "), more than its limit of 2.0 GiB: use fewer threads");
  EXPECT_FALSE(run_ensemble(s, options).error.empty());
  options.threads = 12;
  EXPECT_EQ(ensemble_request_error(s, options), "") << "12 copies, 1.8 GiB, fit";
  options.threads = 100;
  options.runs = 64;  // one chunk: one thread steps it, whatever the threads asked for
  EXPECT_EQ(ensemble_request_error(s, options), "");
}

TEST(EnsembleLimits, TheCommandRefusesALargeWorldOnManyThreadsWithOneLine) {
  const auto dir = geosim::testing::temp_dir("large_world");
  {
    std::ofstream out(dir / "large.yaml");
    out << "scenario: {id: large, title: Large, start: 2025-08-01, steps: 4}\n"
           "defaults: {tension: 0.3, tie: 0.0}\nactors:\n";
    for (int i = 0; i < 2000; ++i) out << "  - {id: S" << i << ", name: S" << i << ", kind: state}\n";
  }
  const std::string file = (dir / "large.yaml").string();
  const auto o =
      geosim::testing::run_cli("ensemble " + file + " --runs 1000 --threads 16 --out " + (dir / "out").string());
  EXPECT_EQ(o.code, 1) << o.err;
  EXPECT_NE(o.err.find("of 2000 actors on 16 threads would need"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("use fewer threads"), std::string::npos) << o.err;
  EXPECT_EQ(o.err.find('\n'), o.err.size() - 1) << "one line, got " << o.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
  std::filesystem::remove_all(dir);
}

}  // namespace
