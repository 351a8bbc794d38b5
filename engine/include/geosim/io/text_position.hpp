#pragma once
/// \file
/// Where a byte of a text sits, as a 1-based line and column: for the diagnostics of inputs
/// whose parsers report a byte offset (JSON: a saved session, iso-codes' table); and whether a
/// byte starts a valid UTF-8 character.

#include <cstddef>
#include <string_view>

namespace geosim {

/// A 1-based line and column (columns count bytes); 0, 0 when unknown.
struct TextPosition {
  int line = 0;
  int column = 0;
};

/// The line and column of byte `offset` (0-based) of `text`; past the end, the end's.
TextPosition text_position(std::string_view text, std::size_t offset);

/// The length of the UTF-8 character starting at byte `i` of `text` (1 to 4), or 0 when it is not
/// valid UTF-8 there (a stray byte, overlong, a surrogate, above U+10FFFF, cut off at the end).
std::size_t utf8_length(std::string_view text, std::size_t i);

}  // namespace geosim
