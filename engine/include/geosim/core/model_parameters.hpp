#pragma once
/// \file
/// The model's parameters by name, as `geosim calibrate --fit`, `ensemble --vary` and a scenario's
/// `fitted:` block write them, and the Latin hypercube of `--vary` (docs/grounding.md,
/// "Calibration", and docs/model.md, "Parameter ranges").
///
/// Names: `restraint.A` and `reactivity.A` (actor A's r and k), `spillover` (sigma),
/// `baseline.A.B` (the baseline of the directed relation A -> B); and the groups `restraint`,
/// `reactivity` (every actor's) and `baseline` (every directed relation's), which stand for all
/// of their members at once (one value for all when set).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geosim/core/scenario.hpp"

namespace geosim {

enum class ParameterKind { restraint, reactivity, spillover, baseline };

/// One number of the model: an actor's restraint or reactivity, the spillover, a baseline.
struct ParameterTarget {
  ParameterKind kind = ParameterKind::spillover;
  std::size_t actor = 0;  ///< restraint, reactivity: the actor; baseline: from
  std::size_t other = 0;  ///< baseline: to
  bool operator==(const ParameterTarget&) const = default;
};

/// A named parameter: one target, or a group's (`restraint`: every actor's).
struct ModelParameter {
  std::string name;
  std::vector<ParameterTarget> targets;
};

/// Every parameter's bounds: all lie in [0, 1].
inline constexpr double kParameterLow = 0.0;
inline constexpr double kParameterHigh = 1.0;

/// The parameter `name` of `scenario`, or nullopt with `error` ("unknown actor 'X' in
/// 'restraint.X'", ...). A baseline of a pair without a relation is refused.
std::optional<ModelParameter> find_parameter(const Scenario& scenario, std::string_view name, std::string& error);

/// The name of one target ("restraint.USA", "baseline.USA.CHN", "spillover").
std::string parameter_name(const Scenario& scenario, const ParameterTarget& target);

/// A target's value in `scenario`.
double parameter_value(const Scenario& scenario, const ParameterTarget& target);

/// Sets every target of `parameter` to `value` (clamped to [0, 1]).
void set_parameter(Scenario& scenario, const ModelParameter& parameter, double value);

/// Empty when `a` and `b` set no value in common; otherwise a one-line message saying that
/// `later` (a's name) and `earlier` (b's) overlap, e.g. `restraint.VNM` and its group `restraint`
/// (or the same parameter twice): one would silently replace the other.
std::string parameter_overlap(const ModelParameter& later, const ModelParameter& earlier);

/// `--vary NAME=LO..HI`: a parameter and its range, LO <= HI, both in [0, 1].
struct ParameterRange {
  ModelParameter parameter;
  double low = 0.0;
  double high = 0.0;
};

/// Most `--vary` ranges in one ensemble (its design keeps 12 bytes per range and run: 192 MB
/// at a million runs).
inline constexpr std::size_t kMaxVaried = 16;
/// The most `--set NAME=VALUE` of one command (and recorded in an ensemble shard).
inline constexpr std::size_t kMaxSettings = 100;

/// Parses "NAME=LO..HI" against `scenario`; nullopt with a one-line `error`.
std::optional<ParameterRange> parse_parameter_range(const Scenario& scenario, std::string_view text,
                                                    std::string& error);

/// Where a --vary range meets a scenario's policies (settle.hpp: a drawn value plus the policies'
/// change, kept in [0, 1]; a spillover they set, taken whatever was drawn).
struct PolicyRangeClash {
  ParameterTarget target;      ///< the varied value a policy changed
  double change = 0.0;         ///< the policies' change to it (none for a spillover they set)
  double cut_from = 0.0;       ///< drawn values beyond this (above it when change > 0) are cut at the bound
  bool set_by_policy = false;  ///< the spillover: set by a policy, so the range does not reach the runs
  /// The share of the runs that draw it beyond `cut_from`, in [0, 1]: for a range, the part of it
  /// beyond (the Latin hypercube's strata are even); for --parameter-sd, the log-normal draw's
  /// probability of it (policy_spread_clashes). 1 for a spillover a policy sets.
  double share = 0.0;
};

/// Each value of `ranges` whose range, plus the change the scenario's policies make to it, leaves
/// [0, 1] (the policies' change is smaller in the runs that draw past `cut_from`), and a varied
/// spillover a policy sets; in the order of the ranges and their targets. None without policies.
std::vector<PolicyRangeClash> policy_range_clashes(const Scenario& scenario, const std::vector<ParameterRange>& ranges);

/// The smallest expected share of runs that policy_spread_clashes reports (one run in 1,000): a
/// log-normal draw reaches past any bound with some probability, mostly a negligible one.
inline constexpr double kReportedSpreadShare = 0.001;

/// The same for `--parameter-sd sd` (ensemble.hpp, jitter_parameters): each restraint and
/// reactivity a policy changes, not varied by `ranges` (a range's value replaces the draw), whose
/// log-normal draw own * exp(sd z - sd^2 / 2), z standard normal, plus the change leaves [0, 1]
/// in at least kReportedSpreadShare of the runs: share = P(draw > 1 - change) for a rise,
/// P(draw < -change) for a fall. In actor order, restraint before reactivity. None for sd <= 0.
std::vector<PolicyRangeClash> policy_spread_clashes(const Scenario& scenario, double sd,
                                                    const std::vector<ParameterRange>& ranges);

/// A Latin hypercube over `runs` runs: for each range p, a permutation pi_p of the strata
/// 0..runs-1 and a uniform u_{p,r} in [0,1) per run, both from streams keyed on (seed, purpose
/// `vary`, the parameter's name), never on the run's own streams; run r takes
///     value_p(r) = low + (high - low) * (pi_p(r) + u_{p,r}) / runs,
/// so each of the `runs` equal strata of every range is hit by exactly one run, and run r of two
/// ensembles with the same seed and ranges takes the same values (paired comparisons).
struct ParameterDesign {
  int runs = 0;
  std::vector<ParameterRange> ranges;
  std::vector<int> strata;     ///< [p * runs + r]: pi_p(r)
  std::vector<double> values;  ///< [p * runs + r]
  /// Sets run r's values into `scenario` (a per-run copy of the ensemble's scenario).
  void apply(int run, Scenario& scenario) const;
};

/// The design of `ranges` over `runs` runs (empty ranges: an empty design).
ParameterDesign latin_hypercube(const std::vector<ParameterRange>& ranges, std::uint64_t seed, int runs);

}  // namespace geosim
