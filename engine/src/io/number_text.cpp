// put_number6 and its wrappers (number_text.hpp).
#include "geosim/io/number_text.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <cstring>

namespace geosim {
namespace {
/// "00" to "99": two digits at a time.
constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

char* put_pair(char* p, std::uint32_t two) {
  std::memcpy(p, kPairs + 2 * two, 2);
  return p + 2;
}
}  // namespace

char* put_number6(char* p, double v) {
  // Fast path: |v| < 1000, where v * 1e6 (< 1e9) is within 2^-23 of the exact product, so its
  // nearest integer is the correctly rounded six-decimal value unless the product lies within
  // 1e-5 of a half, which goes to fmt (as does anything else: NaN, infinities, large values).
  const double magnitude = std::fabs(v);
  if (!(magnitude < 1000.0)) return fmt::format_to_n(p, kNumber6Room, "{:.6f}", v).out;
  const double scaled = magnitude * 1e6;
  const auto whole = static_cast<std::uint64_t>(scaled);  // truncation: floor, as scaled >= 0
  const double fraction = scaled - static_cast<double>(whole);
  if (std::fabs(fraction - 0.5) < 1e-5) return fmt::format_to_n(p, kNumber6Room, "{:.6f}", v).out;
  const std::uint64_t q = whole + (fraction > 0.5 ? 1u : 0u);
  if (std::signbit(v)) *p++ = '-';  // fmt writes the sign of -0.0 and of what rounds to 0
  const auto integer = static_cast<std::uint32_t>(q / 1000000);  // at most 1000
  const auto rest = static_cast<std::uint32_t>(q % 1000000);
  if (integer >= 1000) {
    *p++ = char('0' + integer / 1000);
    p = put_pair(p, (integer / 10) % 100);
    *p++ = char('0' + integer % 10);
  } else if (integer >= 100) {
    *p++ = char('0' + integer / 100);
    p = put_pair(p, integer % 100);
  } else if (integer >= 10) {
    p = put_pair(p, integer);
  } else {
    *p++ = char('0' + integer);
  }
  *p++ = '.';
  p = put_pair(p, rest / 10000);
  p = put_pair(p, (rest / 100) % 100);
  return put_pair(p, rest % 100);
}

void append_number6(std::string& out, double v) {
  char buffer[kNumber6Room];
  out.append(buffer, std::size_t(put_number6(buffer, v) - buffer));
}

std::string number6(double v) {
  std::string out;
  append_number6(out, v);
  return out;
}

}  // namespace geosim
