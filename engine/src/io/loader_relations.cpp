// Pairs without a relation (`absent: true`) and the mean start tension for `balance_cut: mean`.
#include <fmt/format.h>

#include <utility>

#include "scenario_builder.hpp"

namespace geosim::detail {

double mean_symmetric_tension(const Scenario& s) {
  const std::size_t n = s.actor_count();
  double sum = 0.0;
  std::size_t pairs = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j)
      if (s.has_relation(i, j)) {
        sum += (s.tension[i * n + j] + s.tension[j * n + i]) / 2.0;
        ++pairs;
      }
  return pairs == 0 ? 0.5 : sum / double(pairs);
}

void ScenarioBuilder::read_absent(Walker& w, const YAML::Node& node, bool both, std::size_t a, std::size_t b) {
  const auto value = w.string(node["absent"], "'absent'", 16);
  if (!value) return;
  if (*value != "true") {
    w.error(node["absent"], fmt::format("expected 'absent: true' (leave 'absent' out for a pair that has "
                                        "a relation), found '{}'",
                                        *value));
    return;
  }
  if (!both) {
    w.error(node, "expected 'between: [A, B]' with 'absent: true' (a pair has a relation both ways or none)");
    return;
  }
  for (const char* key : {"tension", "baseline", "tie"})
    if (node[key]) {
      w.error(node[key], fmt::format("expected no '{}' on an absent relation (it has none)", key));
      return;
    }
  const std::size_t n = scenario_.actor_count();
  for (auto [i, j] : {std::pair{a, b}, std::pair{b, a}})
    if (relation_set_[i * n + j]) {
      w.error(node, fmt::format("duplicate relation {} -> {} (each ordered pair is given once)", scenario_.actors[i].id,
                                scenario_.actors[j].id));
      return;
    }
  if (scenario_.absent.empty()) scenario_.absent.assign(n * n, 0);
  for (auto [i, j] : {std::pair{a, b}, std::pair{b, a}}) {
    relation_set_[i * n + j] = true;
    scenario_.absent[i * n + j] = 1;
    scenario_.tension[i * n + j] = scenario_.baseline[i * n + j] = scenario_.tie[i * n + j] = 0.0;
  }
}

}  // namespace geosim::detail
