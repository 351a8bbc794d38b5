// geosim validate: check files, report every problem, one line each.
#include <geosim/catalog.hpp>
#include <geosim/loader.hpp>
#include <geosim/settle.hpp>

#include <cstdio>

#include "cli_common.hpp"

namespace geosim::cli {

namespace {
/// A runnable scenario whose start drifts with no events and does not say so: one warning line.
void print_start_drift_warning(const std::string& file) {
  const LoadResult loaded = load_scenario(file);
  if (!loaded.ok()) return;  // a policy or a file meant to be included
  if (auto warning = start_drift_warning(*loaded.scenario))
    std::fprintf(stderr, "%s\n", format_warning({file, 0, 0, *warning}).c_str());
}

Handler add_validate_command(CLI::App& app, const Common& common) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand("validate", "check scenario and policy files, reporting every problem");
  cmd->add_option("files", *files, "files to check")->required();
  return [cmd, files, &common]() -> int {
    if (!*cmd) return -1;
    const std::string dir = scenarios_dir(common.scenarios_dir);
    const auto base = resolve_scenario("baseline", dir).value_or(dir + "/baseline.yaml");
    int failures = 0;
    for (const auto& file : *files) {
      const auto errors = validate_file(file, base);
      report_errors(errors);
      if (errors.empty()) std::printf("%s: ok\n", file.c_str());
      else ++failures;
      if (errors.empty()) print_start_drift_warning(file);
    }
    return failures == 0 ? 0 : 1;
  };
}

const Registration registration(20, add_validate_command);
}  // namespace

}  // namespace geosim::cli
