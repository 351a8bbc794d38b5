// geosim ingest: the GDELT/ICEWS row reader, the aggregation per directed dyad and step with
// geosim's CAMEO table, the observed tension mapping, and the command end to end.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <sys/wait.h>
#include <zlib.h>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "geosim/io/event_ingest.hpp"
#include "geosim/io/event_rows.hpp"
#include "geosim/io/loader.hpp"
#include "support/cli.hpp"
#include "support/event_fixtures.hpp"

namespace {
namespace fs = std::filesystem;
using namespace geosim;
using geosim::testing::gdelt_row;
using geosim::testing::GdeltEvent;
using geosim::testing::GdeltLayout;
using geosim::testing::icews_header;
using geosim::testing::icews_row;
using geosim::testing::ingest_actors;
using geosim::testing::ingest_row;
using geosim::testing::run_cli;
using geosim::testing::slurp;
using geosim::testing::temp_dir;

void write(const fs::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

TEST(EventRows, GdeltLayoutsHave57And58And61Columns) {
  const GdeltEvent e;
  auto columns = [](const std::string& line) { return std::count(line.begin(), line.end(), '\t') + 1; };
  EXPECT_EQ(columns(gdelt_row(e, GdeltLayout::v1_backfile)), 57);
  EXPECT_EQ(columns(gdelt_row(e, GdeltLayout::v1_daily)), 58);
  EXPECT_EQ(columns(gdelt_row(e, GdeltLayout::v2)), 61);
  EXPECT_EQ(gdelt_version(gdelt_row(e, GdeltLayout::v1_backfile)), EventFormat::gdelt1);
  EXPECT_EQ(gdelt_version(gdelt_row(e, GdeltLayout::v1_daily)), EventFormat::gdelt1);
  EXPECT_EQ(gdelt_version(gdelt_row(e, GdeltLayout::v2)), EventFormat::gdelt2);
  GdeltEvent tab = e;
  tab.url = "https://x.example/a\tb\tc";  // tabs inside the last field: more columns, same version
  EXPECT_EQ(gdelt_version(gdelt_row(tab, GdeltLayout::v2)), EventFormat::gdelt2);
  EXPECT_EQ(gdelt_version(gdelt_row(tab, GdeltLayout::v1_daily)), EventFormat::gdelt1);
  EXPECT_FALSE(gdelt_version("1\t2\t3"));
}

TEST(EventRows, ReadsTheCodebookColumnsOfAHandTypedRow) {
  // A GDELT 2.0 row typed out column by column (event codebook V2.0): 61 fields.
  std::string line =
      "1234567\t20250815\t202508\t2025\t2025.6164\tUSAGOV\tUNITED STATES\tUSA\t\t\t\t\tGOV\t\t\t"
      "CHNGOV\tCHINA\tCHN\t\t\t\t\tGOV\t\t\t1\t0874\t087\t08\t2\t5.0\t17\t3\t17\t-1.5\t"
      "1\tWashington\tUS\tUSDC\tUSDC001\t38.9\t-77.0\t531871\t"
      "1\tBeijing\tCH\tCH22\tCH22001\t39.9\t116.4\t-1898541\t"
      "1\tBeijing\tCH\tCH22\tCH22001\t39.9\t116.4\t-1898541\t20250815103000\thttps://x.example/a";
  EventRow r;
  std::string error;
  ASSERT_TRUE(read_gdelt_row(line, r, error)) << error;
  EXPECT_EQ(r.format, EventFormat::gdelt2);
  EXPECT_EQ(format_date(r.date), "2025-08-15");
  EXPECT_EQ(r.source, "USA");
  EXPECT_EQ(r.target, "CHN");
  EXPECT_EQ(r.code, "0874");
  EXPECT_EQ(r.file_quad, 2);
  EXPECT_EQ(r.file_goldstein, 5.0);
  EXPECT_EQ(r.mentions, 17.0);
}

TEST(EventRows, MalformedRowsSayWhy) {
  EventRow r;
  std::string error;
  auto refused = [&](GdeltEvent e) {
    error.clear();
    return !read_gdelt_row(gdelt_row(e, GdeltLayout::v2), r, error);
  };
  GdeltEvent e;
  e.date = "20250230";
  EXPECT_TRUE(refused(e));
  EXPECT_NE(error.find("SQLDATE"), std::string::npos) << error;
  e = {};
  e.code = "4x";
  EXPECT_TRUE(refused(e));
  EXPECT_NE(error.find("EventCode"), std::string::npos) << error;
  e = {};
  e.root = "05";
  EXPECT_TRUE(refused(e));
  EXPECT_NE(error.find("EventRootCode"), std::string::npos) << error;
  e = {};
  e.quad = "7";
  EXPECT_TRUE(refused(e));
  e = {};
  e.goldstein = "nan";
  EXPECT_TRUE(refused(e));
  e = {};
  e.mentions = "-3";
  EXPECT_TRUE(refused(e));
  // a count: whole, and at most 10^9, so that a dyad's sum stays finite (1.7e308 twice was inf)
  for (const char* mentions : {"1.7e308", "1000000001", "2.5", "99999999999999999999999"}) {
    e = {};
    e.mentions = mentions;
    EXPECT_TRUE(refused(e)) << mentions;
    EXPECT_NE(
        error.find("expected NumMentions as a whole number from 0 to 1000000000, found '" + std::string(mentions)),
        std::string::npos)
        << error;
  }
  e = {};
  e.mentions = "1000000000";
  EXPECT_FALSE(refused(e));
  EXPECT_FALSE(read_gdelt_row("20250801\tUSA", r, error));
  EXPECT_NE(error.find("found 2 columns"), std::string::npos) << error;
}

TEST(EventRows, IcewsHeaderAndRows) {
  std::string error;
  const auto columns = read_icews_header(icews_header(), error);
  ASSERT_TRUE(columns) << error;
  EXPECT_EQ(columns->date, 1u);
  EXPECT_EQ(columns->source, 4u);
  EXPECT_EQ(columns->code, 6u);
  EXPECT_EQ(columns->intensity, 7u);
  EXPECT_EQ(columns->target, 10u);
  EXPECT_EQ(columns->count, 20u);
  EventRow r;
  // The row's fields are views into the line: it must outlive them.
  const std::string line = icews_row(1, "2025-08-03", "China", "NA", "190", "-10.0");
  ASSERT_TRUE(read_icews_row(line, *columns, r, error));
  EXPECT_EQ(r.source, "China");
  EXPECT_EQ(r.target, "");  // NA is missing
  EXPECT_EQ(r.file_goldstein, -10.0);
  EXPECT_FALSE(read_icews_row(icews_row(1, "03/08/2025", "China", "Japan", "190", "-10"), *columns, r, error));
  EXPECT_FALSE(read_icews_header("Event ID\tEvent Date\tSource Country", error));
  EXPECT_NE(error.find("Target Country"), std::string::npos);
}

TEST(EventIngest, SumsGeosimsGoldsteinPerDyadAndStepKeepingTheFilesScore) {
  // Week 1 (2025-08-01 .. 07): USA->CHN 042 (+1.9), 111 (-2.0), 172 (-5.0); the file's own scores
  // are deliberately different (+1, +1, +1): geosim's table decides. Week 2: one CHN->USA 190.
  const std::string text =
      ingest_row("20250801", "USA", "CHN", "042", "1", 3) + ingest_row("20250803", "USA", "CHN", "111", "1", 9) +
      ingest_row("20250807", "USA", "CHN", "172", "1", 4) + ingest_row("20250808", "CHN", "USA", "190", "-10", 1);
  IngestOptions options;
  const IngestResult r = ingest_event_text(text, "g.tsv", ingest_actors(), options);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(format_date(r.from), "2025-08-01");
  EXPECT_EQ(format_date(r.to), "2025-08-08");
  EXPECT_EQ(r.steps, 2);
  ASSERT_EQ(r.cells.size(), 2u);
  const DyadStep& a = r.cells[0];
  EXPECT_EQ(a.step, 1);
  EXPECT_EQ(a.count, 3u);
  EXPECT_NEAR(a.goldstein_sum, 1.9 - 2.0 - 5.0, 1e-12);
  EXPECT_NEAR(a.goldstein_mean(), -5.1 / 3, 1e-12);
  EXPECT_EQ(a.file_goldstein_sum, 3.0);
  EXPECT_EQ(a.quad[0], 1u);  // 042 verbal cooperation
  EXPECT_EQ(a.quad[2], 1u);  // 111 verbal conflict
  EXPECT_EQ(a.quad[3], 1u);  // 172 material conflict
  EXPECT_EQ(a.mentions, 16.0);
  EXPECT_EQ(a.top_line, 2u);  // 9 mentions
  EXPECT_EQ(a.top_code, "111");
  EXPECT_EQ(r.cells[1].step, 2);
  EXPECT_EQ(r.cells[1].goldstein_sum, -10.0);
}

TEST(EventIngest, Gdelt1And2AndGzipCountAlike) {
  const std::string v1 = ingest_row("20250801", "USA", "CHN", "042", "1.9", 3, GdeltLayout::v1_backfile) +
                         ingest_row("20250802", "USA", "CHN", "130", "-4.4", 3, GdeltLayout::v1_daily);
  const std::string v2 =
      ingest_row("20250801", "USA", "CHN", "042", "1.9", 3) + ingest_row("20250802", "USA", "CHN", "130", "-4.4", 3);
  const fs::path dir = temp_dir("ingest-gzip");
  write(dir / "v1.tsv", v1);
  write(dir / "v2.tsv.gz", geosim::testing::gzip(v2));
  const Scenario world = ingest_actors();
  const IngestResult a = ingest_event_files({(dir / "v1.tsv").string()}, world, {});
  const IngestResult b = ingest_event_files({(dir / "v2.tsv.gz").string()}, world, {});
  ASSERT_EQ(a.error, "");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(a.files[0].format, "GDELT 1.0");
  EXPECT_EQ(b.files[0].format, "GDELT 2.0");
  ASSERT_EQ(a.cells.size(), 1u);
  ASSERT_EQ(b.cells.size(), 1u);
  EXPECT_EQ(a.cells[0].count, 2u);
  EXPECT_EQ(a.cells[0].goldstein_sum, b.cells[0].goldstein_sum);
  EXPECT_NEAR(b.cells[0].goldstein_sum, 1.9 - 4.4, 1e-12);
  // A corrupt gzip stream is an error naming the file, never a crash.
  std::string bad = geosim::testing::gzip(v2);
  bad.resize(bad.size() / 2);
  bad += "garbage-garbage-garbage";
  write(dir / "bad.gz", bad);
  const IngestResult c = ingest_event_files({(dir / "bad.gz").string()}, world, {});
  EXPECT_NE(c.error.find("bad.gz"), std::string::npos) << c.error;
}

TEST(EventIngest, MalformedUnmappedAndOutOfRangeRowsAreCountedApart) {
  IngestOptions options;
  options.from = parse_date("2025-08-01");
  options.to = parse_date("2025-08-31");
  options.shown_problems = 2;
  const std::string text = ingest_row("20250801", "USA", "CHN", "042", "1.9", 3) +  // 1 counted
                           ingest_row("20250801", "USA", "", "042", "1.9", 3) +     // 2 missing code
                           ingest_row("20250801", "USA", "FRA", "042", "1.9", 3) +  // 3 no actor
                           ingest_row("20240801", "USA", "CHN", "042", "1.9", 3) +  // 4 out of range
                           ingest_row("20250801", "USA", "CHN", "099", "1.9", 3) +  // 5 unknown code
                           "x\ty\n" +                                               // 6 short
                           std::string(70000, 'a') + "\n" +                         // 7 too long
                           ingest_row("20250802", "USA", "CHN", "042", "1.9", 3);   // 8 counted
  const IngestResult r = ingest_event_text(text, "m.tsv", ingest_actors(), options);
  ASSERT_EQ(r.error, "");
  const IngestFileSummary& f = r.files[0];
  EXPECT_EQ(f.rows, 8u);
  EXPECT_EQ(f.used, 2u);
  EXPECT_EQ(f.unmapped, 2u);
  EXPECT_EQ(f.out_of_range, 1u);
  EXPECT_EQ(f.malformed, 3u);
  EXPECT_EQ(r.malformed, 3u);
  EXPECT_EQ(r.unknown_codes, 1u);
  ASSERT_EQ(r.problems.size(), 2u);  // the first two shown, all three counted
  // Each at file:line:col, the column where the field at fault starts (found here by searching
  // the row for the code between its tabs); a row with the wrong column count at its start.
  const std::string row5 = ingest_row("20250801", "USA", "CHN", "099", "1.9", 3);
  const std::string col5 = std::to_string(row5.find("\t099\t") + 2);
  EXPECT_EQ(r.problems[0].rfind("m.tsv:5:" + col5 + ": warning: unknown CAMEO code '099'", 0), 0u) << r.problems[0];
  EXPECT_EQ(r.problems[1].rfind("m.tsv:6:1: warning: expected 57 or 58", 0), 0u) << r.problems[1];
  EXPECT_EQ(r.steps, 5);  // 31 days in weeks
}

TEST(EventIngest, AWindowWithNoEventIsRefusedWithTheEventsDates) {
  IngestOptions options;
  options.from = parse_date("2030-01-01");
  options.to = parse_date("2030-12-31");
  const std::string text = ingest_row("20250803", "USA", "CHN", "042", "1.9", 3) +
                           ingest_row("20240801", "USA", "CHN", "042", "1.9", 3) +
                           ingest_row("20260101", "USA", "FRA", "042", "1.9", 3);  // no actor: not counted in
  const IngestResult r = ingest_event_text(text, "w.tsv", ingest_actors(), options);
  EXPECT_EQ(r.error,
            "no event between two of the actors from 2030-01-01 to 2030-12-31 (2 such events are dated "
            "2024-08-01 to 2025-08-03): widen --from/--to");
  const IngestResult none =
      ingest_event_text(ingest_row("20250803", "USA", "FRA", "042", "1.9", 3), "n.tsv", ingest_actors(), options);
  EXPECT_EQ(none.error, "no event between two of the actors from 2030-01-01 to 2030-12-31: nothing to count");
  // One bound only: the window said as given; one event said as one.
  options.to.reset();
  EXPECT_EQ(ingest_event_text(text, "w.tsv", ingest_actors(), options).error,
            "no event between two of the actors from 2030-01-01 on (2 such events are dated 2024-08-01 to "
            "2025-08-03): widen --from/--to");
  options.from.reset();
  options.to = parse_date("2020-12-31");
  EXPECT_EQ(
      ingest_event_text(ingest_row("20250803", "USA", "CHN", "042", "1.9", 3), "o.tsv", ingest_actors(), options).error,
      "no event between two of the actors up to 2020-12-31 (the one such event is dated 2025-08-03): widen "
      "--from/--to");
}

TEST(EventIngest, OrganisationsCountThroughTheirCountriesOrMembers) {
  // ASEAN with countries of its own; BLOC, with none, stands for its members VNM and SGP.
  const Scenario world = ingest_actors(
      "  - {id: ASEAN, kind: organization, members: [VNM, SGP], countries: [IDN, MYS]}\n"
      "  - {id: BLOC, kind: organization, members: [VNM, SGP]}\n");
  const std::string text =
      ingest_row("20250801", "IDN", "CHN", "042", "1.9", 3) + ingest_row("20250801", "VNM", "CHN", "130", "1.9", 3);
  const IngestResult r = ingest_event_text(text, "o.tsv", world, {});
  ASSERT_EQ(r.error, "");
  std::map<std::string, double> sums;
  for (const auto& d : r.cells) sums[world.actors[d.from].id + ">" + world.actors[d.to].id] += d.goldstein_sum;
  EXPECT_EQ(sums.size(), 3u);
  EXPECT_DOUBLE_EQ(sums["ASEAN>CHN"], 1.9);
  EXPECT_DOUBLE_EQ(sums["VNM>CHN"], -4.4);
  EXPECT_DOUBLE_EQ(sums["BLOC>CHN"], -4.4);
}

TEST(EventIngest, IcewsNamesResolveThroughIsoCodes) {
  std::string error;
  IngestOptions options;
  options.country_names = load_iso_country_names("", error);
  ASSERT_EQ(error, "") << "Debian's iso-codes is needed (scripts/install-deps.sh)";
  const std::string text = icews_header() + "\n" +
                           icews_row(1, "2025-08-01", "North Korea", "South Korea", "190", "-10.0") + "\n" +
                           icews_row(2, "2025-08-02", "United States", "Viet Nam", "057", "8.0") + "\n" +
                           icews_row(3, "2025-08-02", "Atlantis", "China", "057", "8.0") + "\n" +
                           icews_row(4, "2025-08-02", "China", "NA", "057", "NA") + "\n";
  const Scenario world = ingest_actors();
  const IngestResult r = ingest_event_text(text, "i.tab", world, options);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.files[0].format, "ICEWS");
  EXPECT_EQ(r.files[0].rows, 4u);
  EXPECT_EQ(r.files[0].used, 2u);
  EXPECT_EQ(r.files[0].unmapped, 2u);
  ASSERT_EQ(r.cells.size(), 2u);
  EXPECT_EQ(world.actors[r.cells[0].from].id, "USA");
  EXPECT_EQ(world.actors[r.cells[0].to].id, "VNM");
  EXPECT_EQ(world.actors[r.cells[1].from].id, "PRK");
  EXPECT_EQ(r.unknown_names.count("Atlantis"), 1u);
  // Without iso-codes, an ICEWS file is refused with a reason.
  const IngestResult none = ingest_event_text(text, "i.tab", world, {});
  EXPECT_NE(none.error.find("iso-codes"), std::string::npos);
}

TEST(IngestCli, SampleFileGivesSeriesAndAnEventsFileThatRuns) {
  const fs::path dir = temp_dir("ingest-cli");
  write(dir / "sample.export.CSV", geosim::testing::sample_gdelt2());
  write(dir / "sample.export.CSV.gz", geosim::testing::gzip(geosim::testing::sample_gdelt2()));
  const std::string actors_file = std::string(GEOSIM_SCENARIOS_DIR) + "/actors.yaml";
  for (const std::string name : {"sample.export.CSV", "sample.export.CSV.gz"}) {
    const fs::path out = dir / ("out-" + name);
    const auto r = run_cli("ingest " + (dir / name).string() + " --actors " + actors_file +
                           " --from 2025-08-01 --to 2025-10-23 --out " + out.string());
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("GDELT 2.0, 79 rows: 73 counted, 1 not between two actors, 2 out of the dates, 3 malformed"),
              std::string::npos)
        << r.out;
    // columns counted in the file: SQLDATE is the second field (after a 10-digit GLOBALEVENTID and
    // its tab), EventCode the 27th; a row of the wrong width is said at its start
    EXPECT_NE(r.err.find(name + ":77:12: warning: expected SQLDATE"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(name + ":78:109: warning: unknown CAMEO code '099'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(name + ":79:1: warning: expected 57 or 58"), std::string::npos) << r.err;
    const std::string dyads = slurp(out / "dyads.csv");
    EXPECT_NE(dyads.find("1,2025-08-01,PRK,KOR,1,-7.000000,-7.000000,0,0,1,0,-7.000000,30.000000\n"), std::string::npos)
        << dyads;
    // The figures docs/tutorial-event-data.md shows.
    EXPECT_NE(dyads.find("12,2025-10-17,USA,CHN,1,-5.000000,-5.000000,0,0,0,1,-5.000000,31.000000\n"),
              std::string::npos);
    const std::string tension = slurp(out / "tension.csv");
    EXPECT_NE(tension.find("\n1,2025-08-08,USA,CHN,0.483333\n"), std::string::npos) << tension.substr(0, 300);
    EXPECT_NE(tension.find("\n12,2025-10-24,USA,CHN,0.620474\n"), std::string::npos);
    // The events file replays: it loads and runs.
    const auto run = run_cli("run " + (out / "events.yaml").string() + " --out " + (out / "run").string());
    ASSERT_EQ(run.code, 0) << run.err << slurp(out / "events.yaml").substr(0, 2000);
    EXPECT_NE(slurp(out / "events.yaml").find("most mentioned sample.export.CSV"), std::string::npos);
  }
  EXPECT_EQ(slurp(dir / "out-sample.export.CSV" / "dyads.csv"), slurp(dir / "out-sample.export.CSV.gz" / "dyads.csv"));
}

TEST(IngestCli, UnreadableInputIsOneLineAndExitOne) {
  const fs::path dir = temp_dir("ingest-bad");
  const std::string actors_file = std::string(GEOSIM_SCENARIOS_DIR) + "/actors.yaml";
  auto r = run_cli("ingest " + dir.string() + " --actors " + actors_file + " --out " + (dir / "o").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "geosim: error: " + dir.string() + ": expected a regular file (plain or gzip), found a folder\n");
  ASSERT_EQ(::mkfifo((dir / "pipe").c_str(), 0600), 0);  // named as what it is, as every reader names it (file_kind)
  r = run_cli("ingest " + (dir / "pipe").string() + " --actors " + actors_file + " --out " + (dir / "o").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "geosim: error: " + (dir / "pipe").string() + ": expected a regular file (plain or gzip), found a FIFO\n");
  r = run_cli("ingest " + (dir / "missing.tsv").string() + " --actors " + actors_file + " --out " +
              (dir / "o").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot open"), std::string::npos) << r.err;
  r = run_cli("ingest x.tsv --actors " + actors_file + " --from 2025-02-30 --out o");
  EXPECT_EQ(r.code, 1);
}

}  // namespace

namespace {

TEST(EventFixtures, ShippedSampleIsTheGeneratorsOutput) {
  const fs::path path = fs::path(GEOSIM_SCENARIOS_DIR) / "events" / "sample.export.CSV";
  const std::string generated = geosim::testing::sample_gdelt2();
  if (std::getenv("GEOSIM_UPDATE_GOLDEN")) write(path, generated);
  EXPECT_EQ(slurp(path), generated) << "regenerate with GEOSIM_UPDATE_GOLDEN=1";
}

}  // namespace

namespace {

using geosim::testing::kAddressSanitizer;

TEST(IngestCli, MemoryDoesNotGrowWithTheFile) {
  // 400 MB of GDELT 2.0 rows (gzip, about 1 MB on disk) read under a 200 MB address-space limit:
  // holding the file, or anything in proportion to it, would fail. (AddressSanitizer reserves
  // terabytes of address space, so the limit cannot be set under it.)
  if (kAddressSanitizer) GTEST_SKIP() << "no address-space limit under AddressSanitizer";
  const fs::path dir = temp_dir("ingest-memory");
  std::string block;
  GdeltEvent e;
  e.actor1 = "USA";
  e.actor2 = "CHN";
  // each row of a block a different event, each block the same events again: counted once
  for (e.id = 1; block.size() < (std::size_t(1) << 20); ++e.id) block += gdelt_row(e, GdeltLayout::v2) + "\n";
  const std::size_t rows_per_block = std::size_t(std::count(block.begin(), block.end(), '\n'));
  const int blocks = 400;
  gzFile gz = gzopen((dir / "big.export.CSV.gz").c_str(), "wb1");
  ASSERT_NE(gz, nullptr);
  for (int b = 0; b < blocks; ++b) ASSERT_EQ(gzwrite(gz, block.data(), unsigned(block.size())), int(block.size()));
  gzclose(gz);
  const std::string command = std::string("ulimit -v 200000 && ") + GEOSIM_BINARY + " ingest " +
                              (dir / "big.export.CSV.gz").string() + " --actors " + GEOSIM_SCENARIOS_DIR +
                              "/actors.yaml --out " + (dir / "out").string() + " > " + (dir / "log").string() + " 2>&1";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << slurp(dir / "log");
  EXPECT_NE(slurp(dir / "log")
                .find(std::to_string(rows_per_block * blocks) + " rows: " + std::to_string(rows_per_block) +
                      " counted, 0 not between two actors, 0 out of the dates, 0 malformed, " +
                      std::to_string(rows_per_block * (blocks - 1)) + " duplicates"),
            std::string::npos)
      << slurp(dir / "log");
  fs::remove_all(dir);
}

}  // namespace

namespace {

TEST(IngestCli, IcewsGzipAndGdelt1TogetherWithTop) {
  // Two files of different sources in one count; --top keeps the most mentioned dyad-steps.
  const fs::path dir = temp_dir("ingest-icews");
  std::string icews = icews_header() + "\n";
  for (int d = 1; d <= 9; ++d)
    icews += icews_row(d, "2025-08-0" + std::to_string(d), "North Korea", "Korea, Republic of", "138", "-7.0") + "\n";
  write(dir / "events.tab.gz", geosim::testing::gzip(icews));
  write(dir / "gdelt1.CSV", ingest_row("20250802", "USA", "VNM", "057", "8.0", 50, GdeltLayout::v1_daily) +
                                ingest_row("20250803", "RUS", "USA", "0874", "9.0", 2, GdeltLayout::v1_backfile));
  const auto r = run_cli("ingest " + (dir / "events.tab.gz").string() + " " + (dir / "gdelt1.CSV").string() +
                         " --actors " + GEOSIM_SCENARIOS_DIR + "/actors.yaml --top 2 --out " + (dir / "out").string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("events.tab.gz: ICEWS, 9 rows: 9 counted"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("gdelt1.CSV: GDELT 1.0, 2 rows: 2 counted"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(2025-08-01 to 2025-08-09, 2 steps of 7 days)"), std::string::npos) << r.out;
  const std::string events = slurp(dir / "out" / "events.yaml");
  // Four dyad-steps (PRK->KOR in two weeks, USA->VNM, RUS->USA); the top 2 by mentions:
  // USA->VNM (50) and PRK->KOR week 1 (7 events, 7 mentions).
  EXPECT_NE(events.find("(2 of 4, the most mentioned)"), std::string::npos) << events;
  EXPECT_NE(events.find("id: usa-vnm-s1"), std::string::npos);
  EXPECT_NE(events.find("id: prk-kor-s1"), std::string::npos);
  EXPECT_EQ(events.find("id: rus-usa-s1"), std::string::npos);
  EXPECT_EQ(events.find("id: prk-kor-s2"), std::string::npos);
  EXPECT_EQ(run_cli("run " + (dir / "out" / "events.yaml").string() + " --out " + (dir / "run").string()).code, 0);
}

}  // namespace

namespace {

TEST(IngestCli, EventsFileStaysWithinTheLoadersLimits) {
  // 10,001 one-day dyad-steps: the events file keeps the loader's 10,000, the most mentioned
  // (every day has 5 mentions but the last, with 1), and still loads.
  const fs::path dir = temp_dir("ingest-limit");
  std::string text;
  for (int d = 0; d < 10001; ++d) {
    const std::string date = format_date(add_days(*parse_date("2000-01-01"), d));
    text += ingest_row(date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2), "USA", "CHN", "042", "1.9",
                       d == 10000 ? 1 : 5);
  }
  write(dir / "long.CSV", text);
  const auto r = run_cli("ingest " + (dir / "long.CSV").string() + " --actors " + GEOSIM_SCENARIOS_DIR +
                         "/actors.yaml --step-days 1 --out " + (dir / "out").string());
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string events = slurp(dir / "out" / "events.yaml");
  EXPECT_NE(events.find("(10000 of 10001, the most mentioned)"), std::string::npos);
  EXPECT_EQ(events.find("id: usa-chn-s10001"), std::string::npos);
  EXPECT_LT(events.size(), std::size_t(4) << 20);
  const auto v = run_cli("validate " + (dir / "out" / "events.yaml").string());
  EXPECT_EQ(v.code, 0) << v.err;
}

}  // namespace

namespace {

TEST(ActorCountries, LoaderChecksTheCodesAndDefaultsFollowTheRules) {
  auto load = [](const std::string& actors_yaml) {
    return load_scenario_text(
        "scenario: {id: t, title: t, start: 2025-08-01, step_days: 7, steps: 1}\nactors:\n" + actors_yaml, "c.yaml");
  };
  auto bad = load("  - {id: USA, countries: [usa]}\n");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(format_diagnostic(bad.errors[0]),
            "c.yaml:3:27: error: expected an ISO 3166 alpha-3 country code (three capital letters), found 'usa'");
  bad = load("  - {id: USA, countries: [USA, USA]}\n");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_NE(bad.errors[0].message.find("listed twice"), std::string::npos);
  const auto good = load(
      "  - {id: USA}\n  - {id: EU_CORE, countries: [DEU, FRA]}\n  - {id: Z9}\n"
      "  - {id: WEST, kind: organization, members: [USA, EU_CORE]}\n");
  ASSERT_TRUE(good.ok());
  const auto countries = actor_countries(*good.scenario);
  EXPECT_EQ(countries[0], (std::vector<std::string>{"USA"}));                // a state's id
  EXPECT_EQ(countries[1], (std::vector<std::string>{"DEU", "FRA"}));         // its own list
  EXPECT_TRUE(countries[2].empty());                                         // "Z9" is no country code
  EXPECT_EQ(countries[3], (std::vector<std::string>{"USA", "DEU", "FRA"}));  // its members'
}

}  // namespace
