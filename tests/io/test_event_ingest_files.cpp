// geosim ingest's files as files: a zip archive (the form GDELT publishes) is named as such, not
// read as rows of noise; a file given twice (by its name, another path or a link) is refused; an
// event given twice in any files counts once; a corrupt gzip's message names the file, not zlib's "<fd:N>".
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "geosim/io/event_ingest.hpp"
#include "geosim/io/event_rows.hpp"
#include "geosim/io/loader.hpp"
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
    EXPECT_EQ(r.error, again + ": the same file as '" + a + "': given twice");
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

// A series whose last step would end after 9999-12-31 is refused (it was written with a date of
// year 10000, which no reader of geosim takes back): events on 9999-12-01 and 9999-12-31 make
// five weeks from 9999-12-01, ending 10000-01-05; --to 9999-12-28, the last day of the fourth
// week (the 30 days to 9999-12-31 hold four whole weeks), keeps four whole weeks, ending on
// 9999-12-29. One event on 9999-12-31 alone cannot make a whole week.
TEST(EventIngestFiles, AStepEndingAfterTheLastDateIsRefusedWithTheRemedy) {
  const fs::path dir = temp_dir("ingest-last-date");
  write(dir / "late.tsv",
        ingest_row("99991201", "USA", "CHN", "042", "1.9", 3) + ingest_row("99991231", "USA", "CHN", "042", "1.9", 3));
  const IngestResult r = ingest_event_files({(dir / "late.tsv").string()}, ingest_actors(), {});
  EXPECT_EQ(r.error,
            "the last step (7 days from 9999-12-29) ends after 9999-12-31, the last date written as YYYY-MM-DD: end by "
            "9999-12-28 with --to");
  IngestOptions to;
  to.to = parse_date("9999-12-28");
  const IngestResult kept = ingest_event_files({(dir / "late.tsv").string()}, ingest_actors(), to);
  EXPECT_EQ(kept.error, "");
  EXPECT_EQ(kept.steps, 4);
  EXPECT_EQ(kept.last_step_days(), 7) << "whole weeks";
  write(dir / "last.tsv", ingest_row("99991231", "USA", "CHN", "042", "1.9", 3));
  EXPECT_EQ(ingest_event_files({(dir / "last.tsv").string()}, ingest_actors(), {}).error,
            "the last step (7 days from 9999-12-31) ends after 9999-12-31, the last date written as YYYY-MM-DD: start "
            "earlier with --from");
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

// An event given twice (the same GLOBALEVENTID or ICEWS Event ID: overlapping downloads, a file
// and its gzip copy, a row repeated) counts once, in any file; the others are duplicates, said
// per file. Counted twice, the dyad's step had two events and its tension moved.
TEST(EventIngestFiles, AnEventGivenTwiceCountsOnce) {
  const fs::path dir = temp_dir("ingest-duplicates");
  const std::string a = ingest_row("20250801", "USA", "CHN", "042", "1.9", 3);
  const std::string b = ingest_row("20250802", "USA", "CHN", "172", "-5.0", 3);
  write(dir / "one.tsv", a + b + a);  // a row repeated
  write(dir / "copy.tsv.gz", geosim::testing::gzip(a + b));
  const Scenario actors = ingest_actors();
  const IngestResult r = ingest_event_files({(dir / "one.tsv").string(), (dir / "copy.tsv.gz").string()}, actors, {});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.files[0].used, 2u);
  EXPECT_EQ(r.files[0].duplicates, 1u);
  EXPECT_EQ(r.files[1].used, 0u);
  EXPECT_EQ(r.files[1].duplicates, 2u);
  ASSERT_EQ(r.cells.size(), 1u);
  EXPECT_EQ(r.cells[0].count, 2u);
  EXPECT_DOUBLE_EQ(r.cells[0].goldstein_sum, 1.9 + -5.0);  // Goldstein (1992): 042 +1.9, 172 -5.0, each once
  // The ids kept are bounded: past the bound, one error with the remedy.
  IngestOptions two;
  two.max_event_ids = 1;
  const IngestResult bounded = ingest_event_files({(dir / "one.tsv").string()}, actors, two);
  EXPECT_EQ(bounded.error, (dir / "one.tsv").string() +
                               ":2:1: error: more than 1 events between the actors (each one's id is kept, to count it "
                               "once): narrow --from/--to or the actors");
  // ICEWS: by its Event ID column
  std::string error;
  IngestOptions options;
  options.country_names = load_iso_country_names("", error);
  ASSERT_EQ(error, "");
  const std::string row = geosim::testing::icews_row(7, "2025-08-01", "Viet Nam", "United States", "057", "8.0");
  const IngestResult icews =
      ingest_event_text(geosim::testing::icews_header() + "\n" + row + "\n" + row + "\n", "i.tab", actors, options);
  ASSERT_EQ(icews.error, "");
  EXPECT_EQ(icews.files[0].used, 1u);
  EXPECT_EQ(icews.files[0].duplicates, 1u);
  const geosim::testing::Output o =
      geosim::testing::run_cli("ingest " + (dir / "one.tsv").string() + " " + (dir / "copy.tsv.gz").string() +
                               " --actors " + GEOSIM_SCENARIOS_DIR + "/actors.yaml --out " + (dir / "o").string());
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("3 rows: 2 counted, 0 not between two actors, 0 out of the dates, 0 malformed, 1 duplicate "
                       "(events counted already: left out)\n"),
            std::string::npos)
      << o.out;
  fs::remove_all(dir);
}

