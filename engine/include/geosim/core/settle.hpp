#pragma once
/// \file
/// A world that stands still until something happens: the baselines that make a start state
/// the fixed point of the no-event dynamics (relaxation + reciprocity + spillover), and the
/// check of how far a start drifts when nothing happens. See docs/model.md, "A settled start".

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "geosim/core/scenario.hpp"

namespace geosim {

/// The baselines B for which the tensions T are a fixed point of one no-event, noise-free step
/// (away from the bounds). For each unordered pair {i, j}, with x = B_ij − T_ij and
/// y = B_ji − T_ji, the drift of i→j and of j→i vanish when
///     r_i x − k_i y = −S_ij
///    −k_j x + r_j y = −S_ji          (S = spillover(T, W, sigma)),
/// whose solution is x = −(r_j S_ij + k_i S_ji)/D, y = −(k_j S_ij + r_i S_ji)/D,
/// D = r_i r_j − k_i k_j. Where D = 0 the pair has no unique solution: its entries are NaN.
/// Entries outside [0, 1] are returned as computed (the caller decides). Diagonal 0.
/// `absent` (Scenario::absent, empty = none): absent pairs are left at 0 and drop out of the
/// spillover exactly as in the step.
Eigen::MatrixXd settled_baselines(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie,
                                  const Eigen::VectorXd& restraint, const Eigen::VectorXd& reactivity, double sigma,
                                  const std::vector<unsigned char>& absent = {});

/// settled_baselines for `scenario`'s actors (their restraint and reactivity), spillover and
/// absent pairs, from `tension` and `tie` (row-major n*n, as Scenario keeps them).
Eigen::MatrixXd settled_baselines(const Scenario& scenario, const std::vector<double>& tension,
                                  const std::vector<double>& tie);

/// A settled scenario's baselines derived anew for its current restraint, reactivity and
/// spillover (an ensemble run's --vary and --parameter-sd values), as the loader would have
/// derived them with these values set (--set), from the basis's tensions and ties: a baseline
/// unchanged since settling takes the derived value (bit for bit what loading with the values
/// set gives), one a policy changed since moves by the change of its derived value (keeping the
/// policy's change), and one set after settling (SettleBasis::kept) keeps its value. Where the
/// derived value leaves [0, 1] (which --set refuses; a range or a jitter may draw it), the
/// baseline is the nearest end, the least drift there is, and where it has no unique value
/// (D = 0) it stays: returns how many relations were so held (0: the world stands still).
/// Nothing to do without a basis.
std::size_t resettle(Scenario& scenario);

/// Sets `run`'s restraint, reactivity and spillover to `scenario`'s own, those before its
/// policies (Scenario::before_policies; its values as they are when it has none): what an
/// ensemble run's --parameter-sd and --vary then draw, and resettle() settles for.
void use_own_parameters(const Scenario& scenario, Scenario& run);

/// Adds the policies' changes (Scenario::before_policies to `scenario`'s values) to `run`'s
/// restraint and reactivity, drawn or settled from the own values: a value still the own one
/// takes the policy's value itself (bit for bit the run without a draw), another moves by the
/// policy's change (an `actors:` change is added), kept in [0, 1]. A spillover a policy set
/// (`parameters:` sets, not adds) is the run's whatever was drawn. Nothing to do when no policy
/// changed any.
void apply_policy_changes(const Scenario& scenario, Scenario& run);

/// For each baseline in `varied` (row-major indices: an ensemble's --vary ranges) that a policy
/// changed: the policy's change added to the drawn value, as apply_policy_changes adds it to a
/// drawn restraint (a drawn value that is the world's own takes the policy's value itself).
void apply_policy_baseline_changes(const Scenario& scenario, const std::vector<std::size_t>& varied, Scenario& run);

/// The largest move of any relation on the no-event path (the scenario without its events,
/// noise off) over `steps` steps from the start.
struct StartDrift {
  double largest = 0.0;  ///< |T_ij(steps) − T_ij(0)|, the largest over all relations
  std::size_t from = 0;  ///< the relation that moves most
  std::size_t to = 0;
  int steps = 0;  ///< steps followed (fewer than the horizon for very large worlds)
};

/// Follows the no-event path for the scenario's horizon; for a very large world only as many
/// steps as about 5e7 relation updates allow (never a hang on untrusted sizes).
StartDrift start_drift(const Scenario& scenario);

/// Drift over the horizon beyond which `validate` warns about a start that is not settled and
/// does not say it drifts (tension units).
inline constexpr double kStartDriftWarning = 0.01;

/// The warning `validate` prints for a scenario whose start is not declared (start_state) and
/// drifts more than kStartDriftWarning on the no-event path; nullopt otherwise.
std::optional<std::string> start_drift_warning(const Scenario& scenario);

}  // namespace geosim
