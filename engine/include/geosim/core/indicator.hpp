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

/// All of the scenario's indicators, in declaration order.
std::vector<double> evaluate_indicators(const Scenario& scenario, const Eigen::MatrixXd& tension);

}  // namespace geosim
