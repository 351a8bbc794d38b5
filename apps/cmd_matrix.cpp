// geosim matrix: Singapore's options against the document scenarios, scored, with regret and
// the most robust option. The decision logic lives in the engine (geosim/policy_matrix.hpp).
#include <fmt/format.h>
#include <geosim/catalog.hpp>
#include <geosim/policy_matrix.hpp>

#include <iostream>
#include <sstream>

#include "cli_common.hpp"
#include "ensemble_cli.hpp"
#include "progress_bar.hpp"

namespace geosim::cli {

namespace {
constexpr const char* kNoAction = "no-action";

std::vector<std::string> shipped_policies(const Common& common) {
  std::vector<std::string> names{kNoAction};
  for (const auto& e : list_policies(scenarios_dir(common.scenarios_dir))) names.push_back(e.name);
  return names;
}

/// Runs one cell's ensemble and scores its expected end state; nullopt (message printed) on error.
std::optional<MatrixCell> run_cell(const std::string& scenario_name, const std::string& option,
                                   const EnsembleOptions& options, const Common& common, int& code) {
  std::vector<std::string> policies;
  if (option != kNoAction) policies.push_back(option);
  auto scenario = load_by_name(scenario_name, policies, common, code);
  if (!scenario) return std::nullopt;
  const EnsembleResult result = run_ensemble(*scenario, options);
  if (!result.error.empty()) {
    code = fail(fmt::format("{} with {}: {}", scenario_name, option, result.error));
    return std::nullopt;
  }
  std::vector<double> means(result.indicator_count);
  for (std::size_t k = 0; k < means.size(); ++k) means[k] = result.mean_at(result.steps, k);
  std::string missing;
  auto cell = score_outcome(*scenario, means, SingaporeUtility{}, missing);
  if (!cell) code = fail(fmt::format("scenario '{}' has no indicator '{}', which the score needs", scenario_name, missing));
  return cell;
}

Handler add_matrix_command(CLI::App& app, const Common& common) {
  struct Options {
    std::vector<std::string> scenarios = document_scenarios();
    std::vector<std::string> policies;
    EnsembleFlags flags;
    std::string out_dir;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("matrix", "Singapore's options against the scenarios: scores, regret, robust choice");
  cmd->add_option("--scenarios", o->scenarios, "columns (default: the four document scenarios)");
  cmd->add_option("--policies", o->policies,
                  fmt::format("rows; '{}' is doing nothing (default: {} and every shipped policy)", kNoAction, kNoAction));
  add_ensemble_flags(cmd, o->flags, false);
  cmd->add_option("--out", o->out_dir, "also write matrix.csv and matrix.json to this folder");
  return [cmd, o, &common]() -> int {
    if (!*cmd) return -1;
    PolicyMatrix matrix;
    matrix.options = o->policies.empty() ? shipped_policies(common) : o->policies;
    matrix.scenarios = o->scenarios;
    matrix.runs = o->flags.runs;
    matrix.seed = o->flags.seed;
    ProgressBar bar("matrix");
    const long total = long(matrix.options.size() * matrix.scenarios.size()) * o->flags.runs;
    for (const auto& option : matrix.options)
      for (const auto& scenario : matrix.scenarios) {
        EnsembleOptions options = ensemble_options(o->flags);
        const long before = long(matrix.cells.size()) * o->flags.runs;
        if (bar.enabled()) options.progress = [&bar, before, total](int done, int) { bar.update(before + done, total); };
        int code = 0;
        auto cell = run_cell(scenario, option, options, common, code);
        if (!cell) return code;
        matrix.cells.push_back(std::move(*cell));
      }
    bar.finish();
    const SingaporeUtility utility;
    const MatrixDecision decision = decide(matrix);
    std::cout << matrix_table(matrix, decision, utility);
    if (o->out_dir.empty()) return 0;
    std::ostringstream csv;
    write_matrix_csv(csv, matrix, decision, utility);
    const std::filesystem::path dir(o->out_dir);
    if (const std::string error = write_output_files(
            dir, {{"matrix.csv", csv.str()}, {"matrix.json", matrix_record(matrix, decision, utility).dump(2) + "\n"}});
        !error.empty())
      return fail(error);
    std::cout << fmt::format("\nWrote {0}/matrix.csv and {0}/matrix.json\n", o->out_dir);
    return 0;
  };
}

const Registration registration(42, add_matrix_command);
}  // namespace

}  // namespace geosim::cli
