#pragma once
/// \file
/// Where a byte of a text sits, as a 1-based line and column: for the diagnostics of inputs
/// whose parsers report a byte offset (JSON: a saved session, iso-codes' table). Whether a byte
/// starts a valid UTF-8 character is utf8_length (core/control_chars.hpp).

#include <cstddef>
#include <string_view>

#include "geosim/core/control_chars.hpp"

namespace geosim {

/// A 1-based line and column; 0, 0 when unknown. Columns count characters, as an editor does
/// (and the scenario loader): "Hà Nội" is 6 of them; a byte that is no UTF-8 counts as one.
struct TextPosition {
  int line = 0;
  int column = 0;
};

/// The line and column of byte `offset` (0-based) of `text`; past the end, the end's. A byte
/// order mark that starts the text is no column.
TextPosition text_position(std::string_view text, std::size_t offset);

}  // namespace geosim
