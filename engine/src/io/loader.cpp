#include "geosim/io/loader.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <filesystem>

#include "geosim/core/diagnostic.hpp"
#include "geosim/core/ids.hpp"
#include "geosim/core/model_parameters.hpp"
#include "geosim/core/number_read.hpp"
#include "geosim/core/run_budget.hpp"
#include "geosim/io/escape.hpp"
#include "geosim/io/input_file.hpp"
#include "scenario_builder.hpp"
#include "yaml_document.hpp"

namespace geosim {
namespace fs = std::filesystem;
using detail::InputFile;
using detail::Walker;

namespace detail {

namespace {
const std::vector<std::string> kScenarioTopKeys{"scenario",    "include",   "parameters", "defaults",
                                                "actors",      "relations", "indicators", "events",
                                                "start_state", "score",     "fitted",     "fitted_step_days"};
const std::vector<std::string> kPolicyTopKeys{"policy", "adjust", "actors", "parameters", "events"};

}  // namespace

std::string ScenarioBuilder::known_actors() const {
  std::vector<std::string> ids;
  for (const auto& a : scenario_.actors) ids.push_back(a.id);
  return ids.empty() ? "none defined" : name_list(ids);
}

void ScenarioBuilder::collect(const std::string& path, std::vector<std::string>& stack, const Origin* included_at,
                              const std::string& name) {
  const std::string key = same_file_key(path);
  if (std::find(loaded_.begin(), loaded_.end(), key) != loaded_.end()) return;  // included once
  if (files_.size() >= limits_.max_files) {
    const std::string message = fmt::format("expected at most {} files in one scenario, found more", limits_.max_files);
    errors_.push_back(included_at ? Diagnostic{included_at->file, included_at->line, included_at->column,
                                               fmt::format("include '{}': {}", name, message)}
                                  : Diagnostic{path, 0, 0, message});
    return;
  }
  std::string text;
  const std::size_t before = errors_.size();
  auto root = read_yaml_file(path, errors_, {}, &text);
  // A problem with the included file as a whole is said at the include that names it.
  if (included_at)
    for (std::size_t i = before; i < errors_.size(); ++i)
      if (errors_[i].line == 0 && errors_[i].file == path)
        errors_[i] = {included_at->file, included_at->line, included_at->column,
                      fmt::format("include '{}': {}", name, errors_[i].message)};
  if (!root) return;
  loaded_.push_back(key);
  InputFile file{path, *root, false, std::make_shared<SourceText>(std::move(text))};
  stack.push_back(key);
  include_from(file, fs::path(path).parent_path().string(), stack);
  stack.pop_back();
  files_.push_back(std::move(file));
}

void ScenarioBuilder::collect_root(const std::string& name, const YAML::Node& root, const std::string& base_dir,
                                   const std::string& text) {
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
    if (name.find('\0') != std::string::npos) {  // the system would read the name up to it: another file
      w.error(where, "expected a file name in 'include', found one with a NUL byte in it");
      continue;
    }
    const std::string path = (fs::path(base_dir.empty() ? "." : base_dir) / name).string();
    const std::string key = same_file_key(path);
    if (std::find(stack.begin(), stack.end(), key) != stack.end()) {
      w.error(where, key == stack.back() ? fmt::format("include '{}' includes the file itself", name)
                                         : fmt::format("include '{}' forms a cycle of includes", name));
      continue;
    }
    if (int(stack.size()) > limits_.max_include_depth) {
      w.error(where, fmt::format("expected includes nested at most {} deep, found deeper", limits_.max_include_depth));
      continue;
    }
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {  // a FIFO or a device is named as what it is, never opened
      const std::string kind = non_file_at(path);
      w.error(where, !kind.empty()
                         ? fmt::format("include '{}' is not a regular file ({}): only files are read", name, kind)
                         : fmt::format("include '{}' not found (looked for {})", name, path));
      continue;
    }
    const Origin at = w.origin(where);
    collect(path, stack, &at, name);
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
      w.error(root->root,
              "missing key 'scenario' (the id, title, start date and steps of a runnable "
              "scenario); is this a file meant to be included?");
      return;
    }
  } else if (w.expect_map(block, "'scenario'")) {
    w.check_keys(block, {"id", "title", "description", "source", "start", "step_days", "steps", "weight", "reference"},
                 "'scenario'");
    const Fields f = w.fields(block);
    if (w.require(f, "id", "'scenario'"))
      if (auto s = w.string(block["id"], "the scenario id", 100)) {
        if (valid_id(IdKind::scenario, *s))
          scenario_.id = *s;
        else
          w.error(block["id"], fmt::format("expected {}, found '{}'", id_rule(IdKind::scenario), *s));
      }
    if (w.require(f, "title", "'scenario'"))
      if (auto s = w.string(block["title"], "the scenario title", 300)) scenario_.title = *s;
    if (block["description"])
      if (auto s = w.string(block["description"], "the description", 20000)) scenario_.description = *s;
    if (block["weight"])
      if (auto v = w.number(block["weight"], "the scenario's weight in a policy matrix", 1e-9, 1e9))
        scenario_.weight = *v;
    if (block["reference"])
      if (auto v = w.integer(block["reference"], "the scenario's place among the reference scenarios", 1, 1000))
        scenario_.reference = int(*v);
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
  bool dated = false;  // a start read as a date: only then is the period checked (not from 1970)
  if (!start_file) {
    if (runnable) w.error(root->root, "missing key 'start' in 'scenario' (the date of step 0)");
  } else if (auto d = walker(*start_file).date(start, "'start'")) {
    scenario_.start = *d;
    dated = true;
  }
  if (days_file)
    if (auto v = walker(*days_file).integer(days, "'step_days'", 1, 3660)) scenario_.step_days = int(*v);
  if (!steps_file) {
    if (runnable) w.error(root->root, "missing key 'steps' in 'scenario' (the number of steps)");
  } else if (auto v = walker(*steps_file).integer(steps, "'steps'", 1, limits_.max_steps))
    scenario_.steps = int(*v);
  // a period ending after 9999-12-31 would write dates no reader reads back
  if (steps_file && dated)
    if (const std::string error = period_error(scenario_, scenario_.steps); !error.empty())
      walker(*steps_file).error(steps, error);
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

void ScenarioBuilder::read_relations(const InputFile& file) {
  const YAML::Node list = file.root["relations"];
  if (!list) return;
  Walker w = walker(file);
  if (!w.expect_list(list, "'relations'")) return;
  const std::size_t n = scenario_.actor_count();
  for (const auto& node : list) {
    if (w.out_of_budget() || !w.expect_map(node, "a relation")) continue;
    w.check_keys(node, {"between", "from", "to", "tension", "baseline", "tie", "note", "absent"}, "a relation");
    const Fields f = w.fields(node);
    if (f["note"]) w.string(f["note"], "a note", 20000);
    bool both = false;
    ActorSet from, to;
    if (!relation_pair(w, node, "a relation", both, from, to, false)) continue;
    if (f["absent"]) {
      read_absent(w, node, both, from.actors.front(), to.actors.front());
      continue;
    }
    std::optional<double> tension, baseline, tie;
    if (w.require(f, "tension", "a relation")) tension = w.number(f["tension"], "'tension'", 0, 1);
    if (f["baseline"]) {
      refuse_written_baseline(w, f["baseline"], "a relation's baseline");
      baseline = w.number(f["baseline"], "'baseline'", 0, 1);
    }
    if (f["tie"]) tie = w.number(f["tie"], "'tie'", 0, 1);
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

std::optional<Scenario> ScenarioBuilder::build(bool runnable) {
  if (files_.empty()) return std::nullopt;
  for (const auto& file : files_) check_top_level(file);
  if (!errors_.empty() && std::any_of(files_.begin(), files_.end(), [](const InputFile& f) { return !f.root.IsMap(); }))
    return std::nullopt;
  scenario_.path = files_.back().is_policy ? files_.front().path : files_.back().path;
  for (auto it = files_.rbegin(); it != files_.rend(); ++it)
    if (!it->is_policy) {
      scenario_.path = it->path;
      break;
    }
  for (const auto& file : files_)
    if (!file.path.empty()) scenario_.files.push_back(file.path);
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
  if (n < 2 && errors_.empty()) {  // at the last list of actors read, else at the scenario as a whole
    const std::string message = fmt::format("expected at least two actors, found {}", n);
    auto listed = std::find_if(files_.rbegin(), files_.rend(),
                               [](const InputFile& f) { return !f.is_policy && f.root["actors"]; });
    if (listed != files_.rend())
      walker(*listed).error(listed->root["actors"], message);
    else if (!files_.empty() && !files_.back().is_policy)  // the file given, which has no 'actors:'
      walker(files_.back()).error_at_start("missing key 'actors' (a list of at least two actors) in the scenario");
    else
      errors_.push_back({scenario_.path, 0, 0, message});
  }
  const double baseline = default_baseline_ >= 0 ? default_baseline_ : default_tension_;
  scenario_.tension.assign(n * n, default_tension_);
  scenario_.baseline.assign(n * n, baseline);
  scenario_.tie.assign(n * n, default_tie_);
  relation_set_.assign(n * n, false);
  scenario_.absent.clear();
  relation_origin_.assign(n * n, std::nullopt);
  for (std::size_t i = 0; i < n; ++i)
    scenario_.tension[i * n + i] = scenario_.baseline[i * n + i] = scenario_.tie[i * n + i] = 0.0;
  for (const auto& file : files_)
    if (!file.is_policy) {
      read_relations(file);
      read_indicators(file);
    }
  const OwnParameters written = model_parameters();  // as the files write them: before fitted: and --set
  for (const auto& file : files_)
    if (!file.is_policy) read_fitted(file, false);
  apply_settings(SettingsPhase::model);
  relation_mean_ = mean_symmetric_tension(scenario_);
  if (scenario_.start_state == StartState::settled && errors_.empty()) {
    settle_baselines();
    scenario_.settle_basis = SettleBasis{scenario_.tension, scenario_.tie, scenario_.baseline, {}};
    // Say which values left the start unable to settle, --set's or fitted:'s (a calibration's,
    // which may fit a restraint to 0 or 1): the relations are named as examples, without the
    // advice to edit them, and three of them are enough.
    if (!errors_.empty() && (!options_.settings.empty() || !fitted_values_.empty()) && settles_with(written)) {
      std::string names;
      for (const ParameterSetting& s : options_.settings)
        names += (names.empty() ? "" : ", ") + fmt::format("{}={}", s.name, s.value + 0.0);
      const bool set = !names.empty();
      if (!set) names = fitted_values_;
      constexpr std::size_t kShown = 3;
      const std::size_t count = errors_.size();
      for (Diagnostic& d : errors_)
        if (const std::size_t advice = d.message.find(": change its tension or ties"); advice != std::string::npos)
          d.message = d.message.substr(0, advice) + " with these values";
      if (count > kShown) errors_.resize(kShown);
      const std::string what =
          fmt::format("with {} the settled start cannot be derived ({} relation{}, {}below): ", names, count,
                      count == 1 ? "" : "s", count > kShown ? fmt::format("the first {} ", kShown) : "");
      errors_.insert(errors_.begin(),
                     set ? Diagnostic{"--set", 0, 0, what + "change the --set values (the files are fine as they are)"}
                         : Diagnostic{fitted_origin_.file, fitted_origin_.line, fitted_origin_.column,
                                      what + "change the fitted values (fit fewer parameters, or give the "
                                             "scenario 'start_state: drifting')"});
    }
  }
  for (const auto& file : files_)
    if (!file.is_policy) read_fitted(file, true);
  apply_settings(SettingsPhase::baselines);
  if (scenario_.settle_basis) {  // a baseline set after settling (fitted:, --set) keeps its value
    SettleBasis& basis = *scenario_.settle_basis;
    basis.kept.assign(basis.baseline.size(), 0);
    for (std::size_t k = 0; k < basis.kept.size() && k < scenario_.baseline.size(); ++k)
      basis.kept[k] = scenario_.baseline[k] != basis.baseline[k] ? 1 : 0;
  }
  for (const auto& file : files_)
    if (!file.is_policy) read_score(file);
  for (const auto& file : files_)
    if (!file.is_policy) read_events(file);
  OwnParameters own = model_parameters();  // the world's own, before the policies: what a run's draws start from
  const bool any_policy = std::any_of(files_.begin(), files_.end(), [](const InputFile& f) { return f.is_policy; });
  const std::vector<double> baseline_before = any_policy ? scenario_.baseline : std::vector<double>();
  for (const auto& file : files_)
    if (file.is_policy) read_policy(file);
  apply_settings(SettingsPhase::last);  // over whatever a policy set or added
  bool changed = own.spillover != scenario_.parameters.spillover;
  for (std::size_t i = 0; i < own.restraint.size(); ++i)
    changed = changed || own.restraint[i] != scenario_.actors[i].restraint ||
              own.reactivity[i] != scenario_.actors[i].reactivity;
  for (std::size_t k = 0; k < baseline_before.size() && k < scenario_.baseline.size(); ++k)
    if (baseline_before[k] != scenario_.baseline[k]) own.baseline.emplace_back(k, baseline_before[k]);
  if (changed || !own.baseline.empty()) scenario_.before_policies = std::move(own);
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
  result.includes = builder.included();
  for (const auto& policy : options.policies) builder.collect_policy(policy);
  if (!result.errors.empty()) return finish(result);
  result.scenario = builder.build(true);
  return finish(result);
}

LoadResult load_scenario_text(const std::string& text, const std::string& name, const std::string& base_dir,
                              const LoadOptions& options) {
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

std::string parse_settings(const std::vector<std::string>& settings, std::vector<ParameterSetting>& out) {
  if (settings.size() > kMaxSettings)
    return fmt::format("at most {} settings, found {}", kMaxSettings, settings.size());
  for (const std::string& text : settings) {
    const std::size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
      return fmt::format("expected NAME=VALUE (like restraint.VNM=0.1), found {}", terminal_text(quote_word(text)));
    // Blanks around the name and the value are no part of them, as in --vary NAME=LO..HI.
    const std::string name(trim_blanks(std::string_view(text).substr(0, eq))),
        number(trim_blanks(std::string_view(text).substr(eq + 1)));
    double value = 0.0;
    const char* problem = read_finite(number, value, true);  // +0.5 as in YAML
    if (problem || value < 0.0 || value > 1.0)
      return fmt::format("expected a value from 0 to 1 for {}, found {}{}", terminal_text(quote_word(name)),
                         terminal_text(quote_word(number)), problem ? fmt::format(" ({})", problem) : "");
    out.push_back({name, value});
  }
  return "";
}

}  // namespace geosim
