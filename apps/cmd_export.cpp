// geosim export: the relation graph at a step, for Graphviz, Gephi, yEd or a spreadsheet.
#include <fmt/format.h>
#include <geosim/core/run.hpp>
#include <geosim/core/run_budget.hpp>
#include <geosim/io/escape.hpp>
#include <geosim/report/export.hpp>

#include <iostream>
#include <sstream>

#include "cli_common.hpp"

namespace geosim::cli {
namespace {

Handler add_export_command(CLI::App& app, const Common& common) {
  struct Options {
    std::string scenario;
    int step = -1;
    std::uint64_t seed = 1;
    std::vector<std::string> policies;
    std::vector<std::string> settings;  ///< --set NAME=VALUE
    std::string format = "dot";
    std::string out;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("export", "write the relation graph at a step as DOT, GraphML, JSON or CSV");
  cmd->add_option("scenario", o->scenario, "scenario name or file")->required();
  cmd->add_option("--step", o->step, "step to export (default: the last)")->check(whole_number(0, 100000));
  cmd->add_option("--seed", o->seed, "random seed (default 1)")->check(seed_number());
  add_policy_option(cmd, o->policies);
  add_set_option(cmd, o->settings);
  cmd->add_option("--format", o->format, "dot | graphml | json | csv (default dot)")
      ->check(CLI::IsMember({"dot", "graphml", "json", "csv"}));
  cmd->add_option("--out", o->out, "output file (default: standard output)");
  return [cmd, o, &common]() -> int {
    if (!*cmd) return -1;
    int code = 0;
    auto scenario = load_by_name(o->scenario, o->policies, common, code, o->settings);
    if (!scenario) return code;
    if (const std::string error = input_clash_error("--out", {o->out}, scenario->files);
        !o->out.empty() && !error.empty())
      return fail(error);
    if (const std::string error = o->out.empty() ? "" : output_file_error(o->out, true); !error.empty())
      return fail(error);
    if (o->step > scenario->steps)
      return fail(fmt::format("expected --step between 0 and {}, found {}", scenario->steps, o->step));
    RunOptions options;
    options.seed = o->seed;
    options.steps = o->step;
    const State state = run_final_state(*scenario, options);  // no step kept before it
    if (!state.error.empty()) return fail(state.error);
    std::ostringstream text;
    export_graph(text, *scenario, state, *parse_export_format(o->format));
    if (o->out.empty()) {
      std::cout << text.str();
      return 0;
    }
    if (!ensure_parent_dir(o->out)) return 1;
    if (const std::string error = write_output_file(o->out, text.str()); !error.empty()) return fail(error);
    std::cerr << fmt::format("Wrote {} ({} at step {})\n", terminal_text(o->out), o->format, state.step);
    return 0;
  };
}

const Registration registration(60, add_export_command);
}  // namespace

}  // namespace geosim::cli
