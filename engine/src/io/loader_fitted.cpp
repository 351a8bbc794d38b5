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
  if (!node) return;
  Walker w = walker(file);
  if (!baselines && !w.expect_map(node, "'fitted' (parameter names and values)")) return;
  if (!node.IsMap()) return;
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
    if (auto v = w.number(entry.second, fmt::format("the value of '{}'", *name), kParameterLow, kParameterHigh))
      set_parameter(scenario_, *parameter, *v);
  }
}

void ScenarioBuilder::apply_settings(SettingsPhase phase) {
  const bool report = phase == SettingsPhase::model;  // each problem once
  std::vector<std::string> names;
  for (const ParameterSetting& s : options_.settings) {
    std::string error;
    const auto parameter = find_parameter(scenario_, s.name, error);
    if (!parameter) {
      if (report) errors_.push_back({"--set", 0, 0, error});
      continue;
    }
    if (std::find(names.begin(), names.end(), parameter->name) != names.end()) {
      if (report) errors_.push_back({"--set", 0, 0, fmt::format("'{}' is set twice", parameter->name)});
      continue;
    }
    names.push_back(parameter->name);
    if (!(s.value >= kParameterLow && s.value <= kParameterHigh)) {
      if (report) errors_.push_back({"--set", 0, 0, fmt::format("expected a value from 0 to 1 for '{}'", parameter->name)});
      continue;
    }
    const bool is_baseline = !parameter->targets.empty() && parameter->targets.front().kind == ParameterKind::baseline;
    if (phase == SettingsPhase::last || is_baseline == (phase == SettingsPhase::baselines))
      set_parameter(scenario_, *parameter, s.value);
    if (phase == SettingsPhase::last) scenario_.settings.push_back(fmt::format("{}={}", parameter->name, s.value));  // shortest round trip
  }
}

}  // namespace geosim::detail
