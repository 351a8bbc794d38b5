#pragma once
/// \file
/// Writing a run's results: the terminal summary, CSV time series, and the JSON record.

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "geosim/core/run.hpp"
#include "geosim/core/scenario.hpp"
#include "geosim/io/number_text.hpp"

namespace geosim {

/// Long-format tension series: `step,date,from,to,tension`, one row per directed relation.
void write_tension_csv(std::ostream& out, const Scenario& scenario, const RunResult& result);

/// The same text as a string, written fast (run_files.cpp); `rows` (n*n, row-major, 1 = keep)
/// limits it to those directed relations, in the same order; empty = every relation.
std::string tension_csv(const Scenario& scenario, const RunResult& result, const std::vector<unsigned char>& rows = {});

/// tension_csv's text handed to `sink` in pieces of about 1 MiB (so the whole file is never held
/// in memory); stops and returns false as soon as `sink` returns false.
bool tension_csv_pieces(const Scenario& scenario, const RunResult& result, const std::vector<unsigned char>& rows,
                        const std::function<bool(std::string_view)>& sink);

/// The directed relations `geosim run --relations SPEC` keeps, as `tension_csv`'s `rows`: SPEC is
/// a comma-separated list of FROM/TO (one direction), A-B (both directions) and top:N (the N
/// relations that moved most from the first step to the last, ties in the file's order). On a
/// malformed item, an unknown actor or a pair without a relation: empty and a one-line `error`.
std::vector<unsigned char> select_relations(const Scenario& scenario, const RunResult& result, const std::string& spec,
                                            std::string& error);

/// Indicators: `step,date,<indicator ids...>`.
void write_indicators_csv(std::ostream& out, const Scenario& scenario, const RunResult& result);

/// The final state (every relation; none when `relations_too` is false) and the log of applied
/// events, with the run's settings.
nlohmann::json run_record(const Scenario& scenario, const RunResult& result, std::uint64_t seed,
                          bool relations_too = true);

/// `run_record(...).dump(2) + "\n"`, the same bytes, without building a JSON object per relation.
std::string run_record_text(const Scenario& scenario, const RunResult& result, std::uint64_t seed);

/// ", set: NAME=VALUE, ..." naming a scenario's --set settings (Scenario::settings) on a line
/// for the terminal (escaped); "" without any.
std::string settings_clause(const std::vector<std::string>& settings);

/// A short readable summary: indicators start -> end, the relations that moved most and the
/// events that moved them.
std::string run_summary(const Scenario& scenario, const RunResult& result, std::uint64_t seed);

}  // namespace geosim
