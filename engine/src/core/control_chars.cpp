// The characters no output may carry as they are (see geosim/core/control_chars.hpp).
#include "geosim/core/control_chars.hpp"

namespace geosim {

namespace {
unsigned byte_at(std::string_view t, std::size_t k) { return k < t.size() ? static_cast<unsigned char>(t[k]) : 0u; }
}  // namespace

std::size_t c1_or_nonchar(std::string_view t, std::size_t i) {
  if (byte_at(t, i) == 0xC2 && byte_at(t, i + 1) >= 0x80 && byte_at(t, i + 1) <= 0x9F) return 2;
  if (byte_at(t, i) == 0xEF && byte_at(t, i + 1) == 0xBF && (byte_at(t, i + 2) == 0xBE || byte_at(t, i + 2) == 0xBF))
    return 3;
  return 0;
}

unsigned char bidi_control(std::string_view t, std::size_t i) {
  if (byte_at(t, i) != 0xE2) return 0;
  const unsigned last = byte_at(t, i + 2);
  if (byte_at(t, i + 1) == 0x80 && last >= 0xAA && last <= 0xAE) return static_cast<unsigned char>(last);
  if (byte_at(t, i + 1) == 0x81 && last >= 0xA6 && last <= 0xA9) return static_cast<unsigned char>(last);
  return 0;
}

std::size_t terminal_control(std::string_view t, std::size_t i) {
  const unsigned u = byte_at(t, i);
  if (i < t.size() && (u < 0x20 || u == 0x7f)) return 1;
  if (const std::size_t n = c1_or_nonchar(t, i)) return n;
  if (u == 0xE2 && byte_at(t, i + 1) == 0x80 && (byte_at(t, i + 2) == 0xA8 || byte_at(t, i + 2) == 0xA9))
    return 3;  // U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR
  // Invisible: U+200B ZERO WIDTH SPACE, U+200E/U+200F (the left-to-right and right-to-left marks),
  // U+FEFF (a byte order mark): a quoted word holding one would look like another.
  if (u == 0xE2 && byte_at(t, i + 1) == 0x80 &&
      (byte_at(t, i + 2) == 0x8B || byte_at(t, i + 2) == 0x8E || byte_at(t, i + 2) == 0x8F))
    return 3;
  if (u == 0xEF && byte_at(t, i + 1) == 0xBB && byte_at(t, i + 2) == 0xBF) return 3;
  return bidi_control(t, i) ? 3 : 0;
}

std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return 0;
  const auto b1 = n > 1 ? static_cast<unsigned char>(s[i + 1]) : 0;
  if (n == 2 && b < 0xC2) return 0;                                 // overlong
  if (n == 3 && b == 0xE0 && b1 < 0xA0) return 0;                   // overlong
  if (n == 3 && b == 0xED && b1 >= 0xA0) return 0;                  // a UTF-16 surrogate
  if (n == 4 && b == 0xF0 && b1 < 0x90) return 0;                   // overlong
  if (n == 4 && (b > 0xF4 || (b == 0xF4 && b1 >= 0x90))) return 0;  // above U+10FFFF
  return n;
}

bool valid_utf8(std::string_view t) {
  for (std::size_t i = 0; i < t.size();) {
    const std::size_t n = utf8_length(t, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace geosim
