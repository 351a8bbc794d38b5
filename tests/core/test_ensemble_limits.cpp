// Ensembles check what a request needs before they start: a request over the memory budget
// is refused with how much and why, through every command that runs one (it used to
// segfault on an unchecked allocation).
#include <geosim/core/ensemble.hpp>
#include <geosim/io/loader.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
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

TEST(EnsembleLimits, MemoryIsTheSeriesTheEndStatesAndTheSortingColumns) {
  // 1000 runs of 52 steps, 3 indicators, 2 threads: 1000*53*3 + 1000*3 doubles, 1000 ints,
  // 2*8*1000 doubles.
  EXPECT_EQ(ensemble_memory(1000, 52, 3, 2), std::size_t(1000 * 53 * 3 * 8 + 1000 * 3 * 8 + 1000 * 4 + 2 * 8 * 1000 * 8));
  EXPECT_EQ(ensemble_memory(1, 0, 0, 1), std::size_t(4 + 64));
}

TEST(EnsembleLimits, ARequestOverTheBudgetIsRefusedBeforeItStarts) {
  Scenario s = geosim::testing::make_scenario({"A", "B"});
  s.indicators.resize(4);
  EnsembleOptions options;
  options.runs = 1000000;
  options.steps = 1000;
  options.threads = 1;
  const double need = 1e6 * 1001 * 4 * 8 + 1e6 * 4 * 8 + 1e6 * 4 + 8 * 1e6 * 8;
  const std::string error = ensemble_request_error(s, options);
  EXPECT_EQ(error, "an ensemble of 1000000 runs of 1000 steps with 4 indicators would need " + gib(need) +
                       " of memory (the percentiles keep every run's value at every step), more than its limit of "
                       "2.0 GiB: use fewer runs or steps");
  const EnsembleResult result = run_ensemble(s, options);
  EXPECT_EQ(result.error, error);
  EXPECT_TRUE(result.bands.empty());
  options.runs = 1000;
  EXPECT_EQ(ensemble_request_error(s, options), "");
}

TEST(EnsembleLimits, EveryCommandRefusesWithOneLineAndExitCodeOne) {
  const LoadResult baseline = load_scenario(geosim::testing::shipped("baseline.yaml"));
  ASSERT_TRUE(baseline.ok());
  const double k = double(baseline.scenario->indicators.size());
  const double need = 1e6 * 1001 * k * 8 + 1e6 * k * 8 + 1e6 * 4 + 8 * 1e6 * 8;
  const std::string line = "an ensemble of 1000000 runs of 1000 steps with " + std::to_string(int(k)) +
                           " indicators would need " + gib(need) + " of memory";
  const std::string flags = " --runs 1000000 --steps 1000 --threads 1";
  for (const char* command : {"ensemble baseline", "compare baseline realignment", "matrix --scenarios baseline",
                                    "report baseline"}) {
    const auto o = geosim::testing::run_cli(command + flags + " --out /nonexistent/never-written");
    EXPECT_EQ(o.code, 1) << command << ": " << o.err;
    EXPECT_NE(o.err.find(line), std::string::npos) << command << ": " << o.err;
    EXPECT_EQ(o.err.find('\n'), o.err.size() - 1) << command << ": one line, got " << o.err;
  }
}

}  // namespace
