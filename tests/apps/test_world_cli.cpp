// The 200-state world through every command, as CI runs it (issue 14): `world` writes the shipped
// file, and `run`, `ensemble`, `analyze`, `report` and `export` handle it in seconds, with the
// report showing blocs rather than 40,000 cells and arrows.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/cli.hpp"

namespace geosim {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;
using testing::slurp;
using testing::temp_dir;

const std::string kWorld = std::string(GEOSIM_SCENARIOS_DIR) + "/world-200.yaml";

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(WorldCli, WorldWritesTheShippedFileAndRefusesTooManyStates) {
  const fs::path dir = temp_dir("world_cmd");
  testing::Output o = run_cli("world --states 200 --seed 1 --out " + (dir / "w.yaml").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("200 states in 6 regional blocs"), std::string::npos) << o.out;
  EXPECT_TRUE(slurp(dir / "w.yaml") == slurp(kWorld));
  // The help says the most the tables give, and the limit check agrees: that many states make
  // a world, one more does not (Debian 12's iso-codes and tzdata: 245 of ISO 3166-1's 249).
  o = run_cli("world --help");
  const std::string said = "With the iso-codes and zone.tab found here, a world has 2 to ";
  const std::size_t at = o.out.find(said);
  ASSERT_NE(at, std::string::npos) << o.out;
  const int most = std::stoi(o.out.substr(at + said.size()));
  EXPECT_GE(most, 200);
  EXPECT_LE(most, 249);
  o = run_cli("world --states " + std::to_string(most) + " --out " + (dir / "most.yaml").string());
  EXPECT_EQ(o.code, 0) << o.err;
  o = run_cli("world --states " + std::to_string(most + 1) + " --out " + (dir / "x.yaml").string());
  EXPECT_EQ(o.code, 1);
  // said as the option's own check says 1 or 250 (it had no "--states: " and no pointer to the help)
  EXPECT_EQ(o.err, "geosim: error: --states: a world has 2 to " + std::to_string(most) +
                       " states (the countries of iso-codes with a region in tzdata's zone.tab), not " +
                       std::to_string(most + 1) + " (see `geosim world --help`)\n");
  EXPECT_FALSE(fs::exists(dir / "x.yaml"));
  fs::remove_all(dir);
}

// The limit on steps and events together is on both options in the help, and the refusal names
// both options and the limit (it said neither option, and the help gave each only its own range).
TEST(WorldCli, HelpAndRefusalSayTheLimitOfStepsTimesEvents) {
  testing::Output o = run_cli("world --help");
  ASSERT_EQ(o.code, 0) << o.err;
  const std::size_t steps = o.out.find("--steps"), events = o.out.find("--events"), iso = o.out.find("--iso-codes");
  ASSERT_TRUE(steps < events && events < iso) << o.out;
  const std::string limit = "steps times events at most 10000";
  EXPECT_NE(o.out.substr(steps, events - steps).find(limit), std::string::npos) << o.out;
  EXPECT_NE(o.out.substr(events, iso - events).find(limit), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("the scenario file to write, at most 4 MiB"), std::string::npos) << o.out;
  const fs::path dir = temp_dir("world_steps_events");
  o = run_cli("world --steps 520 --events 20 --out " + (dir / "w.yaml").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err.rfind("geosim: error: --steps and --events: a world of 520 steps with 20 chance events a step has "
                        "10400 events, more than the limit of 10000 on steps times events",
                        0),
            0u)
      << o.err;
  EXPECT_EQ(count_of(o.err, "\n"), 1u) << o.err;
  EXPECT_FALSE(fs::exists(dir / "w.yaml"));
  // 520 x 19 = 9880: within it
  o = run_cli("world --states 20 --steps 520 --events 19 --out " + (dir / "ok.yaml").string());
  EXPECT_EQ(o.code, 0) << o.err;
  fs::remove_all(dir);
}

// Another iso-codes table (--iso-codes): a name too long for a world is refused at its line and
// column (in characters: "Côte" before it on its line), and a table saved with a byte order mark
// is read as without it.
TEST(WorldCli, IsoCodesNameTooLongSaysWhereAndAByteOrderMarkIsRead) {
  const fs::path dir = temp_dir("world_iso");
  testing::spit(dir / "zone.tab", "# comment\nCI\t+0519-00402\tAfrica/Abidjan\nPE\t-1203-07703\tAmerica/Lima\n");
  const std::string table = "{\"3166-1\": [\n  {\"alpha_2\": \"PE\", \"alpha_3\": \"PER\", \"name\": \"Peru\"},\n";
  testing::spit(dir / "long.json",
                table +
                    "  {\"alpha_2\": \"CI\", \"alpha_3\": \"CIV\", \"official_name\": \"C\u00f4te\", "
                    "\"name\": \"" +
                    std::string(121, 'C') + "\"}]}\n");
  const std::string tables = " --zone-tab " + (dir / "zone.tab").string() + " --out " + (dir / "w.yaml").string();
  testing::Output o = run_cli("world --states 2 --iso-codes " + (dir / "long.json").string() + tables);
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, (dir / "long.json").string() +
                       ":3:72: error: the name of 'CIV' is 121 bytes, more than the 120 a generated world's names may "
                       "have (its actor names and event titles must stay within what scenarios may hold)\n");
  EXPECT_FALSE(fs::exists(dir / "w.yaml"));
  testing::spit(dir / "bom.json", "\xEF\xBB\xBF" + table +
                                      "  {\"alpha_2\": \"CI\", \"alpha_3\": \"CIV\", \"name\": "
                                      "\"C\u00f4te d'Ivoire\"}]}\n");
  o = run_cli("world --states 2 --iso-codes " + (dir / "bom.json").string() + tables);
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(slurp(dir / "w.yaml").find("Côte d'Ivoire"), std::string::npos);
  fs::remove_all(dir);
}

