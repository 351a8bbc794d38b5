// geosim analyze: blocs, brokers, channels, influence and stability of the state at a step.
#include <fmt/format.h>
#include <geosim/analysis/analysis.hpp>
#include <geosim/core/run.hpp>
#include <geosim/core/run_budget.hpp>
#include <geosim/io/escape.hpp>
#include <geosim/report/analysis_report.hpp>

#include <iostream>

#include "cli_common.hpp"
#include "geosim/io/json_text.hpp"

namespace geosim::cli {
namespace {

/// The index of actor `id`, or nullopt after printing the known actors.
std::optional<std::size_t> actor_or_fail(const Scenario& scenario, const std::string& id) {
  if (auto found = scenario.find_actor(id)) return found;
  fail(unknown_actor(scenario, id));
  return std::nullopt;
}

Handler add_analyze_command(CLI::App& app, const Common& common) {
  struct Options {
    std::string scenario;
    int step = -1;
    std::uint64_t seed = 1;
    std::vector<std::string> policies;
    std::vector<std::string> settings;  ///< --set NAME=VALUE
    std::vector<std::string> between;
    bool weighted = false;
    double cut = 0.5;
    std::string json;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("analyze", "blocs, brokers, channel, influence and stability at a step");
  cmd->add_option("scenario", o->scenario, "scenario name or file")->required();
  cmd->add_option("--step", o->step, "step to analyse (default: the last)")->check(whole_number(0, 100000));
  cmd->add_option("--seed", o->seed, "random seed (default 1)")->check(seed_number());
  add_policy_option(cmd, o->policies);
  add_set_option(cmd, o->settings);
  cmd->add_option("--between", o->between, "lowest-tension channel from actor A to actor B (and back)")->expected(2);
  cmd->add_flag("--weighted", o->weighted, "weight unbalanced relations by |cut - tension| when finding blocs");
  auto* cut =
      cmd->add_option("--cut", o->cut,
                      "friendly/hostile cut: a pair is friendly when its mean tension is below it (default: the "
                      "scenario's balance_cut, 0.5 unless set)")
          ->check(finite_range(0.0, 1.0));
  cmd->add_option("--json", o->json, "also write the whole analysis to this JSON file");
  return [cmd, cut, o, &common]() -> int {
    if (!*cmd) return -1;
    int code = 0;
    auto scenario = load_by_name(o->scenario, o->policies, common, code, o->settings);
    if (!scenario) return code;
    if (const std::string error = input_clash_error("--json", {o->json}, scenario->files);
        !o->json.empty() && !error.empty())
      return fail(error);
    if (const std::string error = o->json.empty() ? "" : output_file_error(o->json, true); !error.empty())
      return fail(error);  // before the analysis (world-200's takes a second), not after it
    if (o->step > scenario->steps)
      return fail(fmt::format("expected --step between 0 and {}, found {}", scenario->steps, o->step));
    AnalysisOptions options;
    options.balance.weighted = o->weighted;
    if (cut->count() > 0) options.balance.cut = o->cut;
    if (o->between.size() == 2) {
      const auto a = actor_or_fail(*scenario, o->between[0]), b = actor_or_fail(*scenario, o->between[1]);
      if (!a || !b) return 1;
      if (*a == *b)
        return fail(fmt::format("expected two different actors after --between, found {} twice", o->between[0]));
      options.between = std::pair{*a, *b};
    }
    RunOptions run;
    run.seed = o->seed;
    run.steps = o->step;
    const State state = run_final_state(*scenario, run);  // no step kept before it
    if (!state.error.empty()) return fail(state.error);
    const Analysis analysis = analyze(*scenario, state, options);
    std::cout << analysis_summary(*scenario, analysis);
    if (o->json.empty()) return 0;
    if (!ensure_parent_dir(o->json)) return 1;
    if (const std::string error = write_output_file(o->json, json_text(analysis_record(*scenario, analysis), 2) + "\n");
        !error.empty())
      return fail(error);
    std::cout << fmt::format("\nWrote {}\n", terminal_text(o->json));
    return 0;
  };
}

const Registration registration(70, add_analyze_command);
}  // namespace

}  // namespace geosim::cli
