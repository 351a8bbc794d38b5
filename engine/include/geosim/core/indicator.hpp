#pragma once
/// \file
/// Indicators: the named measures a scenario reports at every step.

#include <Eigen/Core>
#include <cstddef>
#include <vector>

#include "geosim/core/scenario.hpp"

namespace geosim {

/// The value of one indicator for the given tensions.
double evaluate_indicator(const Indicator& indicator, const Scenario& scenario, const Eigen::MatrixXd& tension);

/// Whether `indicator` measures a relation of `actor` (mean/max: a relation from or to it;
/// cohesion: the organisation is the actor or has it as a member).
bool indicator_touches(const Scenario& scenario, const Indicator& indicator, std::size_t actor);

/// All of the scenario's indicators, in declaration order.
std::vector<double> evaluate_indicators(const Scenario& scenario, const Eigen::MatrixXd& tension);

/// A scenario's indicators as the positions of the tensions each reads (column-major in an
/// n x n tension matrix), made once for evaluating them at every step of many runs.
struct IndicatorPlan {
  /// One term of an indicator's sum: the tension at `first`, plus (added to it first) the one
  /// at `second` when `second` >= 0 (a member and its organisation both ways, cohesion).
  struct Term {
    std::ptrdiff_t first = 0;
    std::ptrdiff_t second = -1;
  };
  std::vector<IndicatorKind> kinds;    ///< per indicator, in declaration order
  std::vector<std::size_t> first;      ///< indicator q's terms are [first[q], first[q + 1])
  std::vector<Term> terms;             ///< in the order each indicator adds them
  std::vector<std::ptrdiff_t> inputs;  ///< the distinct positions the terms read, ascending
  std::vector<Term> input_terms;       ///< `terms` with each position's index in `inputs` instead
};

/// The plan of `scenario`'s indicators (their relations, members and absent pairs).
IndicatorPlan plan_indicators(const Scenario& scenario);

/// Every indicator of `plan` for `tension` into `out` (one value each, in declaration order):
/// bit for bit evaluate_indicator's values for the scenario the plan was made from.
void evaluate_indicators(const IndicatorPlan& plan, const Eigen::MatrixXd& tension, double* out);

/// A run's indicators a whole run at a time instead of step by step: the tensions `plan` reads
/// (its `inputs`) at one step into `history`, input i at history[i * stride + step], step < stride.
void record_indicator_inputs(const IndicatorPlan& plan, const Eigen::MatrixXd& tension, std::size_t step,
                             double* history, std::size_t stride);

/// Every indicator of `plan` at steps 0 .. steps - 1 of `history` (record_indicator_inputs) into
/// `out` (out[step * indicators + q]), several steps at a time: bit for bit what
/// evaluate_indicators(plan, tension, out + step * indicators) gives for each step's tensions
/// (each step's sums add the same terms in the same order).
void evaluate_indicators_over_steps(const IndicatorPlan& plan, const double* history, std::size_t stride,
                                    std::size_t steps, double* out);

}  // namespace geosim
