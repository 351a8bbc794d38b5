#include "geosim/core/indicator.hpp"

#include <algorithm>

#include "pack.hpp"

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
      case IndicatorKind::mean:
        return count_ == 0 ? 0.0 : total_ / double(count_);
      case IndicatorKind::max:
        return total_;
      case IndicatorKind::cohesion:
        return count_ == 0 ? 1.0 : 1.0 - total_ / count_;
    }
    return 0.0;
  }

 private:
  IndicatorKind kind_;
  double total_ = 0.0;
  int count_ = 0;
};

}  // namespace

double evaluate_indicator(const Indicator& indicator, const Scenario& scenario, const Eigen::MatrixXd& tension) {
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
  for (const auto& indicator : scenario.indicators) values.push_back(evaluate_indicator(indicator, scenario, tension));
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
        indicator, scenario,
        [&](std::size_t a, std::size_t b) {
          plan.terms.push_back({at(a, b), -1});
        },
        [&](std::size_t a, std::size_t b) {
          plan.terms.push_back({at(a, b), at(b, a)});
        });
    plan.first.push_back(plan.terms.size());
  }
  for (const IndicatorPlan::Term& term : plan.terms) {
    plan.inputs.push_back(term.first);
    if (term.second >= 0) plan.inputs.push_back(term.second);
  }
  std::sort(plan.inputs.begin(), plan.inputs.end());
  plan.inputs.erase(std::unique(plan.inputs.begin(), plan.inputs.end()), plan.inputs.end());
  auto input = [&](std::ptrdiff_t at) {
    return at < 0 ? at
                  : std::ptrdiff_t(std::lower_bound(plan.inputs.begin(), plan.inputs.end(), at) - plan.inputs.begin());
  };
  for (const IndicatorPlan::Term& term : plan.terms)
    plan.input_terms.push_back({input(term.first), input(term.second)});
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

void record_indicator_inputs(const IndicatorPlan& plan, const Eigen::MatrixXd& tension, std::size_t step,
                             double* history, std::size_t stride) {
  const double* t = tension.data();
  double* h = history + step;
  for (std::ptrdiff_t at : plan.inputs) {
    *h = t[at];
    h += stride;
  }
}

void evaluate_indicators_over_steps(const IndicatorPlan& plan, const double* history, std::size_t stride,
                                    std::size_t steps, double* out) {
  using pack::Pack;
  constexpr std::size_t kPacks = 4, kBlock = kPacks * pack::kLanes;  // steps a block, their sums in registers
  const std::size_t k_count = plan.kinds.size();
  for (std::size_t q = 0; q < k_count; ++q) {
    const IndicatorPlan::Term* begin = plan.input_terms.data() + plan.first[q];
    const IndicatorPlan::Term* end = plan.input_terms.data() + plan.first[q + 1];
    const IndicatorKind kind = plan.kinds[q];
    int count = 0;
    for (const IndicatorPlan::Term* term = begin; term != end; ++term) count += term->second < 0 ? 1 : 2;
    // Accumulator's arithmetic, a step per lane: the total from +0, each term added (or, max,
    // kept unless larger: std::max(total, value) is max(value, total) lane by lane) in order.
    auto value = [&](double total) {
      switch (kind) {
        case IndicatorKind::mean:
          return count == 0 ? 0.0 : total / double(count);
        case IndicatorKind::max:
          return total;
        case IndicatorKind::cohesion:
          return count == 0 ? 1.0 : 1.0 - total / count;
      }
      return 0.0;
    };
    std::size_t s0 = 0;
    for (; s0 + kBlock <= steps; s0 += kBlock) {
      Pack total[kPacks];
      for (std::size_t p = 0; p < kPacks; ++p) total[p] = pack::broadcast(0.0);
      for (const IndicatorPlan::Term* term = begin; term != end; ++term) {
        const double* a = history + std::size_t(term->first) * stride + s0;
        if (kind == IndicatorKind::max) {
          for (std::size_t p = 0; p < kPacks; ++p) total[p] = pack::max(pack::load(a + p * pack::kLanes), total[p]);
        } else if (term->second < 0) {
          for (std::size_t p = 0; p < kPacks; ++p) total[p] = total[p] + pack::load(a + p * pack::kLanes);
        } else {
          const double* b = history + std::size_t(term->second) * stride + s0;
          for (std::size_t p = 0; p < kPacks; ++p)
            total[p] = total[p] + (pack::load(a + p * pack::kLanes) + pack::load(b + p * pack::kLanes));
        }
      }
      double values[kBlock];  // value(total), a pack at a time
      const Pack counted = pack::broadcast(double(count)), one = pack::broadcast(1.0);
      for (std::size_t p = 0; p < kPacks; ++p) {
        Pack v = total[p];
        if (kind == IndicatorKind::mean) v = count == 0 ? pack::broadcast(0.0) : v / counted;
        if (kind == IndicatorKind::cohesion) v = count == 0 ? one : one - v / counted;
        pack::store(values + p * pack::kLanes, v);
      }
      for (std::size_t i = 0; i < kBlock; ++i) out[(s0 + i) * k_count + q] = values[i];
    }
    for (std::size_t s = s0; s < steps; ++s) {  // the last few steps one at a time
      double total = 0.0;
      for (const IndicatorPlan::Term* term = begin; term != end; ++term) {
        const double a = history[std::size_t(term->first) * stride + s];
        if (kind == IndicatorKind::max)
          total = std::max(total, a);
        else
          total += term->second < 0 ? a : a + history[std::size_t(term->second) * stride + s];
      }
      out[s * k_count + q] = value(total);
    }
  }
}

}  // namespace geosim
