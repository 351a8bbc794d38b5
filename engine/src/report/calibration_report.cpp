#include "geosim/report/calibration_report.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "geosim/io/escape.hpp"
#include "geosim/io/number_text.hpp"

namespace geosim {
namespace {

std::string when(const ObservedSeries& observed, int step) {
  const std::string& date =
      step >= 0 && std::size_t(step) < observed.dates.size() ? observed.dates[std::size_t(step)] : "";
  return date.empty() ? fmt::format("step {}", step) : fmt::format("step {} ({})", step, date);
}

std::string skill_text(double skill) { return std::isnan(skill) ? "-" : signed_change(skill); }
/// A statistic of backtest.csv: the shortest text that reads back as the same double (an MSE of
/// 4.9e-7 is not 0.000000), "" when undefined.
std::string csv_number(double v) { return std::isnan(v) ? "" : fmt::format("{}", v); }

std::string dyad_name(const Scenario& scenario, const DyadFit& d) {
  return terminal_text(scenario.actors[d.from].id) + " -> " + terminal_text(scenario.actors[d.to].id);
}

}  // namespace

std::string calibration_summary(const Scenario& scenario, const ObservedSeries& observed,
                                const CalibrationOptions& options, const CalibrationResult& result) {
  std::string out = fmt::format(
      "Fitted {} parameter{} on {} to {}: {} residuals (one-step and multi-step), {} iteration{}{}\n",
      result.parameters.size(), result.parameters.size() == 1 ? "" : "s", when(observed, options.train_first),
      when(observed, options.train_last), result.residuals, result.iterations, result.iterations == 1 ? "" : "s",
      result.converged ? " (converged)" : " (the iteration limit)");
  out += fmt::format("  RMS error one step ahead {:.4f} -> {:.4f}, over the whole window {:.4f} -> {:.4f}\n",
                     result.rms_one_step_before, result.rms_one_step_after, result.rms_multi_step_before,
                     result.rms_multi_step_after);
  for (const std::string& caution : result.cautions) out += "  Caution: " + terminal_text(caution) + "\n";
  std::vector<const FittedValue*> moved;
  for (const auto& v : result.parameters) moved.push_back(&v);
  std::stable_sort(moved.begin(), moved.end(), [](const FittedValue* a, const FittedValue* b) {
    return std::abs(a->after - a->before) > std::abs(b->after - b->before);
  });
  const std::size_t shown = std::min<std::size_t>(moved.size(), 8);
  out +=
      fmt::format("Largest changes{}:\n", shown < moved.size() ? fmt::format(" ({} of {})", shown, moved.size()) : "");
  for (std::size_t i = 0; i < shown; ++i)
    out += fmt::format("  {:<24} {:.4f} -> {:.4f}\n", terminal_text(moved[i]->name), moved[i]->before, moved[i]->after);

  out += fmt::format(
      "\nBacktest from {} to {}: RMSE of the model, of persistence (no change) and of the training\n"
      "mean; skill = 1 - MSE(model) / MSE(reference), above 0 when the model does better\n\n",
      when(observed, options.test_first), when(observed, options.test_last));
  std::vector<const DyadFit*> scored;
  for (const auto& d : result.dyads)
    if (d.test_points > 0) scored.push_back(&d);
  std::stable_sort(scored.begin(), scored.end(),
                   [](const DyadFit* a, const DyadFit* b) { return a->test_points > b->test_points; });
  const std::size_t rows = std::min<std::size_t>(scored.size(), 10);
  out += fmt::format("  {:<16} {:>6} {:>8} {:>8} {:>8} {:>15} {:>10}\n", "dyad", "points", "model", "persist.", "mean",
                     "skill vs pers.", "vs mean");
  auto row = [&](const std::string& name, const DyadFit& d) {
    out += fmt::format("  {:<16} {:>6} {:>8.4f} {:>8.4f} {:>8.4f} {:>15} {:>10}\n", name, d.test_points,
                       std::sqrt(d.mse_model), std::sqrt(d.mse_persistence), std::sqrt(d.mse_mean),
                       skill_text(d.skill_persistence), skill_text(d.skill_mean));
  };
  for (std::size_t i = 0; i < rows; ++i) row(dyad_name(scenario, *scored[i]), *scored[i]);
  if (rows < scored.size()) out += fmt::format("  ({} more dyads in backtest.csv)\n", scored.size() - rows);
  row("all", result.overall);
  return out;
}

std::string fitted_yaml(const ObservedSeries& observed, const CalibrationOptions& options,
                        const CalibrationResult& result) {
  std::string out = fmt::format(
      "# Fitted by geosim calibrate to an observed series, {} to {} ({} residuals;\n"
      "# RMS error one step ahead {:.4f} -> {:.4f}, whole window {:.4f} -> {:.4f}).\n"
      "# Include it after the actors' file: its values replace theirs (docs/scenario-format.md).\n"
      "fitted:\n",
      when(observed, options.train_first), when(observed, options.train_last), result.residuals,
      result.rms_one_step_before, result.rms_one_step_after, result.rms_multi_step_before, result.rms_multi_step_after);
  for (std::string caution : result.cautions) {  // kept with the values, where they are used
    std::replace_if(
        caution.begin(), caution.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    out.insert(out.size() - std::string("fitted:\n").size(), "# Caution: " + caution + "\n");
  }
  for (const auto& v : result.parameters) out += fmt::format("  {}: {}\n", yaml_quoted(v.name), number6(v.after));
  if (observed.step_days > 0)  // rates per step: a scenario of other steps refuses them (the loader)
    out += fmt::format(
        "# Restraint and reactivity are rates per step of the series: {} days.\n"
        "fitted_step_days: {}\n",
        observed.step_days, observed.step_days);
  return out;
}

void write_backtest_csv(std::ostream& out, const Scenario& scenario, const CalibrationResult& result) {
  out << "from,to,train_points,rms_one_step,rms_multi_step,test_points,mse_model,mse_persistence,mse_mean,"
         "skill_persistence,skill_mean\n";
  auto row = [&](const std::string& from, const std::string& to, const DyadFit& d) {
    out << fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(from), csv_field(to), d.train_points,
                       csv_number(d.rms_one_step), csv_number(d.rms_multi_step), d.test_points, csv_number(d.mse_model),
                       csv_number(d.mse_persistence), csv_number(d.mse_mean), csv_number(d.skill_persistence),
                       csv_number(d.skill_mean));
  };
  for (const auto& d : result.dyads) row(scenario.actors[d.from].id, scenario.actors[d.to].id, d);
  row("all", "all", result.overall);
}

}  // namespace geosim
