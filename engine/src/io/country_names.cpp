// Countries of actors and of names: actors' ISO 3166 alpha-3 codes, and the country names of
// Debian's iso-codes (for ICEWS files, which name countries).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "geosim/core/diagnostic.hpp"
#include "geosim/io/event_ingest.hpp"
#include "geosim/io/input_file.hpp"
#include "geosim/io/text_position.hpp"

namespace geosim {
namespace {

/// A string value of a FlatJsonObjects object, and the byte its opening quote is at (0-based).
struct FlatString {
  std::string text;
  std::size_t at = 0;
};

/// The objects of a JSON text that hold no object or array (as iso-codes' entries), each as
/// key -> string value (number, true/false/null values skipped): enough for iso_3166-1.json
/// without a JSON library in this layer. The text is checked as JSON (RFC 8259) on the way:
/// `error` says the first problem and `error_at` its byte offset, and nothing is kept then.
struct FlatJsonObjects {
  std::vector<std::map<std::string, FlatString, std::less<>>> objects;
  std::string error;                    ///< "" = valid JSON
  std::size_t error_at = 0;             ///< the byte the error is at (0-based)
  static constexpr int kMaxDepth = 64;  ///< nesting allowed (iso-codes needs 3)

  explicit FlatJsonObjects(std::string_view text) : t(text) {
    blank();
    if (value(0, nullptr)) {
      blank();
      if (i < t.size()) fail("unexpected text after the JSON value");
    }
    if (!error.empty()) objects.clear();
  }

 private:
  std::string_view t;
  std::size_t i = 0;

