// geosim ingest's files as files: a zip archive (the form GDELT publishes) is named as such, not
// read as rows of noise; a file given twice (by its name, another path or a link) is refused, as
// its events would count twice; a corrupt gzip's message names the file, not zlib's "<fd:N>".
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "geosim/io/event_ingest.hpp"
#include "support/cli.hpp"
#include "support/event_fixtures.hpp"

namespace {
namespace fs = std::filesystem;
using namespace geosim;
using geosim::testing::ingest_actors;
using geosim::testing::ingest_row;
using geosim::testing::temp_dir;

void write(const fs::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// A zip archive's local file header: "PK\3\4", then a stored member (the rows, uncompressed).
std::string zip_of(const std::string& name, const std::string& data) {
  std::string z = std::string("PK\x03\x04", 4) + std::string(22, '\0');
  z += char(name.size()) + std::string(1, '\0') + std::string(2, '\0') + name + data;
  return z;
}

TEST(EventIngestFiles, AZipArchiveIsNamedAndNotReadAsRows) {
  const fs::path dir = temp_dir("ingest-zip");
  const std::string rows = ingest_row("20250801", "USA", "CHN", "042", "1.9", 3);
  write(dir / "e.export.CSV.zip", zip_of("e.export.CSV", rows));
  const IngestResult r = ingest_event_files({(dir / "e.export.CSV.zip").string()}, ingest_actors(), {});
  EXPECT_EQ(r.error,
            (dir / "e.export.CSV.zip").string() + ": a zip archive: unzip it first (geosim reads plain or gzip files)");
  EXPECT_EQ(r.malformed, 0u);
  fs::remove_all(dir);
}

TEST(EventIngestFiles, AFileGivenTwiceIsRefused) {
  const fs::path dir = temp_dir("ingest-twice");
  write(dir / "a.tsv", ingest_row("20250801", "USA", "CHN", "042", "1.9", 3));
  write(dir / "b.tsv", ingest_row("20250802", "USA", "CHN", "042", "1.9", 3));
  fs::create_symlink(dir / "a.tsv", dir / "link.tsv");
  const Scenario actors = ingest_actors();
  const std::string a = (dir / "a.tsv").string();
  for (const std::string& again : {a, (dir / "." / "a.tsv").string(), (dir / "link.tsv").string()}) {
    const IngestResult r = ingest_event_files({a, (dir / "b.tsv").string(), again}, actors, {});
    EXPECT_EQ(r.error, again + ": the same file as '" + a + "': its events would be counted twice");
    EXPECT_EQ(r.files.size(), 1u) << "refused before any file is read";
  }
  // Two files with the same rows but each a file of its own are two files.
  fs::copy_file(dir / "a.tsv", dir / "copy.tsv");
  EXPECT_EQ(ingest_event_files({a, (dir / "copy.tsv").string()}, actors, {}).error, "");
  fs::remove_all(dir);
}

TEST(EventIngestFiles, ACorruptGzipIsNamedByItsPath) {
  const fs::path dir = temp_dir("ingest-cut");
  std::string gz = geosim::testing::gzip(ingest_row("20250801", "USA", "CHN", "042", "1.9", 3));
  gz.resize(gz.size() - 6);  // cut short
  write(dir / "cut.tsv.gz", gz);
  const IngestResult r = ingest_event_files({(dir / "cut.tsv.gz").string()}, ingest_actors(), {});
  EXPECT_EQ(r.error.rfind((dir / "cut.tsv.gz").string() + ": cannot read: corrupt or truncated gzip data (", 0), 0u)
      << r.error;
  EXPECT_EQ(r.error.find("<fd:"), std::string::npos) << r.error;
  fs::remove_all(dir);
}

// A span of dates too long to count is refused with its dates and the way to shorten it.
TEST(EventIngestFiles, ASpanTooLongNamesItsDatesAndTheRemedy) {
  const fs::path dir = temp_dir("ingest-span");
  write(dir / "s.tsv",
        ingest_row("18000101", "USA", "CHN", "042", "1.9", 3) + ingest_row("21000101", "USA", "CHN", "042", "1.9", 3));
  const IngestResult r = ingest_event_files({(dir / "s.tsv").string()}, ingest_actors(), {});
  EXPECT_NE(r.error.find("days from the first to the last, found 109574 (1800-01-01 to 2100-01-01): keep a shorter "
                         "span with --from and --to"),
            std::string::npos)
      << r.error;
  fs::remove_all(dir);
}

// --actors that is no file is named as the file given (it was "include '/dev/null' is not a
// regular file": the scenario written around it showing through).
TEST(EventIngestFiles, AnActorsPathThatIsNoFileIsNamedAsGiven) {
  const fs::path dir = temp_dir("ingest-actors-device");
  write(dir / "a.tsv", ingest_row("20250801", "USA", "CHN", "042", "1.9", 3));
  const geosim::testing::Output o = geosim::testing::run_cli("ingest " + (dir / "a.tsv").string() +
                                                             " --actors /dev/null --out " + (dir / "o").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "geosim: error: /dev/null: expected a regular file (an actors or scenario file), found a device\n");
  const std::string none = (dir / "none.yaml").string();
  const geosim::testing::Output missing = geosim::testing::run_cli("ingest " + (dir / "a.tsv").string() + " --actors " +
                                                                   none + " --out " + (dir / "o").string());
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.err, "geosim: error: " + none + ": cannot open file: no such file\n");
  EXPECT_FALSE(fs::exists(dir / "o"));
  fs::remove_all(dir);
}

}  // namespace
