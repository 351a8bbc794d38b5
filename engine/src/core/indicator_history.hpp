#pragma once
/// \file
/// The history of the tensions a run's indicators read, kept so that the indicators are
/// evaluated once at the end of a run (ensemble.cpp's simulate) and counted in an ensemble's
/// memory (run_budget.cpp).

#include <algorithm>
#include <cstddef>

#include "geosim/core/indicator.hpp"

namespace geosim::detail {

/// The doubles a run's indicator history takes (the inputs' tensions at every step), or 0 when its indicators are
/// evaluated step by step (none, or too many inputs).
inline std::size_t indicator_history_size(const IndicatorPlan& plan, int steps) {
  const std::size_t stride = std::size_t(std::max(steps, 0)) + 1;
  if (plan.inputs.empty() || plan.inputs.size() > kIndicatorHistoryDoubles / stride) return 0;
  return plan.inputs.size() * stride;
}

}  // namespace geosim::detail
