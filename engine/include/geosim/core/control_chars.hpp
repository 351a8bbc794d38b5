#pragma once
/// The characters no output may carry as they are, classified once for every escaper: the
/// terminal's and the diagnostics' (shown as '?'), and XML/HTML's (dropped or closed; see
/// io/escape.hpp). In the core so that its diagnostics (core/diagnostic.hpp) can use it too.
#include <cstddef>
#include <string_view>

namespace geosim {

/// The length in bytes of a UTF-8 C1 control (U+0080 to U+009F, bytes C2 80 to C2 9F) or
/// noncharacter U+FFFE / U+FFFF (EF BF BE, EF BF BF) at byte `i` of `text`; 0 for anything else.
std::size_t c1_or_nonchar(std::string_view text, std::size_t i);

/// The bidirectional formatting character at byte `i` of `text` (UTF-8 E2 80 AA..AE: LRE, RLE,
/// PDF, LRO, RLO; E2 81 A6..A9: LRI, RLI, FSI, PDI; three bytes): its last byte, or 0 for
/// anything else.
unsigned char bidi_control(std::string_view text, std::size_t i);

/// The length in bytes of a character at byte `i` of `text` that a terminal must not receive as
/// it is: a C0 control (line breaks and tabs included) or DEL (1), a C1 control or U+FFFE/U+FFFF
/// (c1_or_nonchar), the line and paragraph separators U+2028/U+2029, the invisible U+200B,
/// U+200E, U+200F and U+FEFF, or a bidirectional embedding, override or isolate (3); 0 for
/// anything else. Bytes that are not UTF-8 are
/// utf8_length's to find.
std::size_t terminal_control(std::string_view text, std::size_t i);

/// The length of the UTF-8 character starting at byte `i` of `text` (1 to 4), or 0 when it is not
/// valid UTF-8 there (a stray byte, overlong, a surrogate, above U+10FFFF, cut off at the end).
std::size_t utf8_length(std::string_view text, std::size_t i);

/// Whether all of `text` is UTF-8 (utf8_length finds a character at each).
bool valid_utf8(std::string_view text);

}  // namespace geosim
