// How fast the loader refuses hostile input: each file of tests/data/hostile/ (an alias bomb,
// 100,000 open brackets, 3,000 actors, binary noise, ...) must fail in milliseconds, not
// seconds, and a 100 MB file must be refused from its size alone.
#include <benchmark/benchmark.h>
#include <geosim/io/loader.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace {
namespace fs = std::filesystem;

void BM_LoadHostile(benchmark::State& bench, const fs::path& file) {
  std::size_t errors = 0;
  for (auto _ : bench) {
    const geosim::LoadResult result = geosim::load_scenario(file.string());
    errors = result.errors.size();
    benchmark::DoNotOptimize(errors);
  }
  bench.counters["errors"] = double(errors);
}

void BM_LoadShippedScenario(benchmark::State& bench) {
  const std::string file = std::string(GEOSIM_SOURCE_DIR) + "/scenarios/realignment.yaml";
  for (auto _ : bench) {
    const geosim::LoadResult result = geosim::load_scenario(file);
    benchmark::DoNotOptimize(result.scenario);
  }
}
BENCHMARK(BM_LoadShippedScenario)->Unit(benchmark::kMillisecond);

// One benchmark per hostile file, registered at start-up from the folder's listing.
const bool registered = [] {
  const fs::path dir = fs::path(GEOSIM_SOURCE_DIR) / "tests" / "data" / "hostile";
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().filename() != "expected.txt") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files)
    benchmark::RegisterBenchmark(("BM_LoadHostile/" + file.filename().string()).c_str(), BM_LoadHostile, file)
        ->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace
