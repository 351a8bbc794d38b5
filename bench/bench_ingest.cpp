// geosim ingest: rows per second of GDELT 2.0 exports, reading and aggregation included (the
// counts per directed dyad and day, then per step), plain and gzip. A file of 200,000 rows
// among 9 actors plus rows of countries that are no actor, generated with the test fixtures'
// exact layout (tests/support/event_fixtures.cpp), written once to a temporary folder.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "geosim/io/event_ingest.hpp"
#include "geosim/io/loader.hpp"
#include "support/event_fixtures.hpp"

namespace {
namespace fs = std::filesystem;

constexpr int kRows = 200000;

struct Files {
  fs::path dir, plain, gzip;
  geosim::Scenario actors;
  Files() {
    dir = fs::temp_directory_path() / ("geosim-bench-ingest-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const char* countries[] = {"VNM", "PRK", "KOR", "USA", "CHN", "SGP", "IDN", "RUS", "JPN", "FRA", "DEU", ""};
    const char* codes[] = {"042", "036", "057", "111", "130", "172", "190", "0874", "061", "020"};
    std::string text;
    text.reserve(std::size_t(kRows) * 400);
    geosim::testing::GdeltEvent e;
    for (int i = 0; i < kRows; ++i) {
      e.id = 1100000000 + i;
      const int day = 1 + i % 28;
      e.date = "202508" + std::string(day < 10 ? "0" : "") + std::to_string(day);
      e.actor1 = countries[i % 12];
      e.actor2 = countries[(i * 7 + 3) % 12];
      e.code = codes[i % 10];
      e.mentions = std::to_string(1 + i % 17);
      e.url = "https://news.example/world/2025/08/article-" + std::to_string(i) + ".html";
      text += geosim::testing::gdelt_row(e, geosim::testing::GdeltLayout::v2);
      text += '\n';
    }
    plain = dir / "rows.export.CSV";
    gzip = dir / "rows.export.CSV.gz";
    std::ofstream(plain, std::ios::binary) << text;
    std::ofstream(gzip, std::ios::binary) << geosim::testing::gzip(text);
    auto loaded = geosim::load_scenario(std::string(GEOSIM_SOURCE_DIR) + "/scenarios/baseline.yaml");
    actors = *loaded.scenario;
  }
  ~Files() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

const Files& files() {
  static const Files f;
  return f;
}

void ingest(benchmark::State& state, const fs::path& path) {
  const Files& f = files();
  for (auto _ : state) {
    const geosim::IngestResult result = geosim::ingest_event_files({path.string()}, f.actors, {});
    if (!result.error.empty()) state.SkipWithError(result.error.c_str());
    benchmark::DoNotOptimize(result.cells.data());
  }
  state.SetItemsProcessed(state.iterations() * kRows);
  state.SetBytesProcessed(state.iterations() * std::int64_t(fs::file_size(f.plain)));
}

void BM_IngestGdelt2Plain(benchmark::State& state) { ingest(state, files().plain); }
void BM_IngestGdelt2Gzip(benchmark::State& state) { ingest(state, files().gzip); }

}  // namespace

BENCHMARK(BM_IngestGdelt2Plain)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IngestGdelt2Gzip)->Unit(benchmark::kMillisecond);
