#include "geosim/tabletop/room_snapshot.hpp"

#include <fmt/format.h>
#include <cmath>

#include "geosim/core/indicator.hpp"
#include "geosim/io/catalog.hpp"
#include "geosim/io/number_text.hpp"
#include "geosim/tabletop/after_action.hpp"
#include "geosim/tabletop/session_view.hpp"

namespace geosim {
namespace {

using nlohmann::json;

constexpr double kPi = 3.14159265358979323846;

const char* level_name(TensionLevel level) {
  switch (level) {
    case TensionLevel::low:
      return "low";
    case TensionLevel::moderate:
      return "moderate";
    case TensionLevel::high:
      return "high";
    case TensionLevel::crisis:
      return "crisis";
  }
  return "low";
}

/// "good", "bad" or "flat": a change as news for one who wants `better`.
const char* judge(double change, Better better) {
  if (std::abs(change) < 0.0005 || better == Better::neither) return "flat";
  return (change < 0) == (better == Better::lower) ? "good" : "bad";
}

/// The text, or null when it is empty: an optional part a page leaves out.
json text_or_null(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

const char* better_name(Better b) { return b == Better::lower ? "lower" : b == Better::higher ? "higher" : "neither"; }

json indicators(const Session& session, const Session& before) {
  const Scenario& s = session.current().scenario;
  const std::vector<double> start = evaluate_indicators(s, session.initial_state().tension);
  const std::vector<double> prev = evaluate_indicators(s, before.current().state.tension);
  const std::vector<double> now = evaluate_indicators(s, session.current().state.tension);
  json out = json::array();
  for (std::size_t k = 0; k < s.indicators.size(); ++k) {
    const Indicator& i = s.indicators[k];
    out.push_back({{"id", i.id},
                   {"title", i.title},
                   {"better", better_name(i.better)},
                   {"start", start[k]},
                   {"previous", prev[k]},
                   {"now", now[k]},
                   {"now_text", fmt::format("{:.3f}", now[k])},
                   {"turn_text", signed_change(now[k] - prev[k])},
                   {"turn_class", judge(now[k] - prev[k], i.better)},
                   {"start_text", signed_change(now[k] - start[k])},
                   {"start_class", judge(now[k] - start[k], i.better)}});
  }
  return out;
}

json source_of(const SourceRef& source) {
  if (source.file.empty()) return nullptr;
  std::string quote = source.quote;
  if (quote.size() > 100) {
    std::size_t cut = 97;
    while (cut > 0 && (static_cast<unsigned char>(quote[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
    quote = quote.substr(0, cut) + "...";
  }
  return {{"file", source.file}, {"quote", text_or_null(quote)}};
}

/// Tension changes in brief for the room: "VNM↔KOR -0.050, USA→VNM +0.040" (a pair changed
/// alike both ways once), at most four, then "…"; "" when no tension changed.
std::string tension_brief(const Scenario& s, const std::vector<RelationChange>& changes) {
  std::vector<std::string> parts;
  std::vector<bool> done(changes.size(), false);
  for (std::size_t k = 0; k < changes.size(); ++k) {
    const RelationChange& c = changes[k];
    if (done[k] || std::abs(c.tension) < 0.0005) continue;
    bool both = false;
    for (std::size_t m = k + 1; m < changes.size() && !both; ++m)
      if (!done[m] && changes[m].from == c.to && changes[m].to == c.from &&
          std::abs(changes[m].tension - c.tension) < 0.0005)
        both = done[m] = true;
    parts.push_back(
        fmt::format("{}{}{} {}", s.actors[c.from].id, both ? "↔" : "→", s.actors[c.to].id, signed_change(c.tension)));
  }
  std::string out;
  for (std::size_t k = 0; k < parts.size() && k < 4; ++k) out += (k ? ", " : "") + parts[k];
  return parts.size() > 4 ? out + ", …" : out;
}

/// The events that fired and the injects and moves made since `before`, in plain words: the
/// moves' and injects' own words are their source, the scenario's events cite their document.
json last_turn_items(const Session& session, const Session& before, const std::string& team) {
  const Branch& b = session.current();
  const Scenario& s = b.scenario;
  json items = json::array();
  const std::size_t known = before.current().journal.size();
  for (std::size_t k = known; k < b.journal.size(); ++k) {
    const JournalEntry& j = b.journal[k];
    if (!team.empty() && j.team != team) continue;
    const std::string who =
        j.team.empty() ? (j.kind == JournalEntry::Kind::move ? "A team" : "The facilitator") : j.team;
    std::string what = j.kind == JournalEntry::Kind::move ? fmt::format("{} played the policy “{}”", who, j.title)
                       : j.kind == JournalEntry::Kind::roll
                           ? fmt::format("{} rolled for “{}”: {}", who, j.title, j.note)
                           : fmt::format("{} injected “{}”", who, j.title);
    items.push_back({{"kind", journal_kind_label(j.kind)},
                     {"step", j.made_at},
                     {"text", what},
                     {"rationale", text_or_null(j.rationale)},
                     {"changes", tension_brief(s, j.changes)},
                     {"source", nullptr}});
  }
  for (const AppliedEvent& a : b.fired) {
    if (a.step <= before.current().state.step) continue;
    std::string title = a.id;
    json source = nullptr;
    if (!a.adhoc && a.event < s.events.size()) {
      title = s.events[a.event].title;
      source = source_of(s.events[a.event].source);
    } else {
      for (const JournalEntry& j : b.journal)
        if (j.id == a.id) title = j.title;
      source = nullptr;  // the facilitator's own event: its inject is listed above
    }
    if (!team.empty()) {  // a team sees the events that touched its relations
      bool touches = false;
      for (const RelationChange& c : a.changes)
        touches = touches || s.actors[c.from].id == team || s.actors[c.to].id == team;
      if (!touches) continue;
    }
    items.push_back({{"kind", "event"},
                     {"step", a.step},
                     {"text", fmt::format("Step {} ({}): {}", a.step, s.step_dates(a.step), title)},
                     {"rationale", text_or_null(a.cause)},
                     {"changes", tension_brief(s, a.changes)},
                     {"source", source}});
  }
  return items;
}

/// One relation drawn; `threshold` < 0: never faded (a team's view of its own relations).
json edge(const Scenario& s, std::size_t i, std::size_t j, double tension, bool directed, bool changed,
          double threshold) {
  const TensionLevel level = tension_level(tension);
  return {{"id", fmt::format("{}{}{}", s.actors[i].id, directed ? "->" : "--", s.actors[j].id)},
          {"source", s.actors[i].id},
          {"target", s.actors[j].id},
          {"tension", tension},
          {"label", fmt::format("{:.2f}", tension)},
          {"level", level_name(level)},
          {"directed", directed},
          {"changed", changed},
          {"faded", tension < threshold && !changed},
          {"width", 2.0 + 16.0 * tension}};  // crisis relations are the thickest
}

json network(const Session& session, const Session& before, const RoomViewOptions& o) {
  const Scenario& s = session.current().scenario;
  const Eigen::MatrixXd& now = session.current().state.tension;
  const Eigen::MatrixXd& prev = before.current().state.tension;
  const std::size_t n = s.actor_count();
  // the team's actor index; n for the room view (a plain index: GCC 12 misjudges an optional here)
  const std::size_t team = o.team.empty() ? n : s.find_actor(o.team).value_or(n);
  json nodes = json::array(), edges = json::array();
  for (std::size_t k = 0; k < n; ++k) {
    const double angle = 2.0 * kPi * double(k) / double(std::max<std::size_t>(n, 1)) - kPi / 2.0;
    nodes.push_back({{"id", s.actors[k].id},
                     {"name", s.actors[k].name},
                     {"x", std::round(400.0 * std::cos(angle))},
                     {"y", std::round(300.0 * std::sin(angle))},
                     {"team", team == k}});
  }
  auto moved = [&](std::size_t i, std::size_t j) {
    return std::abs(now(Eigen::Index(i), Eigen::Index(j)) - prev(Eigen::Index(i), Eigen::Index(j))) > o.changed;
  };
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      if (team < n && team != i && team != j) continue;
      const double threshold = team < n ? -1.0 : o.threshold;
      const bool ij = s.has_relation(i, j), ji = s.has_relation(j, i);
      const double tij = now(Eigen::Index(i), Eigen::Index(j)), tji = now(Eigen::Index(j), Eigen::Index(i));
      if (ij && ji && tension_level(tij) == tension_level(tji)) {
        edges.push_back(edge(s, i, j, (tij + tji) / 2.0, false, moved(i, j) || moved(j, i), threshold));
        continue;
      }
      if (ij) edges.push_back(edge(s, i, j, tij, true, moved(i, j), threshold));
      if (ji) edges.push_back(edge(s, j, i, tji, true, moved(j, i), threshold));
    }
  return {{"nodes", nodes}, {"edges", edges}};
}

json team_part(const Session& session, const Session& before, const RoomViewOptions& o, std::size_t a) {
  const Branch& b = session.current();
  const Scenario& s = b.scenario;
  const Eigen::MatrixXd& now = b.state.tension;
  const Eigen::MatrixXd& prev = before.current().state.tension;
  json relations = json::array();
  for (std::size_t k = 0; k < s.actor_count(); ++k) {
    if (k == a || (!s.has_relation(a, k) && !s.has_relation(k, a))) continue;
    auto cell = [&](std::size_t i, std::size_t j) -> json {
      if (!s.has_relation(i, j)) return {{"text", "-"}, {"level", "none"}, {"turn_text", ""}};
      const double t = now(Eigen::Index(i), Eigen::Index(j));
      return {{"value", t},
              {"text", fmt::format("{:.3f}", t)},
              {"level", level_name(tension_level(t))},
              {"turn_text", signed_change(t - prev(Eigen::Index(i), Eigen::Index(j)))},
              {"turn_class", judge(t - prev(Eigen::Index(i), Eigen::Index(j)), Better::lower)}};
    };
    relations.push_back({{"id", s.actors[k].id}, {"name", s.actors[k].name}, {"out", cell(a, k)}, {"in", cell(k, a)}});
  }
  json moves = json::array();
  for (const JournalEntry& j : b.journal)
    if (j.team == s.actors[a].id)
      moves.push_back({{"step", j.made_at},
                       {"date", format_date(s.date_of_step(j.made_at))},
                       {"title", j.title},
                       {"kind", journal_kind_label(j.kind)},
                       {"rationale", text_or_null(j.rationale)}});
  json options = json::array();
  for (const CatalogEntry& p : list_policies(scenarios_dir(o.scenarios_dir))) {
    bool in_play = false;
    for (const std::string& id : s.policies) in_play = in_play || id == p.name;
    if (!in_play && (p.by.empty() || p.by == s.actors[a].id))  // another actor's move is not this team's
      options.push_back({{"name", p.name}, {"title", p.title}});
  }
  return {{"id", s.actors[a].id},
          {"name", s.actors[a].name},
          {"relations", relations},
          {"moves", moves},
          {"options", options}};
}

}  // namespace

Session last_turn(const Session& session) {
  Session before = session;
  const int step = session.current().state.step;
  // Back over the last step and what was typed after it, then over what was typed before it
  // since the step before: the turn is the moves and injects of a round and its `step`.
  while (before.current().state.step == step && step > 0)
    if (!before.undo().ok) return before;
  auto last_is_step = [&] {
    const Branch& b = before.current();
    if (b.history.size() <= b.forked_commands) return true;  // undo stops at the fork
    const ParsedCommand parsed = parse_session_command(b.history.back());
    return !parsed.command || parsed.command->kind == CommandKind::step;
  };
  while (!last_is_step())
    if (!before.undo().ok) break;
  return before;
}

std::optional<nlohmann::json> room_snapshot(const Session& session, const Session& before,
                                            const RoomViewOptions& options) {
  const Branch& b = session.current();
  const Scenario& s = b.scenario;
  std::optional<std::size_t> team;
  if (!options.team.empty() && !(team = s.find_actor(options.team))) return std::nullopt;
  const int turn_from = before.current().state.step;
  json view = {{"title", s.title},
               {"branch", b.name},
               {"step", b.state.step},
               {"steps", s.steps},
               {"date", format_date(s.date_of_step(b.state.step))},
               {"start_date", format_date(s.start)},
               {"turn_from", turn_from},
               {"turn_date", format_date(s.date_of_step(turn_from))},
               {"indicators", indicators(session, before)},
               {"last_turn", last_turn_items(session, before, options.team)},
               {"network", network(session, before, options)},
               {"view", team ? "team" : "room"}};
  view["has_last_turn"] = !view["last_turn"].empty();
  // What fits on a 1280x720 projector: the first items, and how many more `log` lists.
  if (view["last_turn"].size() > options.max_items) {
    view["more"] = view["last_turn"].size() - options.max_items;
    view["last_turn"].erase(view["last_turn"].begin() + std::ptrdiff_t(options.max_items), view["last_turn"].end());
  }
  if (team) view["team"] = team_part(session, before, options, *team);
  return view;
}

}  // namespace geosim