TEST(WorldCli, RunWritesEveryRelationOrTheChosenOnesOrGzip) {
  const fs::path dir = temp_dir("world_run");
  testing::Output o = run_cli("run " + kWorld + " --out " + (dir / "all").string());
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string all = slurp(dir / "all" / "tension.csv");
  // 206 actors (200 states, 6 blocs), every ordered pair, 53 steps, and the header.
  EXPECT_EQ(count_of(all, "\n"), 206u * 205u * 53u + 1u);
  o = run_cli("run " + kWorld + " --relations USA-FRA,FRA/DEU,top:10 --gzip --out " + (dir / "some").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("/tension.csv.gz"), std::string::npos) << o.out;
  EXPECT_TRUE(fs::is_regular_file(dir / "some" / "tension.csv.gz"));
  EXPECT_FALSE(fs::exists(dir / "some" / "tension.csv"));
  o = run_cli("run " + kWorld + " --relations USA/XXX --out " + (dir / "bad").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("'USA/XXX'"), std::string::npos) << o.err;
  EXPECT_EQ(o.out, "") << "refused before the run: no summary of a run that writes nothing";
  fs::remove_all(dir);
}

TEST(WorldCli, EnsembleAnalyzeExportAndReportHandleIt) {
  const fs::path dir = temp_dir("world_all");
  testing::Output o = run_cli("ensemble " + kWorld + " --runs 20 --out " + (dir / "ens").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "ens" / "percentiles.csv"));
  o = run_cli("analyze " + kWorld);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("λ ="), std::string::npos) << o.out.substr(0, 2000);
  for (const char* format : {"dot", "graphml", "json", "csv"}) {
    o = run_cli(std::string("export ") + kWorld + " --format " + format + " --out " + (dir / "g").string() + "." +
                format);
    EXPECT_EQ(o.code, 0) << format << ": " << o.err;
  }
  o = run_cli("report " + kWorld + " --out " + (dir / "report.html").string());
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string page = slurp(dir / "report.html");
  // The matrices by bloc: 6 blocs, 36 cells a panel, not 206 x 205.
  EXPECT_NE(page.find("206 actors are too many for one cell each: the 6 blocs instead"), std::string::npos);
  // The cells, in each of the three heatmaps' specs (start, end, change: one chart each).
  EXPECT_EQ(count_of(page, "\"start_label\":\""), 3 * 36u);
  EXPECT_NE(page.find("25 of the 206 actors"), std::string::npos);
  fs::remove_all(dir);
}

// report --runs pairs a scenario with the shipped baseline only when they share an indicator:
// a generated world has none of the baseline's, so no paired section (and no baseline runs).
TEST(WorldCli, AReportOfAnotherWorldIsNotPairedWithTheBaseline) {
  const fs::path dir = temp_dir("world_paired");
  ASSERT_EQ(run_cli("world --states 4 --steps 3 --out " + (dir / "w.yaml").string()).code, 0);
  testing::Output o = run_cli("report " + (dir / "w.yaml").string() + " --runs 20 --out " + (dir / "w.html").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(slurp(dir / "w.html").find("Effect against the baseline"), std::string::npos);
  o = run_cli("report realignment --runs 20 --steps 3 --out " + (dir / "r.html").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(slurp(dir / "r.html").find("Effect against the baseline"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace geosim
