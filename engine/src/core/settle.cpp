// A settled start: baselines derived so that the start is the no-event fixed point, and the
// drift of a start that is not.
#include "geosim/core/settle.hpp"

#include "text.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "geosim/core/dynamics.hpp"
#include "geosim/core/rng.hpp"
#include "geosim/core/step.hpp"

namespace geosim {

Eigen::MatrixXd settled_baselines(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie,
                                  const Eigen::VectorXd& restraint, const Eigen::VectorXd& reactivity, double sigma,
                                  const std::vector<unsigned char>& absent) {
  const Eigen::Index n = tension.rows();
  const Eigen::MatrixXd s = spillover(tension, tie, sigma, absent);
  Eigen::MatrixXd b = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j) {
      if (!absent.empty() && absent[std::size_t(i * n + j)]) continue;  // no relation: stays 0
      const double det = restraint(i) * restraint(j) - reactivity(i) * reactivity(j);
      if (det == 0.0) {
        b(i, j) = b(j, i) = std::numeric_limits<double>::quiet_NaN();
        continue;
      }
      b(i, j) = tension(i, j) - (restraint(j) * s(i, j) + reactivity(i) * s(j, i)) / det;
      b(j, i) = tension(j, i) - (reactivity(j) * s(i, j) + restraint(i) * s(j, i)) / det;
    }
  return b;
}

Eigen::MatrixXd settled_baselines(const Scenario& scenario, const std::vector<double>& tension,
                                  const std::vector<double>& tie) {
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const auto size = Eigen::Index(scenario.actor_count());
  Eigen::VectorXd restraint(size), reactivity(size);
  for (Eigen::Index i = 0; i < size; ++i) {
    restraint(i) = scenario.actors[std::size_t(i)].restraint;
    reactivity(i) = scenario.actors[std::size_t(i)].reactivity;
  }
  return settled_baselines(Eigen::Map<const RowMajor>(tension.data(), size, size),
                           Eigen::Map<const RowMajor>(tie.data(), size, size), restraint, reactivity,
                           scenario.parameters.spillover, scenario.absent);
}

std::size_t resettle(Scenario& scenario) {
  if (!scenario.settle_basis) return 0;
  const SettleBasis& basis = *scenario.settle_basis;
  const std::size_t n = scenario.actor_count();
  if (basis.tension.size() != n * n || basis.tie.size() != n * n || basis.baseline.size() != n * n ||
      basis.kept.size() != n * n || scenario.baseline.size() != n * n)
    return 0;
  const Eigen::MatrixXd b = settled_baselines(scenario, basis.tension, basis.tie);
  std::size_t held = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j || basis.kept[i * n + j]) continue;
      double derived = b(Eigen::Index(i), Eigen::Index(j));
      if (std::isnan(derived)) {  // no unique value (D = 0): the baseline stays as it is
        ++held;
        continue;
      }
      if (derived < 0.0 || derived > 1.0) {  // none in [0, 1]: the nearest end, the least drift
        derived = std::clamp(derived, 0.0, 1.0);
        ++held;
      }
      double& baseline = scenario.baseline[i * n + j];
      const double before = basis.baseline[i * n + j];
      // Unchanged since settling: the derived value itself, as loading with it set would give.
      baseline = baseline == before ? derived : std::clamp(baseline + (derived - before), 0.0, 1.0);
    }
  return held;
}

void use_own_parameters(const Scenario& scenario, Scenario& run) {
  const std::size_t n = scenario.actor_count();
  for (std::size_t i = 0; i < n && i < run.actors.size(); ++i) {
    const bool own = scenario.before_policies && i < scenario.before_policies->restraint.size();
    run.actors[i].restraint = own ? scenario.before_policies->restraint[i] : scenario.actors[i].restraint;
    run.actors[i].reactivity = own ? scenario.before_policies->reactivity[i] : scenario.actors[i].reactivity;
  }
  run.parameters.spillover =
      scenario.before_policies ? scenario.before_policies->spillover : scenario.parameters.spillover;
}

void apply_policy_changes(const Scenario& scenario, Scenario& run) {
  if (!scenario.before_policies) return;
  const OwnParameters& own = *scenario.before_policies;
  // The policy's value where the run's is still the own one; else the run's moved by the change.
  auto change = [](double& value, double before, double after) {
    value = value == before ? after : std::clamp(value + (after - before), 0.0, 1.0);
  };
  const std::size_t n =
      std::min({scenario.actor_count(), run.actors.size(), own.restraint.size(), own.reactivity.size()});
  for (std::size_t i = 0; i < n; ++i) {
    change(run.actors[i].restraint, own.restraint[i], scenario.actors[i].restraint);
    change(run.actors[i].reactivity, own.reactivity[i], scenario.actors[i].reactivity);
  }
  // A policy's `parameters:` sets the spillover (a value, not a change): the run takes it as set.
  if (own.spillover != scenario.parameters.spillover) run.parameters.spillover = scenario.parameters.spillover;
}

void apply_policy_baseline_changes(const Scenario& scenario, const std::vector<std::size_t>& varied, Scenario& run) {
  if (!scenario.before_policies || varied.empty()) return;
  for (const auto& [k, before] : scenario.before_policies->baseline) {
    if (std::find(varied.begin(), varied.end(), k) == varied.end() || k >= run.baseline.size()) continue;
    double& value = run.baseline[k];
    value = value == before ? scenario.baseline[k] : std::clamp(value + (scenario.baseline[k] - before), 0.0, 1.0);
  }
}

StartDrift start_drift(const Scenario& scenario) {
  Scenario still = scenario;
  still.events.clear();
  still.parameters.noise = 0.0;
  const auto n = double(std::max<std::size_t>(1, still.actor_count()));
  constexpr double kBudget = 5e7;  // relation updates
  const int steps = int(std::min<double>(still.steps, std::floor(kBudget / (n * n))));
  Rng rng = Rng::for_run(0, 0);
  State state = initial_state(still, rng);
  const Eigen::MatrixXd start = state.tension;
  // No events, so no follow-ups: State::error (follow-up limits) cannot arise; stop if it ever does.
  for (int s = 0; s < steps && state.error.empty(); ++s) state = advance(std::move(state), still, rng, {}).state;
  StartDrift drift;
  drift.steps = steps;
  for (Eigen::Index j = 0; j < start.cols(); ++j)
    for (Eigen::Index i = 0; i < start.rows(); ++i) {
      const double moved = std::abs(state.tension(i, j) - start(i, j));
      if (moved > drift.largest) drift = {moved, std::size_t(i), std::size_t(j), steps};
    }
  return drift;
}

std::optional<std::string> start_drift_warning(const Scenario& scenario) {
  if (scenario.start_state != StartState::unstated) return std::nullopt;
  const StartDrift d = start_drift(scenario);
  if (d.largest <= kStartDriftWarning) return std::nullopt;
  return "with no events, " + scenario.actors[d.from].id + " -> " + scenario.actors[d.to].id + " moves by " +
         text::fixed(d.largest, 3) + " over " + std::to_string(d.steps) + " steps (more than " +
         text::general(kStartDriftWarning) +
         "): the start is not a steady state; add 'start_state: settled' to derive the baselines that keep it "
         "still, or 'start_state: drifting' if the drift is meant";
}

}  // namespace geosim
