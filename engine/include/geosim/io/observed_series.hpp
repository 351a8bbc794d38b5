#pragma once
/// \file
/// An observed tension series (`geosim ingest`'s tension.csv, or `geosim run`'s: step, date, from,
/// to, tension) read for `geosim calibrate`, untrusted: bounded, every problem with file:line:col.

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "geosim/core/diagnostic.hpp"
#include "geosim/core/scenario.hpp"

namespace geosim {

/// Most bytes of an observed series file: 256 MiB.
inline constexpr std::size_t kMaxObservedBytes = std::size_t(256) << 20;
/// Most values (steps + 1) * actors^2 an observed series may span: 50 million (400 MB).
inline constexpr std::size_t kMaxObservedCells = 50'000'000;
/// Highest step an observed series may have.
inline constexpr int kMaxObservedStep = 100'000;

/// Tensions per step and directed dyad; a dyad-step without a row is not observed (NaN).
struct ObservedSeries {
  std::size_t actors = 0;          ///< the scenario's actor count n
  int last_step = 0;               ///< steps 0 .. last_step
  std::vector<std::string> dates;  ///< [step]: its date as written ("" when no row has it)
  std::vector<double> tension;     ///< [(step * n + from) * n + to], in [0,1] or NaN
  std::size_t observations = 0;    ///< rows read
  /// Days a step of the series: the scenario's (or the one asked for); with kSeriesOwnSteps its
  /// own, 0 when no two of its steps are dated. A fit's rates are per such step.
  int step_days = 0;
  /// Rows of pairs without a relation in the scenario (`absent`): left out, as the model has no
  /// tension there to compare; the first such pair, "BBB -> CCC", for the warning.
  std::size_t absent_rows = 0;
  std::string first_absent;

  double at(int step, std::size_t from, std::size_t to) const {
    return tension[(std::size_t(step) * actors + from) * actors + to];
  }
  bool observed(int step, std::size_t from, std::size_t to) const { return !std::isnan(at(step, from, to)); }
};

/// `step_days` for parse_observed_series: the scenario's own (its steps are the series').
inline constexpr int kScenarioSteps = -1;
/// `step_days` for parse_observed_series: any one length, the same throughout the series (an
/// actors file, which declares no step).
inline constexpr int kSeriesOwnSteps = 0;

/// Parses `text` (named `name` in diagnostics) against the actors of `scenario`. Errors (at most
/// 20, one per problem row) leave `errors` non-empty; the series is then incomplete. The rows'
/// dates must lie `step_days` days a step apart (kScenarioSteps: the scenario's step_days;
/// kSeriesOwnSteps: the length most of its gaps between dated steps give), so that each step of the series is one of
/// the model's: a fit to monthly steps read as weekly ones would be a rate four times too high.
ObservedSeries parse_observed_series(const std::string& text, const std::string& name, const Scenario& scenario,
                                     std::vector<Diagnostic>& errors, int step_days = kScenarioSteps);

/// Reads the file at `path` (at most kMaxObservedBytes) and parses it.
ObservedSeries read_observed_series(const std::string& path, const Scenario& scenario, std::vector<Diagnostic>& errors,
                                    int step_days = kScenarioSteps);

/// The step of `text` in `series`: a step number, or a date one of its rows carries; -1 when neither.
int observed_step(const ObservedSeries& series, const std::string& text);

}  // namespace geosim
