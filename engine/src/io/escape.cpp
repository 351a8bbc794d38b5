// The escapers for DOT, CSV, Markdown, YAML, XML/HTML text and the terminal (see geosim/io/escape.hpp).
#include "geosim/io/escape.hpp"

#include "geosim/core/control_chars.hpp"

#include <algorithm>
#include <cstring>

namespace geosim {

std::string dot_quoted(std::string_view raw) {
  const std::string text = bidi_closed(raw);
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (const std::size_t skip = c1_or_nonchar(text, i)) {  // dropped like the other controls
      i += skip - 1;
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    if (c == '&')  // Graphviz reads "&amp;", "&lt;", "&#65;" in any string as the character
      out += "&amp;";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')  // a space, so the words on either side stay apart
      out += ' ';
    else if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f)
      out += c;
  }
  return out + '"';
}

std::string csv_field(std::string_view raw) {
  const std::string text = without_controls(raw);  // a terminal `cat`s the file: no escape, bell or C1
  // A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before
  // one) as a formula: such a text starts with a quote mark, which shows it as text (OWASP's
  // advice on CSV injection).
  const bool formula = !text.empty() && std::strchr("=+-@\t\r", text.front()) != nullptr;
  const bool quote = formula || text.find_first_of(",\"\r\n") != std::string::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) return text;
  std::string out = formula ? "\"'" : "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string markdown_text(std::string_view raw) {
  const std::string text = without_controls(raw);  // a terminal `cat`s the file: no escape, bell or C1
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else {
      if (std::strchr("\\`*_[]|#!~", c) && c != '\0') out += '\\';
      out += c;
    }
  }
  return out;
}

std::string markdown_code(std::string_view text) {
  std::string body = without_controls(text);
  std::replace(body.begin(), body.end(), '\n', ' ');
  std::replace(body.begin(), body.end(), '\r', ' ');
  std::size_t longest = 0, run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad =
      body.empty() || (body.front() == '`' || body.back() == '`' || (body.front() == ' ' && body.back() == ' '));
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string yaml_quoted(std::string_view text) {
  static const char* const hex = "0123456789abcdef";
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string bidi_closed(std::string_view text) {
  bool any = false;
  for (std::size_t i = 0; i < text.size() && !any; ++i) any = bidi_control(text, i) != 0;
  if (!any) return std::string(text);
  constexpr unsigned char kPdf = 0xAC, kPdi = 0xA9;
  std::string out, open;  // open: what each open embedding (kPdf) or isolate (kPdi) needs to close
  out.reserve(text.size() + 12);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char b = bidi_control(text, i);
    if (b == 0) {
      out += text[i];
      continue;
    }
    const std::string_view code = text.substr(i, 3);
    i += 2;
    if (b == kPdf) {  // closes the latest embedding or override, not past an open isolate
      if (open.empty() || static_cast<unsigned char>(open.back()) != kPdf) continue;
      open.pop_back();
    } else if (b == kPdi) {  // closes the latest isolate and the embeddings opened inside it
      const std::size_t isolate = open.rfind(static_cast<char>(kPdi));
      if (isolate == std::string::npos) continue;
      for (std::size_t k = open.size(); k-- > isolate + 1;) out += "\xE2\x80\xAC";
      open.resize(isolate);
    } else {
      open += static_cast<char>(b <= 0xA8 ? kPdi : kPdf);  // LRI, RLI, FSI: an isolate
    }
    out += code;
  }
  for (std::size_t k = open.size(); k-- > 0;)
    out += static_cast<unsigned char>(open[k]) == kPdi ? "\xE2\x81\xA9" : "\xE2\x80\xAC";
  return out;
}

std::string without_controls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    if (const std::size_t skip = c1_or_nonchar(text, i)) {
      i += skip - 1;
      continue;
    }
    if ((u >= 0x20 && u != 0x7f) || c == '\t' || c == '\n' || c == '\r') out += c;
  }
  return bidi_closed(out);
}

std::string terminal_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    // An escape sequence, a line break, a C1 control (U+009B can start a terminal sequence) or a
    // bidirectional override (would reorder the rest of the terminal's line).
    // A byte that is not UTF-8 (an argument or a typed line may hold one) is shown as '?' too.
    const std::size_t length = utf8_length(text, i);
    if (const std::size_t skip = length == 0 ? 1 : terminal_control(text, i)) {
      out += '?';
      i += skip - 1;
    } else {
      out.append(text, i, length);
      i += length - 1;
    }
  }
  return out;
}

}  // namespace geosim

namespace geosim {

std::string shell_word(std::string_view text) {
  static constexpr std::string_view plain = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/+-=,:@%";
  if (!text.empty() && text.find_first_not_of(plain) == std::string_view::npos) return std::string(text);
  // Single quotes hold anything but a quote; a character a terminal would act on (or not UTF-8)
  // needs bash's $'...' and \xNN, which copies back as the same bytes.
  bool single = true;
  for (std::size_t i = 0; i < text.size() && single; ++i) {
    const std::size_t length = utf8_length(text, i);
    if (length == 0 || terminal_control(text, i) != 0)
      single = false;
    else
      i += length - 1;
  }
  std::string out;
  if (single) {
    out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  }
  out = "$'";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::size_t length = utf8_length(text, i);
    if (length == 0 || terminal_control(text, i) != 0) {
      const std::size_t bytes = length == 0 ? 1 : std::max<std::size_t>(terminal_control(text, i), 1);
      for (std::size_t b = 0; b < bytes; ++b) {
        const auto byte = static_cast<unsigned char>(text[i + b]);
        out += "\\x";
        out += "0123456789abcdef"[byte >> 4];
        out += "0123456789abcdef"[byte & 15];
      }
      i += bytes - 1;
    } else if (text[i] == '\'' || text[i] == '\\') {
      out += '\\';
      out += text[i];
    } else {
      out.append(text, i, length);
      i += length - 1;
    }
  }
  return out + "'";
}

}  // namespace geosim
