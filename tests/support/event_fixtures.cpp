#include "support/event_fixtures.hpp"

#include <zlib.h>

#include "geosim/io/loader.hpp"

#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace geosim::testing {
namespace {

std::string join(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t k = 0; k < fields.size(); ++k) out += (k ? "\t" : "") + fields[k];
  return out;
}

std::string quad_of(const std::string& code) {
  const int root = std::stoi(code.substr(0, 2));
  return root <= 5 ? "1" : root <= 8 ? "2" : root <= 13 ? "3" : "4";
}

}  // namespace

std::string gdelt_row(const GdeltEvent& e, GdeltLayout layout) {
  const std::string root = e.root.empty() ? e.code.substr(0, 2) : e.root;
  const std::string quad = e.quad.empty() ? quad_of(e.code) : e.quad;
  const std::string year = e.date.substr(0, 4), month = e.date.substr(0, 6);
  // Columns 0-34: the same in GDELT 1.0 and 2.0 (event codebooks V1.03 and V2.0).
  std::vector<std::string> f = {std::to_string(e.id),
                                e.date,
                                month,
                                year,
                                year + ".5836",  // 0-4
                                e.actor1.empty() ? "" : e.actor1 + "GOV",
                                e.actor1.empty() ? "" : "GOVERNMENT",
                                e.actor1,  // 5-7
                                "",
                                "",
                                "",
                                "",
                                "GOV",
                                "",
                                "",  // 8-14
                                e.actor2.empty() ? "" : e.actor2 + "GOV",
                                e.actor2.empty() ? "" : "GOVERNMENT",
                                e.actor2,  // 15-17
                                "",
                                "",
                                "",
                                "",
                                "GOV",
                                "",
                                "",  // 18-24
                                "1",
                                e.code,
                                e.code.substr(0, 3),
                                root,
                                quad,
                                e.goldstein,
                                e.mentions,
                                "2",
                                e.mentions,  // 25-33
                                "-1.25"};    // 34 AvgTone
  // Three geographies (Actor1, Actor2, Action): Type, FullName, CountryCode, ADM1Code, [ADM2Code
  // in 2.0,] Lat, Long, FeatureID.
  for (int g = 0; g < 3; ++g) {
    f.insert(f.end(), {"1", "Hanoi, Vietnam", "VM", "VM44"});
    if (layout == GdeltLayout::v2) f.push_back("VM44");
    f.insert(f.end(), {"21.0333", "105.85", "-3715035"});
  }
  if (layout == GdeltLayout::v2) {
    f.push_back(e.date + "121500");  // DATEADDED, YYYYMMDDHHMMSS
    f.push_back(e.url);
  } else {
    f.push_back(e.date);  // DATEADDED, YYYYMMDD
    if (layout == GdeltLayout::v1_daily) f.push_back(e.url);
  }
  return join(f);
}

std::string icews_header() {
  return join({"Event ID",       "Event Date", "Source Name",     "Source Sectors", "Source Country",
               "Event Text",     "CAMEO Code", "Intensity",       "Target Name",    "Target Sectors",
               "Target Country", "Story ID",   "Sentence Number", "Publisher",      "City",
               "District",       "Province",   "Country",         "Latitude",       "Longitude"});
}

std::string icews_row(long long id, const std::string& date, const std::string& source_country,
                      const std::string& target_country, const std::string& code, const std::string& intensity) {
  return join({std::to_string(id),
               date,
               "Government (" + source_country + ")",
               "Government,Executive",
               source_country.empty() ? "NA" : source_country,
               "Make statement",
               code,
               intensity,
               "Government (" + target_country + ")",
               "Government",
               target_country.empty() ? "NA" : target_country,
               "28234567",
               "3",
               "Example Wire",
               "Hanoi",
               "NA",
               "Ha Noi",
               "Vietnam",
               "21.0245",
               "105.841"});
}

