#pragma once
/// \file
/// `geosim calibrate`: the model's parameters fitted to an observed tension series by least
/// squares (Levenberg-Marquardt with a numeric Jacobian, bounds [0, 1]), and a backtest of the
/// fitted model against persistence and the training mean. See docs/grounding.md, "Calibration".

#include <cstddef>
#include <string>
#include <vector>

#include "geosim/core/model_parameters.hpp"
#include "geosim/core/scenario.hpp"
#include "geosim/io/observed_series.hpp"

namespace geosim {

/// How to calibrate. Windows are steps of the observed series, inclusive.
struct CalibrationOptions {
  int train_first = 0;  ///< first training step (the start of the fit's runs)
  int train_last = 0;   ///< last training step; > train_first
  int test_first = 0;   ///< the step the backtest forecasts from; >= train_last
  int test_last = 0;    ///< last step forecast; > test_first
  /// The parameters fitted; empty = the default: restraint and reactivity of every actor in a
  /// dyad observed in the training window, the spillover, and the baseline of every such dyad. A
  /// group (`restraint`, `baseline`) stands for those of its members, each fitted on its own.
  std::vector<ModelParameter> fit;
  int max_iterations = 100;  ///< Levenberg-Marquardt iterations, >= 1. Default 100
  /// Weight of the multi-step residuals' squares against the one-step ones', > 0. Default 0.1:
  /// enough to keep a free run on course, not so much that a free run's errors, which carry the
  /// noise of every step before, bias the fit (docs/grounding.md, "Calibration").
  double multi_step_weight = 0.1;
};

/// Most fitted parameters.
inline constexpr std::size_t kMaxFittedParameters = 2000;
/// Most work per Jacobian: (training steps) * actors^2 * (parameters + 1) <= 4e8 (about a second).
inline constexpr double kMaxCalibrationWork = 4e8;
/// Most work in all: that of a Jacobian times the iterations at most (--max-iterations), 4e10
/// (about two minutes: the default 100 iterations at the largest Jacobian).
inline constexpr double kMaxCalibrationTotalWork = 4e10;
/// Most memory of one Jacobian, (residuals) * (parameters) doubles: 1 GiB (the fit holds it and,
/// at the end, a copy for its rank; the residuals are two for each observed dyad-step of the
/// training window after its first step: one step ahead and in a free run).
inline constexpr double kMaxCalibrationJacobianBytes = 1024.0 * 1024.0 * 1024.0;

/// One fitted number: its name and its value before and after.
struct FittedValue {
  ParameterTarget target;
  std::string name;
  double before = 0.0;
  double after = 0.0;
};

/// Errors of one directed dyad (or, with from == to == 0 and `overall`, of all of them pooled).
struct DyadFit {
  std::size_t from = 0, to = 0;
  int train_points = 0;         ///< observations after the training window's first step
  double rms_one_step = 0.0;    ///< after the fit
  double rms_multi_step = 0.0;  ///< after the fit
  int test_points = 0;          ///< observations forecast in the test window (0 = not scored)
  double mse_model = 0.0, mse_persistence = 0.0, mse_mean = 0.0;
  /// 1 - MSE_model / MSE_reference; NaN when the reference's MSE is 0 or nothing was forecast.
  double skill_persistence = 0.0, skill_mean = 0.0;
};

/// What calibrate found.
struct CalibrationResult {
  std::string error;  ///< "" = fine; else one line and nothing else is filled in
  std::vector<FittedValue> parameters;
  int iterations = 0;
  bool converged = false;  ///< stopped on a small change rather than the iteration bound
  double rms_one_step_before = 0.0, rms_one_step_after = 0.0;
  double rms_multi_step_before = 0.0, rms_multi_step_after = 0.0;
  int residuals = 0;           ///< one-step and multi-step residuals in the fit
  std::vector<DyadFit> dyads;  ///< every dyad observed in training, by (from, to)
  DyadFit overall;             ///< pooled over the dyads scored
  Scenario fitted;             ///< the scenario with the fitted values
  /// What the data cannot tell, one line each (printed as warnings): fewer one-step observations
  /// than fitted values, or values the observations do not determine (the Jacobian's rank).
  std::vector<std::string> cautions;
};

/// The default parameters to fit (see CalibrationOptions::fit).
std::vector<ModelParameter> default_fit(const Scenario& scenario, const ObservedSeries& observed,
                                        const CalibrationOptions& options);

/// Fits and backtests. Nothing observed after `train_last` enters the fit.
CalibrationResult calibrate(const Scenario& scenario, const ObservedSeries& observed,
                            const CalibrationOptions& options);

}  // namespace geosim
