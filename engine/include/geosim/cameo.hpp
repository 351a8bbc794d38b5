#pragma once
/// \file
/// CAMEO event codes and their Goldstein weights (-10 = most hostile, +10 = most cooperative),
/// used to size an event's effects when the scenario gives no size.

#include <optional>
#include <string>

namespace geosim {

/// The Goldstein weight of a CAMEO code ("042", "06", ...). A code not in the table falls back
/// to its two-digit root. nullopt when neither is known.
std::optional<double> goldstein_weight(const std::string& cameo_code);

/// The default tension change of an event with this Goldstein weight: -weight / 100, so a
/// cooperative act (+4.0) lowers tension by 0.04 and an assault (-9.0) raises it by 0.09.
inline double tension_change_for_goldstein(double weight) { return -weight / 100.0; }

}  // namespace geosim