// A file of nothing but malformed rows (commas for tabs) is said as such, not as rows between
// no two actors; a last step that --to cuts short is said with the day that would end it.
TEST(EventIngestFiles, AllMalformedAndAShortLastStepAreSaid) {
  const fs::path dir = temp_dir("ingest-malformed-short");
  std::string comma = ingest_row("20250801", "USA", "CHN", "042", "1.9", 3);
  for (char& c : comma) c = c == '\t' ? ',' : c;
  write(dir / "comma.csv", comma + comma);
  const IngestResult r = ingest_event_files({(dir / "comma.csv").string()}, ingest_actors(), {});
  EXPECT_EQ(r.error,
            "no row of these files could be read: all 2 are malformed (see the warnings; GDELT and ICEWS files are "
            "tab-separated)");
  const geosim::testing::Output o = geosim::testing::run_cli(
      "ingest " + std::string(GEOSIM_SCENARIOS_DIR) + "/events/sample.export.CSV --actors " + GEOSIM_SCENARIOS_DIR +
      "/actors.yaml --from 2025-08-01 --to 2025-10-23 --step-days 30 --out " + (dir / "o").string());
  EXPECT_EQ(o.code, 0) << o.err;
  // 2025-08-01 + 60 days = 2025-09-30: the third step's 24 days to 2025-10-23, of 30 to 2025-10-29
  EXPECT_NE(o.err.find("geosim: warning: the last step, 3, covers 24 of its 30 days (2025-09-30 to 2025-10-23): its "
                       "counts are of fewer days than the other steps'; for whole steps, end --to on 2025-10-29\n"),
            std::string::npos)
      << o.err;
  fs::remove_all(dir);
}

// A bad field is said at its column in characters, as an editor counts them: a GDELT row whose
// Actor1Name is "Hà Nội Café" (15 bytes, 11 characters) before a bad Goldstein value.
TEST(EventIngestFiles, ColumnsCountCharacters) {
  std::string line = ingest_row("20250801", "USA", "CHN", "042", "x", 3);
  std::vector<std::string> fields;
  for (std::size_t at = 0;;) {
    const std::size_t tab = line.find('\t', at);
    fields.push_back(line.substr(at, tab - at));
    if (tab == std::string::npos) break;
    at = tab + 1;
  }
  fields[6] = "Hà Nội Café";
  line.clear();
  for (std::size_t k = 0; k < fields.size(); ++k) line += (k ? "\t" : "") + fields[k];
  EventRow row;
  std::string error;
  ASSERT_FALSE(read_gdelt_row(line, row, error));
  const std::size_t start = line.find("\tx\t") + 1;  // the Goldstein field's first byte
  std::size_t characters = 0;
  for (std::size_t k = 0; k < start; ++k) characters += (static_cast<unsigned char>(line[k]) & 0xC0) != 0x80;
  EXPECT_EQ(row.error_column, characters + 1) << error;
  EXPECT_EQ(start + 1 - row.error_column, 4u) << "à and é take a byte more each, ộ two";
}
// A UTF-8 byte order mark before an ICEWS header (a spreadsheet's save) is no part of it: with it
// the header went unseen, its rows malformed and their ids not kept, so a file and its saved
// copy counted every event twice.
TEST(EventIngestFiles, AByteOrderMarkBeforeTheHeaderIsNoPartOfIt) {
  std::string error;
  IngestOptions options;
  options.country_names = load_iso_country_names("", error);
  ASSERT_EQ(error, "") << "Debian's iso-codes is needed (scripts/install-deps.sh)";
  const std::string rows =
      geosim::testing::icews_row(1, "2025-08-01", "North Korea", "South Korea", "190", "-10.0") + "\n" +
      geosim::testing::icews_row(1, "2025-08-01", "North Korea", "South Korea", "190", "-10.0") + "\n" +
      geosim::testing::icews_row(2, "2025-08-02", "United States", "Viet Nam", "057", "8.0") + "\n";
  const std::string text = geosim::testing::icews_header() + "\n" + rows;
  const IngestResult plain = ingest_event_text(text, "i.tab", ingest_actors(), options);
  const IngestResult bom = ingest_event_text("\xEF\xBB\xBF" + text, "b.tab", ingest_actors(), options);
  ASSERT_EQ(bom.error, "");
  EXPECT_EQ(bom.files[0].format, "ICEWS");
  EXPECT_EQ(bom.files[0].malformed, 0u);
  EXPECT_EQ(bom.files[0].used, 2u);
  EXPECT_EQ(bom.files[0].duplicates, 1u);
  EXPECT_EQ(bom.files[0].used, plain.files[0].used);
}

