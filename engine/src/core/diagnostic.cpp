#include "geosim/core/diagnostic.hpp"

#include <algorithm>

#include "geosim/core/control_chars.hpp"
#include "text.hpp"

namespace geosim {

namespace {
// A diagnostic is one line whatever the input held: a value quoted from a file may span lines
// or carry control bytes, which would split or garble the line on a terminal. Line breaks and
// tabs are shown as \n, \r, \t, other ASCII controls as \xNN, and what else a terminal must not
// receive (terminal_control: C1 controls, U+FFFE/U+FFFF, U+2028/U+2029, bidirectional
// formatting) as '?'; a byte that is not UTF-8 as \xNN.
std::string one_line(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const std::size_t length = utf8_length(text, i);  // 0: not UTF-8, shown as \xNN
    const std::size_t control = length == 0 ? 1 : terminal_control(text, i);
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (control == 1)
      out += "\\x" + text::hex2(static_cast<unsigned char>(c));
    else if (control > 1) {
      out += '?';
      i += control - 1;
    } else {
      out.append(text, i, length);
      i += length - 1;
    }
  }
  return out;
}

std::string located(const Diagnostic& d) {
  return one_line(d.file) + ":" + std::to_string(d.line) + ":" + std::to_string(d.column);
}
}  // namespace

std::string format_diagnostic(const Diagnostic& d) {
  if (d.line > 0) return located(d) + ": error: " + one_line(d.message);
  return one_line(d.file) + ": error: " + one_line(d.message);
}

std::string format_warning(const Diagnostic& d) {
  if (d.line > 0) return located(d) + ": warning: " + one_line(d.message);
  return one_line(d.file) + ": warning: " + one_line(d.message);
}

bool is_located_error(std::string_view message) {
  const std::size_t at = message.find(": error: ");
  if (at == std::string_view::npos) return false;
  std::string_view place = message.substr(0, at);  // FILE:LINE:COLUMN
  for (int field = 0; field < 2; ++field) {        // the column, then the line: digits after a ':'
    const std::size_t colon = place.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == place.size() ||
        place.find_first_not_of("0123456789", colon + 1) != std::string_view::npos)
      return false;
    place = place.substr(0, colon);
  }
  return !place.empty();
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const bool same =
          std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const std::size_t gap =
        word.size() > candidate.size() ? word.size() - candidate.size() : candidate.size() - word.size();
    if (gap >= best_distance) continue;  // the distance is at least the difference in length
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::string quote_word(const std::string& word) {
  if (word.size() <= kWordQuoted) return "'" + word + "'";
  // Not inside a character: back over at most three continuation bytes (more: not UTF-8, cut there).
  std::size_t cut = kWordStartQuoted;
  for (int back = 0; back < 3 && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80; ++back) --cut;
  if ((static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) cut = kWordStartQuoted;
  return "'" + word.substr(0, cut) + "...' (" + std::to_string(word.size()) + " bytes)";
}

std::string name_list(const std::vector<std::string>& names, std::size_t shown) {
  if (names.empty()) return "none";
  std::string out;
  const std::size_t listed = std::min(names.size(), std::max<std::size_t>(shown, 1));
  for (std::size_t k = 0; k < listed; ++k) out += (k ? ", " : "") + names[k];
  if (names.size() > listed) out += ", and " + std::to_string(names.size() - listed) + " more";
  return out;
}

std::string did_you_mean(const std::string& guess) {
  return guess.empty() ? std::string() : "; did you mean '" + guess + "'?";
}

std::string unknown_name(const std::string& what, const std::string& word, const std::vector<std::string>& known) {
  const std::string guess = closest_match(word, known);
  if (!guess.empty()) return "unknown " + what + " " + quote_word(word) + did_you_mean(guess);
  return "unknown " + what + " " + quote_word(word) + " (known: " + name_list(known) + ")";
}

}  // namespace geosim
