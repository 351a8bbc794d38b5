#pragma once
/// \file
/// Indicators: the named measures a scenario reports at every step.

#include <Eigen/Core>
#include <vector>

#include "geosim/core/scenario.hpp"

namespace geosim {

/// The value of one indicator for the given tensions.
double evaluate_indicator(const Indicator& indicator, const Scenario& scenario,
                          const Eigen::MatrixXd& tension);

/// Whether `indicator` measures a relation of `actor` (mean/max: a relation from or to it;
/// cohesion: the organisation is the actor or has it as a member).
bool indicator_touches(const Scenario& scenario, const Indicator& indicator, std::size_t actor);

/// All of the scenario's indicators, in declaration order.
std::vector<double> evaluate_indicators(const Scenario& scenario, const Eigen::MatrixXd& tension);

}  // namespace geosim
