// Events, effects, sources and policies: the second half of the scenario builder.
#include <fmt/format.h>
#include <filesystem>

#include "geosim/core/ids.hpp"
#include "geosim/core/step.hpp"
#include "geosim/io/cameo.hpp"
#include "geosim/io/input_file.hpp"
#include "geosim/io/loader.hpp"
#include "scenario_builder.hpp"
#include "yaml_document.hpp"

namespace geosim::detail {
namespace fs = std::filesystem;

namespace {
const std::vector<std::string> kEventKeys{"id",         "title",       "source",    "date",  "step",
                                          "window",     "probability", "condition", "cameo", "effects",
                                          "follow_ups", "note",        "lasting"};

std::string collapse_whitespace(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}
}  // namespace

void ScenarioBuilder::read_source(Walker& w, const YAML::Node& node, SourceRef& out) {
  if (!w.expect_map(node, "'source'")) return;
  w.check_keys(node, {"file", "quote"}, "'source'");
  const Fields f = w.fields(node);
  if (w.require(f, "file", "'source'"))
    if (auto s = w.string(f["file"], "the source file name", 200)) out.file = *s;
  if (w.require(f, "quote", "'source'"))
    if (auto s = w.string(f["quote"], "the quoted passage", 2000)) out.quote = *s;
  if (!out.file.empty() && !out.quote.empty()) check_quote(w, f["quote"], out);
}

void ScenarioBuilder::check_quote(Walker& w, const YAML::Node& quote_node, const SourceRef& source) {
  // Sources live in a `sources/` folder beside the file or one or two levels up.
  // Text input has no place of its own: its sources are found from its base folder.
  fs::path dir = w.file() == text_name_ ? fs::path(text_base_dir_) : fs::path(w.file()).parent_path();
  std::string found_dir;
  for (int up = 0; up < 3; ++up) {
    std::error_code ec;
    if (fs::is_directory(dir / "sources", ec)) {
      found_dir = (dir / "sources").string();
      break;
    }
    dir = dir.empty() ? fs::path("..") : dir / "..";
  }
  if (found_dir.empty()) {
    if (options_.require_sources)
      w.error(quote_node, "cannot check the quote: no 'sources' folder beside or above this file");
    return;
  }
  if (source.file.find('/') != std::string::npos || source.file.find("..") != std::string::npos) {
    w.error(quote_node, fmt::format("expected a source file name inside sources/, found '{}'", source.file));
    return;
  }
  const std::string path = (fs::path(found_dir) / source.file).string();
  auto cached = source_cache_.find(path);
  if (cached == source_cache_.end()) {
    const InputText input = read_input_file(path);    // the one bounded reader: a regular file of at most 4 MiB
    if (input.text) scenario_.files.push_back(path);  // read too: no output may replace it
    cached = source_cache_.emplace(path, input.text ? collapse_whitespace(*input.text) : std::string()).first;
  }
  if (cached->second.empty()) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(found_dir)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    w.error(quote_node, fmt::format("unknown source file '{}' (known sources: {})", source.file, name_list(names)));
    return;
  }
  if (cached->second.find(collapse_whitespace(source.quote)) == std::string::npos)
    w.error(quote_node, fmt::format("expected a verbatim passage of {}, found a quote that is not in it: "
                                    "'{}'",
                                    source.file, source.quote.substr(0, 60)));
}

std::optional<Magnitude> ScenarioBuilder::magnitude(Walker& w, const YAML::Node& node, const std::string& what,
                                                    double lo, double hi) {
  if (node.IsMap()) {
    if (!w.visit(node)) return std::nullopt;
    w.check_keys(node, {"mean", "sd"}, what);
    const Fields f = w.fields(node);
    if (!w.require(f, "mean", what)) return std::nullopt;
    auto mean = w.number(f["mean"], what + " mean", lo, hi);
    std::optional<double> sd = 0.0;
    if (node["sd"]) sd = w.number(node["sd"], what + " sd", 0.0, hi - lo);
    if (!mean || !sd) return std::nullopt;
    return Magnitude{*mean, *sd};
  }
  auto value = w.number(node, what, lo, hi);
  if (!value) return std::nullopt;
  return Magnitude{*value, 0.0};
}

