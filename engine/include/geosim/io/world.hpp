#pragma once
/// \file
/// `geosim world`: a generated world of N states as a scenario file, for running every command
/// at scales the shipped documents do not reach (docs/scale.md, "A world of 200 states").
///
/// The states are countries of Debian's iso-codes (alpha-3 code and name); iso-codes has no
/// regions, so each country's regional bloc comes from the continent of its first time zone in
/// tzdata's zone.tab (a documented rule, `world_region`). Every number is drawn from geosim's
/// keyed random streams (core/rng.hpp) keyed by the seed, a purpose and the names it is for,
/// so the file is the same for the same (states, seed, iso-codes and tzdata tables).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace geosim {

/// The fewest states of a world. The most is what the tables give (world_state_limit): 249
/// countries in ISO 3166-1, of which Debian 12's iso-codes and tzdata give 245 a region.
inline constexpr int kMinWorldStates = 2;
/// The most states a world can ask for: the 249 countries of ISO 3166-1 (the tables found here
/// may give fewer of them a region: world_state_limit).
inline constexpr int kMaxWorldStates = 249;
/// The most weekly steps of a world (ten years) and chance events a step.
inline constexpr int kMaxWorldSteps = 520;
inline constexpr int kMaxWorldEventsPerStep = 20;
/// The most chance events of a world in all, steps times events a step: a scenario's most events
/// (the loader refuses more), so 520 steps take at most 19 a step.
inline constexpr int kMaxWorldEvents = 10000;

/// What to generate.
struct WorldOptions {
  int states = 200;        ///< number of states, kMinWorldStates..world_state_limit() (<= kMaxWorldStates). Default 200
  std::uint64_t seed = 1;  ///< the seed of every draw. Default 1
  int steps = 52;          ///< weekly steps from 2025-08-01, 1..kMaxWorldSteps. Default 52 (a year)
  int events_per_step =
      3;  ///< chance events that may fire each step (each with probability 1/2), 0..kMaxWorldEventsPerStep. Default 3
  /// iso-codes' iso_3166-1.json; "" = the first under $XDG_DATA_DIRS, /usr/local/share, /usr/share.
  std::string iso_codes_path;
  /// tzdata's zone.tab; "" = $TZDIR/zone.tab, else /usr/share/zoneinfo/zone.tab.
  std::string zone_tab_path;
};

/// The generated scenario file, or why there is none.
struct GeneratedWorld {
  std::string yaml;    ///< the scenario file's text ("" on error)
  std::string error;   ///< "" = generated; else one line
  std::string option;  ///< the options the error is about ("--states", "--steps and --events"), or "" for the tables
  int blocs = 0;       ///< regional blocs with at least two states (organisations in the file)
  int pairs = 0;       ///< pairs of states listed (ties and rivalries; every other pair takes the defaults)
  /// The tables read, as found (given, or from $XDG_DATA_DIRS, $TZDIR and /usr/share): no output
  /// may replace one.
  std::vector<std::string> inputs;
};

/// The zone.tab to read: `path` when given, else $TZDIR/zone.tab, else /usr/share/zoneinfo/zone.tab.
std::string find_zone_tab(const std::string& path);

/// The regional bloc of a country from its first tzdata zone ("Europe/Paris") and that zone's
/// latitude and longitude in degrees: "AFRICA", "AMERICAS", "EUROPE", "WEST_ASIA" (Asia west of
/// 60°E), "ASIA" (the rest of Asia), "OCEANIA" (Australia/ and Pacific/); the ocean islands by
/// where they lie (Indian/ west of 60°E Africa, else Asia; Atlantic/ west of 30°W the Americas,
/// else north of 35°N Europe, else Africa); "" for Antarctica and anything else.
std::string world_region(std::string_view zone, double latitude, double longitude);

/// The most states a world can have with `options`' tables: the countries of iso-codes that have a
/// region (world_region of their first zone.tab line); 0 with a one-line `error` when a table
/// cannot be read or they have none in common.
int world_state_limit(const WorldOptions& options, std::string& error);

/// "a world has 2 to `most` states (...), not `states`": the one message for a count the tables
/// cannot give, the generator's and `world --states`'.
std::string world_states_error(int most, const std::string& states);

/// Generates the world. Never throws; the limits of steps and events are checked first, the
/// number of states against world_state_limit once the tables are read.
GeneratedWorld generate_world(const WorldOptions& options);

}  // namespace geosim
