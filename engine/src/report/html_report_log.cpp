// The views of the HTML report's closing sections (timeline, after-action log, sources), laid out
// by templates/report-timeline.html, report-after-action.html and report-sources.html.
#include <algorithm>
#include <map>
#include <set>

#include "html_report_page.hpp"

namespace geosim::html_page {

std::string Writer::event_title(const AppliedEvent& applied) const {
  if (!applied.adhoc && applied.event < p.s.events.size()) {
    const Event& event = p.s.events[applied.event];
    return event.title.empty() ? event.id : event.title;
  }
  for (const auto& [id, title] : p.d.adhoc_titles)
    if (id == applied.id) return title;
  return applied.id;
}

json Writer::timeline() const {
  const auto& log = p.d.run.events;
  json events = json::array();
  for (const AppliedEvent& applied : log) {
    std::string detail = applied.cause;
    json source = false;  // typed in the session
    if (!applied.adhoc && applied.event < p.s.events.size()) {
      const Event& event = p.s.events[applied.event];
      if (!event.policy.empty()) detail += ", policy " + event.policy;
      source = source_view(event.source);
    }
    events.push_back({{"step", std::to_string(applied.step)},
                      {"when", p.s.when_fired(applied.event, applied.adhoc, applied.step)},
                      {"title", event_title(applied)},
                      {"id", applied.id},
                      {"detail", detail},
                      {"source", std::move(source)},
                      {"changes", changes_view(p, applied.changes)}});
  }
  return {{"any", !log.empty()},
          {"count", std::to_string(log.size())},
          {"plural", log.size() != 1},
          {"seed", std::to_string(p.d.seed)},
          {"events", std::move(events)}};
}

json Writer::after_action() const {
  if (!p.d.after_action) return false;
  const AfterAction& a = *p.d.after_action;
  json entries = json::array();
  for (const AfterActionEntry& e : a.entries) {
    const bool move = e.kind == JournalEntry::Kind::move;
    std::vector<std::string> notes;
    if (!e.team.empty() || !e.rationale.empty())  // who and why, as for `log`
      notes.push_back(fmt::format("by {}{}", e.team.empty() ? "the facilitator" : e.team,
                                  e.rationale.empty() ? "" : ": \"" + e.rationale + "\""));
    for (const std::string& when : e.scheduled) notes.push_back("scheduled " + when);
    for (const AppliedEvent& f : e.fired_events)
      notes.push_back(
          fmt::format("{} fired at step {} ({}): {}", f.id, f.step, f.cause, changes_text(a.actors, f.changes)));
    entries.push_back({{"step", std::to_string(e.made_at)},
                       {"date", p.date(e.made_at)},
                       {"kind", journal_kind_label(e.kind)},
                       {"title", e.title.empty() ? e.id : e.title},
                       {"id", e.id},
                       {"command", e.command},
                       {"move", move},
                       {"fired", !move && e.fired},
                       {"pending", !move && !e.fired},
                       {"fires_at", std::to_string(e.fires_at)},
                       {"changes", changes_view(p, e.changes)},
                       {"has_notes", !notes.empty()},
                       {"notes", notes}});
  }
  json view = played_vs_untouched(a);
  view.update({{"branch", a.branch},
               {"parent", a.parent.empty() ? json(false) : json(a.parent)},
               {"forked_at", std::to_string(a.forked_at)},
               {"any", !a.entries.empty()},
               {"entries", std::move(entries)}});
  return view;
}

json Writer::played_vs_untouched(const AfterAction& a) const {
  json rows = json::array();
  for (const PlayedEffect& e : a.played)
    rows.push_back({{"title", e.title.empty() ? e.id : e.title},
                    {"played", fmt::format("{:.3f}", e.played)},
                    {"untouched", fmt::format("{:.3f}", e.untouched)},
                    {"mean", signed_change(e.effect.mean, 4)},
                    {"low", signed_change(e.effect.low, 4)},
                    {"high", signed_change(e.effect.high, 4)},
                    {"share", fmt::format("{:.0f}", 100.0 * e.effect.sign_agreement)}});
  return {{"played_any", !a.played.empty()},
          {"played_last", std::to_string(a.played_runs - 1)},
          {"played_rows", std::move(rows)}};
}

json Writer::sources() const {
  const Scenario& s = p.s;
  std::map<std::size_t, std::vector<int>> fired;
  for (const AppliedEvent& applied : p.d.run.events)
    if (!applied.adhoc) fired[applied.event].push_back(applied.step);
  std::set<std::string> documents;
  if (s.source && !s.source->file.empty()) documents.insert(s.source->file);
  json events = json::array();
  for (std::size_t k = 0; k < s.events.size(); ++k) {
    const Event& event = s.events[k];
    if (!event.source.file.empty()) documents.insert(event.source.file);
    json when = false;  // did not fire
    if (auto it = fired.find(k); it != fired.end())
      when = {{"plural", it->second.size() != 1}, {"steps", fmt::format("{}", fmt::join(it->second, ", "))}};
    events.push_back({{"title", event.title.empty() ? event.id : event.title},
                      {"id", event.id},
                      {"policy", event.policy.empty() ? json(false) : json(event.policy)},
                      {"source", source_view(event.source)},
                      {"fired", std::move(when)}});
  }
  json cited = json::array();
  for (const auto& d : documents) cited.push_back({{"first", cited.empty()}, {"name", d}});
  return {{"scenario_source", s.source ? source_view(*s.source) : json(false)},
          {"events", std::move(events)},
          {"documents_any", !documents.empty()},
          {"documents", std::move(cited)}};
}

}  // namespace geosim::html_page
