#pragma once
/// \file
/// An explanation for a reader: the terminal table of `geosim explain`.

#include <string>

#include "geosim/analysis/explain.hpp"

namespace geosim {

/// A table sorted by size, with bars, for the terminal; changes to `digits` decimals (default 4).
/// When the parts as shown do not add up to the sum shown (each is rounded), a line says so.
/// Parts that are zero are named after it, at most kZeroPartsNamed of them.
std::string explanation_table(const Scenario& scenario, const Explanation& explanation, int digits = 4);

/// Most zero parts explain names (a 200-state world has 200 of them): the rest are counted.
inline constexpr std::size_t kZeroPartsNamed = 8;

}  // namespace geosim