std::optional<Effect> ScenarioBuilder::read_effect(Walker& w, const YAML::Node& node, const Event* event,
                                                   bool cameo_refused) {
  if (!w.expect_map(node, "an effect")) return std::nullopt;
  w.check_keys(node, {"between", "from", "to", "tension", "baseline", "tie"}, "an effect");
  const Fields field = w.fields(node);
  Effect effect;
  if (!relation_pair(w, node, "an effect", effect.both_directions, effect.from, effect.to, true)) return std::nullopt;
  for (std::size_t a : effect.from.actors)
    for (std::size_t b : effect.to.actors)
      if (a != b && !scenario_.has_relation(a, b)) {
        w.error(node, fmt::format("expected an effect on pairs with a relation, found {}–{}, which has none "
                                  "(absent)",
                                  scenario_.actors[a].id, scenario_.actors[b].id));
        return std::nullopt;
      }
  bool ok = true;
  auto read = [&](const char* key, std::optional<Magnitude>& out) {
    if (!field[key]) return;
    out = magnitude(w, field[key], fmt::format("the '{}' change", key), -1.0, 1.0);
    ok = ok && out.has_value();
  };
  read("tension", effect.tension);
  read("baseline", effect.baseline);
  read("tie", effect.tie);
  if (!ok) return std::nullopt;
  if (!effect.tension && !effect.baseline && !effect.tie) {
    auto weight = event && !event->cameo.empty() ? goldstein_weight(event->cameo) : std::nullopt;
    if (!weight) {
      if (cameo_refused) return std::nullopt;  // one error: the code's
      w.error(node,
              "expected at least one of 'tension', 'baseline' or 'tie' in an effect (or a "
              "'cameo' code on the event to size it), found none");
      return std::nullopt;
    }
    const double change = tension_change_for_goldstein(*weight);
    effect.tension = Magnitude{change, 0.0};
    const double lasting = event->lasting.value_or(lasting_share(event->cameo));
    if (lasting > 0.0) effect.baseline = Magnitude{lasting * change, 0.0};
  }
  return effect;
}

void ScenarioBuilder::read_timing(Walker& w, const YAML::Node& node, Event& event) {
  const Fields field = w.fields(node);
  const int given = int(bool(field["date"])) + int(bool(field["step"])) + int(bool(field["window"]));
  if (given > 1) {
    w.error(node, "expected at most one of 'date', 'step' or 'window' in an event, found several");
    return;
  }
  const std::string period =
      has_start_ ? fmt::format("{} to {}", format_date(scenario_.start),
                               format_date(add_days(scenario_.date_of_step(scenario_.steps), -1)))  // its last day
                 : std::string("?");
  auto step_of = [&](const YAML::Node& n, const std::string& what) -> std::optional<int> {
    if (n.IsScalar() && parse_date(n.Scalar())) {
      if (!has_start_) {
        w.error(n, "a date needs a scenario start date: include the scenario this file belongs to");
        return std::nullopt;
      }
      const Date d = *parse_date(n.Scalar());
      const int step = scenario_.step_of_date(d);
      if (step < 1 || step > scenario_.steps) {
        w.error(n, fmt::format("expected {} within the scenario's period ({}), found {}", what, period, n.Scalar()));
        return std::nullopt;
      }
      return step;
    }
    if (n.IsScalar() && n.Scalar().find('-') != std::string::npos) {
      w.error(n, fmt::format("expected {} as a date YYYY-MM-DD or a step number, found {}", what, Walker::describe(n)));
      return std::nullopt;
    }
    auto v = w.integer(n, what + " (a step number or a date)", 1, scenario_.steps);
    if (!v) return std::nullopt;
    return int(*v);
  };
  if (field["date"]) {
    if (auto d = w.date(field["date"], "'date'"))
      if (auto s = step_of(field["date"], "'date'")) {
        event.timing = Timing::at_step;
        event.step = *s;
        event.date = *d;
      }
    (void)0;
  } else if (field["step"]) {
    if (auto s = step_of(field["step"], "'step'")) {
      event.timing = Timing::at_step;
      event.step = *s;
    }
  } else if (field["window"]) {
    const YAML::Node window = field["window"];
    if (!w.expect_map(window, "'window'")) return;
    w.check_keys(window, {"from", "to"}, "'window'");
    const Fields f = w.fields(window);
    if (!w.require(f, "from", "'window'") || !w.require(f, "to", "'window'")) return;
    auto first = step_of(f["from"], "the window's start");
    auto last = step_of(window["to"], "the window's end");
    if (!first || !last) return;
    if (*last < *first) {
      w.error(window, "expected the window's end on or after its start, found it before");
      return;
    }
    event.timing = Timing::window;
    event.window_first = *first;
    event.window_last = *last;
  }
}

