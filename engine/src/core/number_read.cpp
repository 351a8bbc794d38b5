#include "geosim/core/number_read.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <system_error>

namespace geosim {

const char* read_finite(std::string_view text, double& value, bool plus) {
  if (plus && !text.empty() && text[0] == '+') {
    text.remove_prefix(1);
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) return "not a number";
  }
  double read = 0.0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, read);
  if (ec == std::errc::result_out_of_range && ptr == end) {
    // out of range one way or the other: strtod (the "C" locale: geosim never sets one) rounds an
    // underflow towards 0 and an overflow to infinity
    const std::string copy(text);
    return std::fabs(std::strtod(copy.c_str(), nullptr)) < 1.0 ? "too small to represent" : "too large to represent";
  }
  if (ec != std::errc() || ptr != end || text.empty() || std::isnan(read)) return "not a number";
  if (std::isinf(read)) return "infinite";
  value = read;
  return nullptr;
}

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace geosim
