#include "geosim/tabletop/after_action.hpp"

#include <fmt/format.h>
#include <cmath>
#include <filesystem>

#include "geosim/core/indicator.hpp"
#include "geosim/io/escape.hpp"
#include "geosim/io/number_text.hpp"

namespace geosim {
namespace {

std::vector<IndicatorRow> indicator_rows(const Scenario& s, const State& start, const State& now) {
  const std::vector<double> a = evaluate_indicators(s, start.tension);
  const std::vector<double> b = evaluate_indicators(s, now.tension);
  std::vector<IndicatorRow> rows;
  for (std::size_t k = 0; k < s.indicators.size(); ++k)
    rows.push_back({s.indicators[k].id, s.indicators[k].title, a[k], b[k]});
  return rows;
}

std::string when(const Scenario& s, const Event& e) {
  if (e.timing == Timing::at_step)
    return fmt::format("step {} ({})", e.step,
                       e.date && s.step_of_date(*e.date) == e.step ? format_date(*e.date) : s.step_dates(e.step));
  if (e.timing == Timing::window) return fmt::format("one step in {}-{}", e.window_first, e.window_last);
  return "only as a follow-up";
}

AfterActionEntry entry_row(const Branch& b, const JournalEntry& j) {
  const Scenario& s = b.scenario;
  AfterActionEntry row;
  static_cast<JournalEntry&>(row) = j;
  row.date = s.date_of_step(j.made_at);
  for (std::size_t e : j.events) {
    const Event& event = s.events[e];
    row.scheduled.push_back(
        fmt::format("{}: {}{}", event.id, when(s, event),
                    event.probability < 1.0 ? fmt::format(", chance {:g}", event.probability) : ""));
    // A firing an inject or a roll brought about is that entry's: listed once, there.
    for (const AppliedEvent& applied : b.fired)
      if (!applied.adhoc && applied.event == e && applied.cause != "inject") row.fired_events.push_back(applied);
  }
  return row;
}

}  // namespace

std::string actor_name(const std::vector<std::string>& actors, std::size_t k) {
  return k < actors.size() ? actors[k] : fmt::format("#{}", k);
}

std::vector<std::string> actor_ids(const Scenario& scenario) {
  std::vector<std::string> ids;
  for (const Actor& a : scenario.actors) ids.push_back(a.id);
  return ids;
}

std::string change_parts(const RelationChange& c, std::string_view separator) {
  std::string parts;
  auto add = [&](const char* name, double v) {
    if (v != 0.0) parts += fmt::format("{}{} {}", parts.empty() ? "" : separator, name, signed_change(v));
  };
  add("tension", c.tension);
  add("baseline", c.baseline);
  add("tie", c.tie);
  return parts;
}

std::string changes_text(const std::vector<std::string>& actors, const std::vector<RelationChange>& changes) {
  std::string out;
  for (const RelationChange& c : changes) {
    const std::string parts = change_parts(c, " ");
    out += fmt::format("{}{} → {} {}", out.empty() ? "" : "; ", actor_name(actors, c.from), actor_name(actors, c.to),
                       parts.empty() ? "no change" : parts);
  }
  return out.empty() ? "no change" : out;
}

namespace {

std::string markdown_escape(const std::string& text) { return markdown_text(text); }
std::string code(const std::string& text) { return markdown_code(text); }

/// `path` absolute and without `.` or `..` steps: the same text for a session and the session
/// resumed from its file in another folder (where the path is found from the session file's).
std::string absolute_path(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

}  // namespace

AfterAction gather_after_action(const Session& session, const AfterActionOptions& options) {
  const Branch& b = session.current();
  const Scenario& s = session.scenario();
  AfterAction record{s.id,
                     s.title,
                     s.description,
                     absolute_path(session.scenario_file()),
                     session.setup().policies,
                     session.setup().seed,
                     b.name,
                     b.parent,
                     b.forked_at,
                     b.state.step,
                     s.steps,
                     s.start,
                     s.date_of_step(b.state.step),
                     indicator_rows(s, session.initial_state(), b.state),
                     actor_ids(s),
                     {},
                     {},
                     {},
                     0,
                     {},
                     s.settings};
  for (const JournalEntry& j : b.journal) record.entries.push_back(entry_row(b, j));
  for (const Branch& other : session.branches())
    record.branches.push_back({other.name, other.parent, other.forked_at, other.state.step,
                               indicator_rows(s, session.initial_state(), other.state)});
  if (options.played) {
    record.played_runs = kPlayedEffectRuns;
    record.played = played_effects(session, record.played_runs, record.played_error);
  }
  return record;
}

std::string after_action_markdown(const AfterAction& r) {
  std::string out = fmt::format("# After-action record: {}\n\n", markdown_escape(r.scenario_title));
  std::string description = r.scenario_description;
  while (!description.empty() && (description.back() == '\n' || description.back() == ' ')) description.pop_back();
  if (!description.empty()) out += markdown_escape(description) + "\n\n";
  out += fmt::format("- Scenario: {} ({})\n", code(r.scenario_id), markdown_escape(r.scenario_file));
  out += fmt::format("- Seed: {}\n", r.seed);
  if (!r.policies.empty()) {
    std::vector<std::string> policies;
    for (const auto& policy : r.policies) policies.push_back(markdown_escape(policy));
    out += fmt::format("- Policies from the start: {}\n", fmt::join(policies, ", "));
  }
  if (!r.settings.empty()) {
    std::vector<std::string> settings;
    for (const auto& setting : r.settings) settings.push_back(code(setting));
    out += fmt::format("- Set (`--set`, every branch): {}\n", fmt::join(settings, ", "));
  }
  out += fmt::format("- Branch: {}{}\n", code(r.branch),
                     r.parent.empty() ? "" : fmt::format(", forked from {} at step {}", code(r.parent), r.forked_at));
  out += fmt::format("- Played: step 0 ({}) to step {} of {} ({})\n\n", format_date(r.start_date), r.step, r.steps,
                     format_date(r.date));
  out += "## Injects and moves\n\n";
  if (r.entries.empty()) out += "None.\n";
  for (const AfterActionEntry& e : r.entries) {
    out += fmt::format("- **Step {} ({})**, {} {}: {}\n", e.made_at, format_date(e.date), journal_kind_label(e.kind),
                       code(e.id), markdown_escape(e.title));
    out += fmt::format("  - typed: {}\n", code(e.command));
    if (!e.team.empty()) out += fmt::format("  - by: {}\n", code(e.team));
    if (!e.rationale.empty()) out += fmt::format("  - why: {}\n", markdown_escape(e.rationale));
    if (!e.note.empty()) out += fmt::format("  - {}\n", markdown_escape(e.note));
    if (e.kind == JournalEntry::Kind::move) {
      out += fmt::format("  - adjustments now: {}\n", markdown_escape(changes_text(r.actors, e.changes)));
      for (const auto& s : e.scheduled) out += fmt::format("  - scheduled {}\n", markdown_escape(s));
      for (const AppliedEvent& f : e.fired_events)
        out += fmt::format("  - fired at step {}: {} ({}): {}\n", f.step, code(f.id), markdown_escape(f.cause),
                           markdown_escape(changes_text(r.actors, f.changes)));
    } else if (e.kind == JournalEntry::Kind::roll && !e.fired && e.fires_at == e.made_at) {
      out += "  - does not fire\n";
    } else if (e.fired) {
      out += fmt::format("  - fired at step {}: {}\n", e.fires_at, markdown_escape(changes_text(r.actors, e.changes)));
    } else {
      out += fmt::format("  - pending: fires at step {}\n", e.fires_at);
    }
  }
  out += fmt::format(
      "\n## Indicators\n\n| indicator | start (step 0) | now (step {}) | change |\n|---|---:|---:|---:|\n", r.step);
  for (const IndicatorRow& i : r.indicators)
    out += fmt::format("| {} | {:.3f} | {:.3f} | {} |\n", markdown_escape(i.title), i.start, i.now,
                       signed_change(i.now - i.start));
  if (!r.played.empty()) {
    out += fmt::format(
        "\n## Played vs untouched\n\nAt step {0}: as played, in the untouched scenario (seed {1}, no injects or "
        "moves), and the effect of the injects and moves run by run: the commands replayed in runs 0-{2} of seed {1} "
        "minus the untouched scenario's same runs (the same chance draws), as mean [5% .. 95%] and the share of runs "
        "with the mean's sign.\n\n| indicator | played | untouched | effect | 5% .. 95% | same sign |\n"
        "|---|---:|---:|---:|---:|---:|\n",
        r.step, r.seed, r.played_runs - 1);
    for (const PlayedEffect& p : r.played)
      out += fmt::format("| {} | {:.3f} | {:.3f} | {} | {} .. {} | {:.0f}% |\n", markdown_escape(p.title), p.played,
                         p.untouched, signed_change(p.effect.mean, 4), signed_change(p.effect.low, 4),
                         signed_change(p.effect.high, 4), 100 * p.effect.sign_agreement);
  } else if (!r.played_error.empty()) {
    out += "\nPlayed vs untouched: not computed (" + markdown_escape(r.played_error) + ").\n";
  }
  if (r.branches.size() > 1) {
    out += "\n## Branches\n\n| branch | from | step |";
    for (const IndicatorRow& i : r.indicators) out += fmt::format(" {} |", markdown_escape(i.id));
    out += "\n|---|---|---:|";
    for (std::size_t k = 0; k < r.indicators.size(); ++k) out += "---:|";
    out += "\n";
    for (const BranchRow& b : r.branches) {
      out += fmt::format(
          "| {} | {} | {} |", markdown_escape(b.name),
          b.parent.empty() ? "start" : fmt::format("{} at step {}", markdown_escape(b.parent), b.forked_at), b.step);
      for (const IndicatorRow& i : b.indicators) out += fmt::format(" {:.3f} |", i.now);
      out += "\n";
    }
  }
  return out;
}

std::string journal_kind_label(JournalEntry::Kind kind) {
  switch (kind) {
    case JournalEntry::Kind::inject:
      return "inject";
    case JournalEntry::Kind::adhoc:
      return "ad-hoc inject";
    case JournalEntry::Kind::move:
      return "move";
    case JournalEntry::Kind::roll:
      return "roll";
  }
  return "";
}

}  // namespace geosim
