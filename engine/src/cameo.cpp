#include "geosim/cameo.hpp"

#include <array>
#include <string_view>

namespace geosim {
namespace {

struct CameoWeight {
  std::string_view code;
  double weight;
};

// Goldstein weights of the CAMEO root codes and some sub-codes, from the CAMEO-to-Goldstein
// conversion table distributed with the CAMEO codebook (Schrodt 2012), as used by GDELT.
constexpr std::array<CameoWeight, 33> kWeights{{
    {"01", 0.0},   {"02", 3.0},   {"03", 4.0},   {"036", 4.0},  {"04", 1.0},   {"042", 1.9},
    {"043", 2.8},  {"046", 7.0},  {"05", 3.5},   {"051", 3.4},  {"057", 8.0},  {"06", 6.0},
    {"061", 6.4},  {"062", 7.4},  {"07", 7.0},   {"08", 5.0},   {"09", -2.0},  {"10", -5.0},
    {"11", -2.0},  {"111", -2.0}, {"12", -4.0},  {"13", -6.0},  {"138", -7.0}, {"14", -6.5},
    {"15", -7.2},  {"16", -4.0},  {"163", -8.0}, {"17", -7.0},  {"172", -5.0}, {"18", -9.0},
    {"19", -10.0}, {"20", -10.0}, {"195", -10.0},
}};

std::optional<double> lookup(std::string_view code) {
  for (const auto& entry : kWeights)
    if (entry.code == code) return entry.weight;
  return std::nullopt;
}

}  // namespace

std::optional<double> goldstein_weight(const std::string& cameo_code) {
  if (cameo_code.size() < 2 || cameo_code.size() > 4) return std::nullopt;
  for (char c : cameo_code)
    if (c < '0' || c > '9') return std::nullopt;
  if (auto w = lookup(cameo_code)) return w;
  return lookup(std::string_view(cameo_code).substr(0, 2));
}

}  // namespace geosim
