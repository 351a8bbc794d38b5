// Calibration: Levenberg-Marquardt on the one-step and multi-step errors of the no-event model,
// then the backtest. docs/grounding.md, "Calibration".
#include "geosim/analysis/calibrate.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#include "geosim/core/rng.hpp"
#include "geosim/core/state.hpp"
#include "geosim/core/step.hpp"

namespace geosim {
namespace {

/// The model a calibration runs: the scenario without its events and noise (the observed series
/// already holds what happened), so a step is the drift alone.
Scenario drift_model(const Scenario& scenario) {
  Scenario model = scenario;
  model.events.clear();
  model.parameters.noise = 0.0;
  return model;
}

/// Observed values replace the state's tensions where there are some.
void overlay(State& state, const ObservedSeries& observed, int step) {
  const std::size_t n = observed.actors;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j && observed.observed(step, i, j))
        state.tension(Eigen::Index(i), Eigen::Index(j)) = observed.at(step, i, j);
}

State start_state(const Scenario& model, const ObservedSeries& observed, int step) {
  State state = initial_state(model, Rng(0));
  overlay(state, observed, step);
  state.step = step;
  return state;
}

State step_once(const State& state, const Scenario& model) { return advance(state, model, Rng(0), {}).state; }

struct Fitter {
  const ObservedSeries& observed;
  const CalibrationOptions& options;
  Scenario model;
  std::vector<FittedValue> values;

  void set(const Eigen::VectorXd& theta) {
    for (std::size_t p = 0; p < values.size(); ++p)
      set_parameter(model, ModelParameter{"", {values[p].target}}, theta(Eigen::Index(p)));
  }

  /// One-step residuals (the model's step from the observed state, the state carried on where
  /// nothing is observed), then multi-step ones (a free run from the window's start), each in
  /// order of step, from, to. `one`/`multi` receive the squared errors per dyad when given.
  Eigen::VectorXd residuals(const Eigen::VectorXd& theta, std::vector<double>* one = nullptr,
                            std::vector<double>* multi = nullptr) {
    set(theta);
    const std::size_t n = observed.actors;
    std::vector<double> out;
    std::vector<double> second;
    const double w = std::sqrt(options.multi_step_weight);
    State x = start_state(model, observed, options.train_first), y = x;
    for (int t = options.train_first; t < options.train_last; ++t) {
      x = step_once(x, model);
      y = step_once(y, model);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
          if (i != j && observed.observed(t + 1, i, j)) {
            const double o = observed.at(t + 1, i, j);
            const double e1 = x.tension(Eigen::Index(i), Eigen::Index(j)) - o;
            const double e2 = y.tension(Eigen::Index(i), Eigen::Index(j)) - o;
            out.push_back(e1);
            second.push_back(w * e2);
            if (one) (*one)[i * n + j] += e1 * e1;
            if (multi) (*multi)[i * n + j] += e2 * e2;
          }
      overlay(x, observed, t + 1);
    }
    out.insert(out.end(), second.begin(), second.end());
    return Eigen::Map<Eigen::VectorXd>(out.data(), Eigen::Index(out.size()));
  }

