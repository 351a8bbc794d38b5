#pragma once
// Event-data fixtures generated in-tree with the exact column layouts of the real files: GDELT 1.0
// (57 columns, backfile; 58, daily with SOURCEURL), GDELT 2.0 (61 columns) and ICEWS (.tab with
// its header), plain or gzip. No fetched data: every row is made here.

#include <string>

#include "geosim/core/scenario.hpp"

namespace geosim::testing {

/// The fields of one GDELT event row that the generator sets; every other column is filled with
/// plausible values of the right kind (codes, names, coordinates).
struct GdeltEvent {
  std::string date = "20250801";                     ///< SQLDATE, YYYYMMDD
  std::string actor1 = "USA";                        ///< Actor1CountryCode ("" = missing)
  std::string actor2 = "CHN";                        ///< Actor2CountryCode
  std::string code = "042";                          ///< EventCode
  std::string root;                                  ///< EventRootCode; "" = the code's first two digits
  std::string quad;                                  ///< QuadClass; "" = the code's quad class (1 to 4)
  std::string goldstein = "1.9";                     ///< GoldsteinScale as written
  std::string mentions = "10";                       ///< NumMentions as written
  std::string url = "https://news.example/article";  ///< SOURCEURL (may hold a tab)
  long long id = 1;                                  ///< GLOBALEVENTID
};

/// GDELT layouts.
enum class GdeltLayout { v1_backfile, v1_daily, v2 };

/// One GDELT row (no newline) in `layout`: 57, 58 or 61 tab-separated columns.
std::string gdelt_row(const GdeltEvent& event, GdeltLayout layout);

/// The ICEWS header line (no newline): Event ID, Event Date, Source Name, Source Sectors, Source
/// Country, Event Text, CAMEO Code, Intensity, Target Name, Target Sectors, Target Country, Story
/// ID, Sentence Number, Publisher, City, District, Province, Country, Latitude, Longitude.
std::string icews_header();

/// One ICEWS row (no newline); "NA" for a missing country.
std::string icews_row(long long id, const std::string& date, const std::string& source_country,
                      const std::string& target_country, const std::string& code, const std::string& intensity);

/// `text` compressed as one gzip member by one zlib deflate call (the whole text, Z_FINISH;
/// no file name, time 0) at deflate level `level` (-1: zlib's default, 6).
std::string gzip(const std::string& text, int level = -1);

/// The sample files of the tutorial and the tests (deterministic): GDELT 2.0 rows between the
/// actors of scenarios/actors.yaml over 2025-08-01 .. 2025-10-23 (12 weekly steps), with
/// malformed rows, missing country codes, a tab inside a URL and dates out of range.
std::string sample_gdelt2();

/// An event between two actor codes, the other fields as GdeltEvent's defaults but its id: each
/// call's event has an id of its own.
GdeltEvent gdelt_event(const std::string& date, const std::string& a1, const std::string& a2, const std::string& code,
                       const std::string& goldstein, int mentions);

/// A GDELT 2.0 row (with its line break) of one event between two actor codes.
std::string ingest_row(const std::string& date, const std::string& a1, const std::string& a2, const std::string& code,
                       const std::string& goldstein, int mentions, GdeltLayout layout = GdeltLayout::v2);

/// Six actors (USA, CHN, PRK, KOR, VNM, SGP) to ingest events for, and `extra` YAML after them.
Scenario ingest_actors(const std::string& extra = "");

}  // namespace geosim::testing
