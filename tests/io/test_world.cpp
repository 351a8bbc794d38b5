// `geosim world`: the generated world's regions, limits, determinism, and the shipped
// scenarios/world-200.yaml being exactly the generator's output for its documented seed.
#include <gtest/gtest.h>
#include <geosim/io/event_ingest.hpp>
#include <geosim/io/loader.hpp>
#include <geosim/io/world.hpp>

#include "support/cli.hpp"

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace geosim {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

fs::path write_temp(const std::string& name, const std::string& text) {
  static const fs::path dir = geosim::testing::temp_dir("world");  // removed when the test ends
  const fs::path path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

/// A four-country iso-codes table and a zone.tab for it, written by hand: Chad (Africa), Peru
/// (the Americas), Iran (Asia/Tehran at 51°E: West Asia) and Nepal (Asia/Kathmandu at 85°E:
/// Asia), plus Iceland, whose Atlantic/Reykjavik lies north of 35°N and east of 30°W: Europe.
WorldOptions small_world() {
  static const fs::path iso = write_temp("iso.json", R"({"3166-1": [
    {"alpha_2": "TD", "alpha_3": "TCD", "name": "Chad", "numeric": "148"},
    {"alpha_2": "PE", "alpha_3": "PER", "name": "Peru", "numeric": "604"},
    {"alpha_2": "IR", "alpha_3": "IRN", "common_name": "Iran", "name": "Iran, Islamic Republic of"},
    {"alpha_2": "NP", "alpha_3": "NPL", "name": "Nepal"},
    {"alpha_2": "IS", "alpha_3": "ISL", "name": "Iceland"},
    {"alpha_2": "AQ", "alpha_3": "ATA", "name": "Antarctica"}]})");
  static const fs::path zones = write_temp("zone.tab",
                                           "# comment\n"
                                           "TD\t+1207+01503\tAfrica/Ndjamena\n"
                                           "PE\t-1203-07703\tAmerica/Lima\n"
                                           "IR\t+3540+05126\tAsia/Tehran\n"
                                           "NP\t+2743+08519\tAsia/Kathmandu\n"
                                           "IS\t+6409-02151\tAtlantic/Reykjavik\n"
                                           "AQ\t-6617+11031\tAntarctica/Casey\n");
  WorldOptions o;
  o.iso_codes_path = iso.string();
  o.zone_tab_path = zones.string();
  o.states = 5;
  return o;
}

TEST(World, RegionsFollowTheDocumentedRule) {
  EXPECT_EQ(world_region("Europe/Paris", 48.9, 2.3), "EUROPE");
  EXPECT_EQ(world_region("Africa/Lagos", 6.5, 3.4), "AFRICA");
  EXPECT_EQ(world_region("America/Lima", -12.1, -77.1), "AMERICAS");
  EXPECT_EQ(world_region("Asia/Tehran", 35.7, 51.4), "WEST_ASIA");
  EXPECT_EQ(world_region("Asia/Tokyo", 35.7, 139.7), "ASIA");
  EXPECT_EQ(world_region("Pacific/Fiji", -18.1, 178.4), "OCEANIA");
  EXPECT_EQ(world_region("Australia/Sydney", -33.9, 151.2), "OCEANIA");
  EXPECT_EQ(world_region("Indian/Mauritius", -20.2, 57.5), "AFRICA");
  EXPECT_EQ(world_region("Indian/Maldives", 4.2, 73.5), "ASIA");
  EXPECT_EQ(world_region("Atlantic/Bermuda", 32.3, -64.8), "AMERICAS");
  EXPECT_EQ(world_region("Atlantic/Faroe", 62.0, -6.8), "EUROPE");
  EXPECT_EQ(world_region("Atlantic/Cape_Verde", 14.9, -23.5), "AFRICA");
  EXPECT_EQ(world_region("Antarctica/Casey", -66.3, 110.5), "");
}

