#pragma once
/// \file
/// An explanation for a reader: the terminal table of `geosim explain`.

#include <string>

#include "geosim/analysis/explain.hpp"

namespace geosim {

/// A table sorted by size, with bars, for the terminal.
std::string explanation_table(const Scenario& scenario, const Explanation& explanation);

}  // namespace geosim
