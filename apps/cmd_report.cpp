// geosim report: one self-contained HTML page of a scenario: sources, timeline, charts, network,
// blocs and brokers, and percentile fans and the paired effect when --runs is given.
#include <fmt/format.h>
#include <geosim/analysis/analysis.hpp>
#include <geosim/core/ensemble.hpp>
#include <geosim/core/paired.hpp>
#include <geosim/core/rng.hpp>
#include <geosim/core/run.hpp>
#include <geosim/core/run_budget.hpp>
#include <geosim/core/state.hpp>
#include <geosim/io/catalog.hpp>
#include <geosim/io/escape.hpp>
#include <geosim/io/loader.hpp>
#include <geosim/report/html_report.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "cli_common.hpp"
#include "progress_bar.hpp"

namespace geosim::cli {
namespace {

/// The command line as typed, for the report's footer (without the program's path): each word
/// as a shell reads it back, a value that starts with '-' after '=' (or, the scenario, after
/// `--`), so that the command pastes back and writes the same page.
std::string command_text(const std::string& scenario, int runs, std::uint64_t seed, int steps, double parameter_sd,
                         const std::vector<std::string>& policies, const std::vector<std::string>& settings,
                         const std::string& graphviz) {
  const bool dash = scenario.starts_with("-");
  std::string text = "geosim report" + (dash ? std::string() : " " + shell_word(scenario));
  if (runs > 0) text += fmt::format(" --runs {}", runs);
  text += fmt::format(" --seed {}", seed);
  if (steps >= 0) text += fmt::format(" --steps {}", steps);
  if (parameter_sd > 0) text += fmt::format(" --parameter-sd {}", parameter_sd);
  auto option = [&](const char* name, const std::string& value) {
    text += value.starts_with("-") ? fmt::format(" {}={}", name, shell_word(value))
                                   : fmt::format(" {} {}", name, shell_word(value));
  };
  for (const auto& p : policies) option("--policy", p);
  for (const auto& s : settings) option("--set", s);        // their numbers too: a report of other settings differs
  if (graphviz != "circo") option("--graphviz", graphviz);  // the network drawn, or not
  if (dash) text += " -- " + shell_word(scenario);
  return text;
}

/// True when both paths name the same file.
bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec);
}

/// The baseline a scenario's report measures it against: the baseline.yaml in the scenario
/// file's own folder (a copy of the scenarios folder, edited, holds its own), else the one in
/// the scenarios folder. `beside`: the first, which the report names, since it is not the
/// shipped one.
struct BaselineFile {
  std::string path;
  bool beside = false;
};
std::optional<BaselineFile> baseline_of(const std::string& scenario_path, const std::string& scenarios) {
  if (!scenario_path.empty()) {
    const std::filesystem::path folder = std::filesystem::path(scenario_path).parent_path();
    const std::filesystem::path here = (folder.empty() ? std::filesystem::path(".") : folder) / "baseline.yaml";
    std::error_code ec;
    if (std::filesystem::is_regular_file(here, ec) && !same_file(here.string(), scenarios + "/baseline.yaml"))
      return BaselineFile{here.lexically_normal().string(), true};
  }
  if (auto shipped = resolve_scenario("baseline", scenarios)) return BaselineFile{*shipped, false};
  return std::nullopt;
}

