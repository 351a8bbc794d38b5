// geosim matrix: policy options against scenarios, scored by the score the scenarios define
// in YAML, with paired regret and the most robust option. The decision logic lives in the engine
// (geosim/analysis/policy_matrix.hpp).
#include <fmt/format.h>
#include <geosim/analysis/policy_matrix.hpp>
#include <geosim/io/catalog.hpp>
#include <geosim/io/escape.hpp>
#include <geosim/io/input_file.hpp>
#include <geosim/report/matrix_report.hpp>

#include <algorithm>
#include <iostream>
#include <sstream>

#include "cli_common.hpp"
#include "ensemble_cli.hpp"
#include "geosim/io/json_text.hpp"
#include "progress_bar.hpp"

namespace geosim::cli {

namespace {
constexpr const char* kNoAction = "no-action";

std::vector<std::string> shipped_policies(const Common& common) {
  std::vector<std::string> names{kNoAction};
  for (const auto& e : list_policies(scenarios_dir(common.scenarios_dir))) names.push_back(e.name);
  return names;
}

/// Runs one cell's ensemble and scores each run's end state; nullopt (message printed) on
/// error. The first cell sets the matrix's score; every later one must define the same. Adds to
/// `notes` where the runs' drawn values meet the option's changes (policy_range_lines).
std::optional<MatrixCell> run_cell(const std::string& scenario_name, const std::string& option,
                                   const EnsembleOptions& options, const std::vector<std::string>& settings,
                                   const Common& common, PolicyMatrix& matrix, std::string& notes, int& code) {
  std::vector<std::string> policies;
  if (option != kNoAction) policies.push_back(option);
  auto scenario = load_by_name(scenario_name, policies, common, code, settings);
  if (!scenario) return std::nullopt;
  if (!scenario->score) {
    code =
        fail(fmt::format("scenario '{}' defines no score for the matrix (add a 'score:' section: a weighted "
                         "sum of its indicators; see docs/scenario-format.md)",
                         scenario_name));
    return std::nullopt;
  }
  if (matrix.cells.empty()) {
    matrix.score = *scenario->score;
    matrix.settings = scenario->settings;
  } else if (!same_score(matrix.score, *scenario->score)) {
    code = fail(fmt::format("scenario '{}' scores by {}, but '{}' by {}; a matrix needs one score", scenario_name,
                            score_formula(*scenario->score), matrix.scenarios.front(), score_formula(matrix.score)));
    return std::nullopt;
  }
  if (matrix.weights.size() < matrix.scenarios.size()) matrix.weights.push_back(scenario->weight);
  notes += policy_range_lines(*scenario, options, option + " in " + scenario_name);
  const EnsembleResult result = run_ensemble(*scenario, options);
  if (!result.error.empty()) {
    code = fail(fmt::format("{} with {}: {}", scenario_name, option, result.error));
    return std::nullopt;
  }
  if (matrix.steps.size() < matrix.scenarios.size()) matrix.steps.push_back(result.steps);
  MatrixCell cell = make_cell(*scenario->score, result.end, result.indicator_count);
  cell.held_runs = result.held_runs;
  return cell;
}

/// Before any runs, every cell's request: its ensemble alone, and beside the run scores of the
/// cells before it (runs and score terms a cell, kept until the matrix is decided). 0, or the
/// exit code (message printed). A cell whose scenario does not load or score is left to
/// run_cell, which says so at its turn.
int check_cells(const PolicyMatrix& matrix, const EnsembleOptions& options, const std::vector<std::string>& settings,
                const Common& common, const std::string& out_dir) {
  std::size_t before = 0, cells = 0;  // bytes kept by the cells before, and how many
  for (const auto& option : matrix.options)
    for (const auto& scenario_name : matrix.scenarios) {
      std::vector<std::string> policies;
      if (option != kNoAction) policies.push_back(option);
      int code = 0;
      const auto scenario = load_by_name(scenario_name, policies, common, code, settings);
      if (!scenario) return code;  // the problem printed
      if (const std::string error =
              input_clash_error("--out", paths_in(out_dir, {"matrix.csv", "matrix.json"}), scenario->files);
          !out_dir.empty() && !error.empty())
        return fail(error);
      if (!scenario->score) continue;  // run_cell says so at its turn
      std::string error = ensemble_request_error(*scenario, options);
      if (error.empty()) error = ensemble_work_error(*scenario, options);
      if (error.empty() && before > 0)
        error =
            ensemble_beside_error(before,
                                  fmt::format("the run scores of the {} cell{} before it, kept for the paired regret",
                                              cells, cells == 1 ? "" : "s"),
                                  "use fewer runs, options or scenarios", *scenario, options);
      if (!error.empty()) return fail(fmt::format("{} with {}: {}", scenario_name, option, error));
      before += (std::size_t(std::max(options.runs, 1)) + scenario->score->terms.size()) * sizeof(double);
      ++cells;
    }
  return 0;
}

Handler add_matrix_command(CLI::App& app, const Common& common) {
  struct Options {
    std::vector<std::string> scenarios;  ///< empty: the reference scenarios (catalog.hpp)
    std::vector<std::string> policies;
    EnsembleFlags flags;
    std::string out_dir;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "matrix", "policy options against scenarios: scores (as the scenarios' YAML defines), regret, robust choice");
  cmd->add_option("--scenarios", o->scenarios,
                  "columns (default: the reference scenarios, those with `reference: N` in their YAML: the four "
                  "document scenarios)");
  cmd->add_option(
      "--policies", o->policies,
      fmt::format("rows; '{}' is doing nothing (default: {} and every shipped policy)", kNoAction, kNoAction));
  add_ensemble_flags(cmd, o->flags, false);
  add_set_option(cmd, o->flags.settings, "in every cell alike (every option in every scenario)");
  cmd->add_option("--out", o->out_dir, "also write matrix.csv and matrix.json to this folder");
  return [cmd, o, &common]() -> int {
    if (!*cmd) return -1;
    if (const std::string error = output_folder_error(o->out_dir, {"matrix.csv", "matrix.json"}); !error.empty())
      return fail(error);  // before the runs, and each file the folder would get
    PolicyMatrix matrix;
    matrix.options = o->policies.empty() ? shipped_policies(common) : o->policies;
    matrix.scenarios = o->scenarios.empty() ? reference_scenarios(scenarios_dir(common.scenarios_dir)) : o->scenarios;
    if (matrix.scenarios.empty())
      return fail(fmt::format("no scenario to score: name them with --scenarios (no scenario in {} has 'reference:')",
                              scenarios_dir(common.scenarios_dir)));
    // A row or column twice would be two cells of one key in matrix.csv: refused, as compare does;
    // the same file however it is spelled (./a.yaml, a path to a shipped one).
    const std::string dir = scenarios_dir(common.scenarios_dir);
    for (const auto& [names, option] : {std::pair{&matrix.options, "--policies"}, {&matrix.scenarios, "--scenarios"}}) {
      std::vector<std::string> keys;
      for (const std::string& name : *names) {
        const auto path = names == &matrix.options ? (name == kNoAction ? std::nullopt : resolve_policy(name, dir))
                                                   : resolve_scenario(name, dir);
        keys.push_back(path ? same_file_key(*path) : name);
        if (std::find(keys.begin(), keys.end() - 1, keys.back()) != keys.end() - 1)
          return fail(fmt::format("{}: {} is given twice (each is one {} of the matrix)", option, quote_word(name),
                                  names == &matrix.options ? "row" : "column"));
      }
    }
    matrix.runs = o->flags.runs;
    matrix.seed = o->flags.seed;
    matrix.parameter_sd = std::max(0.0, o->flags.parameter_sd);
    {
      EnsembleOptions options = ensemble_options(o->flags);
      options.keep_ends = true;
      if (const int code = check_cells(matrix, options, o->flags.settings, common, o->out_dir); code != 0) return code;
    }
    std::string notes;  // where the drawn values meet an option's changes, cell by cell
    ProgressBar bar("matrix");
    const long total = long(matrix.options.size() * matrix.scenarios.size()) * o->flags.runs;
    for (const auto& option : matrix.options)
      for (const auto& scenario : matrix.scenarios) {
        EnsembleOptions options = ensemble_options(o->flags);
        options.keep_ends = true;  // each cell's run scores, for the paired regret
        const long before = long(matrix.cells.size()) * o->flags.runs;
        if (bar.enabled())
          options.progress = [&bar, before, total](int done, int) { bar.update(before + done, total); };
        int code = 0;
        auto cell = run_cell(scenario, option, options, o->flags.settings, common, matrix, notes, code);
        if (!cell) return code;
        matrix.cells.push_back(std::move(*cell));
      }
    bar.finish();
    const MatrixDecision decision = decide(matrix);
    std::cout << matrix_table(matrix, decision) << matrix_held_runs_text(matrix) << (notes.empty() ? "" : "\n")
              << notes;
    if (o->out_dir.empty()) return 0;
    std::ostringstream csv;
    write_matrix_csv(csv, matrix, decision);
    if (const std::string error = write_output_files(
            std::filesystem::path(o->out_dir),
            {{"matrix.csv", csv.str()}, {"matrix.json", json_text(matrix_record(matrix, decision), 2) + "\n"}});
        !error.empty())
      return fail(error);
    std::cout << fmt::format("\nWrote {0}/matrix.csv and {0}/matrix.json\n", terminal_text(o->out_dir));
    return 0;
  };
}

const Registration registration(42, add_matrix_command);
}  // namespace

}  // namespace geosim::cli
