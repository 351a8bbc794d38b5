#pragma once
/// \file
/// An explanation for a reader: the terminal table of `geosim explain`.

#include <string>

#include "geosim/analysis/explain.hpp"

namespace geosim {

/// A table sorted by size, with bars, for the terminal; changes to `digits` decimals (0, the
/// default: explanation_digits()). When the parts as shown do not add up to the sum shown (each
/// is rounded), a line says so. Parts that are zero are named after it, at most kZeroPartsNamed.
std::string explanation_table(const Scenario& scenario, const Explanation& explanation, int digits = 0);

/// The decimals that show the largest part with two significant digits: 4, or more (at most 12)
/// when it is under 0.001. In a 200-state world a relation's parts are about 1e-7 (world-200's
/// ABW -> HTI over a year): at 4 decimals every one read +0.0000 beside bars of different lengths.
int explanation_digits(const Explanation& explanation);

/// Most zero parts explain names (a 200-state world has 200 of them): the rest are counted.
inline constexpr std::size_t kZeroPartsNamed = 8;

}  // namespace geosim
