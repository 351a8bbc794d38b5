// geosim calibrate: the model's parameters fitted to an observed tension series (geosim ingest's),
// the fitted values as a YAML file a scenario includes, and a backtest against persistence and
// the training mean (docs/grounding.md, "Calibration").
#include <fmt/format.h>
#include <geosim/analysis/calibrate.hpp>
#include <geosim/io/escape.hpp>
#include <geosim/io/input_file.hpp>
#include <geosim/io/observed_series.hpp>
#include <geosim/report/calibration_report.hpp>
#include <geosim/tabletop/session.hpp>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli_common.hpp"

namespace geosim::cli {

namespace {

/// "FROM..TO", each a step of the series or a date one of its rows carries; "" or what is wrong,
/// with the steps and dates the series has.
std::string parse_window(const ObservedSeries& series, const std::string& text, int& first, int& last) {
  std::string dated;  // "its rows are dated 2025-08-08 (step 1) to 2026-07-31 (step 52)"
  int a = -1, b = -1;
  for (int s = 0; s <= series.last_step; ++s)
    if (!series.dates[std::size_t(s)].empty()) {
      if (a < 0) a = s;
      b = s;
    }
  if (a >= 0)
    dated = fmt::format("; its rows are dated {} (step {}) to {} (step {})", series.dates[std::size_t(a)], a,
                        series.dates[std::size_t(b)], b);
  const std::size_t dots = text.find("..");
  if (dots == std::string::npos)
    return fmt::format("expected FROM..TO, each a step (0 to {}) or a date of the series, found {}{}", series.last_step,
                       quote_word(text), dated);
  first = observed_step(series, text.substr(0, dots));
  last = observed_step(series, text.substr(dots + 2));
  for (const auto& [step, word] : {std::pair{first, text.substr(0, dots)}, std::pair{last, text.substr(dots + 2)}})
    if (step < 0)
      return fmt::format("{} is neither a step from 0 to {} nor a date one of the series' rows carries{}",
                         quote_word(word), series.last_step, dated);
  return "";
}

struct CalibrateOptions {
  std::string scenario, observed, train, test, out;
  std::vector<std::string> fit;
  int max_iterations = 100;
  double multi_step_weight = 0.1;
};

/// default_out's choices of a calibration, so that another series, window or fit never replaces
/// this one's files: the observed file by a checksum of its absolute path (a path is not a
/// folder's name), the windows as given, and the other options when not their defaults.
std::vector<std::string> calibrate_choices(const CalibrateOptions& o) {
  std::vector<std::string> choices = {"observed-" + checksum_of(same_file_key(o.observed)).substr(8),
                                      folder_choice("train", o.train), folder_choice("test", o.test)};
  if (!o.fit.empty()) {
    std::string fit;
    for (const auto& f : o.fit) fit += (fit.empty() ? "" : ",") + f;
    choices.push_back(folder_choice("fit", fit));
  }
  if (o.max_iterations != 100) choices.push_back(fmt::format("max-iterations={}", o.max_iterations));
  if (o.multi_step_weight != 0.1) choices.push_back(fmt::format("multi-step-weight={}", o.multi_step_weight));
  return choices;
}

Handler add_calibrate_command(CLI::App& app, const Common& common) {
  using Options = CalibrateOptions;
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "calibrate",
      "fit restraint, reactivity, spillover and baselines to an observed tension series; backtest the fit");
  cmd->add_option("scenario", o->scenario, "scenario or actors file (or a scenario's name) whose parameters are fitted")
      ->required();
  cmd->add_option("--observed", o->observed,
                  "observed tension series: geosim ingest's tension.csv (step,date,from,to,tension)")
      ->required();
  cmd->add_option("--train", o->train, "training window FROM..TO: steps or dates of the series (e.g. 1..8)")
      ->required();
  cmd->add_option("--test", o->test, "test window FROM..TO, from the training window's end on: forecast from FROM")
      ->required();
  cmd->add_option("--fit", o->fit,
                  "parameters to fit, comma-separated: restraint[.ACTOR], reactivity[.ACTOR], spillover, "
                  "baseline[.FROM.TO] (default: those of the actors and dyads observed)");
  cmd->add_option("--max-iterations", o->max_iterations, "Levenberg-Marquardt iterations at most (default 100)")
      ->check(whole_number(1, 10000));
  cmd->add_option("--multi-step-weight", o->multi_step_weight,
                  "weight of the free run's errors against the one-step errors (default 0.1)")
      ->check(finite_range(1e-6, 1e6));
  cmd->add_option("--out", o->out,
                  "output folder: fitted.yaml, backtest.csv (default: out/<scenario id>+observed-<checksum of its "
                  "path>+train=..+test=..[+fit=..][+max-iterations=N][+multi-step-weight=X]-calibration)");
  return [cmd, o, &common]() -> int {
    if (!*cmd) return -1;
    int code = 0;
    std::error_code ec;
    const bool file = std::filesystem::exists(o->scenario, ec);
    auto scenario = file ? load_actors(o->scenario, code) : load_by_name(o->scenario, {}, common, code);
    if (!scenario) return code;
    std::vector<Diagnostic> errors;
    // A scenario's steps are the series'; an actors file declares none, so the series' own are
    // taken, one length throughout.
    const bool actors_only = file && file_role(o->scenario) != FileRole::scenario;
    const ObservedSeries observed =
        read_observed_series(o->observed, *scenario, errors, actors_only ? kSeriesOwnSteps : kScenarioSteps);
    if (!errors.empty()) return report_errors(errors);
    if (observed.absent_rows > 0)
      std::fprintf(stderr, "%s\n",
                   format_warning({o->observed, 0, 0,
                                   fmt::format("{} row{} of pairs the scenario leaves without a relation ({}{}) left "
                                               "out: the model has no tension there",
                                               observed.absent_rows, observed.absent_rows == 1 ? "" : "s",
                                               observed.first_absent, observed.absent_rows > 1 ? ", ..." : "")})
                       .c_str());
    CalibrationOptions options;
    options.max_iterations = o->max_iterations;
    options.multi_step_weight = o->multi_step_weight;
    if (const std::string error = parse_window(observed, o->train, options.train_first, options.train_last);
        !error.empty())
      return fail("--train: " + error);
    if (const std::string error = parse_window(observed, o->test, options.test_first, options.test_last);
        !error.empty())
      return fail("--test: " + error);
    std::vector<std::string> names;  // split here: CLI11's delimiter drops an empty item silently
    for (const std::string& list : o->fit)
      for (std::size_t at = 0;;) {
        const std::size_t comma = std::min(list.find(',', at), list.size());
        if (comma == at)
          return fail("--fit: expected parameter names between the commas, found an empty one in " + quote_word(list));
        names.push_back(list.substr(at, comma - at));
        if (comma == list.size()) break;
        at = comma + 1;
      }
    for (const auto& name : names) {
      std::string error;
      auto parameter = find_parameter(*scenario, name, error);
      if (!parameter) return fail("--fit: " + error);
      for (const ModelParameter& earlier : options.fit)  // a group and its member would be fitted twice
        if (std::string overlap = parameter_overlap(*parameter, earlier); !overlap.empty())
          return fail("--fit: " + overlap);
      options.fit.push_back(std::move(*parameter));
    }
    const std::string out = o->out.empty() ? default_out(*scenario, calibrate_choices(*o)) + "-calibration" : o->out;
    const std::vector<std::string> written = {"fitted.yaml", "backtest.csv"};
    if (const std::string error = output_folder_error(out, written); !error.empty())
      return fail(error);  // before the fit
    std::vector<std::string> inputs = scenario->files;
    inputs.push_back(o->observed);
    if (const std::string error = input_clash_error("--out", paths_in(out, written), inputs); !error.empty())
      return fail(error);
    const CalibrationResult result = calibrate(*scenario, observed, options);
    if (!result.error.empty()) return fail(result.error);
    std::cout << calibration_summary(*scenario, observed, options, result);
    std::ostringstream backtest;
    write_backtest_csv(backtest, *scenario, result);
    if (const std::string error = write_output_files(
            out, {{"fitted.yaml", fitted_yaml(observed, options, result)}, {"backtest.csv", backtest.str()}});
        !error.empty())
      return fail(error);
    std::cout << fmt::format("\nWrote {0}/fitted.yaml (include it after the actors) and {0}/backtest.csv\n",
                             terminal_text(out));
    return 0;
  };
}

const Registration registration(96, add_calibrate_command);
}  // namespace

}  // namespace geosim::cli
