#pragma once
/// \file
/// A problem found in an input file, with where it is.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace geosim {

/// One problem in a user's file. Lines and columns count from 1; 0 means unknown.
struct Diagnostic {
  std::string file;     ///< path as the user gave it
  int line = 0;         ///< 1-based line, 0 if unknown
  int column = 0;       ///< 1-based column, 0 if unknown
  std::string message;  ///< what was expected and what was found
};

/// "file:line:column: error: message" on one line.
std::string format_diagnostic(const Diagnostic& d);

/// The same with "warning:" for a problem that does not stop the file from loading.
std::string format_warning(const Diagnostic& d);

/// True when `message` is an error line as format_diagnostic writes it for a place in a file
/// ("FILE:LINE:COLUMN: error: ..."): the CLI prints such a line as it is, without its own
/// "geosim: error: " before the place, so that editors and other tools find the place.
bool is_located_error(std::string_view message);

/// The candidate closest to `word` by edit distance, or "" if none is close. A candidate whose
/// length differs from the word's by more than the closeness allowed is not compared (its
/// distance is at least that difference), so a long word costs time in the candidates' lengths.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

/// The most bytes of a user's word a message quotes whole, and of a longer one's start.
inline constexpr std::size_t kWordQuoted = 80;
inline constexpr std::size_t kWordStartQuoted = 60;

/// `word` in single quotes as a message shows it: whole up to kWordQuoted bytes, else its first
/// kWordStartQuoted bytes (not cutting a UTF-8 character), "..." and, after the quotes, its
/// length ('abc...' (1048576 bytes)), so that a line stays short whatever a file or an argument
/// names.
std::string quote_word(const std::string& word);

/// How many names a message lists before it says how many more there are.
inline constexpr std::size_t kNamesListed = 10;

/// "a, b, c" for the first `shown` names, then ", and N more": a list of known names that stays
/// one readable line at 2,000 actors; "none" when there are none.
std::string name_list(const std::vector<std::string>& names, std::size_t shown = kNamesListed);

/// "; did you mean 'guess'?", or "" when `guess` is empty (closest_match found nothing close):
/// the one way a message offers a known name for a mistyped one.
std::string did_you_mean(const std::string& guess);

/// "unknown WHAT 'word'; did you mean 'y'?" when a known name is close, else "unknown WHAT 'word'
/// (known: a, b, ...)" (name_list).
std::string unknown_name(const std::string& what, const std::string& word, const std::vector<std::string>& known);

}  // namespace geosim
