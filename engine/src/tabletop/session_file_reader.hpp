#pragma once
/// \file
/// The reader of a saved session's fields (session_file.cpp): each field's type and content
/// checked, the first problem kept with where it is, never the value found.

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "geosim/core/diagnostic.hpp"
#include "json_position.hpp"
#include "session_file_text.hpp"

namespace geosim::detail {

/// "" or "fnv1a64:" and 16 lowercase hex digits, as checksum_of writes.
inline bool checksum_text(const std::string& text) {
  if (text.empty()) return true;
  if (text.size() != 24 || text.rfind("fnv1a64:", 0) != 0) return false;
  return std::all_of(text.begin() + 8, text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

/// Reads the fields of a session file, checking each one's type and content; the first
/// problem goes to `error`, which names the field and never the value found.
struct Reader {
  using json = nlohmann::json;
  const json& root;
  std::string error;
  std::vector<JsonPathItem> base;  ///< where the object being read sits: {"branches", 2}
  std::vector<JsonPathItem> path;  ///< where the first problem is; empty = `base`
  bool at_key = false;             ///< the problem is `path`'s last key itself, not its value

  void fail_here(std::string message) {
    error = std::move(message);
    path = base;
  }
  void fail(const std::string& key, std::string message) {
    error = std::move(message);
    path = base;
    path.emplace_back(key);
  }

  const json* get(const json& object, const std::string& where, const char* key, bool (json::*is)() const noexcept) {
    if (!error.empty()) return nullptr;
    auto it = object.find(key);
    if (it == object.end() || !((*it).*is)()) {
      std::string typed;  // a key of no field written instead of this one: "curent" for "current"
      static const std::vector<std::string> fields{
          "geosim_session", "scenario",        "policies", "includes", "moved_policies", "seed",        "settings",
          "current",        "branches",        "name",     "file",     "checksum",       "fingerprint", "parent",
          "forked_at",      "forked_commands", "step",     "state",    "course",         "history"};
      if (it == object.end())
        for (auto other = object.begin(); other != object.end() && typed.empty(); ++other)
          if (std::find(fields.begin(), fields.end(), other.key()) == fields.end() &&
              !closest_match(other.key(), {key}).empty())
            typed = "; found " + quote_word(other.key()) + " instead";
      fail(key, fmt::format("expected a field '{}'{} of the right type{}", key, where, typed));
      return nullptr;
    }
    return &*it;
  }
  std::string checked(const json* v, const std::string& where, const char* key, bool checksum) {
    if (!v) return {};
    std::string out = v->get<std::string>();
    if (!plain_text(out) || (checksum && !checksum_text(out))) {
      fail(key,
           fmt::format("expected '{}'{} to be {}", key, where,
                       checksum ? "a checksum (fnv1a64: and 16 hex digits)"
                                : fmt::format("text of at most {} bytes without control characters", kMaxSessionText)));
      return {};
    }
    return out;
  }
  std::string text(const json& object, const char* key, const std::string& where = "", bool checksum = false) {
    return checked(get(object, where, key, &json::is_string), where, key, checksum);
  }
  std::string optional_text(const json& object, const char* key, const std::string& where = "") {
    auto it = object.find(key);
    if (it == object.end()) return {};
    return checked(get(object, where, key, &json::is_string), where, key, false);
  }
  int integer(const json& object, const char* key, const std::string& where, int lo, int hi) {
    const json* v = get(object, where, key, &json::is_number_integer);
    if (!v) return lo;
    const auto value = v->get<std::int64_t>();
    if (value < lo || value > hi) {
      fail(key, fmt::format("expected '{}'{} between {} and {}", key, where, lo, hi));
      return lo;
    }
    return int(value);
  }
  /// Refuses the first key (in sorted order) that the format does not have: a mistyped key would
  /// otherwise be ignored, and the session resumed without what it meant.
  void known_keys(const json& object, std::initializer_list<const char*> keys, const std::string& where) {
    if (!error.empty()) return;
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (std::any_of(keys.begin(), keys.end(), [&](const char* k) { return it.key() == k; })) continue;
      const std::string guess = closest_match(it.key(), std::vector<std::string>(keys.begin(), keys.end()));
      fail(it.key(), fmt::format("unknown key {}{} (a session file holds only what `save` writes){}",
                                 quote_word(it.key()), where, did_you_mean(guess)));
      at_key = true;  // placed at the key typed, not its value
      return;
    }
  }
  const json* list(const json& object, const char* key, const std::string& where, std::size_t max) {
    const json* v = get(object, where, key, &json::is_array);
    if (v && v->size() > max) {
      fail(key, fmt::format("expected at most {} entries in '{}'{}, found {}", max, key, where, v->size()));
      return nullptr;
    }
    return v;
  }
};

}  // namespace geosim::detail
