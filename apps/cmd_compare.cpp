// geosim compare: ensembles of several scenarios side by side, indicator by indicator.
#include <fmt/format.h>
#include <geosim/ensemble_report.hpp>

#include <iostream>
#include <sstream>

#include "cli_common.hpp"
#include "ensemble_cli.hpp"
#include "progress_bar.hpp"

namespace geosim::cli {

namespace {
Handler add_compare_command(CLI::App& app, const Common& common) {
  struct Options {
    std::vector<std::string> scenarios;
    EnsembleFlags flags;
    std::string out_dir;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("compare", "ensembles of several scenarios side by side");
  cmd->add_option("scenarios", o->scenarios, "scenario names or files")->required();
  add_ensemble_flags(cmd, o->flags, true);
  cmd->add_option("--out", o->out_dir, "also write compare.csv and compare_thresholds.csv to this folder");
  return [cmd, o, &common]() -> int {
    if (!*cmd) return -1;
    std::vector<Scenario> scenarios;
    for (const auto& name : o->scenarios) {
      int code = 0;
      auto scenario = load_by_name(name, o->flags.policies, common, code);
      if (!scenario) return code;
      scenarios.push_back(std::move(*scenario));
    }
    for (const auto& scenario : scenarios)  // before any runs: refuse what cannot finish
      if (auto error = ensemble_request_error(scenario, ensemble_options(o->flags)); !error.empty())
        return fail(fmt::format("{}: {}", scenario.id, error));
    std::vector<EnsembleResult> results;
    ProgressBar bar("compare");
    const long total = long(scenarios.size()) * o->flags.runs;
    for (const auto& scenario : scenarios) {
      EnsembleOptions options = ensemble_options(o->flags);
      const long before = long(results.size()) * o->flags.runs;
      if (bar.enabled()) options.progress = [&bar, before, total](int done, int) { bar.update(before + done, total); };
      results.push_back(run_ensemble(scenario, options));
      if (!results.back().error.empty()) {
        bar.finish();
        return fail(fmt::format("{}: {}", scenario.id, results.back().error));
      }
    }
    bar.finish();
    std::vector<ComparedEnsemble> compared;
    for (std::size_t i = 0; i < scenarios.size(); ++i) compared.push_back({&scenarios[i], &results[i]});
    std::cout << comparison_table(compared);
    if (o->out_dir.empty()) return 0;
    std::ostringstream table, thresholds;
    write_comparison_csv(table, compared);
    write_comparison_thresholds_csv(thresholds, compared);
    const std::filesystem::path dir(o->out_dir);
    if (const std::string error = write_output_files(
            dir, {{"compare.csv", table.str()}, {"compare_thresholds.csv", thresholds.str()}});
        !error.empty())
      return fail(error);
    std::cout << fmt::format("\nWrote {0}/compare.csv and {0}/compare_thresholds.csv\n", o->out_dir);
    return 0;
  };
}

const Registration registration(41, add_compare_command);
}  // namespace

}  // namespace geosim::cli
