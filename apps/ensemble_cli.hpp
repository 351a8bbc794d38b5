#pragma once
// Shared by the ensemble, compare and matrix commands: their common options, the default
// thread count, and the document scenarios' reference end states.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <geosim/core/ensemble.hpp>
#include <geosim/io/catalog.hpp>

#include <memory>
#include <thread>

#include "cli_common.hpp"

namespace geosim::cli {

/// One thread per hardware thread (1 if unknown).
inline int default_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : int(n);
}

/// Options shared by the ensemble commands.
struct EnsembleFlags {
  int runs = 1000;
  int threads = default_threads();
  std::uint64_t seed = 1;
  int steps = -1;
  double parameter_sd = 0.0;
  std::vector<std::string> policies;
  std::vector<std::string> vary;      ///< --vary NAME=LO..HI, as given
  std::vector<std::string> settings;  ///< --set NAME=VALUE, as given (cli_common.hpp)
};

/// Adds --runs, --threads, --seed, --steps, --parameter-sd and, when `with_policy`, --policy.
inline void add_ensemble_flags(CLI::App* cmd, EnsembleFlags& f, bool with_policy) {
  cmd->add_option("--runs", f.runs, fmt::format("number of runs (default {})", f.runs))
      ->check(whole_number(1, 1000000));
  cmd->add_option("--threads", f.threads, "worker threads (default: hardware threads); results do not depend on it")
      ->check(whole_number(1, 1024));
  cmd->add_option("--seed", f.seed,
                  "experiment seed: run r draws from the keyed streams of (seed, r), so run r of two commands with the "
                  "same seed pairs (default 1)")
      ->check(seed_number());
  cmd->add_option("--steps", f.steps, "number of steps (default: the scenario's)")->check(whole_number(0, 100000));
  cmd->add_option("--parameter-sd", f.parameter_sd,
                  "relative spread of every actor's restraint and reactivity per run (lognormal, default 0)")
      ->check(finite_range(0.0, 2.0));
  if (with_policy) add_policy_option(cmd, f.policies);
}

