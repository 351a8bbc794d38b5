#include "geosim/io/text_position.hpp"

namespace geosim {

TextPosition text_position(std::string_view text, std::size_t offset) {
  TextPosition p{1, 1};
  for (std::size_t k = 0; k < offset && k < text.size(); ++k) {
    if (text[k] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return 0;
  const auto b1 = n > 1 ? static_cast<unsigned char>(s[i + 1]) : 0;
  if (n == 2 && b < 0xC2) return 0;                 // overlong
  if (n == 3 && b == 0xE0 && b1 < 0xA0) return 0;   // overlong
  if (n == 3 && b == 0xED && b1 >= 0xA0) return 0;  // a UTF-16 surrogate
  if (n == 4 && b == 0xF0 && b1 < 0x90) return 0;   // overlong
  if (n == 4 && (b > 0xF4 || (b == 0xF4 && b1 >= 0x90))) return 0;  // above U+10FFFF
  return n;
}

}  // namespace geosim
