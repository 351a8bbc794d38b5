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

}  // namespace geosim
