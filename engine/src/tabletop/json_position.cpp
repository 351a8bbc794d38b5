#include "json_position.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace geosim {
namespace {

/// A forward scanner over valid JSON text (checked by nlohmann::json first), which only ever
/// descends along one path: skipping a value counts brackets, so depth costs no recursion.
struct Scanner {
  std::string_view t;
  std::size_t i = 0;

  void blank() {
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) ++i;
  }
  bool at(char c) {
    blank();
    return i < t.size() && t[i] == c;
  }
  /// A string at i (its opening quote): its content as JSON reads it, escapes decoded
  /// ("se\u0065d" is "seed"), so that a key is found however it was written.
  std::string string() {
    const std::size_t start = i;
    bool escaped = false;
    for (++i; i < t.size() && t[i] != '"'; ++i)
      if (t[i] == '\\' && i + 1 < t.size()) {
        escaped = true;
        ++i;
      }
    ++i;
    const std::string_view raw = t.substr(start, std::min(i, t.size()) - start);
    if (!escaped) return std::string(raw.substr(1, raw.size() >= 2 ? raw.size() - 2 : 0));
    const nlohmann::json decoded = nlohmann::json::parse(raw, nullptr, false);
    return decoded.is_string() ? decoded.get<std::string>() : std::string();
  }
  void skip_value() {
    blank();
    if (i >= t.size()) return;
    if (t[i] == '"') {
      string();
      return;
    }
    if (t[i] != '{' && t[i] != '[') {  // a number, true, false or null
      while (i < t.size() && std::string_view(",]} \t\r\n").find(t[i]) == std::string_view::npos) ++i;
      return;
    }
    for (int depth = 0; i < t.size();) {
      const char c = t[i];
      if (c == '"') {
        string();
        continue;
      }
      ++i;
      if (c == '{' || c == '[')
        ++depth;
      else if ((c == '}' || c == ']') && --depth == 0)
        return;
    }
  }
  /// Moves to the value of `key` in the object at i (with `at_key`, to the key itself); false
  /// (i unchanged) when absent.
  bool enter(const std::string& key, bool at_key = false) {
    const std::size_t start = i;
    if (!at('{')) return false;
    ++i;
    while (at('"')) {
      const std::size_t key_start = i;
      const std::string name = string();
      if (!at(':')) break;
      ++i;
      blank();
      if (name == key) {
        if (at_key) i = key_start;
        return true;
      }
      skip_value();
      if (!at(',')) break;
      ++i;
    }
    i = start;
    return false;
  }
  /// Moves to element `index` of the array at i; false (i unchanged) when absent.
  bool enter(std::size_t index) {
    const std::size_t start = i;
    if (!at('[')) return false;
    ++i;
    for (std::size_t k = 0; !at(']') && i < t.size(); ++k) {
      blank();
      if (k == index) return true;
      skip_value();
      if (!at(',')) break;
      ++i;
    }
    i = start;
    return false;
  }
};

/// A SAX reader that accepts every event: readers override what they look at.
struct PassingSax : nlohmann::json_sax<nlohmann::json> {
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
};

}  // namespace

std::optional<TextPosition> json_syntax_error(const std::string& text) {
  struct Checker : PassingSax {
    std::optional<std::size_t> failed;  // where the token the parser stopped at starts (0-based)
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
      failed = position;  // the bytes read, up to the end of the offending token
      return false;
    }
  } checker;
  nlohmann::json::sax_parse(text, &checker);
  if (!checker.failed) return std::nullopt;
  // The offending token's last byte; a string is placed at its opening quote.
  std::size_t at = std::min(*checker.failed, text.size());
  at = at > 0 ? at - 1 : 0;
  if (at > 0 && at < text.size() && text[at] == '"') {
    std::size_t k = at;
    while (k > 0 && !(text[k - 1] == '"' && (k < 2 || text[k - 2] != '\\'))) --k;
    if (k > 0) at = k - 1;
  }
  return text_position(text, at);
}

std::optional<std::pair<TextPosition, std::string>> json_repeated_key(std::string_view text) {
  // The keys as nlohmann reads them (escapes decoded: "se\u0065d" is "seed"), counted in the order
  // they come, one set per open object; then the scanner places the repeated one by its count.
  struct Keys : PassingSax {
    std::vector<std::set<std::string>> open;
    std::size_t count = 0;
    std::optional<std::size_t> repeated;  // the ordinal of the first key seen twice in its object
    std::string key_text;
    bool start_object(std::size_t) override {
      open.emplace_back();
      return true;
    }
    bool key(string_t& k) override {
      if (!open.empty() && !open.back().insert(k).second) {
        repeated = count;
        key_text = k;
        return false;  // stop here
      }
      ++count;
      return true;
    }
    bool end_object() override {
      if (!open.empty()) open.pop_back();
      return true;
    }
  } keys;
  nlohmann::json::sax_parse(text, &keys);
  if (!keys.repeated) return std::nullopt;
  // A string is a key where an object expects one: after its '{' or after a ',' within it.
  std::vector<bool> object_expects_key;  // per open container: an object expecting a key (arrays: false)
  std::vector<bool> is_object;
  std::size_t seen = 0;
  Scanner s{text};
  while (s.i < text.size()) {
    const char c = text[s.i];
    if (c == '"') {
      const std::size_t start = s.i;
      s.string();
      if (!is_object.empty() && is_object.back() && object_expects_key.back()) {
        object_expects_key.back() = false;
        if (seen++ == *keys.repeated) return std::pair{text_position(text, start), std::move(keys.key_text)};
      }
      continue;
    }
    if (c == '{' || c == '[') {
      is_object.push_back(c == '{');
      object_expects_key.push_back(c == '{');
    } else if ((c == '}' || c == ']') && !is_object.empty()) {
      is_object.pop_back();
      object_expects_key.pop_back();
    } else if (c == ',' && !is_object.empty() && is_object.back()) {
      object_expects_key.back() = true;
    }
    ++s.i;
  }
  return std::pair{TextPosition{}, std::move(keys.key_text)};
}

TextPosition json_value_position(std::string_view text, const std::vector<JsonPathItem>& path, bool at_key) {
  Scanner s{text};
  if (text.starts_with("\xEF\xBB\xBF")) s.i = 3;  // a byte order mark before the value (nlohmann skips it too)
  s.blank();
  for (std::size_t k = 0; k < path.size(); ++k) {
    const JsonPathItem& item = path[k];
    const bool found = std::holds_alternative<std::string>(item)
                           ? s.enter(std::get<std::string>(item), at_key && k + 1 == path.size())
                           : s.enter(std::get<std::size_t>(item));
    if (!found) break;
  }
  s.blank();
  return text_position(text, s.i);
}

}  // namespace geosim