Handler add_report_command(CLI::App& app, const Common& common) {
  struct Options {
    std::string scenario = "baseline";
    int runs = 0;
    std::uint64_t seed = 1;
    int steps = -1;
    int threads = 0;
    double parameter_sd = 0.0;
    std::vector<std::string> policies;
    std::vector<std::string> settings;  ///< --set NAME=VALUE
    std::string out;
    std::string js_dir;
    std::string graphviz = "circo";
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("report", "write one self-contained HTML report: sources, timeline, charts, network");
  cmd->add_option("scenario", o->scenario, "scenario name (see `geosim list`) or file (default: baseline)");
  cmd->add_option("--runs", o->runs,
                  "also run an ensemble of N runs: percentile fans, and the paired effect against the scenario "
                  "without --policy (or, without policies, against the baseline)")
      ->check(whole_number(1, 1000000));
  cmd->add_option("--seed", o->seed, "random seed of the run shown, and of the ensemble (default 1)")
      ->check(seed_number());
  cmd->add_option("--steps", o->steps, "number of steps (default: the scenario's)")->check(whole_number(0, 100000));
  add_policy_option(cmd, o->policies);
  add_set_option(cmd, o->settings);
  cmd->add_option("--threads", o->threads,
                  "ensemble worker threads (default: hardware threads); results do not depend on it")
      ->check(whole_number(1, 1024));
  cmd->add_option("--parameter-sd", o->parameter_sd,
                  "ensemble: relative spread of every actor's restraint and reactivity per run (default 0)")
      ->check(finite_range(0.0, 2.0));
  cmd->add_option("--out", o->out,
                  "the HTML file to write (default: out/<scenario id>[+<policy id>...][+NAME=VALUE...]/report.html, "
                  "with +seed=N, +steps=N, +runs=N and +parameter-sd=X when not the defaults)");
  cmd->add_option("--js-dir", o->js_dir,
                  "node_modules folder with vega, vega-lite and vega-embed (default: $GEOSIM_JS_DIR, or node_modules/ "
                  "in $GEOSIM_DATA, beside the program or in its share/geosim)");
  cmd->add_option("--graphviz", o->graphviz,
                  "Graphviz layout program for the network diagram, or 'none' (default circo)");
  return [cmd, o, &common]() -> int {
    if (!*cmd) return -1;
    int code = 0;
    auto scenario = load_by_name(o->scenario, o->policies, common, code, o->settings);
    if (!scenario) return code;
    if (const std::string error = input_clash_error("--out", {o->out}, scenario->files);
        !o->out.empty() && !error.empty())
      return fail(error);
    if (const std::string error = o->out.empty() ? "" : output_file_error(o->out, true); !error.empty())
      return fail(error);  // before the ensembles, not after them

    EnsembleOptions ensemble;
    ensemble.runs = o->runs;
    ensemble.seed = o->seed;
    ensemble.steps = o->steps;
    ensemble.parameter_sd = o->parameter_sd;
    ensemble.keep_ends = true;  // the paired effect against the reference, run by run
    const unsigned hardware = std::thread::hardware_concurrency();
    ensemble.threads = o->threads > 0 ? o->threads : int(hardware == 0 ? 1 : hardware);
    if (auto error = run_request_error(*scenario, o->steps >= 0 ? o->steps : scenario->steps); !error.empty())
      return fail(error);
    if (o->runs > 0)  // before any run: refuse what cannot finish
      if (auto error = ensemble_request_error(*scenario, ensemble); !error.empty()) return fail(error);
    if (o->runs > 0)
      if (auto error = ensemble_work_error(*scenario, ensemble); !error.empty()) return fail(error);

    ReportData data;
    data.seed = o->seed;
    RunOptions run;
    run.seed = o->seed;
    run.steps = o->steps;
    data.run = run_scenario(*scenario, run);
    if (!data.run.final_state.error.empty()) return fail(data.run.final_state.error);
    Rng draws(0);           // the state at step 0 (window draws are not used here)
    AnalysisOptions shown;  // the report shows no stability: not computed
    shown.stability = false;
    data.analysis_start = report_analysis(analyze(*scenario, initial_state(*scenario, draws), shown));
    data.analysis_end = report_analysis(analyze(*scenario, data.run.final_state, shown));
    if (o->runs > 0) {
      // The paired effect: of the policies against the scenario without them (both with the
      // --set values); else of the --set values against the scenario without them; else of the
      // scenario against the shipped baseline (when there is one and it is another file).
      std::optional<Scenario> reference;
      std::string reference_name;
      if (!o->policies.empty()) {
        reference = load_by_name(o->scenario, {}, common, code, o->settings);
        if (!reference) return code;
        reference_name = scenario->id + " without its policies";
      } else if (!o->settings.empty()) {
        reference = load_by_name(o->scenario, {}, common, code);
        if (!reference) return code;
        reference_name = scenario->id + " without --set";
      } else if (const auto base = baseline_of(scenario->path, scenarios_dir(common.scenarios_dir));
                 base && !same_file(base->path, scenario->path)) {
        LoadResult loaded = load_scenario(base->path);
        // every file the baseline read: its includes and the documents it quotes too
        if (const std::string error = input_clash_error(
                "--out", {o->out}, loaded.ok() ? loaded.scenario->files : std::vector<std::string>{base->path});
            !o->out.empty() && !error.empty())
          return fail(error);
        // Only a baseline of the same world (an indicator in common) gives a paired effect.
        const auto shared = [&](const Indicator& i) {
          return std::any_of(scenario->indicators.begin(), scenario->indicators.end(),
                             [&](const Indicator& mine) { return mine.id == i.id; });
        };
        if (loaded.ok() &&
            std::any_of(loaded.scenario->indicators.begin(), loaded.scenario->indicators.end(), shared)) {
          reference = std::move(*loaded.scenario);
          reference_name = base->beside ? "the baseline beside it (" + base->path + ")" : "the baseline";
        }
      }
      // A bar with the time left at a terminal: the report's runs, then its reference's.
      ProgressBar bar("report");
      const long total = long(o->runs) * (reference ? 2 : 1);
      EnsembleOptions own = ensemble;
      if (bar.enabled()) own.progress = [&bar, total](int done, int) { bar.update(done, total); };
      const EnsembleResult result = run_ensemble(*scenario, own);
      if (!result.error.empty()) return fail(result.error);
      data.ensemble = report_ensemble(result);
      data.ensemble->paired_reference = reference_name;
      if (reference) {
        EnsembleOptions theirs = ensemble;
        const long before = o->runs;
        if (bar.enabled()) theirs.progress = [&bar, before, total](int done, int) { bar.update(before + done, total); };
        const EnsembleResult other = run_ensemble(*reference, theirs);
        if (!other.error.empty()) return fail(other.error);
        for (const Indicator& indicator : scenario->indicators) {
          const std::size_t k = std::size_t(&indicator - scenario->indicators.data());
          std::size_t j = 0;
          while (j < reference->indicators.size() && reference->indicators[j].id != indicator.id) ++j;
          data.ensemble->paired.push_back(j < reference->indicators.size() ? paired_end_effect(result, k, other, j)
                                                                           : PairedSummary{});
        }
      }
    }
    // The folder's name says how this report differs from the default one (default_out).
    const std::vector<std::string> choices = run_choices(*scenario, o->seed, o->steps, o->runs, 0, o->parameter_sd);
    data.command =
        command_text(o->scenario, o->runs, o->seed, o->steps, o->parameter_sd, o->policies, o->settings, o->graphviz);
    data.scenario = std::move(*scenario);

    ReportOptions options;
    options.js_dir = o->js_dir;
    options.graphviz = o->graphviz == "none" ? "" : o->graphviz;
    std::ostringstream page;
    const ReportOutcome outcome = write_html_report(page, data, options);
    if (!outcome.error.empty()) return fail(outcome.error);
    const std::string out = o->out.empty() ? default_out(data.scenario, choices) + "/report.html" : o->out;
    if (const std::string error = input_clash_error("--out", {out}, outcome.inputs); !error.empty()) return fail(error);
    if (!ensure_parent_dir(out)) return 1;
    if (const std::string error = write_output_file(out, page.str()); !error.empty()) return fail(error);
    for (const auto& note : outcome.notes) std::cerr << "geosim: note: " << terminal_text(note) << "\n";
    std::cout << fmt::format(
        "Wrote {} ({} KiB: {}, {} network diagram{})\n", terminal_text(out), (page.str().size() + 1023) / 1024,
        outcome.scripts_inlined ? fmt::format("{} chart{}", outcome.charts, outcome.charts == 1 ? "" : "s")
                                : std::string("no charts, they need the JavaScript libraries"),
        outcome.network_diagrams, outcome.network_diagrams == 1 ? "" : "s");
    return 0;
  };
}

const Registration registration(80, add_report_command);
}  // namespace

}  // namespace geosim::cli
