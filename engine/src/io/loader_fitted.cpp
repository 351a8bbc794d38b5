// `fitted:`: parameter values written by `geosim calibrate` (docs/scenario-format.md, "Fitted
// parameters"), by the names of geosim/core/model_parameters.hpp.
#include <fmt/format.h>

#include <algorithm>

#include "geosim/core/model_parameters.hpp"
#include "scenario_builder.hpp"

namespace geosim::detail {

void ScenarioBuilder::read_fitted(const InputFile& file, bool baselines) {
  if (!file.root.IsMap()) return;
  const YAML::Node node = file.root["fitted"];
  Walker w = walker(file);
  // The step the values were fitted to (calibrate writes it): a restraint per 30 days read as one
  // per 7 would be about four times too strong.
  if (const YAML::Node days = file.root["fitted_step_days"]; days && !baselines)
    if (auto v = w.integer(days, "'fitted_step_days'", 1, 3660);
        v && *v != scenario_.step_days && !options_.no_step_of_its_own)
      w.error(days, fmt::format("the fitted values are rates per {}-day step, and this scenario's steps are {} days: "
                                "calibrate against a series of {}-day steps (geosim ingest --step-days {})",
                                *v, scenario_.step_days, scenario_.step_days, scenario_.step_days));
  if (!node) return;
  if (!baselines && !w.expect_map(node, "'fitted' (parameter names and values)")) return;
  if (!node.IsMap()) return;
  // A name twice, or a group and its member (restraint, restraint.VNM): one would silently
  // replace the other, as yaml-cpp keeps both keys. Refused at the later, as --set refuses it.
  std::vector<std::pair<ModelParameter, YAML::Node>> seen;
  bool rates = false;  // a restraint, reactivity or spillover: a rate per step of some length
  for (const auto& entry : node) {
    if (w.out_of_budget()) return;
    const auto name = w.string(entry.first, "a parameter name", 200);
    if (!name) continue;
    std::string error;
    const auto parameter = find_parameter(scenario_, *name, error);
    if (!parameter) {
      if (!baselines) w.error(entry.first, error);
      continue;
    }
    const bool is_baseline = !parameter->targets.empty() && parameter->targets.front().kind == ParameterKind::baseline;
    if (is_baseline != baselines) continue;
    const auto earlier = std::find_if(seen.begin(), seen.end(),
                                      [&](const auto& e) { return !parameter_overlap(*parameter, e.first).empty(); });
    if (earlier != seen.end()) {
      const Origin o = w.origin(earlier->second);
      w.error(entry.first, fmt::format("{} (first given at line {}, column {})",
                                       parameter_overlap(*parameter, earlier->first), o.line, o.column));
      continue;
    }
    seen.emplace_back(*parameter, entry.first);
    rates = rates || !is_baseline;
    if (auto v = w.number(entry.second, fmt::format("the value of '{}'", *name), kParameterLow, kParameterHigh)) {
      set_parameter(scenario_, *parameter, *v);
      if (baselines) continue;
      if (fitted_values_.empty()) fitted_origin_ = w.origin(entry.first);
      if (fitted_count_++ < 5)  // a message names the first five
        fitted_values_ += fmt::format("{}{}={}", fitted_values_.empty() ? "" : ", ", parameter->name, *v + 0.0);
      else if (fitted_count_ == 6)
        fitted_values_ += ", ...";
    }
  }
  // Rates whose step is unsaid would be read as per this scenario's step, whatever it was.
  if (rates && !file.root["fitted_step_days"] && !options_.no_step_of_its_own)
    w.error(node, fmt::format("expected 'fitted_step_days: N' beside 'fitted:', the days of a step of the series "
                              "the rates were fitted to (calibrate writes it): without it they are read as rates "
                              "per {}-day step, whatever step they were fitted to",
                              scenario_.step_days));
}

void ScenarioBuilder::apply_settings(SettingsPhase phase) {
  const bool report = phase == SettingsPhase::model;  // each problem once
  std::vector<ModelParameter> set;
  for (const ParameterSetting& s : options_.settings) {
    std::string error;
    const auto parameter = find_parameter(scenario_, s.name, error);
    if (!parameter) {
      if (report) errors_.push_back({"--set", 0, 0, error});
      continue;
    }
    // a group and its member (restraint, restraint.VNM) or a name twice: one would replace the other
    for (const ModelParameter& earlier : set)
      if (error.empty()) error = parameter_overlap(*parameter, earlier);
    if (!error.empty()) {
      if (report) errors_.push_back({"--set", 0, 0, error});
      continue;
    }
    set.push_back(*parameter);
    if (!(s.value >= kParameterLow && s.value <= kParameterHigh)) {
      if (report)
        errors_.push_back({"--set", 0, 0, fmt::format("expected a value from 0 to 1 for '{}'", parameter->name)});
      continue;
    }
    const bool is_baseline = !parameter->targets.empty() && parameter->targets.front().kind == ParameterKind::baseline;
    if (phase == SettingsPhase::last || is_baseline == (phase == SettingsPhase::baselines))
      set_parameter(scenario_, *parameter, s.value + 0.0);  // -0 is 0
    if (phase == SettingsPhase::last)                       // shortest round trip; -0 written as 0
      scenario_.settings.push_back(fmt::format("{}={}", parameter->name, s.value + 0.0));
  }
}

}  // namespace geosim::detail
