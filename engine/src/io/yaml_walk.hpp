#pragma once
// Internal: typed, checked access to a yaml-cpp tree, collecting one diagnostic per problem.

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geosim/core/diagnostic.hpp"
#include "geosim/core/scenario.hpp"
#include "yaml_document.hpp"

namespace geosim::detail {

/// At most this many diagnostics are reported; then the walk stops with a note saying so.
constexpr std::size_t kMaxErrors = 100;
/// The note that ends a list of diagnostics cut at kMaxErrors.
extern const char* const kTooManyProblems;

/// Removes repeated diagnostics (an alias used many times reports one problem once) and
/// cuts the list at kMaxErrors, ending it with a kTooManyProblems note.
void tidy_errors(std::vector<Diagnostic>& errors);

/// One mapping's entries, read once, for looking keys up: `fields["key"]` is `map["key"]`
/// (the same node, or an undefined node when the key is absent), without yaml-cpp's lookup,
/// which copies every key of the mapping into a new string at each lookup and formats the key
/// through a string stream when it is absent.
class Fields {
 public:
  /// `absent` is what an absent key gives: an undefined node (see absent_node).
  Fields(const YAML::Node& map, const YAML::Node& absent) : map_(map), absent_(absent) {
    if (!map.IsMap()) return;
    entries_.reserve(map.size());
    for (const auto& entry : map) entries_.emplace_back(entry.first, entry.second);
  }
  const YAML::Node operator[](std::string_view key) const {  // const, as yaml-cpp's
    if (!map_.IsMap()) return map_[std::string(key)];        // not a mapping: yaml-cpp's own answer
    for (const auto& [k, v] : entries_)                      // the first match, as yaml-cpp's lookup
      if (k.IsScalar() && k.Scalar() == key) return v;
    return absent_;
  }
  /// The mapping read.
  const YAML::Node& node() const { return map_; }

 private:
  YAML::Node map_;
  const YAML::Node& absent_;
  std::vector<std::pair<YAML::Node, YAML::Node>> entries_;
};

/// What yaml-cpp gives for a key a mapping does not have: an undefined node, false as a
/// condition (made once per Walker; yaml-cpp makes one per lookup, through a string stream).
inline YAML::Node absent_node() {
  const YAML::Node empty(YAML::NodeType::Map);
  return empty["(absent)"];
}

/// Walks one file's tree. Every accessor checks type and range and reports what it found.
class Walker {
 public:
  /// `source`, when given, is the file's text: columns then count characters, not bytes.
  Walker(std::string file, std::vector<Diagnostic>& errors, std::size_t& node_budget,
         const SourceText* source = nullptr)
      : file_(std::move(file)), errors_(errors), budget_(node_budget), source_(source) {}

  const std::string& file() const { return file_; }
  /// `map`'s entries for looking keys up (see Fields).
  Fields fields(const YAML::Node& map) const { return Fields(map, absent_); }
  Origin origin(const YAML::Node& node) const;
  /// 1-based column where the text of a one-line scalar starts (after its opening quote, if
  /// quoted), or 0 when its text does not stand verbatim on one line (escapes, folding).
  int text_column(const YAML::Node& node) const;
  void error(const YAML::Node& node, const std::string& message);
  /// An error about the file as a whole (e.g. it is empty), at its line 1, column 1.
  void error_at_start(const std::string& message);
  /// False (with one error) once the walk has visited too many nodes: an alias bomb.
  bool visit(const YAML::Node& node);
  bool out_of_budget() const { return exhausted_; }

  /// "a list", "a mapping", "'text'", "nothing".
  static std::string describe(const YAML::Node& node);

  bool expect_map(const YAML::Node& node, const std::string& what);
  bool expect_list(const YAML::Node& node, const std::string& what);
  /// Reports keys of `map` not in `allowed`, with a suggestion. True if all are known.
  bool check_keys(const YAML::Node& map, const std::vector<std::string>& allowed, const std::string& what);
  bool check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed, const std::string& what);
  /// Reports a missing key at the map. True if present. Says nothing when check_keys has
  /// already suggested this key for a misspelt one: one problem, one line.
  bool require(const Fields& map, std::string_view key, const std::string& what);
  /// True when check_keys suggested `key` for a misspelt key of `map`.
  bool suggested(const YAML::Node& map, const std::string& key) const;

  std::optional<std::string> string(const YAML::Node& node, const std::string& what, std::size_t max_length = 4096);
  std::optional<double> number(const YAML::Node& node, const std::string& what, double lo, double hi);
  std::optional<long long> integer(const YAML::Node& node, const std::string& what, long long lo, long long hi);
  std::optional<Date> date(const YAML::Node& node, const std::string& what);
  /// A list of strings, or one string taken as a list of one.
  std::optional<std::vector<std::string>> strings(const YAML::Node& node, const std::string& what);

 private:
  std::string file_;
  std::vector<Diagnostic>& errors_;
  std::size_t& budget_;
  const SourceText* source_ = nullptr;
  bool exhausted_ = false;
  /// What Fields gives for an absent key: one per Walker, so loads in other threads share
  /// nothing with this one (test_loader_threads).
  YAML::Node absent_ = absent_node();
  std::vector<std::pair<YAML::Node, std::string>> suggestions_;
  /// True, after noting it once, when kMaxErrors problems have been reported.
  bool capped();
  template <typename Keys>
  bool check_keys_in(const YAML::Node& map, const Keys& allowed, const std::string& what);
};

}  // namespace geosim::detail
