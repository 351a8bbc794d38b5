#include "geosim/core/indicator.hpp"

#include <algorithm>

namespace geosim {
namespace {

/// The tensions an indicator reads, in the order it adds them: `single(a, b)` for T_ab alone,
/// `both(a, b)` for T_ab + T_ba added as one term (a member and its organisation, cohesion).
template <class Single, class Both>
void visit_terms(const Indicator& indicator, const Scenario& scenario, Single single, Both both) {
  if (indicator.kind != IndicatorKind::cohesion) {
    for (auto [a, b] : indicator.relations) single(a, b);
    return;
  }
  // Members among themselves, and members with the organisation, both directions.
  const std::size_t org = indicator.organization;
  // A pair without a relation (absent) has no tension to count.
  for (std::size_t a : scenario.actors[org].members) {
    if (scenario.has_relation(a, org)) both(a, org);
    for (std::size_t b : scenario.actors[org].members)
      if (a != b && scenario.has_relation(a, b)) single(a, b);
  }
}

/// An indicator's value from its terms, each added as it comes: the mean of the tensions read,
/// their largest (at least 0), or cohesion, 1 minus their mean (1 when there are none).
class Accumulator {
 public:
  explicit Accumulator(IndicatorKind kind) : kind_(kind) {}
  /// One term: `value`, which stands for `count` tensions (2 for a `both` term).
  void add(double value, int count) {
    if (kind_ == IndicatorKind::max)
      total_ = std::max(total_, value);
    else
      total_ += value;
    count_ += count;
  }
  double value() const {
    switch (kind_) {
      case IndicatorKind::mean: return count_ == 0 ? 0.0 : total_ / double(count_);
      case IndicatorKind::max: return total_;
      case IndicatorKind::cohesion: return count_ == 0 ? 1.0 : 1.0 - total_ / count_;
    }
    return 0.0;
  }

 private:
  IndicatorKind kind_;
  double total_ = 0.0;
  int count_ = 0;
};

}  // namespace

double evaluate_indicator(const Indicator& indicator, const Scenario& scenario,
                          const Eigen::MatrixXd& tension) {
  auto t = [&](std::size_t a, std::size_t b) {
    return tension(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b));
  };
  Accumulator sum(indicator.kind);
  visit_terms(
      indicator, scenario, [&](std::size_t a, std::size_t b) { sum.add(t(a, b), 1); },
      [&](std::size_t a, std::size_t b) { sum.add(t(a, b) + t(b, a), 2); });
  return sum.value();
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

IndicatorPlan plan_indicators(const Scenario& scenario) {
  IndicatorPlan plan;
  const auto n = std::ptrdiff_t(scenario.actor_count());
  auto at = [n](std::size_t a, std::size_t b) { return std::ptrdiff_t(a) + std::ptrdiff_t(b) * n; };
  plan.first.push_back(0);
  for (const Indicator& indicator : scenario.indicators) {
    plan.kinds.push_back(indicator.kind);
    visit_terms(
        indicator, scenario, [&](std::size_t a, std::size_t b) { plan.terms.push_back({at(a, b), -1}); },
        [&](std::size_t a, std::size_t b) { plan.terms.push_back({at(a, b), at(b, a)}); });
    plan.first.push_back(plan.terms.size());
  }
  return plan;
}

void evaluate_indicators(const IndicatorPlan& plan, const Eigen::MatrixXd& tension, double* out) {
  const double* t = tension.data();
  for (std::size_t q = 0; q < plan.kinds.size(); ++q) {
    const IndicatorPlan::Term* term = plan.terms.data() + plan.first[q];
    const IndicatorPlan::Term* end = plan.terms.data() + plan.first[q + 1];
    Accumulator sum(plan.kinds[q]);
    if (plan.kinds[q] != IndicatorKind::cohesion)  // single terms only: no test per term
      for (; term != end; ++term) sum.add(t[term->first], 1);
    else
      for (; term != end; ++term)
        term->second < 0 ? sum.add(t[term->first], 1) : sum.add(t[term->first] + t[term->second], 2);
    out[q] = sum.value();
  }
}

}  // namespace geosim
