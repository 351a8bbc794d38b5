#include "cli_common.hpp"

#include <fmt/format.h>
#include <geosim/catalog.hpp>

#include <cstdio>
#include <fstream>

namespace geosim::cli {
namespace fs = std::filesystem;

int fail(const std::string& message) {
  std::fprintf(stderr, "geosim: error: %s\n", message.c_str());
  return 1;
}

int report_errors(const std::vector<Diagnostic>& errors) {
  for (const auto& e : errors) std::fprintf(stderr, "%s\n", format_diagnostic(e).c_str());
  return errors.empty() ? 0 : 1;
}

bool ensure_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail(fmt::format("cannot create output folder '{}': {}", dir, ec.message()));
  return !ec;
}

std::optional<Scenario> load_by_name(const std::string& name, const std::vector<std::string>& policies,
                                     const Common& common, int& exit_code) {
  const std::string dir = scenarios_dir(common.scenarios_dir);
  auto path = resolve_scenario(name, dir);
  if (!path) {
    std::string known;
    for (const auto& e : list_scenarios(dir)) known += (known.empty() ? "" : ", ") + e.name;
    exit_code = fail(fmt::format("unknown scenario '{}' (shipped scenarios: {}; or give a file path)", name,
                                 known.empty() ? "none found in " + dir : known));
    return std::nullopt;
  }
  LoadOptions options;
  for (const auto& p : policies) {
    auto policy = resolve_policy(p, dir);
    if (!policy) {
      std::string known;
      for (const auto& e : list_policies(dir)) known += (known.empty() ? "" : ", ") + e.name;
      exit_code = fail(fmt::format("unknown policy '{}' (shipped policies: {}; or give a file path)", p, known));
      return std::nullopt;
    }
    options.policies.push_back(*policy);
  }
  LoadResult result = load_scenario(*path, options);
  if (!result.ok()) {
    exit_code = report_errors(result.errors);
    return std::nullopt;
  }
  return std::move(*result.scenario);
}

std::vector<std::pair<int, Factory>>& registered_commands() {
  static std::vector<std::pair<int, Factory>> commands;  // built during static initialisation
  return commands;
}

Registration::Registration(int order, Factory factory) {
  registered_commands().emplace_back(order, factory);
}

}  // namespace geosim::cli
