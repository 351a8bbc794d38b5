// geosim run: one scenario, a summary on the terminal, the time series in files.
#include <fmt/format.h>
#include <geosim/core/run.hpp>
#include <geosim/core/run_budget.hpp>
#include <geosim/io/escape.hpp>
#include <geosim/io/gzip.hpp>
#include <geosim/report/report.hpp>

#include <functional>
#include <iostream>
#include <sstream>

#include "cli_common.hpp"

namespace geosim::cli {

namespace {
Handler add_run_command(CLI::App& app, const Common& common) {
  struct Options {
    std::string scenario = "baseline";
    std::uint64_t seed = 1;
    int steps = -1;
    std::vector<std::string> policies;
    std::vector<std::string> settings;  ///< --set NAME=VALUE
    std::string out_dir;
    std::string relations;
    bool gzip = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("run", "run one scenario and write its time series");
  cmd->add_option("scenario", o->scenario, "scenario name (see `geosim list`) or file (default: baseline)");
  cmd->add_option("--seed", o->seed, "random seed (default 1)")->check(seed_number());
  cmd->add_option("--steps", o->steps, "number of steps (default: the scenario's)")->check(whole_number(0, 100000));
  add_policy_option(cmd, o->policies);
  add_set_option(cmd, o->settings);
  cmd->add_option(
      "--out", o->out_dir,
      "output folder (default: out/<scenario id>[+<policy id>...][+NAME=VALUE...], with +seed=N and +steps=N "
      "when not the defaults, and +relations=... when given)");
  cmd->add_option("--relations", o->relations,
                  "tension.csv only for these directed relations: comma-separated FROM/TO (one way), A-B (both ways), "
                  "top:N (the N that moved most)");
  cmd->add_flag("--gzip", o->gzip, "write tension.csv.gz (gzip) instead of tension.csv");
  return [cmd, o, &common]() -> int {
    if (!*cmd) return -1;
    int code = 0;
    auto scenario = load_by_name(o->scenario, o->policies, common, code, o->settings);
    if (!scenario) return code;
    if (auto error = run_request_error(*scenario, o->steps >= 0 ? o->steps : scenario->steps); !error.empty())
      return fail(error);
    if (!o->relations.empty()) {  // a bad --relations is refused before the run, not after its summary
      std::string error;
      select_relations(*scenario, RunResult{}, o->relations, error);
      if (!error.empty()) return fail(error);
    }
    // A run of some relations only is not the full run: it goes to a folder of its own.
    std::vector<std::string> choices = run_choices(*scenario, o->seed, o->steps);
    if (!o->relations.empty()) choices.push_back(folder_choice("relations", o->relations));
    const std::string out_dir = o->out_dir.empty() ? default_out(*scenario, choices) : o->out_dir;
    // Both forms of tension.csv: the other one is replaced too (write_output_files' stale).
    const std::vector<std::string> written = {"tension.csv", "tension.csv.gz", "indicators.csv", "run.json"};
    if (const std::string error = output_folder_error(out_dir, written); !error.empty())
      return fail(error);  // before the run
    if (const std::string error = input_clash_error("--out", paths_in(out_dir, written), scenario->files);
        !error.empty())
      return fail(error);
    RunOptions options;
    options.seed = o->seed;
    options.steps = o->steps;
    const RunResult result = run_scenario(*scenario, options);
    if (!result.final_state.error.empty()) return fail(result.final_state.error);
    std::cout << run_summary(*scenario, result, o->seed);
    std::vector<unsigned char> rows;
    if (!o->relations.empty()) {
      std::string error;
      rows = select_relations(*scenario, result, o->relations, error);
      if (!error.empty()) return fail(error);
    }
    std::ostringstream indicators;
    write_indicators_csv(indicators, *scenario, result);
    std::vector<OutputFile> files(3);
    // Written as it is made: tension.csv is about 70 MB at 200 actors.
    files[0].name = o->gzip ? "tension.csv.gz" : "tension.csv";
    files[0].pieces = [&](const OutputSink& write) {
      tension_csv_pieces(*scenario, result, rows, write);  // false only when a write failed
      return std::string();
    };
    if (o->gzip) files[0].pieces = gzip_pieces(files[0].pieces, 1);  // level 1: 3x faster than 6, 10 % larger
    files[1] = {"indicators.csv", indicators.str()};
    files[2] = {"run.json", run_record_text(*scenario, result, o->seed)};
    // The other form of tension.csv from an earlier run goes, so it cannot be read as this run's.
    const std::vector<std::string> stale = {o->gzip ? "tension.csv" : "tension.csv.gz"};
    if (const std::string error = write_output_files(std::filesystem::path(out_dir), files, stale); !error.empty())
      return fail(error);
    std::cout << fmt::format("\nWrote {0}/{1}, {0}/indicators.csv and {0}/run.json\n", terminal_text(out_dir),
                             files[0].name);
    return 0;
  };
}

const Registration registration(10, add_run_command);
}  // namespace

}  // namespace geosim::cli
