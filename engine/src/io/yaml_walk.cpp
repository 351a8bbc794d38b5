#include "yaml_walk.hpp"

#include "geosim/core/number_read.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>
#include <tuple>

namespace geosim::detail {

const char* const kTooManyProblems = "too many problems: stopped after the first 100; fix these and check again";

void tidy_errors(std::vector<Diagnostic>& errors) {
  using Key = std::tuple<std::string, int, int, std::string>;
  std::set<Key> seen;
  std::vector<Diagnostic> kept;
  bool cut = false;
  for (auto& d : errors) {
    if (d.message == kTooManyProblems) {
      cut = true;
      continue;
    }
    if (!seen.emplace(d.file, d.line, d.column, d.message).second) continue;
    kept.push_back(std::move(d));
  }
  if (cut || kept.size() > kMaxErrors) {
    kept.resize(std::min(kept.size(), kMaxErrors));
    kept.push_back(Diagnostic{kept.empty() ? std::string() : kept.front().file, 0, 0, kTooManyProblems});
  }
  errors = std::move(kept);
}

Origin Walker::origin(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return Origin{file_, 0, 0};
  return Origin{file_, mark.line + 1, source_ ? source_->char_column(mark.line, mark.column) : mark.column + 1};
}

int Walker::text_column(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (!node.IsScalar() || mark.is_null()) return 0;
  // yaml-cpp tags a plain scalar "?" and a quoted (or block) one "!".
  const int quote = node.Tag() == "!" ? 1 : 0;
  if (!source_) return mark.column + 1 + quote;
  const std::string& raw = source_->text();
  const std::size_t at = source_->offset(mark.line, mark.column);
  if (at == std::string::npos || at >= raw.size()) return 0;
  if (quote && raw[at] != '"' && raw[at] != '\'') return 0;  // a block scalar, | or >
  const std::string& text = node.Scalar();
  if (text.find('\n') != std::string::npos || raw.compare(at + quote, text.size(), text) != 0) return 0;
  return source_->char_column(mark.line, mark.column + quote);
}

bool Walker::capped() {
  if (errors_.size() < kMaxErrors) return false;
  exhausted_ = true;
  if (errors_.back().message != kTooManyProblems) errors_.push_back(Diagnostic{file_, 0, 0, kTooManyProblems});
  return true;
}

void Walker::error(const YAML::Node& node, const std::string& message) {
  if (capped()) return;
  const Origin o = origin(node);
  Diagnostic d{file_, o.line, o.column, message};
  for (const auto& e : errors_)  // an alias used many times: one problem, one line
    if (e.line == d.line && e.column == d.column && e.message == d.message && e.file == d.file) return;
  errors_.push_back(std::move(d));
}

void Walker::error_at_start(const std::string& message) {
  if (!capped()) errors_.push_back(Diagnostic{file_, 1, 1, message});
}

bool Walker::visit(const YAML::Node& node) {
  if (exhausted_ || capped()) return false;
  if (budget_ == 0) {
    exhausted_ = true;
    error(node,
          "expected a document of reasonable size, found one that expands to too many "
          "nodes (aliases repeated too often?)");
    return false;
  }
  --budget_;
  // An explicit tag (!!binary, !!int, !include) would mean something yaml-cpp does not do: the
  // value would be read as written, its tag silently dropped. Refused: values are plain YAML.
  if (const std::string& tag = node.Tag(); !tag.empty() && tag != "?" && tag != "!") {
    const std::string core = "tag:yaml.org,2002:";
    const std::string shown = tag.rfind(core, 0) == 0 ? "!!" + tag.substr(core.size()) : tag;
    error(node, fmt::format("unexpected YAML tag {}: geosim reads values as written, without tags", quote_word(shown)));
    return false;
  }
  return true;
}

std::string Walker::describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  std::string text = node.Scalar();
  if (text.size() > 40) {
    std::size_t cut = 37;  // not inside a UTF-8 sequence: the message stays valid UTF-8
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut) + "...";
  }
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

bool Walker::check_keys(const YAML::Node& map, const std::vector<std::string>& allowed, const std::string& what) {
  return check_keys_in(map, allowed, what);
}

bool Walker::check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                        const std::string& what) {
  return check_keys_in(map, allowed, what);
}

