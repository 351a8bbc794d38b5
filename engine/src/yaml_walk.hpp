#pragma once
// Internal: typed, checked access to a yaml-cpp tree, collecting one diagnostic per problem.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "geosim/diagnostic.hpp"
#include "geosim/scenario.hpp"

namespace geosim::detail {

/// Walks one file's tree. Every accessor checks type and range and reports what it found.
class Walker {
 public:
  Walker(std::string file, std::vector<Diagnostic>& errors, std::size_t& node_budget)
      : file_(std::move(file)), errors_(errors), budget_(node_budget) {}

  const std::string& file() const { return file_; }
  Origin origin(const YAML::Node& node) const;
  void error(const YAML::Node& node, const std::string& message);
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
  /// Reports a missing key at the map. True if present.
  bool require(const YAML::Node& map, const std::string& key, const std::string& what);

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
  bool exhausted_ = false;
};

}  // namespace geosim::detail
