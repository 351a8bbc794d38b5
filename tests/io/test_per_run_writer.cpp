// `ensemble --per-run FILE[.gz]`'s writer: the file appears only when complete, through the one
// streaming writer (a FIFO or a folder refused, a failed write leaves nothing) and the one gzip
// writer (the bytes zlib makes of the plain file's text in one call).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <geosim/io/per_run_writer.hpp>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "support/builders.hpp"
#include "support/cli.hpp"
#include "support/event_fixtures.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;
using testing::FileSizeLimit;
using testing::HangLimit;
using testing::slurp;
using testing::temp_dir;

Scenario two_indicators() {
  Scenario s = testing::make_scenario({"A", "B"});
  for (const char* id : {"a-b", "b-a"}) {
    Indicator indicator;
    indicator.id = id;
    s.indicators.push_back(indicator);
  }
  return s;
}

/// Writes runs 0..runs-1 of 2 steps, values run + step / 10 + indicator / 100.
std::string write_runs(const fs::path& path, const Scenario& s, int runs) {
  PerRunWriter writer;
  if (std::string error = writer.open(path, s, 2); !error.empty()) return error;
  for (int r = 0; r < runs; ++r) {
    std::vector<double> series;
    for (int step = 0; step <= 2; ++step)
      for (int k = 0; k < 2; ++k) series.push_back(r + step / 10.0 + k / 100.0);
    writer.write(r, 1, series.data());
  }
  return writer.finish();
}

TEST(PerRunWriter, PlainAndGzipFilesHoldTheSameText) {
  const fs::path dir = temp_dir("per_run");
  const Scenario s = two_indicators();
  ASSERT_EQ(write_runs(dir / "F.csv", s, 3), "");
  const std::string text = slurp(dir / "F.csv");
  EXPECT_EQ(text.substr(0, text.find('\n') + 1), "run,step,date,a-b,b-a\n");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1 + 3 * 3) << "a row per run and step";
  EXPECT_NE(text.find("\n0,0,"), std::string::npos);
  EXPECT_NE(text.find(",0.000000,0.010000\n"), std::string::npos);
  EXPECT_NE(text.find("\n2,2,"), std::string::npos);
  EXPECT_NE(text.find(",2.200000,2.210000\n"), std::string::npos);
  ASSERT_EQ(write_runs(dir / "F.csv.gz", s, 3), "");
  EXPECT_EQ(slurp(dir / "F.csv.gz"), testing::gzip(text, 6));
  fs::remove_all(dir);
}

TEST(PerRunWriter, AFailedWriteLeavesNoFileAndSaysWhy) {
  const fs::path dir = temp_dir("per_run_fail");
  const Scenario s = two_indicators();
  std::string error;
  {
    const FileSizeLimit limit(100);  // the header fits, the runs do not
    error = write_runs(dir / "F.csv", s, 50);
  }
  EXPECT_EQ(error, "cannot write '" + (dir / "F.csv").string() + "': File too large");
  EXPECT_TRUE(fs::is_empty(dir)) << "no file, no temporary";
  fs::remove_all(dir);
}

TEST(PerRunWriter, RefusesAFifoAndAFolderWithoutBlocking) {
  const HangLimit hang_limit(60);  // a FIFO opened for writing would block
  const fs::path dir = temp_dir("per_run_refuse");
  ASSERT_EQ(::mkfifo((dir / "F.csv.gz").c_str(), 0644), 0);
  fs::create_directory(dir / "F.csv");
  const Scenario s = two_indicators();
  EXPECT_NE(write_runs(dir / "F.csv.gz", s, 2).find("it is a FIFO"), std::string::npos);
  EXPECT_NE(write_runs(dir / "F.csv", s, 2).find("it is a folder"), std::string::npos);
  EXPECT_TRUE(fs::is_fifo(dir / "F.csv.gz"));
  EXPECT_TRUE(fs::is_empty(dir / "F.csv"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace geosim
