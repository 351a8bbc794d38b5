#pragma once
/// \file
/// An analysis for a reader: the terminal sections of `geosim analyze` and its JSON record.

#include <nlohmann/json.hpp>
#include <string>

#include "geosim/analysis/analysis.hpp"

namespace geosim {

/// The whole analysis as JSON (actors by id).
nlohmann::json analysis_record(const Scenario& scenario, const Analysis& analysis);

/// Readable terminal sections.
std::string analysis_summary(const Scenario& scenario, const Analysis& analysis);

}  // namespace geosim