std::optional<Event> ScenarioBuilder::read_event(Walker& w, const YAML::Node& node, const std::string& policy) {
  if (!w.expect_map(node, "an event")) return std::nullopt;
  w.check_keys(node, kEventKeys, "an event");
  const Fields field = w.fields(node);
  if (!w.require(field, "id", "an event")) return std::nullopt;
  auto id = w.string(field["id"], "an event id", 100);
  if (!id) return std::nullopt;
  if (!valid_id(IdKind::event, *id)) {
    w.error(field["id"], fmt::format("expected {}, found '{}'", id_rule(IdKind::event), *id));
    return std::nullopt;
  }
  if (auto existing = scenario_.find_event(*id)) {
    const Origin& o = scenario_.events[*existing].origin;
    w.error(field["id"],
            fmt::format("duplicate event id '{}' (first defined at {}:{}:{})", *id, o.file, o.line, o.column));
    return std::nullopt;
  }
  Event event;
  event.id = *id;
  event.title = *id;
  event.policy = policy;
  event.origin = w.origin(node);
  if (field["title"])
    if (auto s = w.string(field["title"], "an event title", 300)) event.title = *s;
  if (field["source"])
    read_source(w, field["source"], event.source);
  else if (options_.require_sources)
    w.error(node, fmt::format("missing key 'source' in event '{}': every event cites its passage", *id));
  read_timing(w, node, event);
  if (field["probability"])
    if (auto p = w.number(field["probability"], "'probability'", 0.0, 1.0)) event.probability = *p;
  bool cameo_refused = false;
  if (field["cameo"]) {
    cameo_refused = true;
    if (auto code = w.string(field["cameo"], "a CAMEO code", 8)) {
      cameo_refused = !goldstein_weight(*code);
      if (cameo_refused)
        w.error(field["cameo"], fmt::format("expected a known CAMEO code (like \"042\" or \"06\"), found "
                                            "'{}', which is not in the table (did you mean {}?)",
                                            *code, cameo_suggestion(*code)));
      else
        event.cameo = *code;
    }
  }
  if (field["lasting"]) {
    if (!field["cameo"])
      w.error(field["lasting"],
              "expected 'lasting' only on an event with a 'cameo' code (it is the share "
              "of the code-sized change that moves the baseline), found no 'cameo'");
    else if (auto v = w.number(field["lasting"], "'lasting'", 0.0, 1.0))
      event.lasting = *v;
  }
  if (field["condition"])
    if (auto text = w.string(field["condition"], "a condition", 2000)) {
      event.condition_text = *text;
      conditions_.push_back({scenario_.events.size(), w.origin(field["condition"]), w.text_column(field["condition"])});
    }
  if (field["effects"] && w.expect_list(field["effects"], "'effects'")) {
    if (field["effects"].size() > limits_.max_effects)
      w.error(field["effects"], fmt::format("expected at most {} effects in an event, found {}", limits_.max_effects,
                                            field["effects"].size()));
    else
      for (const auto& e : field["effects"]) {
        if (w.out_of_budget()) break;
        if (auto effect = read_effect(w, e, &event, cameo_refused)) event.effects.push_back(std::move(*effect));
      }
    if (const std::size_t changes = event_change_bound(event); changes > limits_.max_event_changes)
      w.error(field["effects"], fmt::format("expected an event's effects to change at most {} relations in all "
                                            "(each recorded when it fires), found {}: split it, or name fewer actors",
                                            limits_.max_event_changes, changes));
  }
  if (field["note"]) w.string(field["note"], "a note", 20000);
  if (field["follow_ups"] && w.expect_list(field["follow_ups"], "'follow_ups'")) {
    if (field["follow_ups"].size() > limits_.max_follow_ups) {
      w.error(field["follow_ups"], fmt::format("expected at most {} follow-ups in an event, found {}",
                                               limits_.max_follow_ups, field["follow_ups"].size()));
      return event;
    }
    for (const auto& f : field["follow_ups"]) {
      if (w.out_of_budget() || !w.expect_map(f, "a follow-up")) continue;
      w.check_keys(f, {"event", "delay", "probability"}, "a follow-up");
      if (!w.require(w.fields(f), "event", "a follow-up")) continue;
      auto target = w.string(f["event"], "the follow-up's event id", 100);
      std::optional<long long> delay = 1;
      std::optional<double> p = 1.0;
      if (f["delay"]) delay = w.integer(f["delay"], "'delay'", 0, 100000);
      if (f["probability"]) p = w.number(f["probability"], "'probability'", 0.0, 1.0);
      if (target && delay && p)
        follow_ups_.push_back({scenario_.events.size(), *target, w.origin(f["event"]), int(*delay), *p});
    }
  }
  return event;
}

