// Blocs of the signed network (analysis/analysis.hpp, find_blocs): every split tried up to 20
// actors (2^(n-1) splits in Gray-code order), a greedy local search beyond (docs/model.md, "Blocs").
#include <benchmark/benchmark.h>
#include <geosim/analysis/analysis.hpp>
#include <geosim/core/rng.hpp>
#include <geosim/core/state.hpp>

#include "synthetic_world.hpp"

namespace {

void BM_FindBlocs(benchmark::State& bench) {
  const auto n = std::size_t(bench.range(0));
  const geosim::Scenario world = geosim::bench::synthetic_world(n);
  geosim::Rng rng(1);
  const geosim::State start = geosim::initial_state(world, rng);
  for (auto _ : bench) {
    geosim::Blocs blocs = geosim::find_blocs(start.tension, {}, world.absent);
    benchmark::DoNotOptimize(blocs.frustration);
  }
  bench.counters["actors"] = double(n);
}
BENCHMARK(BM_FindBlocs)->Arg(12)->Arg(16)->Arg(20)->Arg(21)->Arg(200)->Unit(benchmark::kMillisecond);

}  // namespace