  /// Forward differences, backward at the upper bound.
  Eigen::MatrixXd jacobian(const Eigen::VectorXd& theta, const Eigen::VectorXd& r0) {
    Eigen::MatrixXd j(r0.size(), theta.size());
    for (Eigen::Index p = 0; p < theta.size(); ++p) {
      Eigen::VectorXd moved = theta;
      const double h = theta(p) + 1e-6 <= kParameterHigh ? 1e-6 : -1e-6;
      moved(p) += h;
      j.col(p) = (residuals(moved) - r0) / h;
    }
    set(theta);
    return j;
  }
};

double rms(double sum, int count) { return count > 0 ? std::sqrt(sum / count) : 0.0; }
double skill(double model, double reference) {
  return reference > 0.0 ? 1.0 - model / reference : std::numeric_limits<double>::quiet_NaN();
}

std::string check(const Scenario& scenario, const ObservedSeries& observed, const CalibrationOptions& o,
                  std::size_t parameters) {
  if (observed.actors != scenario.actor_count()) return "the observed series is not of this scenario's actors";
  if (!(0 <= o.train_first && o.train_first < o.train_last))
    return fmt::format("the training window {}..{} needs at least two steps, the first before the last", o.train_first,
                       o.train_last);
  if (o.test_first < o.train_last)
    return fmt::format(
        "the test window starts at step {}, before the training window ends (step {}): it must not overlap",
        o.test_first, o.train_last);
  if (o.test_last <= o.test_first)
    return fmt::format("the test window {}..{} needs at least two steps", o.test_first, o.test_last);
  if (o.test_last > observed.last_step)
    return fmt::format("the test window ends at step {}, after the series' last step {}", o.test_last,
                       observed.last_step);
  if (!(o.multi_step_weight > 0.0 && o.multi_step_weight <= 1e6)) return "the multi-step weight must be in (0, 1e6]";
  if (parameters == 0) return "nothing to fit: no parameter named, or no dyad observed in the training window";
  if (parameters > kMaxFittedParameters)
    return fmt::format("{} parameters to fit, more than the limit of {}: name fewer with --fit", parameters,
                       kMaxFittedParameters);
  const double n = double(scenario.actor_count());
  const double work = double(o.train_last - o.train_first) * n * n * double(parameters + 1);
  if (work > kMaxCalibrationWork)
    return fmt::format(
        "fitting {} parameters over {} steps of {} actors is too much work (limit {:g} per Jacobian): "
        "fit fewer parameters, fewer steps or fewer actors",
        parameters, o.train_last - o.train_first, scenario.actor_count(), kMaxCalibrationWork);
  double observed_dyad_steps = 0.0;  // the residuals: two for each (as Fitter::residuals makes them)
  for (int t = o.train_first + 1; t <= o.train_last; ++t)
    for (std::size_t i = 0; i < observed.actors; ++i)
      for (std::size_t j = 0; j < observed.actors; ++j)
        if (i != j && observed.observed(t, i, j)) observed_dyad_steps += 1.0;
  const double bytes = 2.0 * observed_dyad_steps * double(parameters) * double(sizeof(double));
  if (bytes > kMaxCalibrationJacobianBytes)
    return fmt::format(
        "fitting {} parameters to {:.0f} residuals (two for each observed dyad-step of the training window) "
        "needs a Jacobian of {:.0f} MiB, more than the limit of {:.0f} MiB: fit fewer parameters (--fit), fewer "
        "steps or fewer actors",
        parameters, 2.0 * observed_dyad_steps, bytes / 1048576.0, kMaxCalibrationJacobianBytes / 1048576.0);
  const int iterations = std::max(1, o.max_iterations);
  if (work * double(iterations) > kMaxCalibrationTotalWork)
    return fmt::format(
        "fitting {} parameters over {} steps of {} actors for up to {} iterations is too much work "
        "(limit {:g} in all, about two minutes): use fewer iterations (--max-iterations), "
        "parameters, steps or actors",
        parameters, o.train_last - o.train_first, scenario.actor_count(), iterations, kMaxCalibrationTotalWork);
  return {};
}

}  // namespace

std::vector<ModelParameter> default_fit(const Scenario& scenario, const ObservedSeries& observed,
                                        const CalibrationOptions& options) {
  const std::size_t n = scenario.actor_count();
  if (observed.actors != n) return {};
  std::vector<bool> dyad(n * n, false), actor(n, false);
  for (int t = std::max(0, options.train_first); t <= std::min(options.train_last, observed.last_step); ++t)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        if (i != j && observed.observed(t, i, j)) dyad[i * n + j] = actor[i] = true;
  std::vector<ModelParameter> fit;
  for (auto kind : {ParameterKind::restraint, ParameterKind::reactivity})
    for (std::size_t a = 0; a < n; ++a)
      if (actor[a]) fit.push_back({"", {{kind, a, 0}}});
  fit.push_back({"spillover", {{ParameterKind::spillover, 0, 0}}});
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (dyad[i * n + j] && scenario.has_relation(i, j)) fit.push_back({"", {{ParameterKind::baseline, i, j}}});
  if (fit.size() == 1) fit.clear();  // no dyad observed: nothing to fit
  return fit;
}

