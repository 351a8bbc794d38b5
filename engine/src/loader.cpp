#include "geosim/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

#include "geosim/ids.hpp"
#include "scenario_builder.hpp"
#include "yaml_document.hpp"

namespace geosim {
namespace fs = std::filesystem;
using detail::InputFile;
using detail::Walker;

namespace detail {

namespace {
const std::vector<std::string> kScenarioTopKeys{"scenario", "include",   "parameters", "defaults",
                                                "actors",   "relations", "indicators", "events",
                                                "start_state", "score"};
const std::vector<std::string> kPolicyTopKeys{"policy", "adjust", "actors", "parameters", "events"};

std::string canonical(const std::string& path) {
  std::error_code ec;
  auto p = fs::weakly_canonical(fs::path(path), ec);
  return ec ? path : p.string();
}
}  // namespace

std::string ScenarioBuilder::known_actors() const {
  std::string out;
  for (const auto& a : scenario_.actors) out += (out.empty() ? "" : ", ") + a.id;
  return out.empty() ? "none defined" : out;
}

void ScenarioBuilder::collect(const std::string& path, std::vector<std::string>& stack) {
  const std::string key = canonical(path);
  if (std::find(loaded_.begin(), loaded_.end(), key) != loaded_.end()) return;  // included once
  if (files_.size() >= limits_.max_files) {
    errors_.push_back({path, 0, 0, fmt::format("expected at most {} files in one scenario, found more",
                                               limits_.max_files)});
    return;
  }
  std::string text;
  auto root = read_yaml_file(path, errors_, {}, &text);
  if (!root) return;
  loaded_.push_back(key);
  InputFile file{path, *root, false, std::make_shared<SourceText>(std::move(text))};
  stack.push_back(key);
  include_from(file, fs::path(path).parent_path().string(), stack);
  stack.pop_back();
  files_.push_back(std::move(file));
}

void ScenarioBuilder::collect_root(const std::string& name, const YAML::Node& root,
                                   const std::string& base_dir, const std::string& text) {
  InputFile file{name, root, false, std::make_shared<SourceText>(text)};
  text_name_ = name;
  text_base_dir_ = base_dir;
  std::vector<std::string> stack{name};
  include_from(file, base_dir, stack);
  files_.push_back(std::move(file));
}

void ScenarioBuilder::collect_policy(const std::string& path) {
  std::string text;
  auto root = read_yaml_file(path, errors_, {}, &text);
  if (root) files_.push_back(InputFile{path, *root, true, std::make_shared<SourceText>(std::move(text))});
}

void ScenarioBuilder::include_from(const InputFile& file, const std::string& base_dir,
                                   std::vector<std::string>& stack) {
  if (!file.root.IsMap()) return;  // reported by check_top_level
  const YAML::Node includes = file.root["include"];
  if (!includes) return;
  Walker w = walker(file);
  auto names = w.strings(includes, "include");
  if (!names) return;
  std::size_t index = 0;
  for (const auto& name : *names) {
    if (w.out_of_budget()) return;
    const YAML::Node where = includes.IsSequence() ? includes[index] : includes;
    ++index;
    const std::string path = (fs::path(base_dir.empty() ? "." : base_dir) / name).string();
    const std::string key = canonical(path);
    if (std::find(stack.begin(), stack.end(), key) != stack.end()) {
      w.error(where, key == stack.back()
                         ? fmt::format("include '{}' includes the file itself", name)
                         : fmt::format("include '{}' forms a cycle of includes", name));
      continue;
    }
    if (int(stack.size()) > limits_.max_include_depth) {
      w.error(where, fmt::format("expected includes nested at most {} deep, found deeper",
                                 limits_.max_include_depth));
      continue;
    }
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      w.error(where, fmt::format("include '{}' not found (looked for {})", name, path));
      continue;
    }
    collect(path, stack);
  }
}

void ScenarioBuilder::check_top_level(const InputFile& file) {
  Walker w = walker(file);
  if (!file.root.IsDefined() || file.root.IsNull()) {
    w.error_at_start(file.is_policy ? "expected a policy (a mapping with 'policy:'), found an empty document"
                                      : "expected a scenario (a mapping with 'scenario:', 'actors:', "
                                        "'events:', ...), found an empty document");
    return;
  }
  if (!w.expect_map(file.root, file.is_policy ? "a policy file" : "a scenario file")) return;
  w.check_keys(file.root, file.is_policy ? kPolicyTopKeys : kScenarioTopKeys,
               file.is_policy ? "a policy file" : "a scenario file");
}

void ScenarioBuilder::read_scenario_block(bool runnable) {
  const InputFile* root = nullptr;
  for (auto it = files_.rbegin(); it != files_.rend(); ++it)
    if (!it->is_policy) {
      root = &*it;
      break;
    }
  if (!root || !root->root.IsMap()) return;
  Walker w = walker(*root);
  const YAML::Node block = root->root["scenario"];
  if (!block) {
    if (runnable) {
      w.error(root->root, "missing key 'scenario' (the id, title, start date and steps of a runnable "
                          "scenario); is this a file meant to be included?");
      return;
    }
  } else if (w.expect_map(block, "'scenario'")) {
    w.check_keys(block, {"id", "title", "description", "source", "start", "step_days", "steps", "weight"},
                 "'scenario'");
    if (w.require(block, "id", "'scenario'"))
      if (auto s = w.string(block["id"], "the scenario id", 100)) {
        if (valid_id(IdKind::scenario, *s)) scenario_.id = *s;
        else w.error(block["id"], fmt::format("expected {}, found '{}'", id_rule(IdKind::scenario), *s));
      }
    if (w.require(block, "title", "'scenario'"))
      if (auto s = w.string(block["title"], "the scenario title", 300)) scenario_.title = *s;
    if (block["description"])
      if (auto s = w.string(block["description"], "the description", 20000)) scenario_.description = *s;
    if (block["weight"])
      if (auto v = w.number(block["weight"], "the scenario's weight in a policy matrix", 1e-9, 1e9))
        scenario_.weight = *v;
    if (block["source"]) {
      SourceRef ref;
      read_source(w, block["source"], ref);
      scenario_.source = ref;
    }
  } else {
    return;
  }
  // start, step_days and steps may come from an included scenario (the nearest one).
  auto find = [&](const char* key) -> std::pair<YAML::Node, const InputFile*> {
    for (auto it = files_.rbegin(); it != files_.rend(); ++it) {
      if (it->is_policy || !it->root.IsMap()) continue;
      const YAML::Node b = it->root["scenario"];
      if (b && b.IsMap() && b[key]) return {b[key], &*it};
    }
    return {YAML::Node(), nullptr};
  };
  auto [start, start_file] = find("start");
  auto [days, days_file] = find("step_days");
  auto [steps, steps_file] = find("steps");
  has_start_ = start_file != nullptr;
  if (!start_file) {
    if (runnable) w.error(root->root, "missing key 'start' in 'scenario' (the date of step 0)");
  } else if (auto d = walker(*start_file).date(start, "'start'"))
    scenario_.start = *d;
  if (days_file)
    if (auto v = walker(*days_file).integer(days, "'step_days'", 1, 3660))
      scenario_.step_days = int(*v);
  if (!steps_file) {
    if (runnable) w.error(root->root, "missing key 'steps' in 'scenario' (the number of steps)");
  } else if (auto v = walker(*steps_file)
                        .integer(steps, "'steps'", 1, limits_.max_steps))
    scenario_.steps = int(*v);
}

void ScenarioBuilder::read_parameters(const InputFile& file) {
  const YAML::Node node = file.root["parameters"];
  if (!node) return;
  Walker w = walker(file);
  if (!w.expect_map(node, "'parameters'")) return;
  w.check_keys(node, {"spillover", "noise", "balance_cut"}, "'parameters'");
  if (node["spillover"])
    if (auto v = w.number(node["spillover"], "'spillover'", 0.0, 1.0)) scenario_.parameters.spillover = *v;
  if (node["noise"])
    if (auto v = w.number(node["noise"], "'noise'", 0.0, 1.0)) scenario_.parameters.noise = *v;
  if (const YAML::Node cut = node["balance_cut"]) {
    balance_cut_mean_ = cut.IsScalar() && cut.Scalar() == "mean";
    if (!balance_cut_mean_)
      if (auto v = w.number(cut, "'balance_cut' (or 'mean')", 0.0, 1.0)) scenario_.parameters.balance_cut = *v;
  }
}

void ScenarioBuilder::read_defaults(const InputFile& file) {
  const YAML::Node node = file.root["defaults"];
  if (!node) return;
  Walker w = walker(file);
  if (!w.expect_map(node, "'defaults'")) return;
  w.check_keys(node, {"tension", "baseline", "tie"}, "'defaults'");
  if (node["tension"])
    if (auto v = w.number(node["tension"], "the default tension", 0.0, 1.0)) default_tension_ = *v;
  if (node["baseline"]) {
    refuse_written_baseline(w, node["baseline"], "the default baseline");
    if (auto v = w.number(node["baseline"], "the default baseline", 0.0, 1.0)) default_baseline_ = *v;
  }
  if (node["tie"])
    if (auto v = w.number(node["tie"], "the default tie", 0.0, 1.0)) default_tie_ = *v;
}

void ScenarioBuilder::read_actors(const InputFile& file) {
  const YAML::Node list = file.root["actors"];
  if (!list) return;
  Walker w = walker(file);
  if (!w.expect_list(list, "'actors'")) return;
  for (const auto& node : list) {
    if (w.out_of_budget() || !w.expect_map(node, "an actor")) continue;
    if (scenario_.actors.size() >= limits_.max_actors) {
      w.error(node, fmt::format("expected at most {} actors, found more", limits_.max_actors));
      return;
    }
    w.check_keys(node, {"id", "name", "kind", "members", "restraint", "reactivity", "countries", "note"},
                 "an actor");
    if (!w.require(node, "id", "an actor")) continue;
    auto id = w.string(node["id"], "an actor id", 32);
    if (!id) continue;
    if (!valid_id(IdKind::actor, *id)) {
      w.error(node["id"], fmt::format("expected {}, found '{}'", id_rule(IdKind::actor), *id));
      continue;
    }
    if (auto existing = scenario_.find_actor(*id)) {
      const Origin& o = scenario_.actors[*existing].origin;
      w.error(node["id"], fmt::format("duplicate actor id '{}' (first defined at {}:{}:{})", *id,
                                      o.file, o.line, o.column));
      continue;
    }
    if (node["note"]) w.string(node["note"], "a note", 20000);
    Actor actor;
    actor.id = *id;
    actor.name = *id;
    actor.origin = w.origin(node);
    if (node["name"])
      if (auto s = w.string(node["name"], "an actor name", 200)) actor.name = *s;
    if (node["kind"]) {
      auto kind = w.string(node["kind"], "an actor kind", 40);
      if (kind && *kind == "organization") actor.kind = ActorKind::organization;
      else if (kind && *kind != "state")
        w.error(node["kind"], fmt::format("expected kind 'state' or 'organization', found '{}'", *kind));
    }
    if (node["restraint"])
      if (auto v = w.number(node["restraint"], "'restraint'", 0.0, 1.0)) actor.restraint = *v;
    if (node["reactivity"])
      if (auto v = w.number(node["reactivity"], "'reactivity'", 0.0, 1.0)) actor.reactivity = *v;
    if (node["members"]) {
      if (actor.kind != ActorKind::organization)
        w.error(node["members"], "unexpected 'members' on a state: only an organization has members");
      else if (auto names = w.strings(node["members"], "'members'")) {
        std::vector<Origin> origins;
        for (std::size_t k = 0; k < names->size(); ++k)
          origins.push_back(w.origin(node["members"].IsSequence() ? node["members"][k] : node["members"]));
        member_names_.emplace_back(scenario_.actors.size(), *names);
        member_origins_.push_back(std::move(origins));
      }
    }
    if (node["countries"])
      if (auto codes = w.strings(node["countries"], "'countries'")) {
        for (std::size_t k = 0; k < codes->size(); ++k) {
          const std::string& code = (*codes)[k];
          const YAML::Node at = node["countries"].IsSequence() ? node["countries"][k] : node["countries"];
          if (code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
            w.error(at, fmt::format("expected an ISO 3166 alpha-3 country code (three capital letters), found '{}'",
                                    code));
          else if (std::find(actor.countries.begin(), actor.countries.end(), code) != actor.countries.end())
            w.error(at, fmt::format("'{}' is listed twice in 'countries': list each country once", code));
          else if (actor.countries.size() >= 300)
            w.error(at, "expected at most 300 countries for one actor, found more");
          else
            actor.countries.push_back(code);
        }
      }
    scenario_.actors.push_back(std::move(actor));
  }
}

void ScenarioBuilder::resolve_members() {
  for (std::size_t k = 0; k < member_names_.size(); ++k) {
    auto& [org, names] = member_names_[k];
    for (std::size_t m = 0; m < names.size(); ++m) {
      const std::string& name = names[m];
      const Origin& o = member_origins_[k][m];
      auto index = scenario_.find_actor(name);
      if (!index)
        errors_.push_back({o.file, o.line, o.column,
                           fmt::format("unknown actor '{}' in members (known actors: {})", name,
                                       known_actors())});
      else if (*index == org)
        errors_.push_back({o.file, o.line, o.column, "an organization cannot be its own member"});
      else if (std::find(scenario_.actors[org].members.begin(), scenario_.actors[org].members.end(), *index) !=
               scenario_.actors[org].members.end())
        errors_.push_back({o.file, o.line, o.column,
                           fmt::format("'{}' is listed twice in the members of '{}': list each member once", name,
                                       scenario_.actors[org].id)});
      else
        scenario_.actors[org].members.push_back(*index);
    }
  }
}

std::optional<std::size_t> ScenarioBuilder::actor_ref(Walker& w, const YAML::Node& node) {
  auto id = w.string(node, "an actor id", 64);
  if (!id) return std::nullopt;
  if (auto index = scenario_.find_actor(*id)) return index;
  std::vector<std::string> ids;
  for (const auto& a : scenario_.actors) ids.push_back(a.id);
  const std::string guess = closest_match(*id, ids);
  w.error(node, fmt::format("unknown actor '{}'{} (known actors: {})", *id,
                            guess.empty() ? "" : "; did you mean '" + guess + "'?", known_actors()));
  return std::nullopt;
}

std::optional<ActorSet> ScenarioBuilder::actor_set(Walker& w, const YAML::Node& node,
                                                   bool allow_sets) {
  if (allow_sets && node.IsScalar()) {
    const std::string& text = node.Scalar();
    if (text.rfind("members(", 0) == 0 && text.size() > 9 && text.back() == ')') {
      const std::string org = text.substr(8, text.size() - 9);
      auto index = scenario_.find_actor(org);
      if (!index || scenario_.actors[*index].kind != ActorKind::organization) {
        std::string orgs;
        for (const auto& a : scenario_.actors)
          if (a.kind == ActorKind::organization) orgs += (orgs.empty() ? "" : ", ") + a.id;
        w.error(node, fmt::format("expected members(ORGANIZATION), found unknown organization '{}' "
                                  "(known organizations: {})", org, orgs.empty() ? "none" : orgs));
        return std::nullopt;
      }
      return ActorSet{scenario_.actors[*index].members, text};
    }
  }
  auto index = actor_ref(w, node);
  if (!index) return std::nullopt;
  return ActorSet{{*index}, scenario_.actors[*index].id};
}

bool ScenarioBuilder::relation_pair(Walker& w, const YAML::Node& map, const std::string& what,
                                    bool& both, ActorSet& from, ActorSet& to, bool allow_sets) {
  if (map["between"]) {
    if (map["from"] || map["to"]) {
      w.error(map, fmt::format("expected either 'between' or 'from'/'to' in {}, found both", what));
      return false;
    }
    const YAML::Node pair = map["between"];
    if (!w.visit(pair) || !pair.IsSequence() || pair.size() != 2) {
      w.error(pair, fmt::format("expected 'between' as a list of two actors [A, B], found {}",
                                Walker::describe(pair)));
      return false;
    }
    auto a = actor_set(w, pair[0], allow_sets);
    auto b = actor_set(w, pair[1], allow_sets);
    if (!a || !b) return false;
    from = *a;
    to = *b;
    both = true;
  } else {
    if (!map["from"] || !map["to"]) {
      if (!w.suggested(map, "between") && !w.suggested(map, "from") && !w.suggested(map, "to"))
        w.error(map, fmt::format("missing key 'between' (or 'from' and 'to') in {}", what));
      return false;
    }
    auto a = actor_set(w, map["from"], allow_sets);
    auto b = actor_set(w, map["to"], allow_sets);
    if (!a || !b) return false;
    from = *a;
    to = *b;
    both = false;
  }
  if (!allow_sets && from.actors.front() == to.actors.front()) {
    w.error(map, fmt::format("expected two different actors in {}, found '{}' twice", what, from.label));
    return false;
  }
  return true;
}

void ScenarioBuilder::read_relations(const InputFile& file) {
  const YAML::Node list = file.root["relations"];
  if (!list) return;
  Walker w = walker(file);
  if (!w.expect_list(list, "'relations'")) return;
  const std::size_t n = scenario_.actor_count();
  for (const auto& node : list) {
    if (w.out_of_budget() || !w.expect_map(node, "a relation")) continue;
    w.check_keys(node, {"between", "from", "to", "tension", "baseline", "tie", "note", "absent"}, "a relation");
    if (node["note"]) w.string(node["note"], "a note", 20000);
    bool both = false;
    ActorSet from, to;
    if (!relation_pair(w, node, "a relation", both, from, to, false)) continue;
    if (node["absent"]) {
      read_absent(w, node, both, from.actors.front(), to.actors.front());
      continue;
    }
    std::optional<double> tension, baseline, tie;
    if (w.require(node, "tension", "a relation")) tension = w.number(node["tension"], "'tension'", 0, 1);
    if (node["baseline"]) {
      refuse_written_baseline(w, node["baseline"], "a relation's baseline");
      baseline = w.number(node["baseline"], "'baseline'", 0, 1);
    }
    if (node["tie"]) tie = w.number(node["tie"], "'tie'", 0, 1);
    if (!tension) continue;
    auto set = [&](std::size_t i, std::size_t j) {
      if (relation_set_[i * n + j]) {
        w.error(node, fmt::format("duplicate relation {} -> {} (each ordered pair is given once)",
                                  scenario_.actors[i].id, scenario_.actors[j].id));
        return;
      }
      relation_set_[i * n + j] = true;
      relation_origin_[i * n + j] = w.origin(node);
      scenario_.tension[i * n + j] = *tension;
      scenario_.baseline[i * n + j] = baseline.value_or(*tension);
      scenario_.tie[i * n + j] = tie.value_or(default_tie_);
    };
    set(from.actors.front(), to.actors.front());
    if (both) set(to.actors.front(), from.actors.front());
  }
}

namespace {
constexpr std::size_t kMaxThresholds = 16;

/// `threshold: 0.8` or `thresholds: [0.6, 0.8]`, each in [0,1] (every indicator kind lies in
/// [0,1]), and `direction: above|below` (default above), which needs a threshold.
void read_indicator_thresholds(Walker& w, const YAML::Node& node, Indicator& indicator) {
  if (node["threshold"] && node["thresholds"]) {
    w.error(node["thresholds"], "expected either 'threshold' or 'thresholds' in an indicator, found both");
    return;
  }
  if (node["threshold"]) {
    if (auto v = w.number(node["threshold"], "'threshold'", 0.0, 1.0)) indicator.thresholds.push_back(*v);
  } else if (node["thresholds"]) {
    const YAML::Node list = node["thresholds"];
    if (!w.expect_list(list, "'thresholds' (numbers in [0, 1])")) return;
    if (list.size() == 0 || list.size() > kMaxThresholds) {
      w.error(list, fmt::format("expected 1 to {} thresholds, found {}", kMaxThresholds, list.size()));
      return;
    }
    for (const auto& item : list)
      if (auto v = w.number(item, "a threshold", 0.0, 1.0)) {
        if (std::find(indicator.thresholds.begin(), indicator.thresholds.end(), *v) != indicator.thresholds.end())
          w.error(item, fmt::format("duplicate threshold {} in indicator '{}'", *v, indicator.id));
        else
          indicator.thresholds.push_back(*v);
      }
  }
  if (!node["direction"]) return;
  if (!node["threshold"] && !node["thresholds"]) {
    w.error(node["direction"], "unexpected 'direction' without a 'threshold' (or 'thresholds') to apply it to");
    return;
  }
  auto direction = w.string(node["direction"], "a threshold direction", 40);
  if (direction && *direction == "below") indicator.direction = ThresholdDirection::below;
  else if (direction && *direction != "above")
    w.error(node["direction"], fmt::format("expected direction 'above' or 'below', found '{}'", *direction));
}
}  // namespace

void ScenarioBuilder::read_indicators(const InputFile& file) {
  const YAML::Node list = file.root["indicators"];
  if (!list) return;
  Walker w = walker(file);
  if (!w.expect_list(list, "'indicators'")) return;
  for (const auto& node : list) {
    if (w.out_of_budget() || !w.expect_map(node, "an indicator")) continue;
    w.check_keys(node, {"id", "title", "kind", "relations", "of", "threshold", "thresholds", "direction",
                  "better"},
                 "an indicator");
    if (!w.require(node, "id", "an indicator") || !w.require(node, "kind", "an indicator")) continue;
    Indicator indicator;
    auto id = w.string(node["id"], "an indicator id", 64);
    if (!id) continue;
    if (!valid_id(IdKind::indicator, *id)) {
      w.error(node["id"], fmt::format("expected {}, found '{}'", id_rule(IdKind::indicator), *id));
      continue;
    }
    for (const auto& other : scenario_.indicators)
      if (other.id == *id) w.error(node["id"], fmt::format("duplicate indicator id '{}'", *id));
    indicator.id = *id;
    indicator.title = *id;
    if (node["title"])
      if (auto s = w.string(node["title"], "an indicator title", 200)) indicator.title = *s;
    auto kind = w.string(node["kind"], "an indicator kind", 40);
    if (!kind) continue;
    if (*kind == "cohesion") {
      indicator.kind = IndicatorKind::cohesion;
      if (!w.require(node, "of", "a cohesion indicator")) continue;
      auto org = actor_ref(w, node["of"]);
      if (!org) continue;
      if (scenario_.actors[*org].kind != ActorKind::organization) {
        w.error(node["of"], fmt::format("expected an organization for 'of', found the state '{}'",
                                        scenario_.actors[*org].id));
        continue;
      }
      indicator.organization = *org;
    } else if (*kind == "mean" || *kind == "max") {
      indicator.kind = *kind == "mean" ? IndicatorKind::mean : IndicatorKind::max;
      if (!w.require(node, "relations", "an indicator") ||
          !w.expect_list(node["relations"], "'relations' of an indicator"))
        continue;
      for (const auto& pair : node["relations"]) {
        if (!w.visit(pair) || !pair.IsSequence() || pair.size() != 2) {
          w.error(pair, fmt::format("expected a pair of actors [A, B], found {}", Walker::describe(pair)));
          continue;
        }
        auto a = actor_ref(w, pair[0]);
        auto b = actor_ref(w, pair[1]);
        if (!a || !b) continue;
        if (*a == *b) {
          w.error(pair, "expected two different actors, found the same one twice");
          continue;
        }
        if (!scenario_.has_relation(*a, *b)) {
          w.error(pair, fmt::format("expected a pair with a relation, found {}–{}, which has none (absent)",
                                    scenario_.actors[*a].id, scenario_.actors[*b].id));
          continue;
        }
        indicator.relations.emplace_back(*a, *b);
        indicator.relations.emplace_back(*b, *a);
      }
    } else {
      w.error(node["kind"], fmt::format("expected kind 'mean', 'max' or 'cohesion', found '{}'", *kind));
      continue;
    }
    read_indicator_thresholds(w, node, indicator);
    read_indicator_better(w, node, indicator);
    scenario_.indicators.push_back(std::move(indicator));
  }
}

std::optional<Scenario> ScenarioBuilder::build(bool runnable) {
  if (files_.empty()) return std::nullopt;
  for (const auto& file : files_) check_top_level(file);
  if (!errors_.empty() && std::any_of(files_.begin(), files_.end(),
                                      [](const InputFile& f) { return !f.root.IsMap(); }))
    return std::nullopt;
  scenario_.path = files_.back().is_policy ? files_.front().path : files_.back().path;
  for (auto it = files_.rbegin(); it != files_.rend(); ++it)
    if (!it->is_policy) {
      scenario_.path = it->path;
      break;
    }
  read_scenario_block(runnable);
  for (const auto& file : files_)
    if (!file.is_policy) read_start_state(file);
  for (const auto& file : files_)
    if (!file.is_policy) {
      read_parameters(file);
      read_defaults(file);
      read_actors(file);
    }
  resolve_members();
  const std::size_t n = scenario_.actor_count();
  if (n < 2 && errors_.empty()) {
    errors_.push_back({scenario_.path, 0, 0,
                       fmt::format("expected at least two actors, found {}", n)});
  }
  const double baseline = default_baseline_ >= 0 ? default_baseline_ : default_tension_;
  scenario_.tension.assign(n * n, default_tension_);
  scenario_.baseline.assign(n * n, baseline);
  scenario_.tie.assign(n * n, default_tie_);
  relation_set_.assign(n * n, false);
  scenario_.absent.clear();
  relation_origin_.assign(n * n, start_state_origin_);
  for (std::size_t i = 0; i < n; ++i)
    scenario_.tension[i * n + i] = scenario_.baseline[i * n + i] = scenario_.tie[i * n + i] = 0.0;
  for (const auto& file : files_)
    if (!file.is_policy) {
      read_relations(file);
      read_indicators(file);
    }
  relation_mean_ = mean_symmetric_tension(scenario_);
  if (scenario_.start_state == StartState::settled && errors_.empty()) settle_baselines();
  for (const auto& file : files_)
    if (!file.is_policy) read_score(file);
  for (const auto& file : files_)
    if (!file.is_policy) read_events(file);
  for (const auto& file : files_)
    if (file.is_policy) read_policy(file);
  resolve_follow_ups();
  parse_conditions();
  const std::size_t before_cycles = errors_.size();
  check_zero_delay_cycles();
  if (errors_.size() == before_cycles) check_follow_up_growth();  // a zero-delay cycle is reported once
  if (balance_cut_mean_) scenario_.parameters.balance_cut = relation_mean_;
  if (!errors_.empty()) return std::nullopt;
  return std::move(scenario_);
}

}  // namespace detail

namespace {
/// One line per problem, at most kMaxErrors of them; no scenario when there is any.
LoadResult& finish(LoadResult& result) {
  detail::tidy_errors(result.errors);
  if (!result.errors.empty()) result.scenario.reset();
  return result;
}
}  // namespace

LoadResult load_scenario(const std::string& path, const LoadOptions& options) {
  LoadResult result;
  detail::ScenarioBuilder builder(result.errors, options);
  std::vector<std::string> stack;
  builder.collect(path, stack);
  if (!result.errors.empty()) return finish(result);
  for (const auto& policy : options.policies) builder.collect_policy(policy);
  if (!result.errors.empty()) return finish(result);
  result.scenario = builder.build(true);
  return finish(result);
}

LoadResult load_scenario_text(const std::string& text, const std::string& name,
                              const std::string& base_dir, const LoadOptions& options) {
  LoadResult result;
  auto root = detail::parse_yaml_text(text, name, result.errors);
  if (!root) return finish(result);
  detail::ScenarioBuilder builder(result.errors, options);
  builder.collect_root(name, *root, base_dir, text);
  for (const auto& policy : options.policies) builder.collect_policy(policy);
  if (!result.errors.empty()) return finish(result);
  result.scenario = builder.build(true);
  return finish(result);
}

}  // namespace geosim
