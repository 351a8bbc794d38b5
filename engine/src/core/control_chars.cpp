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
  return bidi_control(t, i) ? 3 : 0;
}

}  // namespace geosim