TEST(World, SmallWorldHasTheCountriesTheirNamesAndNoBlocOfOne) {
  const GeneratedWorld w = generate_world(small_world());
  ASSERT_EQ(w.error, "");
  // Five countries with a region (Antarctica has none), each alone in its region: no bloc.
  EXPECT_EQ(w.blocs, 0);
  for (const char* line : {"{id: TCD, name: \"Chad\", kind: state", "{id: IRN, name: \"Iran\", kind: state",
                           "{id: ISL, name: \"Iceland\"", "{id: NPL, name: \"Nepal\"", "{id: PER, name: \"Peru\""})
    EXPECT_NE(w.yaml.find(line), std::string::npos) << line;
  EXPECT_EQ(w.yaml.find("ATA"), std::string::npos);
  EXPECT_EQ(w.yaml.find("kind: organization"), std::string::npos);
  // It loads, with the five states and 5 * 3 chance events a step.
  const fs::path file = write_temp("small.yaml", w.yaml);
  const LoadResult loaded = load_scenario(file.string());
  for (const auto& e : loaded.errors) ADD_FAILURE() << format_diagnostic(e);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded.scenario->actor_count(), 5u);
  EXPECT_EQ(loaded.scenario->events.size(), 52u * 3u);
}

TEST(World, LimitsAreCheckedFirst) {
  WorldOptions o = small_world();
  std::string error;
  EXPECT_EQ(world_state_limit(o, error), 5) << error;  // the table has five countries with a region
  o.states = 5;
  EXPECT_EQ(generate_world(o).error, "");
  for (int states : {-1, 0, 1, 6, 250, 1000000}) {
    o.states = states;
    const GeneratedWorld w = generate_world(o);
    EXPECT_EQ(w.error,
              "a world has 2 to 5 states (the countries of iso-codes with a region in tzdata's zone.tab), "
              "not " +
                  std::to_string(states));
    EXPECT_EQ(w.yaml, "");
  }
  o = small_world();
  o.steps = 0;
  EXPECT_NE(generate_world(o).error.find("1 to 520 steps"), std::string::npos);
  o = small_world();
  o.events_per_step = 21;
  EXPECT_NE(generate_world(o).error.find("0 to 20 chance events"), std::string::npos);
  o = small_world();
  o.iso_codes_path = "/nonexistent/iso.json";
  EXPECT_NE(generate_world(o).error.find("/nonexistent/iso.json"), std::string::npos);
}

// A zone.tab line that is not CODE, ISO 6709 coordinates and ZONE is refused at its line and
// column (counted by hand), not read as 0° or skipped: a region read from garbage would put a
// state in the wrong bloc without a word.
TEST(World, AMalformedZoneTabSaysWhere) {
  WorldOptions o = small_world();
  const std::string head = "# comment\nTD\t+1207+01503\tAfrica/Ndjamena\n";
  const std::string tail = " (tzdata's zone.tab: CODE, COORDINATES and ZONE, separated by tabs)";
  for (const auto& [line, where] : std::vector<std::pair<std::string, std::string>>{
           {"PE\t-12x3-07703\tAmerica/Lima",
            ":3:4: error: coordinates '-12x3-07703' are not ISO 6709's +DDMM+DDDMM or "
            "+DDMMSS+DDDMMSS"},
           {"PE\t-9903-07703\tAmerica/Lima",
            ":3:4: error: coordinates '-9903-07703' are not ISO 6709's +DDMM+DDDMM or "
            "+DDMMSS+DDDMMSS"},
           {"PE\t-1203-07773\tAmerica/Lima",
            ":3:4: error: coordinates '-1203-07773' are not ISO 6709's +DDMM+DDDMM or "
            "+DDMMSS+DDDMMSS"},
           {"PE\t-1203\tAmerica/Lima",
            ":3:4: error: coordinates '-1203' are not ISO 6709's +DDMM+DDDMM or +DDMMSS+DDDMMSS"},
           {"PE\t\tAmerica/Lima", ":3:4: error: coordinates '' are not ISO 6709's +DDMM+DDDMM or +DDMMSS+DDDMMSS"},
           {"Peru\t-1203-07703\tAmerica/Lima", ":3:1: error: 'Peru' is not a two-letter country code"},
           {"PE -1203-07703 America/Lima", ":3:1: error: a line without its three fields"},
           {"PE\t-1203-07703\t", ":3:16: error: a line without its zone"}}) {
    const fs::path zones = write_temp("bad_zone.tab", head + line + "\n");
    o.zone_tab_path = zones.string();
    EXPECT_EQ(generate_world(o).error, zones.string() + where + tail) << line;
  }
  // Seconds, as zone.tab gives them for some zones, are read: the world is made.
  o.zone_tab_path = write_temp("seconds_zone.tab", head + "PE\t-120300-0770300\tAmerica/Lima\n").string();
  o.states = 2;
  EXPECT_EQ(generate_world(o).error, "");
}

