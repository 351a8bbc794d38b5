// geosim validate: check files, report every problem, one line each. A policy given together
// with scenarios is checked against each of them (as `run SCENARIO --policy FILE` would load
// it); a policy given alone is checked against the shipped world (the shipped baseline).
#include <fmt/format.h>
#include <geosim/core/run_budget.hpp>
#include <geosim/core/settle.hpp>
#include <geosim/io/catalog.hpp>
#include <geosim/io/escape.hpp>
#include <geosim/io/loader.hpp>

#include <cstdio>
#include <filesystem>
#include <optional>

#include "cli_common.hpp"

namespace geosim::cli {

namespace {
/// A file that loads as a runnable scenario: the warnings `run` and `play` would give before
/// they start (a history of its steps past their memory limit: ensemble and analyze keep none,
/// so it is not an error), then whether its start drifts with no events without saying so.
std::vector<std::string> runnable_warnings(const std::string& file) {
  std::vector<std::string> out;
  const LoadResult loaded = load_scenario(file);
  if (!loaded.ok()) return out;  // a policy or a file meant to be included
  if (const std::string error = run_request_error(*loaded.scenario, loaded.scenario->steps); !error.empty())
    out.push_back(format_warning({file, 0, 0, "`run`, `report` and `play`: " + error}));
  if (auto warning = start_drift_warning(*loaded.scenario)) out.push_back(format_warning({file, 0, 0, *warning}));
  return out;
}

Handler add_validate_command(CLI::App& app, const Common& common) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand("validate",
                                 "check scenario and policy files, reporting every problem; policies are checked "
                                 "against the scenarios given with them (or the shipped world)");
  cmd->add_option("files", *files, "files to check: paths, or shipped scenario and policy names")->required();
  return [cmd, files, &common]() -> int {
    if (!*cmd) return -1;
    const std::string dir = scenarios_dir(common.scenarios_dir);
    // A shipped name as every other command takes it (a path that exists is itself): the scenario,
    // else the policy of that name; anything else is left for the loader to report.
    for (auto& file : *files)
      if (auto path = resolve_scenario(file, dir).value_or(resolve_policy(file, dir).value_or(""));
          !path.empty() && path != file)
        file = path;
    // A word that is neither a shipped name nor a file (no folder, no YAML ending): a mistyped name,
    // answered with the one meant rather than "cannot open file".
    int failures = 0;
    std::optional<std::vector<CatalogEntry>> known;  // listed once, when a word needs it
    std::erase_if(*files, [&](const std::string& file) {
      std::error_code ec;
      const bool is_path = file.find('/') != std::string::npos || file.ends_with(".yaml") || file.ends_with(".yml");
      if (is_path || std::filesystem::exists(file, ec)) return false;
      if (!known) {
        known = list_scenarios(dir);
        const auto shipped_policies = list_policies(dir);
        known->insert(known->end(), shipped_policies.begin(), shipped_policies.end());
      }
      fail(unknown_catalog_name("scenario or policy", file, *known, "shipped scenarios and policies"));
      ++failures;
      return true;
    });
    std::vector<std::string> scenarios, policies;
    for (const auto& file : *files) {
      const FileRole role = file_role(file);
      if (role == FileRole::policy)
        policies.push_back(file);
      else if (role == FileRole::scenario)
        scenarios.push_back(file);
    }
    const auto shipped = resolve_scenario("baseline", dir).value_or(dir + "/baseline.yaml");
    for (const auto& file : *files) {
      const bool is_policy = std::find(policies.begin(), policies.end(), file) != policies.end();
      if (!is_policy || scenarios.empty()) {
        const auto errors = validate_file(file, shipped);
        report_errors(errors);
        if (!errors.empty()) ++failures;
        if (is_policy)
          std::printf(
              "%s: %schecked against the shipped world (%s); to check it against your scenario, give "
              "both: geosim validate SCENARIO %s\n",
              terminal_text(file).c_str(), errors.empty() ? "ok, " : "", terminal_text(shipped).c_str(),
              terminal_text(file).c_str());
        else if (errors.empty()) {
          std::printf("%s: ok\n", terminal_text(file).c_str());
          std::fflush(stdout);  // "ok" before its warnings, on a terminal that shows both
          for (const std::string& warning : runnable_warnings(file))
            std::fprintf(stderr, "%s\n", warning.c_str());  // one_line: escaped
        }
        continue;
      }
      for (const auto& scenario : scenarios) {
        const auto errors = validate_file(file, scenario);
        report_errors(errors);
        if (!errors.empty())
          ++failures;
        else
          std::printf("%s: ok with %s\n", terminal_text(file).c_str(), terminal_text(scenario).c_str());
      }
    }
    return failures == 0 ? 0 : 1;
  };
}

const Registration registration(20, add_validate_command);
}  // namespace

}  // namespace geosim::cli