std::string gzip(const std::string& text, int level) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&z, uLong(text.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = uInt(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string sample_gdelt2() {
  // A deterministic little world: USA-CHN cooling (more conflict each week), VNM-USA warming,
  // PRK-KOR hostile, a few rows that must be refused or skipped.
  std::string out;
  long long id = 1100000000;
  auto add = [&](const std::string& date, const std::string& a1, const std::string& a2, const std::string& code,
                 const std::string& goldstein, int mentions) {
    GdeltEvent e = gdelt_event(date, a1, a2, code, goldstein, mentions);
    e.id = id++;
    e.url = "https://news.example/" + std::to_string(e.id);
    out += gdelt_row(e, GdeltLayout::v2) + "\n";
  };
  const char* days[12] = {"20250801", "20250808", "20250815", "20250822", "20250829", "20250905",
                          "20250912", "20250919", "20250926", "20251003", "20251010", "20251017"};
  for (int w = 0; w < 12; ++w) {
    const std::string d = days[w];
    add(d, "VNM", "USA", w < 6 ? "036" : "057", w < 6 ? "4.0" : "8.0", 5 + w);
    add(d, "USA", "VNM", "042", "1.9", 4 + w);
    add(d, "USA", "CHN", w < 4 ? "040" : w < 8 ? "111" : "172", w < 4 ? "1.0" : w < 8 ? "-2.0" : "-5.0", 20 + w);
    add(d, "CHN", "USA", w < 6 ? "040" : "130", w < 6 ? "1.0" : "-4.4", 18 + w);
    add(d, "PRK", "KOR", "138", "-7.0", 30);
    add(d, "KOR", "PRK", "112", "-2.0", 12);
  }
  // Missing country codes (kept as rows, not between two actors).
  GdeltEvent e;
  e.id = id++;
  e.actor2 = "";
  out += gdelt_row(e, GdeltLayout::v2) + "\n";
  // A tab inside the SOURCEURL: 62 columns, still a GDELT 2.0 row.
  e.id = id++;
  e.actor1 = "JPN";
  e.actor2 = "KOR";
  e.date = "20250810";
  e.url = "https://news.example/a\tb";
  out += gdelt_row(e, GdeltLayout::v2) + "\n";
  // Dates outside 2025-08-01 .. 2025-10-23 (each row an event of its own: its own id).
  e.url = "https://news.example/old";
  e.date = "20240101";
  e.id = id++;
  out += gdelt_row(e, GdeltLayout::v2) + "\n";
  e.date = "20260101";
  e.id = id++;
  out += gdelt_row(e, GdeltLayout::v2) + "\n";
  // Malformed: a bad date, an unknown code, a short row.
  e.date = "20251345";
  e.id = id++;
  out += gdelt_row(e, GdeltLayout::v2) + "\n";
  e.date = "20250901";
  e.id = id++;
  e.code = "099";
  out += gdelt_row(e, GdeltLayout::v2) + "\n";
  out += "1100009999\t20250901\tUSA\n";
  return out;
}

GdeltEvent gdelt_event(const std::string& date, const std::string& a1, const std::string& a2, const std::string& code,
                       const std::string& goldstein, int mentions) {
  // Each a different event (its own GLOBALEVENTID): ingest counts an id once.
  static std::atomic<long long> next_id{2000000000};
  GdeltEvent e;
  e.id = next_id++;
  e.date = date;
  e.actor1 = a1;
  e.actor2 = a2;
  e.code = code;
  e.goldstein = goldstein;
  e.mentions = std::to_string(mentions);
  return e;
}

std::string ingest_row(const std::string& date, const std::string& a1, const std::string& a2, const std::string& code,
                       const std::string& goldstein, int mentions, GdeltLayout layout) {
  return gdelt_row(gdelt_event(date, a1, a2, code, goldstein, mentions), layout) + "\n";
}

Scenario ingest_actors(const std::string& extra) {
  const std::string text =
      "scenario: {id: t, title: t, start: 2025-08-01, step_days: 7, steps: 1}\n"
      "actors:\n"
      "  - {id: USA, name: United States}\n"
      "  - {id: CHN, name: China}\n"
      "  - {id: PRK, name: North Korea}\n"
      "  - {id: KOR, name: South Korea}\n"
      "  - {id: VNM, name: Vietnam}\n"
      "  - {id: SGP, name: Singapore}\n" +
      extra;
  LoadResult loaded = load_scenario_text(text, "actors.yaml");
  if (!loaded.ok())  // a fixture that does not load: the test stops here (no gtest: bench uses this file too)
    throw std::runtime_error(loaded.errors.empty() ? "ingest_actors" : format_diagnostic(loaded.errors[0]));
  return *loaded.scenario;
}

}  // namespace geosim::testing
