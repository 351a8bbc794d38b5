#pragma once
/// \file
/// The one six-decimal number text of geosim's CSV, Markdown and terminal outputs.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

namespace geosim {

/// Room put_number6 may need at `p` (the longest text of a double with six decimals, sign
/// included, is 317 bytes).
inline constexpr std::size_t kNumber6Room = 400;

/// put_number6 for what its fast path leaves: fmt's "{:.6f}".
char* put_number6_fmt(char* p, double v);

/// Writes `v` with six decimals at `p` (kNumber6Room bytes of room), the same text as fmt's
/// "{:.6f}" (correctly rounded, "-0.000000" for -0.0, "nan", "inf"); returns the end. Inline
/// (tension.csv writes millions): |v| < 1000 here, anything else by put_number6_fmt.
inline char* put_number6(char* p, double v) {
  // |v| < 1000: v * 1e6 (< 1e9) is within 2^-23 of the exact product, so its nearest integer is
  // the correctly rounded six-decimal value unless the product lies within 1e-5 of a half,
  // which goes to fmt (as does anything else: NaN, infinities, large values).
  const double magnitude = std::fabs(v);
  if (!(magnitude < 1000.0)) return put_number6_fmt(p, v);
  const double scaled = magnitude * 1e6;
  const auto whole = static_cast<std::int32_t>(scaled);  // truncation: floor, as 0 <= scaled < 1e9
  const double fraction = scaled - static_cast<double>(whole);
  if (std::fabs(fraction - 0.5) < 1e-5) return put_number6_fmt(p, v);
  const std::uint32_t q = static_cast<std::uint32_t>(whole) + (fraction > 0.5 ? 1u : 0u);
  if (std::signbit(v)) *p++ = '-';  // fmt writes the sign of -0.0 and of what rounds to 0
  static constexpr char kPairs[] =  // "00" to "99": two digits at a time
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  auto pair = [&p](std::uint32_t two) {
    std::memcpy(p, kPairs + 2 * two, 2);
    p += 2;
  };
  const std::uint32_t integer = q / 1000000, rest = q % 1000000;  // integer at most 1000
  if (integer >= 1000) {
    *p++ = char('0' + integer / 1000);
    pair((integer / 10) % 100);
    *p++ = char('0' + integer % 10);
  } else if (integer >= 100) {
    *p++ = char('0' + integer / 100);
    pair(integer % 100);
  } else if (integer >= 10) {
    pair(integer);
  } else {
    *p++ = char('0' + integer);
  }
  *p++ = '.';
  pair(rest / 10000);
  pair((rest / 100) % 100);
  pair(rest % 100);
  return p;
}

/// Appends `v` as put_number6 writes it.
void append_number6(std::string& out, double v);

/// `v` as put_number6 writes it.
std::string number6(double v);

/// A change as the summaries, the log, the reports and the pages show it: `decimals` places with
/// its sign ("+0.012", "-0.300"), and "0.000" without one when it rounds to zero (never
/// "-0.000" or "+0.000").
std::string signed_change(double v, int decimals = 3);

}  // namespace geosim
