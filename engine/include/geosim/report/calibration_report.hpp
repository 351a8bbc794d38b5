#pragma once
/// \file
/// `geosim calibrate`'s outputs: the terminal summary, the fitted parameters as a YAML file a
/// scenario includes (`fitted:`, docs/scenario-format.md), and the backtest per dyad as CSV.

#include <ostream>
#include <string>

#include "geosim/analysis/calibrate.hpp"
#include "geosim/io/observed_series.hpp"

namespace geosim {

/// The summary: the fit (iterations, RMS errors before and after, the largest changes) and the
/// backtest's skill scores (the dyads with the most test points, then all pooled).
std::string calibration_summary(const Scenario& scenario, const ObservedSeries& observed,
                                const CalibrationOptions& options, const CalibrationResult& result);

/// `fitted:` with every fitted value (6 decimals), headed by comments saying how it was fitted.
std::string fitted_yaml(const ObservedSeries& observed, const CalibrationOptions& options,
                        const CalibrationResult& result);

/// backtest.csv: from,to,train_points,rms_one_step,rms_multi_step,test_points,mse_model,
/// mse_persistence,mse_mean,skill_persistence,skill_mean; one row per dyad observed in training,
/// then `all,all,...` pooled. A skill that is not defined is empty.
void write_backtest_csv(std::ostream& out, const Scenario& scenario, const CalibrationResult& result);

}  // namespace geosim
