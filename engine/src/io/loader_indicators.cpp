// Reading the indicators block: what each measures, its thresholds and which way is better.
#include <fmt/format.h>
#include <algorithm>
#include <set>

#include "geosim/core/ids.hpp"
#include "scenario_builder.hpp"
#include "yaml_document.hpp"

namespace geosim::detail {

namespace {
constexpr std::size_t kMaxThresholds = 16;

/// `threshold: 0.8` or `thresholds: [0.6, 0.8]`, each in [0,1] (every indicator kind lies in
/// [0,1]), and `direction: above|below` (default above), which needs a threshold.
void read_indicator_thresholds(Walker& w, const YAML::Node& node, Indicator& indicator) {
  if (node["threshold"] && node["thresholds"]) {
    w.error(node["thresholds"], "expected either 'threshold' or 'thresholds' in an indicator, found both");
    return;
  }
  if (node["threshold"]) {
    if (auto v = w.number(node["threshold"], "'threshold'", 0.0, 1.0)) indicator.thresholds.push_back(*v);
  } else if (node["thresholds"]) {
    const YAML::Node list = node["thresholds"];
    if (!w.expect_list(list, "'thresholds' (numbers in [0, 1])")) return;
    if (list.size() == 0 || list.size() > kMaxThresholds) {
      w.error(list, fmt::format("expected 1 to {} thresholds, found {}", kMaxThresholds, list.size()));
      return;
    }
    for (const auto& item : list)
      if (auto v = w.number(item, "a threshold", 0.0, 1.0)) {
        if (std::find(indicator.thresholds.begin(), indicator.thresholds.end(), *v) != indicator.thresholds.end())
          w.error(item, fmt::format("duplicate threshold {} in indicator '{}'", *v, indicator.id));
        else
          indicator.thresholds.push_back(*v);
      }
  }
  if (!node["direction"]) return;
  if (!node["threshold"] && !node["thresholds"]) {
    w.error(node["direction"], "unexpected 'direction' without a 'threshold' (or 'thresholds') to apply it to");
    return;
  }
  auto direction = w.string(node["direction"], "a threshold direction", 40);
  if (direction && *direction == "below")
    indicator.direction = ThresholdDirection::below;
  else if (direction && *direction != "above")
    w.error(node["direction"], fmt::format("expected direction 'above' or 'below', found '{}'", *direction));
}
}  // namespace

void ScenarioBuilder::read_indicators(const InputFile& file) {
  const YAML::Node list = file.root["indicators"];
  if (!list) return;
  Walker w = walker(file);
  if (!w.expect_list(list, "'indicators'")) return;
  for (const auto& node : list) {
    if (w.out_of_budget() || !w.expect_map(node, "an indicator")) continue;
    w.check_keys(node, {"id", "title", "kind", "relations", "of", "threshold", "thresholds", "direction", "better"},
                 "an indicator");
    const Fields f = w.fields(node);
    if (!w.require(f, "id", "an indicator") || !w.require(f, "kind", "an indicator")) continue;
    Indicator indicator;
    auto id = w.string(node["id"], "an indicator id", 64);
    if (!id) continue;
    if (!valid_id(IdKind::indicator, *id)) {
      w.error(node["id"], fmt::format("expected {}, found '{}'", id_rule(IdKind::indicator), *id));
      continue;
    }
    for (const auto& other : scenario_.indicators)
      if (other.id == *id) w.error(node["id"], fmt::format("duplicate indicator id '{}'", *id));
    indicator.id = *id;
    indicator.title = *id;
    if (node["title"])
      if (auto s = w.string(node["title"], "an indicator title", 200)) indicator.title = *s;
    auto kind = w.string(node["kind"], "an indicator kind", 40);
    if (!kind) continue;
    if (*kind == "cohesion") {
      indicator.kind = IndicatorKind::cohesion;
      if (!w.require(f, "of", "a cohesion indicator")) continue;
      auto org = actor_ref(w, node["of"]);
      if (!org) continue;
      if (scenario_.actors[*org].kind != ActorKind::organization) {
        w.error(node["of"],
                fmt::format("expected an organization for 'of', found the state '{}'", scenario_.actors[*org].id));
        continue;
      }
      if (scenario_.actors[*org].members.empty()) {  // no member, no pair: its cohesion would be 1
        w.error(node["of"], fmt::format("expected an organization with members for 'of' (cohesion is among its "
                                        "members and between them and it), found '{}', which lists none",
                                        scenario_.actors[*org].id));
        continue;
      }
      indicator.organization = *org;
    } else if (*kind == "mean" || *kind == "max") {
      indicator.kind = *kind == "mean" ? IndicatorKind::mean : IndicatorKind::max;
      if (!w.require(f, "relations", "an indicator") ||
          !w.expect_list(node["relations"], "'relations' of an indicator"))
        continue;
      if (node["relations"].size() == 0) {  // a mean or maximum of nothing
        w.error(node["relations"], "expected at least one pair of actors in 'relations', found none");
        continue;
      }
      std::set<std::pair<std::size_t, std::size_t>> listed;  // each pair once, either way round
      for (const auto& pair : node["relations"]) {
        if (!w.visit(pair)) continue;  // said (a tag, or too many nodes)
        if (!pair.IsSequence() || pair.size() != 2) {
          w.error(pair, fmt::format("expected a pair of actors [A, B], found {}", Walker::describe(pair)));
          continue;
        }
        auto a = actor_ref(w, pair[0]);
        auto b = actor_ref(w, pair[1]);
        if (!a || !b) continue;
        if (*a == *b) {
          w.error(pair, "expected two different actors, found the same one twice");
          continue;
        }
        if (!scenario_.has_relation(*a, *b)) {
          w.error(pair, fmt::format("expected a pair with a relation, found {}–{}, which has none (absent)",
                                    scenario_.actors[*a].id, scenario_.actors[*b].id));
          continue;
        }
        if (!listed.emplace(std::min(*a, *b), std::max(*a, *b)).second) {  // it would weigh twice in a mean
          w.error(pair, fmt::format("expected each pair once, found {}–{} again (a pair counts in both directions)",
                                    scenario_.actors[*a].id, scenario_.actors[*b].id));
          continue;
        }
        indicator.relations.emplace_back(*a, *b);
        indicator.relations.emplace_back(*b, *a);
      }
    } else {
      w.error(node["kind"], fmt::format("expected kind 'mean', 'max' or 'cohesion', found '{}'", *kind));
      continue;
    }
    read_indicator_thresholds(w, node, indicator);
    read_indicator_better(w, node, indicator);
    scenario_.indicators.push_back(std::move(indicator));
  }
}

}  // namespace geosim::detail