// A malformed iso-codes table is refused with its file, line and column (counted by hand),
// not read in part.
TEST(World, AMalformedIsoCodesTableSaysWhere) {
  WorldOptions o = small_world();
  for (const auto& [text, where] : std::vector<std::pair<std::string, std::string>>{
           {"{\"3166-1\": [\n  {\"alpha_2\": \"TD\", \"alpha_3\": \"TCD\" \"name\": \"Chad\"}]}",
            ":2:38: error: not valid JSON: expected ',' or '}'"},
           {"{\"3166-1\": [\n  {\"alpha_2\": \"TD\"", ":2:19: error: not valid JSON: expected ',' or '}'"},
           {"{\"a\": [1,]}",
            ":1:10: error: not valid JSON: expected a value (a string, number, object, array, true, "
            "false or null)"},
           {"{\"a\": \"x\\qy\"}", ":1:10: error: not valid JSON: an unknown escape in a string"},
           {"{\"a\": 01}", ":1:8: error: not valid JSON: expected ',' or '}'"},
           {"{\"a\": 1} x", ":1:10: error: not valid JSON: unexpected text after the JSON value"},
           // a name the world's own loader would refuse (RFC 8259: JSON text is UTF-8)
           {"{\"a\": \"Fr\xff"
            "ance\"}",
            ":1:10: error: not valid JSON: an invalid UTF-8 byte inside a string"},
           {"{\"a\": \"Caf\xc3\xa9\", \"b\": \"\xed\xa0\x80\"}",
            ":1:21: error: not valid JSON: an invalid UTF-8 byte inside a string"}}) {  // columns in characters: é is
                                                                                        // one
    const fs::path file = write_temp("bad_iso.json", text);
    o.iso_codes_path = file.string();
    std::string error;
    EXPECT_TRUE(load_iso_countries(file.string(), error).empty()) << text;
    EXPECT_EQ(error, file.string() + where) << text;
    EXPECT_EQ(generate_world(o).error, file.string() + where) << text;
  }
  // A code twice would be two actors of one id: the table is refused, naming it.
  const fs::path twice = write_temp("twice_iso.json",
                                    "{\"3166-1\": [{\"alpha_2\": \"VN\", \"alpha_3\": \"VNM\", "
                                    "\"name\": \"Viet Nam\"}, {\"alpha_2\": \"VX\", \"alpha_3\": "
                                    "\"VNM\", \"name\": \"Again\"}]}");
  std::string error;
  EXPECT_TRUE(load_iso_countries(twice.string(), error).empty());
  EXPECT_EQ(error, twice.string() + ": the country code 'VNM' is there twice (not a table of iso-codes)");
  o.iso_codes_path = twice.string();
  EXPECT_EQ(generate_world(o).error, error);
  // A name longer than a generated world may write (it would be refused when the world is read).
  const fs::path long_name = write_temp("long_iso.json",
                                        "{\"3166-1\": [{\"alpha_2\": \"VN\", \"alpha_3\": \"VNM\", "
                                        "\"name\": \"" +
                                            std::string(121, 'V') + "\"}]}");
  o.iso_codes_path = long_name.string();
  EXPECT_EQ(generate_world(o).error, long_name.string() +
                                         ":1:57: error: the name of 'VNM' is 121 bytes, more than the 120 a "
                                         "generated world's names may have (its actor names and event "
                                         "titles must stay within what scenarios may hold)");
  // A blank name (the loader refuses a blank actor name: the world would not load back).
  for (const std::string blank : {" ", "", "\\t"}) {
    const fs::path blank_name = write_temp("blank_iso.json",
                                           "{\"3166-1\": [{\"alpha_2\": \"VN\", \"alpha_3\": \"VNM\", "
                                           "\"name\": \"" +
                                               blank + "\"}]}");
    o.iso_codes_path = blank_name.string();
    EXPECT_EQ(generate_world(o).error,
              blank_name.string() +
                  ":1:57: error: the name of 'VNM' is blank: a generated world names each state by its name")
        << "'" << blank << "'";
  }
}