void ScenarioBuilder::read_events(const InputFile& file) {
  const YAML::Node list = file.root["events"];
  if (!list) return;
  Walker w = walker(file);
  if (!w.expect_list(list, "'events'")) return;
  for (const auto& node : list) {
    if (w.out_of_budget()) return;
    if (scenario_.events.size() >= limits_.max_events) {
      w.error(node, fmt::format("expected at most {} events, found more", limits_.max_events));
      return;
    }
    if (auto event = read_event(w, node, file.is_policy ? scenario_.policies.back() : ""))
      scenario_.events.push_back(std::move(*event));
  }
}

void ScenarioBuilder::apply_effect_now(const Effect& effect) {
  const std::size_t n = scenario_.actor_count();
  auto add = [](double& v, const std::optional<Magnitude>& m) {
    if (m) v = std::clamp(v + m->mean, 0.0, 1.0);
  };
  for (auto [i, j] : directed_pairs(effect)) {
    add(scenario_.tension[i * n + j], effect.tension);
    add(scenario_.baseline[i * n + j], effect.baseline);
    add(scenario_.tie[i * n + j], effect.tie);
  }
  scenario_.adjustments.push_back(effect);
}

void ScenarioBuilder::resolve_follow_ups() {
  std::vector<std::string> ids;
  for (const auto& e : scenario_.events) ids.push_back(e.id);
  for (const auto& f : follow_ups_) {
    auto target = scenario_.find_event(f.target);
    if (!target) {
      const std::string guess = closest_match(f.target, ids);
      errors_.push_back({f.origin.file, f.origin.line, f.origin.column,
                         fmt::format("follow-up refers to unknown event '{}'{}", f.target, did_you_mean(guess))});
      continue;
    }
    scenario_.events[f.event].follow_ups.push_back({*target, f.delay, f.probability});
  }
}

std::optional<std::pair<std::size_t, std::size_t>> ScenarioBuilder::absent_pair_in(const Condition::Node& node) const {
  if (node.is_comparison)
    return node.quantity != Condition::Quantity::indicator && node.a != node.b &&
                   !scenario_.has_relation(node.a, node.b)
               ? std::optional{std::pair{node.a, node.b}}
               : std::nullopt;
  for (const auto& child : node.children)
    if (auto pair = absent_pair_in(child)) return pair;
  return std::nullopt;
}