CalibrationResult calibrate(const Scenario& scenario, const ObservedSeries& observed,
                            const CalibrationOptions& options) {
  CalibrationResult result;
  Fitter fitter{observed, options, drift_model(scenario), {}};
  const std::vector<ModelParameter> observed_set = default_fit(scenario, observed, options);
  auto in_observed_set = [&](const ParameterTarget& t) {
    return std::any_of(observed_set.begin(), observed_set.end(),
                       [&](const ModelParameter& p) { return p.targets.front() == t; });
  };
  for (const ModelParameter& p : options.fit.empty() ? observed_set : options.fit)
    for (const ParameterTarget& t : p.targets)
      if ((p.targets.size() == 1 || in_observed_set(t)) &&  // a group: its members the series can tell
          std::find_if(fitter.values.begin(), fitter.values.end(),
                       [&](const FittedValue& v) { return v.target == t; }) == fitter.values.end())
        fitter.values.push_back({t, parameter_name(scenario, t), parameter_value(scenario, t), 0.0});
  if (std::string error = check(scenario, observed, options, fitter.values.size()); !error.empty()) {
    result.error = error;
    return result;
  }
  const auto count = Eigen::Index(fitter.values.size());
  Eigen::VectorXd theta(count);
  for (Eigen::Index p = 0; p < count; ++p) theta(p) = fitter.values[std::size_t(p)].before;

  // Levenberg-Marquardt (Marquardt 1963) with Marquardt's scaling: solve
  // (J'J + lambda diag(J'J)) delta = -J'r, keep theta + delta clamped to the bounds when it lowers
  // the cost (lambda / 10), else lambda * 10 and try again.
  Eigen::VectorXd r = fitter.residuals(theta);
  result.residuals = int(r.size());
  if (r.size() == 0) {
    result.error = "no observation in the training window after its first step";
    return result;
  }
  const int half = int(r.size() / 2);
  result.rms_one_step_before = rms(r.head(half).squaredNorm(), half);
  result.rms_multi_step_before = rms(r.tail(half).squaredNorm() / options.multi_step_weight, half);
  double cost = r.squaredNorm(), lambda = 1e-3;
  int iteration = 0;
  for (; iteration < std::max(1, options.max_iterations); ++iteration) {
    const Eigen::MatrixXd j = fitter.jacobian(theta, r);
    const Eigen::MatrixXd jtj = j.transpose() * j;
    const Eigen::VectorXd g = j.transpose() * r;
    const double scale = std::max(1e-12, jtj.diagonal().maxCoeff() * 1e-12);
    bool improved = false;
    double change = 0.0;
    // A parameter at a bound that the gradient pushes outward stays there this iteration.
    std::vector<Eigen::Index> free;
    for (Eigen::Index p = 0; p < count; ++p)
      if (!((theta(p) <= kParameterLow && g(p) > 0.0) || (theta(p) >= kParameterHigh && g(p) < 0.0))) free.push_back(p);
    const auto m = Eigen::Index(free.size());
    Eigen::MatrixXd jtj_free(m, m);
    Eigen::VectorXd g_free(m);
    for (Eigen::Index a = 0; a < m; ++a) {
      g_free(a) = g(free[std::size_t(a)]);
      for (Eigen::Index b = 0; b < m; ++b) jtj_free(a, b) = jtj(free[std::size_t(a)], free[std::size_t(b)]);
    }
    for (int attempt = 0; attempt < 12 && !improved && m > 0; ++attempt) {
      Eigen::MatrixXd a = jtj_free;
      a.diagonal() += lambda * (jtj_free.diagonal().array() + scale).matrix();
      const Eigen::VectorXd reduced = a.ldlt().solve(-g_free);
      Eigen::VectorXd step = Eigen::VectorXd::Zero(count);
      for (Eigen::Index k = 0; k < m; ++k) step(free[std::size_t(k)]) = reduced(k);
      const Eigen::VectorXd next = (theta + step).cwiseMax(kParameterLow).cwiseMin(kParameterHigh);
      const Eigen::VectorXd r_next = fitter.residuals(next);
      const double c = r_next.squaredNorm();
      if (std::isfinite(c) && c < cost) {
        change = (cost - c) / std::max(cost, 1e-300);
        improved = true;
        const double moved = (next - theta).norm();
        theta = next;
        r = r_next;
        cost = c;
        lambda = std::max(lambda / 10.0, 1e-12);
        if (moved <= 1e-10 * (1.0 + theta.norm())) change = 0.0;
      } else {
        lambda *= 10.0;
      }
    }
    if (!improved || change < 1e-10) {
      result.converged = true;
      ++iteration;
      break;
    }
  }
  result.iterations = iteration;
  const std::size_t n = observed.actors;
  std::vector<double> one(n * n, 0.0), multi(n * n, 0.0);
  r = fitter.residuals(theta, &one, &multi);
  result.rms_one_step_after = rms(r.head(half).squaredNorm(), half);
  result.rms_multi_step_after = rms(r.tail(half).squaredNorm() / options.multi_step_weight, half);
  for (Eigen::Index p = 0; p < count; ++p) fitter.values[std::size_t(p)].after = theta(p);
  result.parameters = fitter.values;
  // What the data cannot tell: fewer observations than values, or values whose effect on the
  // residuals is nil or a combination of the others' (the Jacobian's rank at the fit, by a
  // column-pivoted QR; the columns it leaves beyond the rank are named).
  if (half < count)
    result.cautions.push_back(fmt::format(
        "{} values fitted from {} one-step observations: fewer observations than values, so many fits match "
        "the data equally well; widen --train or fit fewer values with --fit",
        count, half));
  // Values the fit pushed to an end of [0, 1] from inside it: the best fit lies at or beyond the
  // end, or the observations barely act on them (an error that does not move as they go there).
  std::vector<std::string> at_bound;
  for (const FittedValue& v : fitter.values)
    if ((v.after <= kParameterLow || v.after >= kParameterHigh) && v.after != v.before) at_bound.push_back(v.name);
  if (!at_bound.empty()) {
    std::sort(at_bound.begin(), at_bound.end());
    result.cautions.push_back(fmt::format(
        "{} ended at an end of [0, 1], where the fit pushed {}: the best fit may lie beyond it, or the "
        "observations may barely act on {} (compare the errors before and after); read {} with care, or leave "
        "{} out with --fit",
        at_bound.size() == 1 ? at_bound.front()
        : at_bound.size() <= 4
            ? fmt::format("{} and {}", fmt::join(at_bound.begin(), at_bound.end() - 1, ", "), at_bound.back())
            : fmt::format("{} and {} more", fmt::join(at_bound.begin(), at_bound.begin() + 3, ", "),
                          at_bound.size() - 3),
        at_bound.size() == 1 ? "it" : "them", at_bound.size() == 1 ? "it" : "them",
        at_bound.size() == 1 ? "its value" : "their values", at_bound.size() == 1 ? "it" : "them"));
  }
  Eigen::MatrixXd jacobian = fitter.jacobian(theta, r);  // decomposed in place: one Jacobian in memory
  Eigen::ColPivHouseholderQR<Eigen::Ref<Eigen::MatrixXd>> qr(jacobian);
  qr.setThreshold(1e-6);
  if (half >= count && qr.rank() < count) {
    std::vector<std::string> names;
    for (Eigen::Index k = qr.rank(); k < count; ++k)
      names.push_back(fitter.values[std::size_t(qr.colsPermutation().indices()(k))].name);
    std::sort(names.begin(), names.end());
    result.cautions.push_back(fmt::format(
        "the data determine only {} of the {} values fitted: {} could change without changing the fit (no "
        "observation they act on, or a combination of others); read their values as one fit among many, "
        "or leave them out with --fit",
        qr.rank(), count,
        names.size() <= 4
            ? fmt::format("{}", fmt::join(names, ", "))
            : fmt::format("{} and {} more", fmt::join(names.begin(), names.begin() + 3, ", "), names.size() - 3)));
  }

  // The backtest: the state carried to the test window's start through the observations (the
  // fitted model stepping, the observed values put in where there are), then a free run.
  const Scenario& model = fitter.model;
  State x = start_state(model, observed, options.train_first);
  for (int t = options.train_first; t < options.test_first; ++t) {
    x = step_once(x, model);
    overlay(x, observed, t + 1);
  }
  std::vector<DyadFit> fits;
  double sum_model = 0, sum_persist = 0, sum_mean = 0;
  int points = 0, train_points = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      DyadFit d{i, j};
      double mean = 0.0;
      int in_window = 0;
      for (int t = options.train_first; t <= options.train_last; ++t)
        if (observed.observed(t, i, j)) {
          mean += observed.at(t, i, j);
          ++in_window;
          if (t > options.train_first) ++d.train_points;
        }
      if (in_window == 0) continue;
      mean /= in_window;
      d.rms_one_step = rms(one[i * n + j], d.train_points);
      d.rms_multi_step = rms(multi[i * n + j], d.train_points);
      train_points += d.train_points;
      if (observed.observed(options.test_first, i, j)) {
        const double start = observed.at(options.test_first, i, j);
        State z = x;
        for (int t = options.test_first; t < options.test_last; ++t) {
          z = step_once(z, model);
          if (!observed.observed(t + 1, i, j)) continue;
          const double o = observed.at(t + 1, i, j), f = z.tension(Eigen::Index(i), Eigen::Index(j));
          d.mse_model += (f - o) * (f - o);
          d.mse_persistence += (start - o) * (start - o);
          d.mse_mean += (mean - o) * (mean - o);
          ++d.test_points;
        }
      }
      if (d.test_points > 0) {
        sum_model += d.mse_model;
        sum_persist += d.mse_persistence;
        sum_mean += d.mse_mean;
        points += d.test_points;
        d.mse_model /= d.test_points;
        d.mse_persistence /= d.test_points;
        d.mse_mean /= d.test_points;
      }
      d.skill_persistence =
          d.test_points ? skill(d.mse_model, d.mse_persistence) : std::numeric_limits<double>::quiet_NaN();
      d.skill_mean = d.test_points ? skill(d.mse_model, d.mse_mean) : std::numeric_limits<double>::quiet_NaN();
      fits.push_back(d);
    }
  result.dyads = std::move(fits);
  DyadFit& all = result.overall;
  all.train_points = train_points;
  all.rms_one_step = result.rms_one_step_after;
  all.rms_multi_step = result.rms_multi_step_after;
  all.test_points = points;
  if (points > 0) {
    all.mse_model = sum_model / points;
    all.mse_persistence = sum_persist / points;
    all.mse_mean = sum_mean / points;
  }
  all.skill_persistence = points ? skill(all.mse_model, all.mse_persistence) : std::numeric_limits<double>::quiet_NaN();
  all.skill_mean = points ? skill(all.mse_model, all.mse_mean) : std::numeric_limits<double>::quiet_NaN();
  result.fitted = scenario;
  for (const FittedValue& v : result.parameters) set_parameter(result.fitted, ModelParameter{"", {v.target}}, v.after);
  return result;
}

}  // namespace geosim
