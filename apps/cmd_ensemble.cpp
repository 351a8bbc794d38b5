// geosim ensemble: many runs of one scenario; percentile bands, threshold probabilities and
// resemblance to the document scenarios on the terminal and in files.
#include <fmt/format.h>
#include <geosim/report/ensemble_report.hpp>

#include <iostream>
#include <sstream>

#include "cli_common.hpp"
#include "ensemble_cli.hpp"
#include "progress_bar.hpp"

namespace geosim::cli {

namespace {
Handler add_ensemble_command(CLI::App& app, const Common& common) {
  struct Options {
    std::string scenario = "baseline";
    EnsembleFlags flags;
    std::string out_dir;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("ensemble", "run a scenario many times: percentile bands and threshold odds");
  cmd->add_option("scenario", o->scenario, "scenario name (see `geosim list`) or file (default: baseline)");
  add_ensemble_flags(cmd, o->flags, true);
  cmd->add_option("--out", o->out_dir, "output folder (default: out/<scenario id>[+<policy id>...]-ensemble)");
  return [cmd, o, &common]() -> int {
    if (!*cmd) return -1;
    int code = 0;
    auto scenario = load_by_name(o->scenario, o->flags.policies, common, code);
    if (!scenario) return code;
    if (auto error = ensemble_request_error(*scenario, ensemble_options(o->flags)); !error.empty()) return fail(error);
    std::string note;
    const auto references = load_references(*scenario, o->flags.steps, common, note);
    EnsembleOptions options = ensemble_options(o->flags);
    ProgressBar bar("ensemble");
    if (bar.enabled()) options.progress = [&bar](int done, int total) { bar.update(done, total); };
    const EnsembleResult result = run_ensemble(*scenario, options, references);
    bar.finish();
    if (!result.error.empty()) return fail(result.error);
    std::cout << ensemble_summary(*scenario, result);
    if (!note.empty()) std::cout << "\n(" << note << ")\n";
    const std::string out_dir = o->out_dir.empty() ? default_out(*scenario) + "-ensemble" : o->out_dir;
    std::ostringstream percentiles, thresholds;
    write_ensemble_csv(percentiles, *scenario, result);
    write_thresholds_csv(thresholds, *scenario, result);
    const std::string record = ensemble_record(*scenario, result).dump(2) + "\n";
    const std::filesystem::path dir(out_dir);
    if (const std::string error = write_output_files(
            dir, {{"percentiles.csv", percentiles.str()}, {"thresholds.csv", thresholds.str()}, {"ensemble.json", record}});
        !error.empty())
      return fail(error);
    std::cout << fmt::format("\nWrote {0}/percentiles.csv, {0}/thresholds.csv and {0}/ensemble.json\n", out_dir);
    return 0;
  };
}

const Registration registration(40, add_ensemble_command);
}  // namespace

}  // namespace geosim::cli
