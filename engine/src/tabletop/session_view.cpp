#include "geosim/tabletop/session_view.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <limits>

#include "geosim/core/indicator.hpp"
#include "geosim/io/escape.hpp"
#include "geosim/io/number_text.hpp"
#include "geosim/tabletop/after_action.hpp"

namespace geosim {
namespace {

const char* colour_code(TensionLevel level) {
  switch (level) {
    case TensionLevel::low:
      return "\033[32m";  // green
    case TensionLevel::moderate:
      return "";  // terminal default
    case TensionLevel::high:
      return "\033[33m";  // yellow
    case TensionLevel::crisis:
      return "\033[1;31m";  // bold red
  }
  return "";
}

/// One line per changed relation, indented by `indent` spaces.
std::string changes_block(const std::vector<std::string>& actors, const std::vector<RelationChange>& changes,
                          int indent) {
  const std::string pad(std::size_t(indent), ' ');
  std::string out;
  for (const RelationChange& c : changes) {
    const std::string parts = change_parts(c, " ");
    out += fmt::format("{}{}->{} {}\n", pad, actor_name(actors, c.from), actor_name(actors, c.to),
                       parts.empty() ? "no change" : parts);  // as the report says it
  }
  return out.empty() ? pad + "no change\n" : out;
}

std::string tension_table(const Scenario& s, const State& state, bool colour) {
  const std::size_t n = s.actor_count();
  std::size_t width = 5;
  for (const Actor& a : s.actors) width = std::max(width, a.id.size());
  std::string out = fmt::format("Tension (row = from, column = to; 0 partners .. 1 crisis):\n  {:<{}}", "", width);
  for (const Actor& a : s.actors) out += fmt::format(" {:>{}}", a.id, width);
  out += "\n";
  for (std::size_t i = 0; i < n; ++i) {
    out += fmt::format("  {:<{}}", s.actors[i].id, width);
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j || !s.has_relation(i, j)) {  // "-": no relation (self, or an absent pair)
        out += fmt::format(" {:>{}}", "-", width);
        continue;
      }
      const double t = state.tension(Eigen::Index(i), Eigen::Index(j));
      const std::string cell = fmt::format("{:>{}.3f}", t, width);
      const char* code = colour ? colour_code(tension_level(t)) : "";
      out += *code ? fmt::format(" {}{}\033[0m", code, cell) : " " + cell;
    }
    out += "\n";
  }
  if (colour)
    out +=
        fmt::format("  levels: {}low <0.25\033[0m, moderate <0.5, {}high <0.75\033[0m, {}crisis\033[0m\n",
                    colour_code(TensionLevel::low), colour_code(TensionLevel::high), colour_code(TensionLevel::crisis));
  return out;
}

}  // namespace

std::string step_label(const Scenario& s, int step) {
  return fmt::format("step {} ({})", step, format_date(s.date_of_step(step)));
}

TensionLevel tension_level(double t) {
  return t < 0.25   ? TensionLevel::low
         : t < 0.5  ? TensionLevel::moderate
         : t < 0.75 ? TensionLevel::high
                    : TensionLevel::crisis;
}

std::string status_text(const Session& session, bool colour) {
  const Branch& b = session.current();
  const Scenario& s = b.scenario;
  std::string out = fmt::format("{}\nbranch '{}', {} of {}, seed {}\n", terminal_text(s.title), b.name,
                                step_label(s, b.state.step), s.steps, session.setup().seed);
  if (!s.policies.empty()) out += fmt::format("policies in play: {}\n", fmt::join(s.policies, ", "));
  std::vector<std::string> pending;
  for (std::size_t e : b.pending.scenario_events) pending.push_back(s.events[e].id);
  for (const Event& e : b.pending.adhoc_events)
    pending.push_back(fmt::format("{} \"{}\"", e.id, terminal_text(e.title)));
  if (!pending.empty())
    out += fmt::format("pending injects (fire at step {}): {}\n", b.state.step + 1, fmt::join(pending, ", "));
  const std::vector<double> start = evaluate_indicators(s, session.initial_state().tension);
  const std::vector<double> now = evaluate_indicators(s, b.state.tension);
  std::size_t width = 0;
  for (const Indicator& i : s.indicators) width = std::max(width, terminal_text(i.title).size());
  out += s.indicators.empty() ? "\nIndicators: none declared\n" : "\nIndicators (start -> now):\n";
  for (std::size_t k = 0; k < s.indicators.size(); ++k)
    out += fmt::format("  {:<{}}  {:.3f} -> {:.3f}  ({})\n", terminal_text(s.indicators[k].title), width, start[k],
                       now[k], signed_change(now[k] - start[k]));
  return out + "\n" + tension_table(s, b.state, colour);
}

