#pragma once
/// \file
/// The one six-decimal number text of geosim's CSV, Markdown and terminal outputs.
#include <string>

namespace geosim {

/// Room put_number6 may need at `p` (the longest text of a double with six decimals, sign
/// included, is 317 bytes).
inline constexpr std::size_t kNumber6Room = 400;

/// Writes `v` with six decimals at `p` (kNumber6Room bytes of room), the same text as fmt's
/// "{:.6f}" (correctly rounded, "-0.000000" for -0.0, "nan", "inf"); returns the end. Fast
/// for |v| < 1000.
char* put_number6(char* p, double v);

/// Appends `v` as put_number6 writes it.
void append_number6(std::string& out, double v);

/// `v` as put_number6 writes it.
std::string number6(double v);

}  // namespace geosim
