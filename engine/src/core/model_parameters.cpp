#include "geosim/core/model_parameters.hpp"
#include "geosim/core/diagnostic.hpp"
#include "geosim/core/number_read.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

#include "geosim/core/rng.hpp"

namespace geosim {
namespace {

std::optional<std::size_t> actor_named(const Scenario& scenario, std::string_view id, std::string_view name,
                                       std::string& error) {
  if (auto index = scenario.find_actor(std::string(id))) return index;
  std::vector<std::string> ids;
  for (const Actor& a : scenario.actors) ids.push_back(a.id);
  const std::string guess = closest_match(std::string(id), ids);
  error = "unknown actor " + quote_word(std::string(id)) + " in " + quote_word(std::string(name)) +
          did_you_mean(guess) + " (actors: " + name_list(ids) + ")";
  return std::nullopt;
}

std::optional<double> number(std::string_view text) {
  text = trim_blanks(text);
  double v = 0.0;
  if (read_finite(text, v, true)) return std::nullopt;  // +0.5 as --set and YAML
  return v;
}

}  // namespace

std::optional<ModelParameter> find_parameter(const Scenario& scenario, std::string_view name, std::string& error) {
  name = trim_blanks(name);
  ModelParameter p{std::string(name), {}};
  const std::size_t n = scenario.actor_count();
  const std::size_t dot = name.find('.');
  const std::string_view head = name.substr(0, dot);
  const std::string_view rest = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
  if (head == "spillover" && dot == std::string_view::npos) {
    p.targets.push_back({ParameterKind::spillover, 0, 0});
    return p;
  }
  if (head == "restraint" || head == "reactivity") {
    const auto kind = head == "restraint" ? ParameterKind::restraint : ParameterKind::reactivity;
    if (dot == std::string_view::npos) {
      for (std::size_t a = 0; a < n; ++a) p.targets.push_back({kind, a, 0});
      return p;
    }
    const auto a = actor_named(scenario, rest, name, error);
    if (!a) return std::nullopt;
    p.targets.push_back({kind, *a, 0});
    return p;
  }
  if (head == "baseline") {
    if (dot == std::string_view::npos) {
      for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = 0; b < n; ++b)
          if (a != b && scenario.has_relation(a, b)) p.targets.push_back({ParameterKind::baseline, a, b});
      return p;
    }
    const std::size_t second = rest.find('.');
    if (second == std::string_view::npos) {
      error = "expected 'baseline.FROM.TO', found " + quote_word(std::string(name));
      return std::nullopt;
    }
    const auto a = actor_named(scenario, rest.substr(0, second), name, error);
    if (!a) return std::nullopt;
    const auto b = actor_named(scenario, rest.substr(second + 1), name, error);
    if (!b) return std::nullopt;
    if (*a == *b || !scenario.has_relation(*a, *b)) {
      error = quote_word(std::string(name)) + " names no relation (" +
              (*a == *b ? "the same actor twice" : "the pair is absent") + ")";
      return std::nullopt;
    }
    p.targets.push_back({ParameterKind::baseline, *a, *b});
    return p;
  }
  // A mistyped head is named with the rest as typed: 'restrain.VNM' -> 'restraint.VNM'.
  const std::string guess = closest_match(std::string(head), {"restraint", "reactivity", "spillover", "baseline"});
  error = "unknown parameter " + quote_word(std::string(name));
  if (guess == "spillover")
    error += "; did you mean 'spillover' (one for all actors)?";
  else if (!guess.empty())
    error +=
        "; did you mean " + quote_word(guess + (dot == std::string_view::npos ? "" : "." + std::string(rest))) + "?";
  error += " (expected restraint[.ACTOR], reactivity[.ACTOR], spillover or baseline[.FROM.TO])";
  return std::nullopt;
}

std::string parameter_name(const Scenario& scenario, const ParameterTarget& t) {
  switch (t.kind) {
    case ParameterKind::restraint:
      return "restraint." + scenario.actors[t.actor].id;
    case ParameterKind::reactivity:
      return "reactivity." + scenario.actors[t.actor].id;
    case ParameterKind::spillover:
      return "spillover";
    case ParameterKind::baseline:
      return "baseline." + scenario.actors[t.actor].id + "." + scenario.actors[t.other].id;
  }
  return "";
}

