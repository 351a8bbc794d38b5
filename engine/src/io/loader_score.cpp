// Loading what is better: an indicator's `better:` and a scenario's `score:` (the policy
// matrix's weighted sum of indicators).
#include <fmt/format.h>

#include "scenario_builder.hpp"

namespace geosim::detail {

namespace {
/// `lower`, `higher` and, when `allow_neither`, `neither`; nullopt (with an error) otherwise.
std::optional<Better> read_better(Walker& w, const YAML::Node& node, bool allow_neither) {
  auto text = w.string(node, "which way is better", 40);
  if (!text) return std::nullopt;
  if (*text == "lower") return Better::lower;
  if (*text == "higher") return Better::higher;
  if (*text == "neither" && allow_neither) return Better::neither;
  w.error(node, fmt::format("expected 'better' to be {}, found '{}'",
                            allow_neither ? "'lower', 'higher' or 'neither'" : "'lower' or 'higher'", *text));
  return std::nullopt;
}
}  // namespace

void read_indicator_better(Walker& w, const YAML::Node& node, Indicator& indicator) {
  indicator.better = indicator.kind == IndicatorKind::cohesion ? Better::higher : Better::lower;
  if (!node["better"]) return;
  if (auto b = read_better(w, node["better"], true)) indicator.better = *b;
}

void ScenarioBuilder::read_score(const InputFile& file) {
  if (!file.root.IsMap() || !file.root["score"]) return;
  const YAML::Node node = file.root["score"];
  Walker w = walker(file);
  if (!w.expect_map(node, "'score'")) return;
  w.check_keys(node, {"title", "better", "terms"}, "'score'");
  if (!w.require(w.fields(node), "terms", "'score'") || !w.expect_list(node["terms"], "'terms' of the score")) return;
  Score score;
  score.title = "score";
  score.origin = w.origin(node);
  if (node["title"])
    if (auto s = w.string(node["title"], "the score's title", 200)) score.title = *s;
  if (node["better"])
    if (auto b = read_better(w, node["better"], false)) score.better = *b;
  std::vector<std::string> ids;
  for (const auto& indicator : scenario_.indicators) ids.push_back(indicator.id);
  const std::string known = name_list(ids);
  for (const YAML::Node& term : node["terms"]) {
    if (w.out_of_budget() || !w.expect_map(term, "a term of the score")) continue;
    w.check_keys(term, {"indicator", "weight"}, "a term of the score");
    const Fields f = w.fields(term);
    if (!w.require(f, "indicator", "a term of the score") || !w.require(f, "weight", "a term of the score")) continue;
    // The indicator and the weight are checked alike, so that a term says all that is wrong.
    auto id = w.string(term["indicator"], "an indicator id", 64);
    std::size_t index = scenario_.indicators.size();
    for (std::size_t k = 0; id && k < scenario_.indicators.size(); ++k)
      if (scenario_.indicators[k].id == *id) index = k;
    if (id && index == scenario_.indicators.size())
      w.error(term["indicator"], fmt::format("unknown indicator '{}' in the score (indicators: {})", *id, known));
    auto weight = w.number(term["weight"], "a weight", -1e6, 1e6);
    if (!id || !weight || index == scenario_.indicators.size()) continue;
    bool duplicate = false;
    for (const auto& other : score.terms) duplicate = duplicate || other.index == index;
    if (duplicate) {
      w.error(term["indicator"], fmt::format("indicator '{}' appears twice in the score", *id));
      continue;
    }
    score.terms.push_back({*id, index, *weight});
  }
  if (node["terms"].size() == 0) {  // else each term that is not one said why
    w.error(node["terms"], "expected at least one term in the score, found none");
    return;
  }
  if (score.terms.size() != node["terms"].size()) return;
  scenario_.score = std::move(score);  // a later file (the including one) replaces an earlier one
}

}  // namespace geosim::detail
