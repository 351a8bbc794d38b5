#pragma once
/// \file
/// What a run may ask for, checked before it starts: a period that ends by 9999-12-31 and a
/// history that fits the memory budget of an ensemble (kEnsembleMemoryBudget, 2 GiB).

#include <cstddef>
#include <string>

#include "geosim/core/date.hpp"
#include "geosim/core/run.hpp"
#include "geosim/core/scenario.hpp"
#include "geosim/core/state.hpp"

namespace geosim {

/// The last date written and read as YYYY-MM-DD: 9999-12-31. A scenario's period ends by it.
inline constexpr Date kLastDate{2932896};

/// Empty when `steps` steps of `scenario` from its start end by kLastDate; otherwise a one-line
/// message saying so and what to reduce.
std::string period_error(const Scenario& scenario, int steps);

/// The memory (bytes) `steps` steps of one run of `scenario` keep when every step's tensions
/// (n x n) and indicators are kept (run_scenario, a play session's branch), saturating.
std::size_t run_history_memory(const Scenario& scenario, int steps);

/// The memory (bytes) one relation change an event made may take in a run until its outputs are
/// written: its record (40 bytes) and its entry in the tree run.json is written from (about
/// 1.3 KB a change: `geosim run` of world-200 with 5 events of 10 effects between AFRICA and
/// AMERICAS, 253,964 changes in its run.json, peaked at 377,588 KB against 56,144 KB for
/// world-200 alone, /usr/bin/time, 22:59 UTC 2026-11-30: 1,296 bytes a change).
inline constexpr std::size_t kChangeRecordBytes = 1400;

/// The relation changes one run of `steps` steps of `scenario` may record in all: what
/// kEnsembleMemoryBudget leaves after its history (run_history_memory), at kChangeRecordBytes a
/// change (follow-ups can fire an event again and again, past run_request_error's count). The
/// one limit of run_scenario, run_final_state and explain, kept or not, so that each refuses
/// the same worlds and none holds more than a run's records (under 2 GiB / 1,400 changes).
std::size_t run_change_budget(const Scenario& scenario, int steps);

/// Empty when `steps` steps of `scenario` end by kLastDate (period_error) and keeping them
/// (run_history_memory) and what its events record, each firing once (event_change_bound
/// changes of kChangeRecordBytes an event), fits kEnsembleMemoryBudget; otherwise a one-line
/// message starting with `what` ("a run") saying how much it would need and what to reduce.
std::string run_request_error(const Scenario& scenario, int steps, const std::string& what = "a run");

/// The final state of run_scenario(scenario, options), without keeping the steps before it
/// (memory of one step whatever the number of steps).
State run_final_state(const Scenario& scenario, const RunOptions& options = {});

}  // namespace geosim