void ScenarioBuilder::parse_conditions() {
  ConditionNames names;
  names.actor = [this](const std::string& id, std::size_t& out) {
    auto index = scenario_.find_actor(id);
    if (index) out = *index;
    return index.has_value();
  };
  names.indicator = [this](const std::string& id, std::size_t& out) {
    for (std::size_t i = 0; i < scenario_.indicators.size(); ++i)
      if (scenario_.indicators[i].id == id) {
        out = i;
        return true;
      }
    return false;
  };
  for (const auto& a : scenario_.actors) names.actor_ids.push_back(a.id);
  for (const auto& i : scenario_.indicators) names.indicator_ids.push_back(i.id);
  for (const auto& pending : conditions_) {
    Event& event = scenario_.events[pending.event];
    Condition condition;
    std::string error;
    std::size_t offset = 0;
    if (parse_condition(event.condition_text, names, condition, error, offset)) {
      if (const auto pair = absent_pair_in(condition.root)) {
        errors_.push_back({pending.origin.file, pending.origin.line, pending.origin.column,
                           fmt::format("in condition: expected a pair with a relation, found {}–{}, which has "
                                       "none (absent)",
                                       scenario_.actors[pair->first].id, scenario_.actors[pair->second].id)});
        continue;
      }
      event.condition = std::move(condition);
    } else {
      // Point at the character when the text stands verbatim on one line (plain or quoted);
      // otherwise (folded over lines, escapes) at the start of the condition.
      int column = pending.origin.column;
      if (pending.text_column > 0) {
        column = pending.text_column;
        for (std::size_t k = 0; k < offset && k < event.condition_text.size(); ++k)
          if ((static_cast<unsigned char>(event.condition_text[k]) >> 6) != 0x2) ++column;
      }
      errors_.push_back({pending.origin.file, pending.origin.line, column, "in condition: " + error});
    }
  }
}

void ScenarioBuilder::check_zero_delay_cycles() {
  // Zero-delay follow-ups fire in the same step; a cycle of them would never end.
  const std::size_t n = scenario_.events.size();
  std::vector<int> color(n, 0);  // 0 new, 1 on the path, 2 done
  std::vector<std::size_t> path;
  std::function<bool(std::size_t)> visit = [&](std::size_t e) {
    color[e] = 1;
    path.push_back(e);
    for (const auto& f : scenario_.events[e].follow_ups) {
      if (f.delay != 0) continue;
      if (color[f.event] == 1) {
        std::string cycle;
        auto start = std::find(path.begin(), path.end(), f.event);
        for (auto it = start; it != path.end(); ++it) cycle += scenario_.events[*it].id + " -> ";
        cycle += scenario_.events[f.event].id;
        const Origin& o = scenario_.events[f.event].origin;
        errors_.push_back(
            {o.file, o.line, o.column, "follow-ups with zero delay form a cycle that would never end: " + cycle});
        return true;
      }
      if (color[f.event] == 0 && visit(f.event)) return true;
    }
    path.pop_back();
    color[e] = 2;
    return false;
  };
  for (std::size_t e = 0; e < n; ++e)
    if (color[e] == 0 && visit(e)) return;
}

}  // namespace geosim::detail

namespace geosim {

std::vector<Diagnostic> validate_file(const std::string& path, const std::string& policy_base) {
  std::vector<Diagnostic> errors;
  auto root = detail::read_yaml_file(path, errors);
  if (!root) return errors;
  LoadOptions options;
  if (root->IsMap() && (*root)["policy"]) {
    options.policies.push_back(path);
    LoadResult result = load_scenario(policy_base, options);
    return result.errors;
  }
  if (root->IsMap() && (*root)["scenario"]) return load_scenario(path, options).errors;
  // A file meant to be included: check it with what it includes, without requiring a block.
  detail::ScenarioBuilder builder(errors, options);
  std::vector<std::string> stack;
  builder.collect(path, stack);
  if (errors.empty()) builder.build(false);
  detail::tidy_errors(errors);
  return errors;
}

FileRole file_role(const std::string& path) {
  std::vector<Diagnostic> errors;
  auto root = detail::read_yaml_file(path, errors);
  if (!root || !root->IsMap()) return FileRole::unreadable;
  if ((*root)["policy"]) return FileRole::policy;
  if ((*root)["scenario"]) return FileRole::scenario;
  return FileRole::included;
}

}  // namespace geosim
