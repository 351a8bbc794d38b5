// One step of the model at 7, 50, 200 and 1000 actors, and a whole year's run.
#include <benchmark/benchmark.h>
#include <geosim/core/rng.hpp>
#include <geosim/core/run.hpp>
#include <geosim/core/step.hpp>

#include "synthetic_world.hpp"

namespace {

void BM_Step(benchmark::State& bench) {
  const auto n = std::size_t(bench.range(0));
  const geosim::Scenario world = geosim::bench::synthetic_world(n);
  geosim::Rng rng(1);
  const geosim::State start = geosim::initial_state(world, rng);
  for (auto _ : bench) {
    geosim::State next = geosim::advance(start, world, rng).state;
    benchmark::DoNotOptimize(next.tension.data());
  }
  bench.counters["relations"] = double(n * (n - 1));
  bench.SetItemsProcessed(bench.iterations() * std::int64_t(n * (n - 1)));
}
BENCHMARK(BM_Step)->Arg(7)->Arg(50)->Arg(200)->Arg(1000)->Unit(benchmark::kMicrosecond);

void BM_RunYear(benchmark::State& bench) {
  const geosim::Scenario world = geosim::bench::synthetic_world(std::size_t(bench.range(0)));
  std::uint64_t run = 0;
  for (auto _ : bench) {
    geosim::RunOptions options;
    options.run = run++;
    auto result = geosim::run_scenario(world, options);
    benchmark::DoNotOptimize(result.final_state.tension.data());
  }
  bench.SetItemsProcessed(bench.iterations());
}
BENCHMARK(BM_RunYear)->Arg(7)->Arg(50)->Arg(200)->Unit(benchmark::kMillisecond);

}  // namespace
