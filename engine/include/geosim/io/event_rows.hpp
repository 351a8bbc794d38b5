#pragma once
/// \file
/// Reading one row of a coded-event file: GDELT 1.0 and 2.0 event exports and ICEWS `.tab` files
/// (tab-separated, no quoting). Only the fields `geosim ingest` uses are read; a row that does
/// not fit its format is refused with a one-line reason, never a crash. See docs/grounding.md,
/// "Event data".

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "geosim/core/date.hpp"

namespace geosim {

/// Index of an ISO 3166 alpha-3 code (three capital letters) in [0, 26^3), or -1 for anything else.
inline int country_code_index(std::string_view code) {
  if (code.size() != 3) return -1;
  int k = 0;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return -1;
    k = k * 26 + (c - 'A');
  }
  return k;
}

/// The layout of an event file, told by its first line.
enum class EventFormat {
  gdelt1,  ///< GDELT 1.0: 57 columns (backfile, no SOURCEURL) or 58 (daily, SOURCEURL last)
  gdelt2,  ///< GDELT 2.0: 61 columns (three ADM2Code columns more, SOURCEURL last)
  icews    ///< ICEWS coded events: a header line naming the columns, `NA` for missing
};

/// "GDELT 1.0", "GDELT 2.0", "ICEWS".
const char* format_name(EventFormat format);

/// GDELT's columns (0-based; the first 35 are the same in 1.0 and 2.0; GDELT event codebooks
/// V1.03 and V2.0): GLOBALEVENTID, SQLDATE, ..., Actor1CountryCode (7), ..., Actor2CountryCode
/// (17), ..., IsRootEvent (25), EventCode (26), EventBaseCode (27), EventRootCode (28),
/// QuadClass (29), GoldsteinScale (30), NumMentions (31), NumSources, NumArticles, AvgTone (34).
namespace gdelt_column {
inline constexpr std::size_t sqldate = 1;
inline constexpr std::size_t actor1_country = 7;
inline constexpr std::size_t actor2_country = 17;
inline constexpr std::size_t event_code = 26;
inline constexpr std::size_t event_root_code = 28;
inline constexpr std::size_t quad_class = 29;
inline constexpr std::size_t goldstein = 30;
inline constexpr std::size_t num_mentions = 31;
inline constexpr std::size_t gdelt1_dateadded = 56;  ///< YYYYMMDD in 1.0
inline constexpr std::size_t gdelt2_dateadded = 59;  ///< YYYYMMDDHHMMSS in 2.0
}  // namespace gdelt_column

/// Most bytes of one row (a GDELT row is about 300 to 1,500 bytes): 64 KiB.
inline constexpr std::size_t kMaxEventRowBytes = std::size_t(64) << 10;
/// The most mentions of one event row (GDELT's NumMentions, a count): larger is a malformed row,
/// so that a dyad's sum stays finite (and exact to 2^53 over the rows of 64 GiB of files).
inline constexpr double kMaxMentions = 1e9;

/// The fields of one event row. The views point into the line that was read.
struct EventRow {
  Date date{};                               ///< the day of the event (SQLDATE, or ICEWS's Event Date)
  std::string_view source;                   ///< acting country: alpha-3 code (GDELT) or name (ICEWS); "" = unknown
  std::string_view target;                   ///< country acted upon, as `source`
  std::string_view code;                     ///< CAMEO event code as written ("042", "0874"); never empty
  std::string_view id;                       ///< the event's id (GLOBALEVENTID, ICEWS's Event ID); "" = none
  std::optional<int> file_quad;              ///< GDELT's QuadClass (1 to 4); nullopt for ICEWS
  std::optional<double> file_goldstein;      ///< the file's own score (GoldsteinScale, ICEWS Intensity)
  double mentions = 1.0;                     ///< GDELT's NumMentions (>= 0); 1 for ICEWS
  EventFormat format = EventFormat::gdelt2;  ///< the row's layout
  /// When a row is refused: the 1-based column, in characters, where the field at fault starts (1 when the
  /// row's column count is wrong), for a message at file:line:col.
  std::size_t error_column = 1;
};

/// The columns of an ICEWS file, found by name in its header line.
struct IcewsColumns {
  std::size_t date = 0, source = 0, target = 0, code = 0, intensity = 0;
  std::optional<std::size_t> id;  ///< "Event ID", when the header has it
  std::size_t count = 0;          ///< columns in the header
};

/// Whether a file's first line is an ICEWS header (it starts with a column named "Event ID" or
/// names "Event Date").
bool looks_like_icews_header(std::string_view line);

/// Reads an ICEWS header line: the positions of Event Date, Source Country, Target Country,
/// CAMEO Code and Intensity. nullopt (and `error`) when one is missing or named twice.
std::optional<IcewsColumns> read_icews_header(std::string_view line, std::string& error);

/// The GDELT version of a row by its column count and where its DATEADDED column sits: 57, or
/// 58 and more with an 8-digit DATEADDED at column 56, is 1.0; 61 and more with a 14-digit
/// DATEADDED at column 59 is 2.0 (more columns than that are tabs inside the last field, the
/// SOURCEURL). nullopt for anything else.
std::optional<EventFormat> gdelt_version(std::string_view line);

/// Reads one GDELT row, its version told by gdelt_version() (set in `row.format`). False with a
/// one-line reason in `error` when the row is malformed: a column count of neither version, a date
/// that is not a valid YYYYMMDD, an event code that is not 2 to 4 digits or whose root is not
/// EventRootCode, a QuadClass not 1 to 4, a GoldsteinScale or NumMentions that is not a number.
/// Empty country codes are not errors (the row is kept with source or target "").
bool read_gdelt_row(std::string_view line, EventRow& row, std::string& error);

/// Reads one ICEWS data row against its header's columns; `NA` or an empty field is missing (a
/// country "" in the row). False with a reason for a row with too few columns, a date that is
/// not YYYY-MM-DD, an event code that is not 2 to 4 digits, an Intensity that is not a number.
bool read_icews_row(std::string_view line, const IcewsColumns& columns, EventRow& row, std::string& error);

}  // namespace geosim
