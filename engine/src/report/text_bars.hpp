#pragma once
// Unicode block bars for the terminal summaries of analyze and explain, and the decimals that
// show a column of scores beside them.

#include <algorithm>
#include <cmath>
#include <string>

namespace geosim::detail {

/// A bar of `value / scale * width` cells, in eighths of a cell ("█", "▏" ... "▉").
inline std::string bar(double value, double scale, int width) {
  static const char* const partial[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  if (!(scale > 0.0) || !(value > 0.0)) return "";
  const int eighths = int(std::lround(std::min(value / scale, 1.0) * width * 8));
  std::string out;
  for (int k = 0; k < eighths / 8; ++k) out += "█";
  return out + partial[eighths % 8];
}

/// The decimals that show a column of scores in [0, 1] whose largest is `largest`: 3, or as
/// many as give the largest three significant digits (at most 9). At 200 actors the largest
/// betweenness is about 0.0001: at three decimals every score read 0.000 beside bars of
/// different lengths.
inline int decimals_for(double largest) {
  if (!(largest > 0.0) || largest >= 0.1) return 3;
  return std::clamp(2 - int(std::floor(std::log10(largest))), 3, 9);
}

/// A two-sided bar around an axis "│": negatives grow left, positives right, each side `width`
/// cells (whole and half cells on the left, eighths on the right).
inline std::string signed_bar(double value, double scale, int width) {
  std::string left, right;
  if (value < 0.0 && scale > 0.0) {
    const int halves = int(std::lround(std::min(-value / scale, 1.0) * width * 2));
    for (int k = 0; k < halves / 2; ++k) left += "█";
    if (halves % 2) left = "▐" + left;
    const int cells = halves / 2 + halves % 2;
    left = std::string(std::size_t(width - cells), ' ') + left;
  } else {
    left = std::string(std::size_t(width), ' ');
    right = bar(value, scale, width);
  }
  return left + "│" + right;
}

}  // namespace geosim::detail
