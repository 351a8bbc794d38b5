#pragma once
/// \file
/// Writing a run's results: the terminal summary, CSV time series, and the JSON record.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "geosim/core/run.hpp"
#include "geosim/core/scenario.hpp"

namespace geosim {

/// Long-format tension series: `step,date,from,to,tension`, one row per directed relation.
void write_tension_csv(std::ostream& out, const Scenario& scenario, const RunResult& result);

/// Indicators: `step,date,<indicator ids...>`.
void write_indicators_csv(std::ostream& out, const Scenario& scenario, const RunResult& result);

/// The final state (every relation) and the log of applied events, with the run's settings.
nlohmann::json run_record(const Scenario& scenario, const RunResult& result, std::uint64_t seed);

/// A short readable summary: indicators start -> end, the relations that moved most and the
/// events that moved them.
std::string run_summary(const Scenario& scenario, const RunResult& result, std::uint64_t seed);

}  // namespace geosim