// A table saved with a UTF-8 byte order mark (an editor's save) is read as without it, and
// the columns of line 1 do not count it.
TEST(World, AByteOrderMarkIsSkipped) {
  const std::string bom = "\xEF\xBB\xBF";
  WorldOptions o = small_world();
  const GeneratedWorld plain = generate_world(o);
  ASSERT_EQ(plain.error, "");
  const fs::path iso = write_temp("bom_iso.json", bom + slurp(o.iso_codes_path));
  const fs::path zones = write_temp("bom_zone.tab", bom + slurp(o.zone_tab_path));
  std::string error;
  const auto countries = load_iso_countries(iso.string(), error);
  EXPECT_EQ(error, "");
  ASSERT_EQ(countries.size(), 6u);
  EXPECT_EQ(countries[0].name_at.line, 2);
  EXPECT_EQ(countries[0].name_at.column, 49);  // "Chad"'s opening quote, counted by hand
  o.iso_codes_path = iso.string();
  o.zone_tab_path = zones.string();
  const GeneratedWorld marked = generate_world(o);
  EXPECT_EQ(marked.error, "");
  EXPECT_EQ(marked.yaml.substr(marked.yaml.find('\n')), plain.yaml.substr(plain.yaml.find('\n')));
  // a zone.tab whose first line is a country's, not a comment
  const std::string tab = slurp(small_world().zone_tab_path);
  o.zone_tab_path = write_temp("bom_zone2.tab", bom + tab.substr(tab.find('\n') + 1)).string();
  EXPECT_EQ(generate_world(o).error, "");
  const fs::path bad = write_temp("bom_bad.json", bom + "{\"a\": 1} x");
  EXPECT_TRUE(load_iso_countries(bad.string(), error).empty());
  EXPECT_EQ(error, bad.string() + ":1:10: error: not valid JSON: unexpected text after the JSON value");
}

TEST(World, SameSeedSameFileOtherSeedOtherFile) {
  WorldOptions o;
  o.states = 40;
  const GeneratedWorld a = generate_world(o), b = generate_world(o);
  ASSERT_EQ(a.error, "");
  EXPECT_EQ(a.yaml, b.yaml);
  o.seed = 2;
  EXPECT_NE(generate_world(o).yaml, a.yaml);
}

TEST(World, TwoHundredStatesInBlocsWithAFewTiesEachAndASettledStart) {
  WorldOptions o;
  const GeneratedWorld w = generate_world(o);
  ASSERT_EQ(w.error, "");
  const fs::path file = write_temp("w200.yaml", w.yaml);
  const LoadResult loaded = load_scenario(file.string());
  for (const auto& e : loaded.errors) ADD_FAILURE() << format_diagnostic(e);
  ASSERT_TRUE(loaded.ok());
  const Scenario& s = *loaded.scenario;
  std::size_t states = 0;
  std::set<std::size_t> in_blocs;
  for (const Actor& a : s.actors) {
    if (a.kind == ActorKind::state) {
      ++states;
      EXPECT_EQ(a.id.size(), 3u) << a.id;
      continue;
    }
    EXPECT_GE(a.members.size(), 2u) << a.id;
    for (std::size_t m : a.members) EXPECT_TRUE(in_blocs.insert(m).second) << "in two blocs: " << s.actors[m].id;
  }
  EXPECT_EQ(states, 200u);
  EXPECT_EQ(int(s.actor_count() - states), w.blocs);
  EXPECT_GE(in_blocs.size(), 195u);  // every state with another of its region
  // Sparse: each state follows at most three others (its own ties), and states follow no bloc.
  const std::size_t n = s.actor_count();
  std::size_t ties = 0;
  for (std::size_t i = 0; i < states; ++i) {
    int own = 0;
    for (std::size_t j = 0; j < n; ++j) own += s.tie[i * n + j] > 0.0;
    EXPECT_LE(own, 3) << s.actors[i].id;
    ties += std::size_t(own);
  }
  EXPECT_GE(ties, 500u);
  EXPECT_EQ(s.start_state, StartState::settled);
  EXPECT_EQ(s.events.size(), 52u * 3u);
}

TEST(World, TheShippedWorldIsTheGeneratorsOutputForSeedOne) {
  // If Debian's iso-codes or tzdata change a name or a zone, regenerate it with the command in
  // its first line (docs/scale.md).
  const GeneratedWorld w = generate_world(WorldOptions{});
  ASSERT_EQ(w.error, "");
  EXPECT_TRUE(w.yaml == slurp(fs::path(GEOSIM_SCENARIOS_DIR) / "world-200.yaml"))
      << "scenarios/world-200.yaml differs from `geosim world --states 200 --seed 1`";
}

}  // namespace
}  // namespace geosim
