#pragma once
/// \file
/// CAMEO event codes and their Goldstein weights (-10 = most hostile, +10 = most cooperative),
/// used to size an event's effects when the scenario gives no size, and the rule for how much
/// of a coded event lasts. See docs/grounding.md, "CAMEO codes".

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace geosim {

/// One row of the CAMEO-to-Goldstein table.
struct CameoCode {
  std::string_view code;  ///< "01" ... "20", three- and four-digit codes, with leading zeros
  double weight = 0.0;    ///< Goldstein weight, -10 ... +10
};

/// Every code of the table (311 codes, in the table's order).
std::span<const CameoCode> cameo_codes();

/// The Goldstein weight of a CAMEO code ("042", "06", "0874", ...), exactly as written:
/// nullopt for a code not in the table (a code is never read as its root).
std::optional<double> goldstein_weight(const std::string& cameo_code);

/// Known codes close to an unknown one, for messages: those sharing its longest prefix
/// ("099" -> "09, 090, 091, 092, 093, 094"), or the code with a lost leading zero ("42" -> "042").
std::string cameo_suggestion(const std::string& code);

/// The four quad classes of the CAMEO roots (GDELT event codebook): 01-05, 06-08, 09-13, 14-20.
enum class QuadClass { verbal_cooperation, material_cooperation, verbal_conflict, material_conflict };

/// The quad class of a known code (by its two-digit root).
QuadClass quad_class(const std::string& code);

/// The share of a CAMEO-sized tension change that also moves the baseline (lasts): 0.5 for
/// material cooperation and material conflict (06-08, 14-20) and for 057 "sign formal
/// agreement"; 0 for verbal acts. An event's `lasting:` overrides it.
double lasting_share(const std::string& code);

/// The default tension change of an event with this Goldstein weight: -weight / 100, so a
/// cooperative act (+4.0) lowers tension by 0.04 and an assault (-9.0) raises it by 0.09.
inline double tension_change_for_goldstein(double weight) { return -weight / 100.0; }

}  // namespace geosim
