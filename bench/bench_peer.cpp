// The engine's side of the peer comparison (bench/compare_peer.py runs both): the same work as
// bench/peer_step.py's `time` and `ensemble` modes, and the memory-bandwidth bound of a dense
// step, measured on the same machine.
#include <benchmark/benchmark.h>
#include <geosim/ensemble.hpp>
#include <geosim/rng.hpp>
#include <geosim/state.hpp>
#include <geosim/step.hpp>

#include <vector>

#include "synthetic_world.hpp"

namespace {

// One noise-free step without events, in place: exactly what the peer's `time` mode does.
void BM_DriftStep(benchmark::State& bench) {
  const auto n = std::size_t(bench.range(0));
  geosim::Scenario world = geosim::bench::synthetic_world(n);
  world.parameters.noise = 0.0;
  world.events.clear();
  geosim::Rng rng(1);
  geosim::State state = geosim::initial_state(world, rng);
  for (auto _ : bench) {
    state = geosim::advance(std::move(state), world, rng);
    state.step = 0;  // stay inside the scenario
    benchmark::DoNotOptimize(state.tension.data());
  }
  bench.SetItemsProcessed(bench.iterations() * std::int64_t(n * (n - 1)));
}
BENCHMARK(BM_DriftStep)->Arg(7)->Arg(50)->Arg(200)->Arg(1000)->Unit(benchmark::kMicrosecond);

// 10,000 runs of a 52-step year at 7 actors with noise and a chance event each step, one thread.
void BM_Ensemble7(benchmark::State& bench) {
  const geosim::Scenario world = geosim::bench::synthetic_world(7, 52);
  geosim::EnsembleOptions options;
  options.runs = int(bench.range(0));
  options.threads = 1;
  for (auto _ : bench) {
    auto result = geosim::run_ensemble(world, options);
    benchmark::DoNotOptimize(result.runs);
  }
}
BENCHMARK(BM_Ensemble7)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(3);

// The floor for a dense step at n actors: stream the three matrices a step must read (tension,
// baseline, ties) and write the new tension once; no model can move less memory.
void BM_StreamBound(benchmark::State& bench) {
  const auto size = std::size_t(bench.range(0)) * std::size_t(bench.range(0));
  std::vector<double> t(size, 0.5), b(size, 0.25), w(size, 0.125), next(size, 0.0);
  for (auto _ : bench) {
    for (std::size_t i = 0; i < size; ++i) next[i] = t[i] + b[i] + w[i];
    benchmark::DoNotOptimize(next.data());
    benchmark::ClobberMemory();
  }
  bench.SetBytesProcessed(bench.iterations() * std::int64_t(4 * size * sizeof(double)));
}
BENCHMARK(BM_StreamBound)->Arg(1000)->Unit(benchmark::kMicrosecond);

}  // namespace
