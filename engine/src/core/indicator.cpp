#include "geosim/core/indicator.hpp"

#include <algorithm>

namespace geosim {

double evaluate_indicator(const Indicator& indicator, const Scenario& scenario,
                          const Eigen::MatrixXd& tension) {
  auto t = [&](std::size_t a, std::size_t b) {
    return tension(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b));
  };
  switch (indicator.kind) {
    case IndicatorKind::mean: {
      double sum = 0.0;
      for (auto [a, b] : indicator.relations) sum += t(a, b);
      return indicator.relations.empty() ? 0.0 : sum / double(indicator.relations.size());
    }
    case IndicatorKind::max: {
      double best = 0.0;
      for (auto [a, b] : indicator.relations) best = std::max(best, t(a, b));
      return best;
    }
    case IndicatorKind::cohesion: {
      // Members among themselves, and members with the organisation, both directions.
      const std::size_t org = indicator.organization;
      const auto& members = scenario.actors[org].members;
      double sum = 0.0;
      int count = 0;
      // A pair without a relation (absent) has no tension to count.
      for (std::size_t a : members) {
        if (scenario.has_relation(a, org)) {
          sum += t(a, org) + t(org, a);
          count += 2;
        }
        for (std::size_t b : members)
          if (a != b && scenario.has_relation(a, b)) {
            sum += t(a, b);
            ++count;
          }
      }
      return count == 0 ? 1.0 : 1.0 - sum / count;
    }
  }
  return 0.0;
}

bool indicator_touches(const Scenario& scenario, const Indicator& indicator, std::size_t actor) {
  if (indicator.kind == IndicatorKind::cohesion) {
    if (indicator.organization == actor) return true;
    if (indicator.organization >= scenario.actors.size()) return false;
    const auto& members = scenario.actors[indicator.organization].members;
    return std::find(members.begin(), members.end(), actor) != members.end();
  }
  for (const auto& [from, to] : indicator.relations)
    if (from == actor || to == actor) return true;
  return false;
}

std::vector<double> evaluate_indicators(const Scenario& scenario, const Eigen::MatrixXd& tension) {
  std::vector<double> values;
  values.reserve(scenario.indicators.size());
  for (const auto& indicator : scenario.indicators)
    values.push_back(evaluate_indicator(indicator, scenario, tension));
  return values;
}

}  // namespace geosim