double parameter_value(const Scenario& scenario, const ParameterTarget& t) {
  switch (t.kind) {
    case ParameterKind::restraint:
      return scenario.actors[t.actor].restraint;
    case ParameterKind::reactivity:
      return scenario.actors[t.actor].reactivity;
    case ParameterKind::spillover:
      return scenario.parameters.spillover;
    case ParameterKind::baseline:
      return scenario.baseline[t.actor * scenario.actor_count() + t.other];
  }
  return 0.0;
}

void set_parameter(Scenario& scenario, const ModelParameter& parameter, double value) {
  value = std::clamp(value, kParameterLow, kParameterHigh);
  for (const ParameterTarget& t : parameter.targets) switch (t.kind) {
      case ParameterKind::restraint:
        scenario.actors[t.actor].restraint = value;
        break;
      case ParameterKind::reactivity:
        scenario.actors[t.actor].reactivity = value;
        break;
      case ParameterKind::spillover:
        scenario.parameters.spillover = value;
        break;
      case ParameterKind::baseline:
        scenario.baseline[t.actor * scenario.actor_count() + t.other] = value;
        break;
    }
}

std::string parameter_overlap(const ModelParameter& later, const ModelParameter& earlier) {
  if (later.name == earlier.name) return "'" + later.name + "' is given twice";
  for (const ParameterTarget& t : later.targets)
    if (std::find(earlier.targets.begin(), earlier.targets.end(), t) != earlier.targets.end())
      return "'" + earlier.name + "' and '" + later.name + "' overlap (" +
             (earlier.targets.size() > later.targets.size()   ? "'" + earlier.name + "' includes '" + later.name + "'"
              : later.targets.size() > earlier.targets.size() ? "'" + later.name + "' includes '" + earlier.name + "'"
                                                              : "they set the same value") +
             "): one would replace the other; give only one";
  return {};
}

std::optional<ParameterRange> parse_parameter_range(const Scenario& scenario, std::string_view text,
                                                    std::string& error) {
  const std::size_t eq = text.find('=');
  const std::size_t dots = eq == std::string_view::npos ? eq : text.find("..", eq + 1);
  if (eq == std::string_view::npos || dots == std::string_view::npos) {
    error = "expected NAME=LO..HI (e.g. restraint.USA=0.03..0.09), found '" + std::string(text.substr(0, 128)) + "'";
    return std::nullopt;
  }
  auto parameter = find_parameter(scenario, text.substr(0, eq), error);
  if (!parameter) return std::nullopt;
  // "0...1": the third dot would be the high end's, read as 0.1: a typo that shrinks the range tenfold
  if (dots + 2 < text.size() && text[dots + 2] == '.') {
    error = "expected a range LO..HI with two dots between the ends for '" + parameter->name + "', found '" +
            std::string(text.substr(eq + 1, 64)) + "'";
    return std::nullopt;
  }
  const auto low = number(text.substr(eq + 1, dots - eq - 1)), high = number(text.substr(dots + 2));
  if (!low || !high || *low < kParameterLow || *high > kParameterHigh || *low > *high) {
    double unused = 0.0;  // why an end is no number, as --set says it ("too small to represent")
    const char* why = read_finite(trim_blanks(text.substr(eq + 1, dots - eq - 1)), unused, true);
    if (!why) why = read_finite(trim_blanks(text.substr(dots + 2)), unused, true);
    error = "expected a range LO..HI with 0 <= LO <= HI <= 1 for '" + parameter->name + "', found '" +
            std::string(text.substr(eq + 1, 64)) + "'" + (why ? std::string(" (") + why + ")" : std::string());
    return std::nullopt;
  }
  return ParameterRange{std::move(*parameter), *low + 0.0, *high + 0.0};  // -0 is 0
}

void ParameterDesign::apply(int run, Scenario& scenario) const {
  for (std::size_t p = 0; p < ranges.size(); ++p)
    set_parameter(scenario, ranges[p].parameter, values[p * std::size_t(runs) + std::size_t(run)]);
}