  bool fail(const char* what) {
    if (error.empty()) {
      error = what;
      error_at = i;
    }
    return false;
  }
  void blank() {
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) ++i;
  }
  static int hex(char h) {
    return h >= '0' && h <= '9'   ? h - '0'
           : h >= 'a' && h <= 'f' ? h - 'a' + 10
           : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                  : -1;
  }
  /// A string at i (its opening quote), escapes decoded (\uXXXX as UTF-8, surrogates as '?').
  bool string(std::string& value) {
    value.clear();
    for (++i; i < t.size(); ++i) {
      const char c = t[i];
      if (c == '"') {
        ++i;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return fail("a control character inside a string");
      if (static_cast<unsigned char>(c) >= 0x80) {  // JSON text is UTF-8 (RFC 8259)
        const std::size_t n = utf8_length(t, i);
        if (n == 0) return fail("an invalid UTF-8 byte inside a string");
        value.append(t.substr(i, n));
        i += n - 1;
        continue;
      }
      if (c != '\\') {
        value += c;
        continue;
      }
      if (++i >= t.size()) break;
      switch (t[i]) {
        case 'n':
          value += '\n';
          break;
        case 't':
          value += '\t';
          break;
        case 'r':
          value += '\r';
          break;
        case 'b':
          value += '\b';
          break;
        case 'f':
          value += '\f';
          break;
        case '"':
        case '\\':
        case '/':
          value += t[i];
          break;
        case 'u': {
          unsigned cp = 0;
          for (std::size_t k = 1; k <= 4; ++k) {
            const int h = i + k < t.size() ? hex(t[i + k]) : -1;
            if (h < 0) return fail("expected 4 hexadecimal digits after \\u");
            cp = cp * 16 + unsigned(h);
          }
          i += 4;
          if (cp >= 0xD800 && cp <= 0xDFFF)
            value += '?';
          else if (cp < 0x80)
            value += char(cp);
          else if (cp < 0x800)
            value += char(0xC0 | (cp >> 6)), value += char(0x80 | (cp & 0x3F));
          else
            value += char(0xE0 | (cp >> 12)), value += char(0x80 | ((cp >> 6) & 0x3F)),
                value += char(0x80 | (cp & 0x3F));
          break;
        }
        default:
          return fail("an unknown escape in a string");
      }
    }
    return fail("a string without its closing quote");
  }
  bool digits() {
    const std::size_t from = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > from || fail("expected a digit");
  }
  bool number() {
    if (t[i] == '-') ++i;
    if (i < t.size() && t[i] == '0')
      ++i;
    else if (!digits())
      return false;
    if (i < t.size() && t[i] == '.' && (++i, !digits())) return false;
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
      ++i;
      if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
      if (!digits()) return false;
    }
    return true;
  }
  /// The value at i; a string's text in `*scalar` when given. Sets `nested` for a container.
  bool value(int depth, std::string* scalar, bool* nested = nullptr) {
    if (i >= t.size()) return fail("expected a value, found the end of the text");
    const char c = t[i];
    if (c == '"') {
      std::string text;
      if (!string(text)) return false;
      if (scalar) *scalar = std::move(text);
      return true;
    }
    if (c == '{' || c == '[') {
      if (nested) *nested = true;
      if (depth >= kMaxDepth) return fail("nested deeper than 64 levels");
      return c == '{' ? object(depth + 1) : array(depth + 1);
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    for (std::string_view word : {"true", "false", "null"})
      if (t.substr(i, word.size()) == word) {
        i += word.size();
        return true;
      }
    return fail("expected a value (a string, number, object, array, true, false or null)");
  }
  bool object(int depth) {
    ++i;  // '{'
    std::map<std::string, FlatString, std::less<>> fields;
    bool nested = false;
    blank();
    if (i < t.size() && t[i] == '}') {
      ++i;
      objects.push_back(std::move(fields));
      return true;
    }
    for (;;) {
      blank();
      std::string key, text;
      if (i >= t.size() || t[i] != '"') return fail("expected a key in quotes");
      if (!string(key)) return false;
      blank();
      if (i >= t.size() || t[i] != ':') return fail("expected ':' after a key");
      ++i;
      blank();
      const bool is_string = i < t.size() && t[i] == '"';
      const std::size_t at = i;
      if (!value(depth, &text, &nested)) return false;
      if (is_string) fields[key] = {std::move(text), at};
      blank();
      if (i < t.size() && t[i] == ',') {
        ++i;
        continue;
      }
      if (i < t.size() && t[i] == '}') break;
      return fail("expected ',' or '}'");
    }
    ++i;
    if (!nested) objects.push_back(std::move(fields));
    return true;
  }
  bool array(int depth) {
    ++i;  // '['
    blank();
    if (i < t.size() && t[i] == ']') {
      ++i;
      return true;
    }
    for (;;) {
      blank();
      if (!value(depth, nullptr)) return false;
      blank();
      if (i < t.size() && t[i] == ',') {
        ++i;
        continue;
      }
      if (i < t.size() && t[i] == ']') break;
      return fail("expected ',' or ']'");
    }
    ++i;
    return true;
  }
};

}  // namespace

std::vector<std::vector<std::string>> actor_countries(const Scenario& actors) {
  std::vector<std::vector<std::string>> out(actors.actor_count());
  for (std::size_t a = 0; a < actors.actor_count(); ++a) {
    const Actor& actor = actors.actors[a];
    if (!actor.countries.empty())
      out[a] = actor.countries;
    else if (actor.kind == ActorKind::state && country_code_index(actor.id) >= 0)
      out[a] = {actor.id};
  }
  for (std::size_t a = 0; a < actors.actor_count(); ++a) {
    const Actor& actor = actors.actors[a];
    if (actor.kind != ActorKind::organization || !actor.countries.empty()) continue;
    for (std::size_t m : actor.members)
      for (const std::string& code : out[m])
        if (std::find(out[a].begin(), out[a].end(), code) == out[a].end()) out[a].push_back(code);
  }
  return out;
}

std::vector<std::string> country_overlaps(const Scenario& actors) {
  const auto countries = actor_countries(actors);
  std::map<std::string, std::vector<std::string>> by_code;  // ordered: the lines come by code
  for (std::size_t a = 0; a < countries.size(); ++a)
    for (const std::string& code : countries[a]) by_code[code].push_back(actors.actors[a].id);
  std::vector<std::string> lines;
  for (const auto& [code, ids] : by_code)
    if (ids.size() > 1)
      lines.push_back(fmt::format("{} is stood for by {} and {}: each of its events counts for all {}", code,
                                  fmt::join(ids.begin(), ids.end() - 1, ", "), ids.back(), ids.size()));
  return lines;
}

std::string find_iso_codes(const std::string& path) {
  if (!path.empty()) return path;
  std::vector<std::string> dirs;
  if (const char* xdg = std::getenv("XDG_DATA_DIRS"); xdg && *xdg) {
    std::string list = xdg;
    for (std::size_t start = 0; start <= list.size();) {
      const std::size_t colon = std::min(list.find(':', start), list.size());
      if (colon > start) dirs.push_back(list.substr(start, colon - start));
      start = colon + 1;
    }
  }
  dirs.push_back("/usr/local/share");
  dirs.push_back("/usr/share");
  for (const auto& dir : dirs) {
    std::error_code ec;
    const std::string candidate = dir + "/iso-codes/json/iso_3166-1.json";
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
  }
  return {};
}

std::vector<IsoCountry> load_iso_countries(const std::string& path, std::string& error) {
  const std::string found = find_iso_codes(path);
  if (found.empty()) {
    error = "iso-codes/json/iso_3166-1.json not found under $XDG_DATA_DIRS, /usr/local/share or /usr/share";
    return {};
  }
  const InputText input = read_input_file(found);
  if (!input.text) {
    error = found + ": " + input.error;
    return {};
  }
  // A byte order mark (an editor's save) is no part of the JSON, nor of line 1's columns.
  std::string_view text = *input.text;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const FlatJsonObjects json(text);
  if (!json.error.empty()) {
    const TextPosition at = text_position(text, json.error_at);
    error = format_diagnostic({found, int(at.line), int(at.column), "not valid JSON: " + json.error});
    return {};
  }
  std::vector<IsoCountry> countries;
  std::vector<char> seen(26 * 26 * 26, 0);  // each alpha-3 code once: it becomes an actor's id
  // The names' lines and columns, counted on from the last one (the objects come in the text's
  // order): once through the text, as text_position counts, however many entries it has.
  std::size_t counted_to = 0;
  TextPosition counted{1, 1};
  auto position = [&](std::size_t at) {
    while (counted_to < at && counted_to < text.size())
      if (text[counted_to] == '\n')
        ++counted.line, counted.column = 1, ++counted_to;
      else
        ++counted.column, counted_to += std::max<std::size_t>(utf8_length(text, counted_to), 1);
    return counted;
  };
  for (const auto& entry : json.objects) {
    const auto code = entry.find("alpha_3");
    if (code == entry.end() || country_code_index(code->second.text) < 0) continue;
    if (seen[std::size_t(country_code_index(code->second.text))]++) {
      error = found + ": the country code '" + code->second.text + "' is there twice (not a table of iso-codes)";
      return {};
    }
    IsoCountry country;
    country.alpha_3 = code->second.text;
    if (const auto it = entry.find("alpha_2"); it != entry.end()) country.alpha_2 = it->second.text;
    for (const char* key : {"name", "official_name", "common_name"})
      if (const auto it = entry.find(key); it != entry.end()) country.names.push_back(it->second.text);
    auto name = entry.find("common_name");
    if (name == entry.end()) name = entry.find("name");
    if (name == entry.end()) name = entry.find("official_name");
    if (name != entry.end()) {
      country.name = name->second.text;
      country.name_at = position(name->second.at);
    } else
      country.name = country.alpha_3;
    countries.push_back(std::move(country));
  }
  if (countries.empty()) error = found + ": no country in it";
  return countries;
}

std::map<std::string, std::string, std::less<>> load_iso_country_names(const std::string& path, std::string& error) {
  std::map<std::string, std::string, std::less<>> names;
  for (const IsoCountry& country : load_iso_countries(path, error))
    for (std::string name : country.names) {
      for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
      names.emplace(name, country.alpha_3);
    }
  return names;
}

}  // namespace geosim