/// Adds --vary (ensemble and compare).
inline void add_vary_flag(CLI::App* cmd, EnsembleFlags& f) {
  cmd->add_option("--vary", f.vary,
                  "NAME=LO..HI: vary a parameter over the runs (Latin hypercube; repeatable): restraint[.ACTOR], "
                  "reactivity[.ACTOR], spillover, baseline[.FROM.TO], e.g. restraint.USA=0.03..0.09; the world's "
                  "value, before the policies, which add their changes to it (--set sets the value after them)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
}

/// Sets `options.vary` from the --vary flags against `scenario`; "" or a one-line error. Then
/// `f.vary` holds each range as one spelling, NAME=LO..HI with the canonical name and the
/// shortest numbers that read back the same: a shard records it, and the default folder is named
/// by it, so that ".03..0.09" and "0.03 .. 0.09" are one ensemble.
inline std::string vary_ranges(const Scenario& scenario, EnsembleFlags& f, EnsembleOptions& options) {
  options.vary.clear();
  if (f.vary.size() > kMaxVaried) return fmt::format("--vary: at most {} ranges, found {}", kMaxVaried, f.vary.size());
  for (const auto& text : f.vary) {
    std::string error;
    auto range = parse_parameter_range(scenario, text, error);
    if (!range) return "--vary: " + error;
    for (const auto& setting : scenario.settings) {  // "NAME=VALUE", by the canonical name
      std::string unknown;
      const auto set = find_parameter(scenario, setting.substr(0, setting.find('=')), unknown);
      if (set && !parameter_overlap(range->parameter, *set).empty())  // the same values, or a group and its member
        return "--vary: '" + range->parameter.name + "' and --set '" + set->name +
               "' give some of the same values (a value is either set or varied)";
    }
    for (const auto& other : options.vary)  // a group and its member, or a name twice
      if (std::string overlap = parameter_overlap(range->parameter, other.parameter); !overlap.empty())
        return "--vary: " + overlap;
    options.vary.push_back(std::move(*range));
  }
  f.vary.clear();
  for (const ParameterRange& range : options.vary)
    f.vary.push_back(fmt::format("{}={}..{}", range.parameter.name, range.low, range.high));
  return {};
}

/// "Varied over the runs (Latin hypercube): restraint.USA 0.03..0.09, ..." or "" without ranges.
inline std::string varied_line(const EnsembleOptions& options) {
  if (options.vary.empty()) return {};
  std::string out = "Varied over the runs (Latin hypercube):";
  for (std::size_t i = 0; i < options.vary.size(); ++i)
    out += fmt::format("{} {} {:g}..{:g}", i ? "," : "", options.vary[i].parameter.name, options.vary[i].low,
                       options.vary[i].high);
  return out + "\n";
}

/// A note for each place the drawn values meet the scenario's policies: the --vary ranges
/// (policy_range_clashes) and --parameter-sd's draws (policy_spread_clashes), "Note (LABEL): ..."
/// with a `label` (a compare column, a matrix cell); "" when they do not.
inline std::string policy_range_lines(const Scenario& scenario, const EnsembleOptions& options,
                                      const std::string& label = "") {
  std::string out;
  const std::string note = label.empty() ? "Note: " : "Note (" + terminal_text(label) + "): ";
  auto share = [](double s) {
    return s >= 1.0 ? std::string("all") : s > 0.999 ? std::string("over 99.9%") : fmt::format("{:.3g}%", 100.0 * s);
  };
  for (const PolicyRangeClash& c : policy_range_clashes(scenario, options.vary))
    out += note + (c.set_by_policy
                       ? std::string("a policy sets the spillover, so --vary's spillover range does not reach the "
                                     "runs: each takes the policy's value\n")
                       : fmt::format("the policies change {} by {:+g}, so the runs that draw it {} {:g} have it cut "
                                     "at {} (the policies' change is smaller in them: {} of the runs, expected)\n",
                                     parameter_name(scenario, c.target), c.change, c.change > 0 ? "above" : "below",
                                     c.cut_from, c.change > 0 ? 1 : 0, share(c.share)));
  for (const PolicyRangeClash& c : policy_spread_clashes(scenario, options.parameter_sd, options.vary))
    out += note + fmt::format(
                      "the policies change {} by {:+g}, so the runs whose --parameter-sd draw puts it {} "
                      "{:g} have it cut at {} (the policies' change is smaller in them: {} of the runs, "
                      "expected)\n",
                      parameter_name(scenario, c.target), c.change, c.change > 0 ? "above" : "below", c.cut_from,
                      c.change > 0 ? 1 : 0, share(c.share));
  return out;
}

/// A line saying that every run is the same and how to vary them, when so
/// (ensemble_runs_can_differ); otherwise "".
inline std::string same_runs_line(const Scenario& scenario, const EnsembleOptions& options) {
  if (ensemble_runs_can_differ(scenario, options)) return {};
  return "Every run is the same: the scenario draws nothing at random (no noise, no chance events or uncertain "
         "sizes), so the bands have no width; for a spread, add --parameter-sd 0.2 or --vary (e.g. "
         "--vary restraint." +
         (scenario.actors.empty() ? std::string("ACTOR") : scenario.actors.front().id) +
         "=0.03..0.09), or give the scenario noise or chance events.\n";
}

inline EnsembleOptions ensemble_options(const EnsembleFlags& f) {
  EnsembleOptions o;
  o.runs = f.runs;
  o.threads = f.threads;
  o.seed = f.seed;
  o.steps = f.steps;
  o.parameter_sd = f.parameter_sd;
  return o;
}

/// The same, keeping each run's end state for run-by-run paired comparisons.
inline EnsembleOptions paired_options(const EnsembleFlags& f) {
  EnsembleOptions o = ensemble_options(f);
  o.keep_ends = true;
  return o;
}

/// The document scenarios' end states (seed 0) over `steps` steps, with the same --set
/// `settings` as the runs (already checked on the target), matched to `target`'s indicators;
/// empty, with the reason in `note`, when one cannot be loaded (or does not take a setting) or
/// lacks an indicator. `files`, when given: the files each reference loaded was read from, appended.
inline std::vector<EnsembleReference> load_references(const Scenario& target, int steps, const Common& common,
                                                      std::string& note, const std::vector<std::string>& settings = {},
                                                      std::vector<std::string>* files = nullptr) {
  std::vector<EnsembleReference> refs;
  const std::string dir = scenarios_dir(common.scenarios_dir);
  LoadOptions options;
  if (const std::string error = parse_settings(settings, options.settings); !error.empty()) {
    note = "resemblance not computed: --set: " + error;
    return {};
  }
  for (const auto& name : reference_scenarios(dir)) {
    const auto path = resolve_scenario(name, dir);
    LoadResult loaded = path ? load_scenario(*path, options) : LoadResult{};
    if (!loaded.ok() && path && !settings.empty()) {
      note = fmt::format("resemblance not computed: scenario '{}' does not take the --set settings ({})", name,
                         loaded.errors.empty() ? std::string() : loaded.errors.front().message);
      return {};
    }
    if (!loaded.ok()) {
      note = fmt::format("resemblance not computed: scenario '{}' not found or not valid in {}", name, dir);
      return {};
    }
    if (files) files->insert(files->end(), loaded.scenario->files.begin(), loaded.scenario->files.end());
    bool ok = false;
    refs.push_back(make_reference(name, *loaded.scenario, target.indicators, steps, ok));
    if (!ok) {
      note = fmt::format("resemblance not computed: '{}' lacks some of {}'s indicators", name, target.id);
      return {};
    }
  }
  // Scenarios that end alike (at --steps 0, say) tie for every run: the first of them takes it.
  std::vector<std::string> alike;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    std::vector<std::string> same;
    for (std::size_t j = 0; j < refs.size(); ++j)
      if (refs[j].end == refs[i].end && j != i) {
        if (j < i) break;  // said with the first of them
        same.push_back(refs[j].name);
      }
    if (!same.empty())
      alike.push_back(
          fmt::format("{} end{} as {} does", fmt::join(same, ", "), same.size() == 1 ? "s" : "", refs[i].name));
  }
  if (!alike.empty())
    note = fmt::format(
        "resemblance: {} (every indicator), so a run nearest to them is counted for the one listed "
        "first",
        fmt::join(alike, "; "));
  return refs;
}

}  // namespace geosim::cli
