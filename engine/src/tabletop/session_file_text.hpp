#pragma once
/// \file
/// What session_file.cpp (reading) and session_file_write.cpp (writing) both check of a text a
/// session file holds.

#include <algorithm>
#include <string>

#include "geosim/tabletop/session_file.hpp"

namespace geosim::detail {

/// Plain text of at most kMaxSessionText bytes: no control characters (a terminal escape, a
/// newline that would split a message), so it may be named in messages.
inline bool plain_text(const std::string& text, std::size_t limit = kMaxSessionText) {
  if (text.size() > limit) return false;
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

}  // namespace geosim::detail
