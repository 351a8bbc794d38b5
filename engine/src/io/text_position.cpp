#include "geosim/io/text_position.hpp"

#include <algorithm>

namespace geosim {

TextPosition text_position(std::string_view text, std::size_t offset) {
  TextPosition p{1, 1};
  // A byte order mark starts the text but is no character of its first line (editors hide it).
  const std::size_t bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  for (std::size_t k = bom; k < offset && k < text.size();) {
    if (text[k] == '\n') {
      ++p.line;
      p.column = 1;
      ++k;
    } else {
      ++p.column;
      k += std::max<std::size_t>(utf8_length(text, k), 1);  // a character, or a stray byte
    }
  }
  return p;
}

}  // namespace geosim