std::string events_text(const Session& session) {
  const Branch& b = session.current();
  const Scenario& s = b.scenario;
  std::string out = fmt::format("Events of branch '{}' (inject EVENT_ID fires one at the next step):\n", b.name);
  std::size_t width = 0;
  for (const Event& e : s.events) width = std::max(width, e.id.size());
  // In the order they fall due (a window by its first step; follow-ups last), the file's order
  // within a step.
  const auto due_step = [&](const Event& e) {
    return e.timing == Timing::at_step  ? e.step
           : e.timing == Timing::window ? e.window_first
           : e.step > 0                 ? e.step
                                        : std::numeric_limits<int>::max();
  };
  std::vector<std::size_t> order(s.events.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return due_step(s.events[a]) < due_step(s.events[b]); });
  for (const std::size_t k : order) {
    const Event& e = s.events[k];
    std::string due = e.timing == Timing::at_step  ? fmt::format("step {}", e.step)
                      : e.timing == Timing::window ? fmt::format("steps {}-{}", e.window_first, e.window_last)
                      : e.step > 0                 ? fmt::format("step {}, brought forward by an inject", e.step)
                                                   : std::string("follow-up/inject only");
    if (e.probability < 1.0) due += fmt::format(", chance {:g}", e.probability);
    if (e.condition) due += ", if " + e.condition_text;
    int fired = -1;
    for (const AppliedEvent& a : b.fired)
      if (!a.adhoc && a.event == k) fired = a.step;
    out += fmt::format("  {:<{}}  {}{}{}\n      {}\n", e.id, width, due,
                       e.policy.empty() ? "" : fmt::format(" [policy {}]", e.policy),
                       fired >= 0 ? fmt::format(" - fired at step {}", fired) : "", terminal_text(e.title));
  }
  return out;
}

std::string log_text(const Session& session) {
  AfterActionOptions options;
  options.played = false;  // the log lists; the paired replays are the after-action's
  const AfterAction record = gather_after_action(session, options);
  if (record.entries.empty()) return fmt::format("No injects or moves on branch '{}' yet.\n", record.branch);
  std::string out = fmt::format("Injects and moves of branch '{}':\n", record.branch);
  for (const AfterActionEntry& e : record.entries) {
    out += fmt::format("  step {} ({}): {}\n", e.made_at, format_date(e.date), terminal_text(e.command));
    if (!e.team.empty() || !e.rationale.empty())
      out += fmt::format("      by {}{}\n", e.team.empty() ? "the facilitator" : e.team,
                         e.rationale.empty() ? "" : ": \"" + terminal_text(e.rationale) + "\"");
    const std::string note = e.note.empty() ? "" : " (" + terminal_text(e.note) + ")";
    if (e.kind == JournalEntry::Kind::move) {
      out += fmt::format("      policy {} \"{}\", adjustments now:\n{}", e.id, terminal_text(e.title),
                         changes_block(record.actors, e.changes, 8));
      for (const auto& when : e.scheduled) out += "      scheduled " + when + "\n";
      for (const AppliedEvent& f : e.fired_events)
        out += fmt::format("      {} fired at step {}:\n{}", f.id, f.step, changes_block(record.actors, f.changes, 8));
    } else if (e.kind == JournalEntry::Kind::roll && !e.fired && e.fires_at == e.made_at) {
      out += fmt::format("      {} \"{}\": {}\n", e.id, terminal_text(e.title), terminal_text(e.note));
    } else if (e.fired) {
      out += fmt::format("      {} \"{}\"{} fired at step {}:\n{}", e.id, terminal_text(e.title), note, e.fires_at,
                         changes_block(record.actors, e.changes, 8));
    } else {
      out +=
          fmt::format("      {} \"{}\"{} pending: fires at step {}\n", e.id, terminal_text(e.title), note, e.fires_at);
    }
  }
  return out;
}

std::string branches_text(const Session& session) {
  const Scenario& s = session.scenario();
  const std::vector<double> start = evaluate_indicators(s, session.initial_state().tension);
  std::size_t width = 4;
  for (const Branch& b : session.branches()) width = std::max(width, b.name.size());
  std::string out = "Branches (* = current; indicators that moved most since the start):\n";
  for (const Branch& b : session.branches()) {
    const std::vector<double> now = evaluate_indicators(s, b.state.tension);
    std::vector<std::size_t> order(now.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      return std::abs(now[x] - start[x]) > std::abs(now[y] - start[y]);
    });
    std::string moved;
    for (std::size_t k = 0; k < order.size() && k < 3; ++k) {
      const std::string change = signed_change(now[order[k]] - start[order[k]]);
      if (change.find_first_not_of("0.") == std::string::npos) break;  // shown as 0.000: it did not move
      moved += fmt::format("{}{} {}", moved.empty() ? "" : ", ", terminal_text(s.indicators[order[k]].title), change);
    }
    const std::string origin =
        b.parent.empty() ? "from the start" : fmt::format("from {} at step {}", b.parent, b.forked_at);
    // The indicators by their titles, on a line of their own under the branch's.
    out += fmt::format(
        "{} {:<{}}  {:<22}  {}\n      {}\n", &b == &session.current() ? '*' : ' ', b.name, width,
        step_label(s, b.state.step), origin,
        moved.empty() ? (s.indicators.empty() ? "no indicators" : "no indicator moved by 0.001 or more") : moved);
  }
  return out;
}

}  // namespace geosim
