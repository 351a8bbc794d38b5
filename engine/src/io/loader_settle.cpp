// The loader's part of a settled start: `start_state:`, and the baselines derived from it.
#include <fmt/format.h>

#include <cmath>

#include "geosim/core/settle.hpp"
#include "scenario_builder.hpp"

namespace geosim::detail {

void ScenarioBuilder::read_start_state(const InputFile& file) {
  if (!file.root.IsMap()) return;
  const YAML::Node node = file.root["start_state"];
  if (!node) return;
  Walker w = walker(file);
  auto value = w.string(node, "'start_state'", 40);
  if (!value) return;
  if (*value == "settled") {
    scenario_.start_state = StartState::settled;
  } else if (*value == "drifting") {
    scenario_.start_state = StartState::drifting;
  } else {
    const std::string near = closest_match(*value, {"settled", "drifting"});
    w.error(node, fmt::format("expected 'start_state: settled' or 'start_state: drifting', found '{}'{}", *value,
                              near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near)));
    return;
  }
  start_state_origin_ = w.origin(node);
}

void ScenarioBuilder::refuse_written_baseline(Walker& w, const YAML::Node& node, const std::string& what) {
  if (scenario_.start_state != StartState::settled) return;
  w.error(node, fmt::format("{} is written, but 'start_state: settled' (at {}:{}:{}) derives every "
                            "baseline from the start; remove it, or declare 'start_state: drifting'",
                            what, start_state_origin_.file, start_state_origin_.line, start_state_origin_.column));
}

void ScenarioBuilder::settle_baselines() {
  const std::size_t n = scenario_.actor_count();
  const Eigen::MatrixXd b = settled_baselines(scenario_, scenario_.tension, scenario_.tie);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      const double v = b(Eigen::Index(i), Eigen::Index(j));
      const std::string& a = scenario_.actors[i].id;
      const std::string& c = scenario_.actors[j].id;
      const Origin& o = relation_origin_[i * n + j] ? *relation_origin_[i * n + j] : start_state_origin_;
      if (std::isnan(v)) {
        if (i < j)
          errors_.push_back({o.file, o.line, o.column,
                             fmt::format("a settled start needs restraint(A) * restraint(B) != "
                                         "reactivity(A) * reactivity(B) for {} and {}, found them equal",
                                         a, c)});
      } else if (v < 0.0 || v > 1.0) {
        errors_.push_back(
            {o.file, o.line, o.column,
             fmt::format("a settled start needs a baseline of {} for {} -> {}, outside "
                         "[0, 1]: change its tension or ties, or declare "
                         "'start_state: drifting'",
                         // 1.037, or -7.15e+299 for a near-zero restraint (not 300 digits)
                         std::fabs(v) < 1e6 ? fmt::format("{:.3f}", v) : fmt::format("{:.3g}", v), a, c)});
      }
      scenario_.baseline[i * n + j] = v;
    }
}

OwnParameters ScenarioBuilder::model_parameters() const {
  OwnParameters values;
  for (const Actor& actor : scenario_.actors) {
    values.restraint.push_back(actor.restraint);
    values.reactivity.push_back(actor.reactivity);
  }
  values.spillover = scenario_.parameters.spillover;
  return values;
}

bool ScenarioBuilder::settles_with(const OwnParameters& values) const {
  Scenario as = scenario_;
  for (std::size_t i = 0; i < as.actors.size() && i < values.restraint.size(); ++i) {
    as.actors[i].restraint = values.restraint[i];
    as.actors[i].reactivity = values.reactivity[i];
  }
  as.parameters.spillover = values.spillover;
  const Eigen::MatrixXd b = settled_baselines(as, as.tension, as.tie);
  const Eigen::Index n = b.rows();
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j)
      if (i != j && !(b(i, j) >= 0.0 && b(i, j) <= 1.0)) return false;  // NaN: no unique value
  return true;
}

}  // namespace geosim::detail