ParameterDesign latin_hypercube(const std::vector<ParameterRange>& ranges, std::uint64_t seed, int runs) {
  ParameterDesign design;
  design.runs = std::max(runs, 0);
  design.ranges = ranges;
  if (ranges.empty() || runs <= 0) return design;
  const auto n = std::size_t(runs);
  design.strata.resize(ranges.size() * n);
  design.values.resize(ranges.size() * n);
  // The design's own key: not any run's (Rng::for_run mixes another constant first).
  const Rng keyed(rng_mix_key(rng_mix_key(0x6c68732d64657369ULL, seed), 0));
  for (std::size_t p = 0; p < ranges.size(); ++p) {
    const std::uint64_t name = rng_name_key(ranges[p].parameter.name);
    int* perm = design.strata.data() + p * n;
    std::iota(perm, perm + n, 0);
    RngStream shuffle = keyed.stream(RngPurpose::vary, name, 0);
    for (std::size_t i = n; i > 1; --i)  // Fisher-Yates
      std::swap(perm[i - 1], perm[std::size_t(shuffle.uniform_int(0, std::int64_t(i) - 1))]);
    RngStream offsets = keyed.stream(RngPurpose::vary, name, 1);
    const double low = ranges[p].low, width = ranges[p].high - ranges[p].low;
    for (std::size_t r = 0; r < n; ++r)
      design.values[p * n + r] = low + width * ((double(perm[r]) + offsets.uniform()) / double(n));
  }
  return design;
}

std::vector<PolicyRangeClash> policy_range_clashes(const Scenario& scenario,
                                                   const std::vector<ParameterRange>& ranges) {
  std::vector<PolicyRangeClash> out;
  if (!scenario.before_policies) return out;
  const OwnParameters& own = *scenario.before_policies;
  const std::size_t n = scenario.actor_count();
  for (const ParameterRange& range : ranges)
    for (const ParameterTarget& t : range.parameter.targets) {
      double change = 0.0;
      if (t.kind == ParameterKind::spillover) {
        if (own.spillover != scenario.parameters.spillover) out.push_back({t, 0.0, 0.0, true, 1.0});
        continue;
      }
      if (t.kind == ParameterKind::baseline) {
        for (const auto& [k, before] : own.baseline)
          if (k == t.actor * n + t.other) change = scenario.baseline[k] - before;
      } else if (t.actor < n && t.actor < own.restraint.size()) {
        change = t.kind == ParameterKind::restraint ? scenario.actors[t.actor].restraint - own.restraint[t.actor]
                                                    : scenario.actors[t.actor].reactivity - own.reactivity[t.actor];
      }
      const double width = range.high - range.low;
      auto part = [width](double beyond) { return width > 0.0 ? std::clamp(beyond / width, 0.0, 1.0) : 1.0; };
      double share = 0.0;  // the part of the range past the cut: > 0 unless rounding says otherwise
      if (change > 0.0 && range.high + change > 1.0) share = part(range.high - (1.0 - change));
      if (change < 0.0 && range.low + change < 0.0) share = part(-change - range.low);
      if (share > 0.0) out.push_back({t, change, change > 0.0 ? 1.0 - change : -change, false, share});
    }
  return out;
}

std::vector<PolicyRangeClash> policy_spread_clashes(const Scenario& scenario, double sd,
                                                    const std::vector<ParameterRange>& ranges) {
  std::vector<PolicyRangeClash> out;
  if (!scenario.before_policies || !(sd > 0.0)) return out;
  const OwnParameters& own = *scenario.before_policies;
  const std::size_t n = std::min({scenario.actor_count(), own.restraint.size(), own.reactivity.size()});
  auto varied = [&ranges](ParameterKind kind, std::size_t actor) {
    for (const ParameterRange& range : ranges)
      for (const ParameterTarget& t : range.parameter.targets)
        if (t.kind == kind && t.actor == actor) return true;
    return false;
  };
  // P(own * exp(sd z - sd^2 / 2) > x) for z standard normal (the draw before its clamp to [0, 1]).
  auto above = [sd](double own, double x) {
    if (x < 0.0) return 1.0;
    if (own <= 0.0 || x == 0.0) return own > 0.0 ? 1.0 : 0.0;
    const double z = (std::log(x / own) + sd * sd / 2.0) / sd;
    return 0.5 * std::erfc(z / std::sqrt(2.0));
  };
  for (std::size_t i = 0; i < n; ++i)
    for (const ParameterKind kind : {ParameterKind::restraint, ParameterKind::reactivity}) {
      if (varied(kind, i)) continue;
      const bool r = kind == ParameterKind::restraint;
      const double before = r ? own.restraint[i] : own.reactivity[i];
      const double change = (r ? scenario.actors[i].restraint : scenario.actors[i].reactivity) - before;
      if (change == 0.0) continue;
      const double cut_from = change > 0.0 ? 1.0 - change : -change;
      const double share = change > 0.0 ? above(before, cut_from) : 1.0 - above(before, cut_from);
      if (share >= kReportedSpreadShare) out.push_back({ParameterTarget{kind, i, 0}, change, cut_from, false, share});
    }
  return out;
}

}  // namespace geosim
