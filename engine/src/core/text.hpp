#pragma once
// Number formatting for the core's messages, with the standard library only (the core depends on
// Eigen alone). Locale-independent: snprintf's %f uses the "C" locale unless a program changes it,
// and geosim never does.
#include <cstdio>
#include <string>

namespace geosim::text {

/// `value` with `decimals` digits after the point, like fmt's "{:.Nf}".
inline std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

/// `value` in the shortest of %e/%f, like fmt's "{:g}".
inline std::string general(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

/// Two lower-case hex digits, like fmt's "{:02x}".
inline std::string hex2(unsigned value) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02x", value & 0xffu);
  return buffer;
}

}  // namespace geosim::text
