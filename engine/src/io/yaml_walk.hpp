#pragma once
// Internal: typed, checked access to a yaml-cpp tree, collecting one diagnostic per problem.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
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

/// Walks one file's tree. Every accessor checks type and range and reports what it found.
class Walker {
 public:
  /// `source`, when given, is the file's text: columns then count characters, not bytes.
  Walker(std::string file, std::vector<Diagnostic>& errors, std::size_t& node_budget,
         const SourceText* source = nullptr)
      : file_(std::move(file)), errors_(errors), budget_(node_budget), source_(source) {}

  const std::string& file() const { return file_; }
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
  bool check_keys(const YAML::Node& map, const std::vector<std::string>& allowed,
                  const std::string& what);
  /// Reports a missing key at the map. True if present. Says nothing when check_keys has
  /// already suggested this key for a misspelt one: one problem, one line.
  bool require(const YAML::Node& map, const std::string& key, const std::string& what);
  /// True when check_keys suggested `key` for a misspelt key of `map`.
  bool suggested(const YAML::Node& map, const std::string& key) const;

  std::optional<std::string> string(const YAML::Node& node, const std::string& what,
                                    std::size_t max_length = 4096);
  std::optional<double> number(const YAML::Node& node, const std::string& what, double lo,
                               double hi);
  std::optional<long long> integer(const YAML::Node& node, const std::string& what, long long lo,
                                   long long hi);
  std::optional<Date> date(const YAML::Node& node, const std::string& what);
  /// A list of strings, or one string taken as a list of one.
  std::optional<std::vector<std::string>> strings(const YAML::Node& node, const std::string& what);

 private:
  std::string file_;
  std::vector<Diagnostic>& errors_;
  std::size_t& budget_;
  const SourceText* source_ = nullptr;
  bool exhausted_ = false;
  std::vector<std::pair<YAML::Node, std::string>> suggestions_;
  /// True, after noting it once, when kMaxErrors problems have been reported.
  bool capped();
};

}  // namespace geosim::detail