// Two actors standing for one country count each of its events twice, which ingest accepted
// without a word: a line for each such country, by code. The shipped actors give ASEAN only the
// members not modelled one by one (docs/grounding.md): none there.
TEST(ActorCountries, CountriesStoodForTwiceAreNamed) {
  const LoadResult r = load_scenario_text(
      "scenario: {id: t, title: t, start: 2025-08-01, step_days: 7, steps: 1}\nactors:\n"
      "  - {id: USA}\n  - {id: EU_CORE, countries: [DEU, FRA]}\n  - {id: FRA}\n"
      "  - {id: WEST, kind: organization, members: [USA, EU_CORE]}\n",
      "c.yaml");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(country_overlaps(*r.scenario),
            (std::vector<std::string>{"DEU is stood for by EU_CORE and WEST: each of its events counts for all 2",
                                      "FRA is stood for by EU_CORE, FRA and WEST: each of its events counts for all 3",
                                      "USA is stood for by USA and WEST: each of its events counts for all 2"}));
  const LoadResult shipped = load_scenario(std::string(GEOSIM_SCENARIOS_DIR) + "/baseline.yaml");
  ASSERT_TRUE(shipped.ok());
  EXPECT_TRUE(country_overlaps(*shipped.scenario).empty());
}

// GDELT's and ICEWS's event numbers are their own: event 7 of each is counted, not one left out
// as the other's duplicate; within one source, the second event 7 is (hostile report, 2026-12-03).
TEST(EventIngestFiles, IdsAreDuplicatesWithinOneSourceOnly) {
  const fs::path dir = temp_dir("ingest_ids_by_source");
  geosim::testing::GdeltEvent g;
  g.id = 7;
  write(dir / "g.csv", geosim::testing::gdelt_row(g, geosim::testing::GdeltLayout::v2) + "\n");
  write(dir / "i.tab", geosim::testing::icews_header() + "\n" +
                           geosim::testing::icews_row(7, "2025-08-02", "Japan", "China", "190", "-10.0") + "\n" +
                           geosim::testing::icews_row(7, "2025-08-02", "Japan", "China", "190", "-10.0") + "\n");
  IngestOptions options;
  std::string error;
  options.country_names = load_iso_country_names("", error);
  ASSERT_EQ(error, "") << "Debian's iso-codes is needed (scripts/install-deps.sh)";
  const Scenario world = ingest_actors("  - {id: JPN}\n");
  const IngestResult r = ingest_event_files({(dir / "g.csv").string(), (dir / "i.tab").string()}, world, options);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(r.files[0].used, 1u);
  EXPECT_EQ(r.files[1].used, 1u) << "ICEWS's event 7 is not GDELT's";
  EXPECT_EQ(r.files[1].duplicates, 1u) << "its second row is";
  EXPECT_EQ(r.cells.size(), 2u);
}

// An ICEWS country name that iso-codes lacks is counted by its rows, capitals and all; the
// warning comes before an error it explains (every row unmapped: nothing to count).
TEST(EventIngestFiles, UnknownIcewsNamesAreCountedAndSaidBeforeTheError) {
  const fs::path dir = temp_dir("ingest_unknown_names");
  std::string rows = geosim::testing::icews_header() + "\n";
  for (int k = 1; k <= 4; ++k)
    rows += geosim::testing::icews_row(k, "2025-08-02", "Atlantis", "China", "190", "-10.0") + "\n";
  write(dir / "i.tab", rows);
  const geosim::testing::Output o =
      geosim::testing::run_cli("ingest " + (dir / "i.tab").string() + " --actors " + GEOSIM_SCENARIOS_DIR +
                               "/actors.yaml --out " + (dir / "o").string());
  EXPECT_EQ(o.code, 1);
  const std::string warning =
      "geosim: warning: ICEWS country 'Atlantis' (4 rows) is not in iso-codes: its rows are unmapped\n";
  const std::size_t at = o.err.find(warning), error = o.err.find("geosim: error: ");
  EXPECT_NE(at, std::string::npos) << o.err;
  EXPECT_LT(at, error) << o.err;
}

// The events.yaml ingest writes includes the actors file whole, so one with events of its own
// (a whole scenario) would write a file that does not load: refused up front.
TEST(EventIngestFiles, AnActorsFileWithEventsIsRefused) {
  const fs::path dir = temp_dir("ingest_actors_events");
  const geosim::testing::Output o =
      geosim::testing::run_cli("ingest " + std::string(GEOSIM_SCENARIOS_DIR) + "/events/sample.export.CSV --actors " +
                               GEOSIM_SCENARIOS_DIR + "/baseline.yaml --out " + (dir / "o").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "geosim: error: --actors: '" + std::string(GEOSIM_SCENARIOS_DIR) +
                       "/baseline.yaml' has 2 events of its own, which the written events.yaml would include with the "
                       "ingested ones: give a file of actors and relations only (as scenarios/actors.yaml, which the "
                       "shipped scenarios include)\n");
  EXPECT_FALSE(fs::exists(dir / "o"));
}

}  // namespace