template <typename Keys>
bool Walker::check_keys_in(const YAML::Node& map, const Keys& allowed, const std::string& what) {
  bool ok = true;
  // The keys seen so far: pointers into the tree's own text, not copies.
  std::vector<std::pair<const std::string*, YAML::Node>> seen;
  for (const auto& entry : map) {
    if (!visit(entry.first)) return false;
    if (!entry.first.IsScalar()) {
      error(entry.first, fmt::format("expected a key of {}, found {}", what, describe(entry.first)));
      ok = false;
      continue;
    }
    const std::string& key = entry.first.Scalar();
    auto first = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return *s.first == key; });
    if (first != seen.end()) {
      // yaml-cpp keeps both and reads the first: the second would be silently ignored.
      const Origin o = origin(first->second);
      error(entry.first,
            fmt::format("duplicate key '{}' in {} (first given at line {}, column {})", key, what, o.line, o.column));
      ok = false;
      continue;
    }
    seen.emplace_back(&key, entry.first);
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string known;
    for (const auto& a : allowed) known += std::string(known.empty() ? "" : ", ") + std::string(a);
    const std::string suggestion = closest_match(key, std::vector<std::string>(allowed.begin(), allowed.end()));
    if (!suggestion.empty()) suggestions_.emplace_back(map, suggestion);
    error(entry.first, suggestion.empty()
                           ? fmt::format("unknown key {} in {} (expected one of: {})", quote_word(key), what, known)
                           : fmt::format("unknown key {} in {}{}", quote_word(key), what, did_you_mean(suggestion)));
    ok = false;
  }
  return ok;
}

bool Walker::suggested(const YAML::Node& map, const std::string& key) const {
  for (const auto& [node, suggestion] : suggestions_)
    if (suggestion == key && node.is(map)) return true;
  return false;
}

bool Walker::require(const Fields& map, std::string_view key, const std::string& what) {
  if (map[key]) return true;
  if (!suggested(map.node(), std::string(key))) error(map.node(), fmt::format("missing key '{}' in {}", key, what));
  return false;
}

std::optional<std::string> Walker::string(const YAML::Node& node, const std::string& what, std::size_t max_length) {
  if (!visit(node)) return std::nullopt;
  if (!node.IsScalar()) {
    error(node, fmt::format("expected {} as text, found {}", what, describe(node)));
    return std::nullopt;
  }
  if (node.Scalar().size() > max_length) {
    error(node, fmt::format("expected {} of at most {} bytes, found {}", what, max_length, node.Scalar().size()));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<double> Walker::number(const YAML::Node& node, const std::string& what, double lo, double hi) {
  if (!visit(node)) return std::nullopt;
  if (!node.IsScalar()) {
    error(node, fmt::format("expected {} as a number in [{}, {}], found {}", what, lo, hi, describe(node)));
    return std::nullopt;
  }
  const std::string& text = node.Scalar();
  double value = 0.0;
  std::string_view digits = text;
  const char* problem = read_finite(digits, value, true);
  if (!digits.empty() && digits[0] == '+') digits.remove_prefix(1);
  // YAML's .nan and .inf (from_chars reads nan and inf)
  std::string bare(digits);
  if (!bare.empty() && bare[0] == '-') bare.erase(0, 1);
  for (auto& c : bare) c = char(std::tolower(static_cast<unsigned char>(c)));
  const char* why = bare == ".nan" ? "not a number" : bare == ".inf" ? "infinite" : nullptr;
  if (problem && std::string_view(problem) != "not a number")
    why = problem;
  else if (problem && (bare == "nan" || bare.rfind("nan(", 0) == 0))
    why = problem;
  if (why) {
    error(node, fmt::format("expected {} as a finite number in [{}, {}], found '{}' ({})", what, lo, hi, text, why));
    return std::nullopt;
  }
  if (problem) {
    error(node, fmt::format("expected {} as a number in [{}, {}], found {}", what, lo, hi, describe(node)));
    return std::nullopt;
  }
  if (value < lo || value > hi) {
    error(node, fmt::format("expected {} in [{}, {}], found {}", what, lo, hi, text));
    return std::nullopt;
  }
  return value;
}

std::optional<long long> Walker::integer(const YAML::Node& node, const std::string& what, long long lo, long long hi) {
  if (!visit(node)) return std::nullopt;
  const std::string text = node.IsScalar() ? node.Scalar() : std::string();
  long long value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (!node.IsScalar() || ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
    error(node, fmt::format("expected {} as a whole number in [{}, {}], found {}", what, lo, hi, describe(node)));
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

std::optional<std::vector<std::string>> Walker::strings(const YAML::Node& node, const std::string& what) {
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
