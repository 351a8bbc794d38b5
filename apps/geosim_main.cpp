// geosim: the command line. Parses arguments, calls the engine, prints. No simulation here.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <geosim/catalog.hpp>
#include <geosim/loader.hpp>
#include <geosim/report.hpp>
#include <geosim/run.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {
namespace fs = std::filesystem;

int fail(const std::string& message) {
  std::fprintf(stderr, "geosim: error: %s\n", message.c_str());
  return 1;
}

int report_errors(const std::vector<geosim::Diagnostic>& errors) {
  for (const auto& e : errors) std::fprintf(stderr, "%s\n", geosim::format_diagnostic(e).c_str());
  return errors.empty() ? 0 : 1;
}

/// Writes via a temporary file and a rename, so a failed write leaves no half file behind.
bool write_file(const fs::path& path, const std::string& content) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) return false;
    out << content;
    if (!out.flush()) return false;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

struct Common {
  std::string scenarios_dir;
};

std::optional<geosim::LoadResult> load(const std::string& name, const std::vector<std::string>& policies,
                                       const Common& common, int& exit_code) {
  const std::string dir = geosim::scenarios_dir(common.scenarios_dir);
  auto path = geosim::resolve_scenario(name, dir);
  if (!path) {
    std::string known;
    for (const auto& e : geosim::list_scenarios(dir)) known += (known.empty() ? "" : ", ") + e.name;
    exit_code = fail(fmt::format("unknown scenario '{}' (shipped scenarios: {}; or give a file path)", name,
                                 known.empty() ? "none found in " + dir : known));
    return std::nullopt;
  }
  geosim::LoadOptions options;
  for (const auto& p : policies) {
    auto policy = geosim::resolve_policy(p, dir);
    if (!policy) {
      std::string known;
      for (const auto& e : geosim::list_policies(dir)) known += (known.empty() ? "" : ", ") + e.name;
      exit_code = fail(fmt::format("unknown policy '{}' (shipped policies: {}; or give a file path)", p, known));
      return std::nullopt;
    }
    options.policies.push_back(*policy);
  }
  auto result = geosim::load_scenario(*path, options);
  if (!result.ok()) {
    exit_code = report_errors(result.errors);
    return std::nullopt;
  }
  return result;
}

int run_command(const std::string& name, std::uint64_t seed, int steps,
                const std::vector<std::string>& policies, std::string out_dir, const Common& common) {
  int code = 0;
  auto loaded = load(name, policies, common, code);
  if (!loaded) return code;
  const geosim::Scenario& scenario = *loaded->scenario;
  geosim::RunOptions options;
  options.seed = seed;
  options.steps = steps;
  const geosim::RunResult result = geosim::run_scenario(scenario, options);
  std::cout << geosim::run_summary(scenario, result, seed);
  if (out_dir.empty()) out_dir = (fs::path("out") / scenario.id).string();
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return fail(fmt::format("cannot create output folder '{}': {}", out_dir, ec.message()));
  std::ostringstream tension, indicators;
  geosim::write_tension_csv(tension, scenario, result);
  geosim::write_indicators_csv(indicators, scenario, result);
  const std::string record = geosim::run_record(scenario, result, seed).dump(2) + "\n";
  const fs::path dir(out_dir);
  if (!write_file(dir / "tension.csv", tension.str()) ||
      !write_file(dir / "indicators.csv", indicators.str()) || !write_file(dir / "run.json", record))
    return fail(fmt::format("cannot write the results to '{}'", out_dir));
  std::cout << fmt::format("\nWrote {0}/tension.csv, {0}/indicators.csv and {0}/run.json\n", out_dir);
  return 0;
}

int validate_command(const std::vector<std::string>& files, const Common& common) {
  const std::string dir = geosim::scenarios_dir(common.scenarios_dir);
  const auto base = geosim::resolve_scenario("baseline", dir).value_or("scenarios/baseline.yaml");
  int failures = 0;
  for (const auto& file : files) {
    const auto errors = geosim::validate_file(file, base);
    report_errors(errors);
    if (errors.empty()) std::printf("%s: ok\n", file.c_str());
    else ++failures;
  }
  return failures == 0 ? 0 : 1;
}

int list_command(const Common& common) {
  const std::string dir = geosim::scenarios_dir(common.scenarios_dir);
  const auto scenarios = geosim::list_scenarios(dir);
  if (scenarios.empty()) return fail(fmt::format("no scenarios found in '{}'", dir));
  std::printf("Scenarios (geosim run NAME):\n");
  for (const auto& e : scenarios) std::printf("  %-22s %s\n", e.name.c_str(), e.title.c_str());
  std::printf("\nPolicies (geosim run NAME --policy POLICY):\n");
  for (const auto& e : geosim::list_policies(dir)) std::printf("  %-22s %s\n", e.name.c_str(), e.title.c_str());
  auto base = geosim::resolve_scenario("baseline", dir);
  if (base) {
    auto loaded = geosim::load_scenario(*base);
    if (loaded.ok()) {
      std::printf("\nActors:\n");
      for (const auto& a : loaded.scenario->actors)
        std::printf("  %-22s %s%s\n", a.id.c_str(), a.name.c_str(),
                    a.kind == geosim::ActorKind::organization ? " (organization)" : "");
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"geosim: a geopolitical scenario simulator.\n"
               "Actors form a weighted relation graph whose tensions evolve step by step under events."};
  app.require_subcommand(1);
  Common common;
  app.add_option("--scenarios-dir", common.scenarios_dir,
                 "folder of shipped scenarios (default: $GEOSIM_SCENARIOS, ./scenarios, or the source tree)");

  auto* run = app.add_subcommand("run", "run one scenario and write its time series");
  std::string scenario = "baseline";
  std::uint64_t seed = 1;
  int steps = -1;
  std::vector<std::string> policies;
  std::string out_dir;
  run->add_option("scenario", scenario, "scenario name (see `geosim list`) or file (default: baseline)");
  run->add_option("--seed", seed, "random seed (default 1)");
  run->add_option("--steps", steps, "number of steps (default: the scenario's)")->check(CLI::Range(0, 100000));
  run->add_option("--policy", policies, "Singapore policy option to apply (repeatable)");
  run->add_option("--out", out_dir, "output folder (default: out/<scenario id>)");

  auto* validate = app.add_subcommand("validate", "check scenario and policy files, reporting every problem");
  std::vector<std::string> files;
  validate->add_option("files", files, "files to check")->required();

  auto* list = app.add_subcommand("list", "list the shipped scenarios, policies and actors");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (*run) return run_command(scenario, seed, steps, policies, out_dir, common);
  if (*validate) return validate_command(files, common);
  if (*list) return list_command(common);
  return 1;
}
