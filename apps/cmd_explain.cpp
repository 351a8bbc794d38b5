// geosim explain: which events, forces and partners moved one relation over a run.
#include <fmt/format.h>
#include <geosim/analysis/explain.hpp>
#include <geosim/core/run_budget.hpp>
#include <geosim/report/explain_report.hpp>

#include <iostream>

#include "cli_common.hpp"

namespace geosim::cli {
namespace {

Handler add_explain_command(CLI::App& app, const Common& common) {
  struct Options {
    std::string scenario, from, to;
    std::uint64_t seed = 1;
    int steps = -1;
    std::vector<std::string> policies;
    std::vector<std::string> settings;  ///< --set NAME=VALUE
    int digits = 0;                     ///< 0: explanation_digits()
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("explain", "why a relation moved: its change split by event, force and partner");
  cmd->add_option("scenario", o->scenario, "scenario name or file")->required();
  cmd->add_option("from", o->from, "actor whose stance it is, e.g. VNM")->required();
  cmd->add_option("to", o->to, "actor it is toward, e.g. USA")->required();
  cmd->add_option("--seed", o->seed, "random seed (default 1)")->check(seed_number());
  cmd->add_option("--steps", o->steps, "number of steps (default: the scenario's)")->check(whole_number(0, 100000));
  add_policy_option(cmd, o->policies);
  add_set_option(cmd, o->settings);
  cmd->add_option("--digits", o->digits,
                  "decimals of the changes shown (default 4, more when the largest part is under 0.001: "
                  "two significant digits)")
      ->check(whole_number(1, 12));
  return [cmd, o, &common]() -> int {
    if (!*cmd) return -1;
    int code = 0;
    auto scenario = load_by_name(o->scenario, o->policies, common, code, o->settings);
    if (!scenario) return code;
    const auto from = scenario->find_actor(o->from), to = scenario->find_actor(o->to);
    if (!from || !to) {
      return fail(unknown_actor(*scenario, from ? o->to : o->from));
    }
    if (*from == *to) return fail(fmt::format("expected two different actors, found {} twice", o->from));
    if (!scenario->has_relation(*from, *to))
      return fail(fmt::format("{}–{} has no relation (absent in the scenario): nothing to explain", o->from, o->to));
    if (std::string error = period_error(*scenario, o->steps >= 0 ? o->steps : scenario->steps); !error.empty())
      return fail(error);
    RunOptions run;
    run.seed = o->seed;
    run.steps = o->steps;
    const Explanation explanation = explain(*scenario, *from, *to, run);
    if (!explanation.error.empty()) return fail(explanation.error);
    std::cout << explanation_table(*scenario, explanation, o->digits);
    return 0;
  };
}

const Registration registration(80, add_explain_command);
}  // namespace

}  // namespace geosim::cli
