#pragma once
/// \file
/// Loading scenario and policy files: untrusted YAML in, a checked Scenario or a list of
/// problems (file, line, column, what was expected, what was found) out. Never throws.

#include <optional>
#include <string>
#include <vector>

#include "geosim/core/diagnostic.hpp"
#include "geosim/core/scenario.hpp"

namespace geosim {

/// How to load.
/// A model parameter set from outside the files (`--set NAME=VALUE`).
struct ParameterSetting {
  std::string name;    ///< restraint[.ACTOR], reactivity[.ACTOR], spillover, baseline[.FROM.TO]
  double value = 0.0;  ///< in [0, 1]; recorded in Scenario::settings as "NAME=VALUE"
};

/// Reads `--set` texts "NAME=VALUE" (VALUE a number in [0, 1]; the names are checked when the
/// scenario loads) into `out`: "" or the first problem, in one line (without the "--set" its
/// callers add). At most kMaxSettings of them.
std::string parse_settings(const std::vector<std::string>& settings, std::vector<ParameterSetting>& out);

struct LoadOptions {
  /// Policy files applied on top of the scenario, in order.
  std::vector<std::string> policies;
  /// Parameters set as the run's values: restraint, reactivity and spillover before a settled
  /// start derives its baselines (so that the start still stands still), baselines after it,
  /// and every one again after the policies (over what a policy sets or adds). Each is recorded
  /// in Scenario::settings by its canonical name.
  std::vector<ParameterSetting> settings;
  /// Require every event to cite a source whose quote is found in the source documents
  /// (looked up in a `sources/` folder beside or above the file). Default: check quotes
  /// when a sources folder is found, and do not require them.
  bool require_sources = false;
  /// An actors file read on its own (calibrate's and ingest's --actors, through a scenario
  /// written around it): it has no step of its own, so a `fitted_step_days` of any length is
  /// taken. Otherwise one that is not the scenario's `step_days` is refused.
  bool no_step_of_its_own = false;
  /// Two policy files of one id are refused (a policy applies once), except with this: `play`
  /// sets it, so that a session saved before that rule, holding two such files, still resumes
  /// (a session refuses the same file twice by its path).
  bool repeated_policy_ids = false;
};

/// A scenario, or the problems that kept it from loading.
struct LoadResult {
  std::optional<Scenario> scenario;
  std::vector<Diagnostic> errors;
  /// The files the scenario file includes, at any depth, as their paths were read (load_scenario).
  std::vector<std::string> includes;
  bool ok() const { return scenario.has_value() && errors.empty(); }
};

/// Loads the scenario at `path` with its includes, then applies `options.policies`.
LoadResult load_scenario(const std::string& path, const LoadOptions& options = {});

/// Loads a scenario from text (for tests and fuzzing); includes resolve against `base_dir`.
LoadResult load_scenario_text(const std::string& text, const std::string& name, const std::string& base_dir = ".",
                              const LoadOptions& options = {});

/// Checks any scenario, included or policy file on its own (for `geosim validate`): a
/// runnable scenario is loaded whole; a policy is checked against the scenario named by
/// `policy_base` (the baseline by default).
std::vector<Diagnostic> validate_file(const std::string& path, const std::string& policy_base);

/// What a file is, by its top-level keys: a runnable scenario (`scenario:`), a policy
/// (`policy:`), a file meant to be included (neither), or unreadable (not YAML, not a map).
enum class FileRole { scenario, policy, included, unreadable };
/// The role of the file at `path`; never throws.
FileRole file_role(const std::string& path);

}  // namespace geosim
