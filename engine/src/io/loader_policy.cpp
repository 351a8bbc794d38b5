// Reading a policy file: a Singapore policy option's moves, applied on top of a scenario.
#include <fmt/format.h>
#include <algorithm>
#include <filesystem>

#include "geosim/core/ids.hpp"
#include "geosim/core/model_parameters.hpp"
#include "geosim/io/input_file.hpp"
#include "scenario_builder.hpp"
#include "yaml_document.hpp"

namespace geosim::detail {
namespace fs = std::filesystem;

void ScenarioBuilder::read_policy(const InputFile& file) {
  Walker w = walker(file);
  const YAML::Node block = file.root["policy"];
  if (!block) {
    w.error(file.root, "missing key 'policy' (id and title) in a policy file");
    return;
  }
  if (!w.expect_map(block, "'policy'")) return;
  w.check_keys(block, {"id", "title", "description", "source", "by"}, "'policy'");
  std::string id = "policy";
  const Fields f = w.fields(block);
  if (w.require(f, "id", "'policy'"))
    if (auto s = w.string(block["id"], "the policy id", 100)) {
      if (!valid_id(IdKind::policy, *s))
        w.error(block["id"], fmt::format("expected {}, found '{}'", id_rule(IdKind::policy), *s));
      else if (const auto earlier = std::find(scenario_.policies.begin(), scenario_.policies.end(), *s);
               earlier != scenario_.policies.end() &&
               !options_.repeated_policy_ids)  // the same file named twice, or two files of one id
        w.error(block["id"], fmt::format("policy '{}' is already applied (from {}): each policy applies once", *s,
                                         policy_files_[std::size_t(earlier - scenario_.policies.begin())]));
      else
        id = *s;
    }
  if (w.require(f, "title", "'policy'")) w.string(block["title"], "the policy title", 300);
  if (block["description"]) w.string(block["description"], "the description", 20000);
  if (block["source"]) {
    SourceRef ref;
    read_source(w, block["source"], ref);
  }
  std::string by;  // the actor whose move it is: a team in `geosim play` may move only its own
  if (block["by"])
    if (const auto index = actor_ref(w, block["by"])) by = scenario_.actors[*index].id;
  scenario_.policies.push_back(id);
  policy_files_.push_back(file.path);
  scenario_.policy_players.push_back(by);
  read_parameters(file);
  if (const YAML::Node adjust = file.root["adjust"]; adjust && w.expect_list(adjust, "'adjust'"))
    for (const auto& node : adjust)
      if (auto effect = read_effect(w, node, nullptr)) {
        // An adjustment applies once, as given: a random size would be drawn by nobody.
        bool random = false;
        for (const char* key : {"tension", "baseline", "tie"})
          if (node[key] && node[key].IsMap() && node[key]["sd"]) {
            w.error(node[key]["sd"], fmt::format("expected a fixed '{}' change in 'adjust' (an adjustment applies "
                                                 "once, as given), found an 'sd'; give a random size in an event "
                                                 "instead",
                                                 key));
            random = true;
          }
        if (!random) apply_effect_now(*effect);
      }
  if (const YAML::Node actors = file.root["actors"]; actors && w.expect_list(actors, "'actors'"))
    for (const auto& node : actors) {
      if (!w.expect_map(node, "an actor change")) continue;
      w.check_keys(node, {"id", "restraint", "reactivity"}, "an actor change");
      if (!w.require(w.fields(node), "id", "an actor change")) continue;
      auto index = actor_ref(w, node["id"]);
      if (!index) continue;
      Actor& actor = scenario_.actors[*index];
      auto change = [&](const char* key, double& value) {
        if (!node[key]) return;
        auto delta = w.number(node[key], fmt::format("the '{}' change", key), -1.0, 1.0);
        if (!delta) return;
        // A value --set sets is set again after the policies: the sum is never used, so not checked.
        const ParameterTarget target{
            std::string_view(key) == "restraint" ? ParameterKind::restraint : ParameterKind::reactivity, *index, 0};
        if (set_by_option(target)) return;
        if (value + *delta < 0.0 || value + *delta > 1.0)
          w.error(node[key], fmt::format("expected '{}' to stay in [0, 1], found {} + {}", key, value, *delta));
        else
          value += *delta;
      };
      change("restraint", actor.restraint);
      change("reactivity", actor.reactivity);
    }
  read_events(file);
}

bool ScenarioBuilder::set_by_option(const ParameterTarget& target) const {
  for (const ParameterSetting& s : options_.settings) {
    std::string error;
    if (const auto parameter = find_parameter(scenario_, s.name, error))
      if (std::find(parameter->targets.begin(), parameter->targets.end(), target) != parameter->targets.end())
        return true;
  }
  return false;
}

}  // namespace geosim::detail
