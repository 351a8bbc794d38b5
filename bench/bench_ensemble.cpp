// Issue 14's ensemble target, in process: 10,000 runs of the shipped baseline (`run_ensemble`,
// with the document scenarios as references, as `geosim ensemble baseline` runs it) on 1 and 2
// threads. The scenarios are loaded once, outside the timing (BM_EnsembleStartup times that
// part of the process alone). The shipped baseline has no noise and no chance events, so its
// runs are all alike: BM_EnsembleNoisy times the same ensemble with noise on every relation
// (runs that all differ, as users' ensembles do), so that a speed-up of the first that only
// comes from alike runs shows as none in the second.
#include <benchmark/benchmark.h>
#include <geosim/core/ensemble.hpp>
#include <geosim/io/catalog.hpp>
#include <geosim/io/loader.hpp>

#include <cstdlib>
#include <string>
#include <vector>

namespace {

const std::string kScenarios = std::string(GEOSIM_SOURCE_DIR) + "/scenarios";

/// The baseline and its references, as `geosim ensemble baseline` loads them.
struct Loaded {
  geosim::Scenario scenario;
  std::vector<geosim::EnsembleReference> references;
};

Loaded load_baseline() {
  Loaded out;
  geosim::LoadResult base = geosim::load_scenario(*geosim::resolve_scenario("baseline", kScenarios));
  if (!base.ok()) std::abort();
  out.scenario = *base.scenario;
  for (const auto& name : geosim::reference_scenarios(kScenarios)) {
    geosim::LoadResult ref = geosim::load_scenario(*geosim::resolve_scenario(name, kScenarios));
    bool ok = false;
    if (ref.ok())
      out.references.push_back(geosim::make_reference(name, *ref.scenario, out.scenario.indicators, -1, ok));
    if (!ok) std::abort();
  }
  return out;
}

/// 10,000 runs of `loaded` on bench.range(0) threads.
void time_ensemble(benchmark::State& bench, const Loaded& loaded) {
  geosim::EnsembleOptions options;
  options.runs = 10000;
  options.threads = int(bench.range(0));
  for (auto _ : bench) {
    auto result = geosim::run_ensemble(loaded.scenario, options, loaded.references);
    benchmark::DoNotOptimize(result.bands.data());
  }
  bench.counters["us_per_run"] = benchmark::Counter(
      double(options.runs), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

/// Arg: the ensemble's threads (1 and 2). Time: wall (real) time, what the user waits for; CPU:
/// the process's, every thread's (its workers' included).
void on_one_and_two_threads(benchmark::internal::Benchmark* b) {
  b->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
}

void BM_EnsembleBaseline(benchmark::State& bench) {
  static const Loaded loaded = load_baseline();
  time_ensemble(bench, loaded);
}
BENCHMARK(BM_EnsembleBaseline)->Apply(on_one_and_two_threads);

/// BM_EnsembleBaseline's ensemble with Gaussian noise of standard deviation 0.02 on every tension
/// at every step: every run and every value differ.
void BM_EnsembleNoisy(benchmark::State& bench) {
  static const Loaded loaded = [] {
    Loaded out = load_baseline();
    out.scenario.parameters.noise = 0.02;
    return out;
  }();
  time_ensemble(bench, loaded);
}
BENCHMARK(BM_EnsembleNoisy)->Apply(on_one_and_two_threads);

/// The process's start-up part that is not the ensemble: loading the baseline and the
/// document scenarios and running the references.
void BM_EnsembleStartup(benchmark::State& bench) {
  for (auto _ : bench) {
    Loaded loaded = load_baseline();
    benchmark::DoNotOptimize(loaded.references.data());
  }
}
BENCHMARK(BM_EnsembleStartup)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
