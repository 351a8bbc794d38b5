#pragma once
/// \file
/// `geosim ingest`: coded event files (GDELT 1.0/2.0, ICEWS; plain or gzip) streamed into counts
/// per directed dyad and step, scored with geosim's own CAMEO-to-Goldstein table, and the
/// mapping of those scores to an observed tension series. See docs/grounding.md, "Event data".

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "geosim/core/date.hpp"
#include "geosim/core/scenario.hpp"
#include "geosim/io/event_rows.hpp"
#include "geosim/io/text_position.hpp"

namespace geosim {

/// How to ingest.
struct IngestOptions {
  std::optional<Date> from;  ///< first day counted (inclusive); unset = the earliest day with a mapped event
  std::optional<Date> to;    ///< last day counted (inclusive); unset = the latest day with a mapped event
  int step_days = 7;         ///< days per step, >= 1. Default 7
  /// ICEWS country names to ISO 3166 alpha-3 codes (name, official name and common name of every
  /// country of Debian's iso-codes, lower-cased). Empty: ICEWS files cannot be read.
  std::map<std::string, std::string, std::less<>> country_names;
  std::size_t shown_problems = 5;     ///< malformed rows quoted by file:line; the rest only counted
  std::size_t max_cells = 4'000'000;  ///< most distinct (dyad, day) cells kept: 4 million
  std::uint64_t max_file_bytes = std::uint64_t(64) << 30;  ///< most bytes read (decompressed) per file: 64 GiB
  /// Most distinct events counted (each one's id is kept, 16 bytes at most, so that an event
  /// given twice counts once): 16,777,216 (256 MiB).
  std::size_t max_event_ids = std::size_t(1) << 24;
};

/// Counts of one directed dyad in one step.
struct DyadStep {
  std::size_t from = 0, to = 0;     ///< actor indices
  int step = 1;                     ///< 1-based: the step covering from + (step-1)*step_days ...
  std::uint64_t count = 0;          ///< events
  double goldstein_sum = 0.0;       ///< sum of geosim's Goldstein weights of the events' codes
  double file_goldstein_sum = 0.0;  ///< sum of the file's own scores (GoldsteinScale, Intensity)
  std::uint64_t file_scored = 0;    ///< events with a score of the file's own
  std::uint64_t quad[4] = {0, 0, 0,
                           0};  ///< by quad class: verbal coop., material coop., verbal conflict, material conflict
  double mentions = 0.0;        ///< sum of NumMentions (1 per ICEWS event)
  /// The event with the most mentions (the first such): where it is and its code.
  std::string top_file;
  std::uint64_t top_line = 0;
  std::string top_code;
  double top_mentions = -1.0;
  double goldstein_mean() const { return count ? goldstein_sum / double(count) : 0.0; }
};

/// What happened to the rows of one file.
struct IngestFileSummary {
  std::string path;
  std::string format;              ///< "GDELT 1.0", "GDELT 2.0", "ICEWS" ("" when empty)
  std::uint64_t rows = 0;          ///< data rows (lines, less an ICEWS header and empty lines)
  std::uint64_t used = 0;          ///< rows counted in some dyad
  std::uint64_t malformed = 0;     ///< rows refused (reported by line)
  std::uint64_t unmapped = 0;      ///< rows whose source or target is missing or no actor's country
  std::uint64_t out_of_range = 0;  ///< rows dated before --from or after --to
  /// Rows of an event counted already, in this file or an earlier one (the same GLOBALEVENTID or
  /// ICEWS Event ID): left out.
  std::uint64_t duplicates = 0;
};

/// The counts of every file read, or why reading stopped.
struct IngestResult {
  std::string error;  ///< "" = fine; else one line, with file:line when it has one
  Date from{}, to{};  ///< the days counted, inclusive
  int step_days = 7;
  int steps = 0;  ///< steps covering from ... to
  /// The days the last step covers: step_days, or fewer when `to` ends it early (its counts are
  /// then of fewer days than the other steps').
  int last_step_days() const { return steps > 0 ? (to.days - from.days) % step_days + 1 : 0; }
  std::vector<DyadStep> cells;  ///< sorted by step, from, to; only dyad-steps with events
  std::vector<IngestFileSummary> files;
  std::vector<std::string> problems;  ///< the first malformed rows: "file:line: warning: reason"
  std::uint64_t malformed = 0;        ///< malformed rows in all files
  /// ICEWS country names that no iso-codes entry has, with their row counts (at most 50 names).
  std::map<std::string, std::uint64_t> unknown_names;
  /// Unknown CAMEO codes (not in geosim's table) are malformed rows; counted here too.
  std::uint64_t unknown_codes = 0;
};

/// The countries each actor stands for (alpha-3 codes): its `countries:`; else, for a state
/// whose id is three capital letters, its id; else, for an organisation, its members' countries.
std::vector<std::vector<std::string>> actor_countries(const Scenario& actors);

/// One line for each country two or more actors stand for, by code ("KHM is stood for by ASEAN
/// and KHM: ..."): each of its events counts for all of them (docs/grounding.md, "Actors and countries").
std::vector<std::string> country_overlaps(const Scenario& actors);

/// A country of Debian's iso-codes ISO 3166-1 table.
struct IsoCountry {
  std::string alpha_3;  ///< e.g. "KOR"
  std::string alpha_2;  ///< e.g. "KR" ("" when the entry has none)
  std::string name;     ///< its common name when it has one, else its name, e.g. "South Korea"
  /// Its name, then its official name and its common name when it has them, as written, e.g.
  /// {"Korea, Republic of", "South Korea"}.
  std::vector<std::string> names;
  TextPosition name_at;  ///< where `name` is written in the table (its opening quote); 0, 0 for the code
};

/// The countries of iso-codes' ISO 3166-1 table (`path`, or when "" the first
/// iso-codes/json/iso_3166-1.json under $XDG_DATA_DIRS, /usr/local/share and /usr/share), in the
/// table's order. Empty and `error` when not found, not readable or without a country. A UTF-8
/// byte order mark at its start is skipped (and not counted in line 1's columns).
std::vector<IsoCountry> load_iso_countries(const std::string& path, std::string& error);
/// The iso_3166-1.json to read: `path` when given, else the first found under $XDG_DATA_DIRS,
/// /usr/local/share and /usr/share; "" when none is.
std::string find_iso_codes(const std::string& path);

/// Loads Debian's iso-codes ISO 3166-1 table (`path`, or when "" the first
/// iso-codes/json/iso_3166-1.json under $XDG_DATA_DIRS, /usr/local/share and /usr/share) as
/// lower-cased name -> alpha-3. Empty map and `error` when not found or not readable.
std::map<std::string, std::string, std::less<>> load_iso_country_names(const std::string& path, std::string& error);

/// Reads the files (plain or gzip, streamed: memory does not grow with their size) and counts
/// their events per directed dyad of `actors` and step. Never throws.
IngestResult ingest_event_files(const std::vector<std::string>& paths, const Scenario& actors,
                                const IngestOptions& options);

/// The same for text in memory named `name` (for tests and fuzzing).
IngestResult ingest_event_text(const std::string& text, const std::string& name, const Scenario& actors,
                               const IngestOptions& options);

// --- outputs (event_ingest_output.cpp) ---

/// Writes dyads.csv: step, date (first day of the step), from, to, events, goldstein_sum,
/// goldstein_mean, verbal_cooperation, material_cooperation, verbal_conflict, material_conflict,
/// file_goldstein_sum, mentions; one row per dyad-step with events.
void write_dyads_csv(std::ostream& out, const Scenario& actors, const IngestResult& result);

/// How dyad-step scores become an observed tension (docs/grounding.md, "From event scores to tension").
struct TensionMapping {
  double half_life = 4.0;     ///< steps after which a step's events weigh half, > 0. Default 4
  double prior_events = 2.0;  ///< neutral (Goldstein 0) pseudo-events in every step's balance, >= 0. Default 2
};

/// Writes the observed tension series as `geosim run` writes its own (step, date, from, to,
/// tension; the date is the end of the step, step 0 = the first day): for every dyad with events,
/// from its first step with events on. tension = (1 - b) / 2 with b the dyad's smoothed
/// Goldstein balance in (-1, 1).
void write_observed_tension_csv(std::ostream& out, const Scenario& actors, const IngestResult& result,
                                const TensionMapping& mapping);

/// The rows write_observed_tension_csv writes (for a bound before writing them).
std::uint64_t observed_tension_rows(const IngestResult& result);

/// The events file: a runnable scenario (`include:` of `actors_include`, start `from`, the steps
/// counted) with one event per dyad-step, the `top` dyad-steps with the most mentions when
/// there are more (0 = at most the loader's 10,000 events and 4 MiB), each titled with its counts and citing the
/// file and line of its most mentioned row. Its tension change is that of one event with the
/// dyad-step's mean Goldstein weight (-mean / 100).
std::string events_yaml(const Scenario& actors, const IngestResult& result, const std::string& actors_include,
                        std::size_t top);

}  // namespace geosim
