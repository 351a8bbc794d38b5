#include "yaml_walk.hpp"

#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace geosim::detail {

Origin Walker::origin(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return Origin{file_, 0, 0};
  return Origin{file_, mark.line + 1, mark.column + 1};
}

void Walker::error(const YAML::Node& node, const std::string& message) {
  const Origin o = origin(node);
  errors_.push_back(Diagnostic{file_, o.line, o.column, message});
}

bool Walker::visit(const YAML::Node& node) {
  if (exhausted_) return false;
  if (budget_ == 0) {
    exhausted_ = true;
    error(node, "expected a document of reasonable size, found one that expands to too many "
                "nodes (aliases repeated too often?)");
    return false;
  }
  --budget_;
  return true;
}

std::string Walker::describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  std::string text = node.Scalar();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return "'" + text + "'";
}

bool Walker::expect_map(const YAML::Node& node, const std::string& what) {
  if (!visit(node)) return false;
  if (node.IsMap()) return true;
  error(node, fmt::format("expected {} as a mapping (key: value), found {}", what, describe(node)));
  return false;
}

bool Walker::expect_list(const YAML::Node& node, const std::string& what) {
  if (!visit(node)) return false;
  if (node.IsSequence()) return true;
  error(node, fmt::format("expected {} as a list, found {}", what, describe(node)));
  return false;
}

bool Walker::check_keys(const YAML::Node& map, const std::vector<std::string>& allowed,
                        const std::string& what) {
  bool ok = true;
  for (const auto& entry : map) {
    if (!visit(entry.first)) return false;
    if (!entry.first.IsScalar()) {
      error(entry.first, fmt::format("expected a key of {}, found {}", what, describe(entry.first)));
      ok = false;
      continue;
    }
    const std::string key = entry.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string known;
    for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
    const std::string suggestion = closest_match(key, allowed);
    error(entry.first, suggestion.empty()
                           ? fmt::format("unknown key '{}' in {} (expected one of: {})", key, what, known)
                           : fmt::format("unknown key '{}' in {}; did you mean '{}'?", key, what,
                                         suggestion));
    ok = false;
  }
  return ok;
}

bool Walker::require(const YAML::Node& map, const std::string& key, const std::string& what) {
  if (map[key]) return true;
  error(map, fmt::format("missing key '{}' in {}", key, what));
  return false;
}

std::optional<std::string> Walker::string(const YAML::Node& node, const std::string& what,
                                          std::size_t max_length) {
  if (!visit(node)) return std::nullopt;
  if (!node.IsScalar()) {
    error(node, fmt::format("expected {} as text, found {}", what, describe(node)));
    return std::nullopt;
  }
  if (node.Scalar().size() > max_length) {
    error(node, fmt::format("expected {} of at most {} characters, found {}", what, max_length,
                            node.Scalar().size()));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<double> Walker::number(const YAML::Node& node, const std::string& what, double lo,
                                     double hi) {
  if (!visit(node)) return std::nullopt;
  if (!node.IsScalar()) {
    error(node, fmt::format("expected {} as a number in [{}, {}], found {}", what, lo, hi,
                            describe(node)));
    return std::nullopt;
  }
  const std::string& text = node.Scalar();
  double value = 0.0;
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (begin != end && *begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec == std::errc::result_out_of_range) {
    error(node, fmt::format("expected {} as a number in [{}, {}], found '{}', which is out of range",
                            what, lo, hi, text));
    return std::nullopt;
  }
  if (ec != std::errc() || ptr != end || text.empty()) {
    error(node, fmt::format("expected {} as a number in [{}, {}], found {}", what, lo, hi,
                            describe(node)));
    return std::nullopt;
  }
  if (!std::isfinite(value)) {
    error(node, fmt::format("expected {} as a finite number in [{}, {}], found '{}'", what, lo, hi,
                            text));
    return std::nullopt;
  }
  if (value < lo || value > hi) {
    error(node, fmt::format("expected {} in [{}, {}], found {}", what, lo, hi, text));
    return std::nullopt;
  }
  return value;
}

std::optional<long long> Walker::integer(const YAML::Node& node, const std::string& what,
                                         long long lo, long long hi) {
  if (!visit(node)) return std::nullopt;
  const std::string text = node.IsScalar() ? node.Scalar() : std::string();
  long long value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (!node.IsScalar() || ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
    error(node, fmt::format("expected {} as a whole number in [{}, {}], found {}", what, lo, hi,
                            describe(node)));
    return std::nullopt;
  }
  if (value < lo || value > hi) {
    error(node, fmt::format("expected {} in [{}, {}], found {}", what, lo, hi, text));
    return std::nullopt;
  }
  return value;
}

std::optional<Date> Walker::date(const YAML::Node& node, const std::string& what) {
  if (!visit(node)) return std::nullopt;
  if (node.IsScalar()) {
    if (auto d = parse_date(node.Scalar())) return d;
  }
  error(node, fmt::format("expected {} as a date YYYY-MM-DD, found {}", what, describe(node)));
  return std::nullopt;
}

std::optional<std::vector<std::string>> Walker::strings(const YAML::Node& node,
                                                        const std::string& what) {
  if (!visit(node)) return std::nullopt;
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return out;
  }
  if (!node.IsSequence()) {
    error(node, fmt::format("expected {} as a list of names, found {}", what, describe(node)));
    return std::nullopt;
  }
  for (const auto& item : node) {
    auto s = string(item, what);
    if (!s) return std::nullopt;
    out.push_back(*s);
  }
  return out;
}

}  // namespace geosim::detail
