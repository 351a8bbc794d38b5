// The HTML report's closing sections: timeline, after-action log, sources, footer, scripts.
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

void Writer::timeline() {
  const auto& log = p.d.run.events;
  out << "<section id=\"timeline\">\n<h2>Timeline of events</h2>\n";
  if (log.empty()) {
    out << "<p>No event fired.</p>\n</section>\n";
    return;
  }
  out << fmt::format("<p>The {} event{} that fired in the run with seed {}, in order, with the passage each "
                     "comes from and the changes it made (after bounds).</p>\n",
                     log.size(), log.size() == 1 ? "" : "s", p.d.seed);
  out << "<table class=\"timeline\"><colgroup><col style=\"width: 5%\"><col style=\"width: 9%\">"
         "<col style=\"width: 22%\"><col style=\"width: 32%\"><col style=\"width: 32%\"></colgroup>"
         "<thead><tr><th class=\"num\">Step</th><th>Date</th><th>Event</th><th>Source</th>"
         "<th>Effects</th></tr></thead><tbody>\n";
  for (const AppliedEvent& applied : log) {
    std::string about = fmt::format("<strong>{}</strong><br><code>{}</code>", esc(event_title(applied)), esc(applied.id));
    std::string detail = applied.cause;
    std::string source = "<span class=\"muted\">typed in the session</span>";
    if (!applied.adhoc && applied.event < p.s.events.size()) {
      const Event& event = p.s.events[applied.event];
      if (!event.policy.empty()) detail += ", policy " + event.policy;
      source = quote_html(event.source);
    }
    about += fmt::format(" <span class=\"muted\">{}</span>", esc(detail));
    out << fmt::format("<tr><td class=\"num\">{}</td><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       applied.step, esc(p.s.when_fired(applied.event, applied.adhoc, applied.step)), about, source,
                       changes_html(changes_of(p, applied.changes)));
  }
  out << "</tbody></table>\n</section>\n";
}

void Writer::after_action() {
  if (!p.d.after_action) return;
  const ReportAfterAction& a = *p.d.after_action;
  out << "<section id=\"after-action\">\n<h2>After-action log</h2>\n";
  out << fmt::format("<p>Branch <code>{}</code>{}: what the facilitator injected and the teams moved, in the order "
                     "it was typed.</p>\n",
                     esc(a.branch),
                     a.parent.empty() ? std::string()
                                      : fmt::format(", forked from <code>{}</code> at step {}", esc(a.parent), a.forked_at));
  if (a.entries.empty()) {
    out << "<p>No inject or move.</p>\n</section>\n";
    return;
  }
  out << "<table><thead><tr><th class=\"num\">Step</th><th>Date</th><th>Kind</th><th>What</th><th>Typed</th>"
         "<th>Effect</th></tr></thead><tbody>\n";
  for (const ReportLogEntry& e : a.entries) {
    std::string effect;
    if (e.kind == "move") {
      effect = "<div>Adjustments now:</div>" + changes_html(e.changes);
    } else if (e.fired) {
      effect = fmt::format("<div>Fired at step {}:</div>", e.fires_at) + changes_html(e.changes);
    } else {
      effect = fmt::format("<span class=\"muted\">pending: fires at step {}</span>", e.fires_at);
    }
    if (!e.notes.empty()) {
      effect += "<ul class=\"changes\">";
      for (const auto& note : e.notes) effect += "<li>" + esc(note) + "</li>";
      effect += "</ul>";
    }
    out << fmt::format("<tr><td class=\"num\">{}</td><td class=\"nowrap\">{}</td><td>{}</td>"
                       "<td><strong>{}</strong><br><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>\n",
                       e.step, p.date(e.step), esc(e.kind), esc(e.title.empty() ? e.id : e.title), esc(e.id),
                       esc(e.command), effect);
  }
  out << "</tbody></table>\n";
  played_vs_untouched(a);
  out << "</section>\n";
}

void Writer::played_vs_untouched(const ReportAfterAction& a) {
  if (a.played.empty()) return;
  out << fmt::format("<h3>Played vs untouched</h3>\n<p>Each indicator as played and in the untouched scenario "
                     "(same seed, no injects or moves), and the effect of the injects and moves run by run: the "
                     "commands replayed in runs 0–{} minus the untouched scenario's same runs (the same chance "
                     "draws): the mean, the 5th–95th percentile and the share of runs with the mean's sign.</p>\n",
                     a.played_runs - 1);
  out << "<table><thead><tr><th>Indicator</th><th class=\"num\">Played</th><th class=\"num\">Untouched</th>"
         "<th class=\"num\">Effect</th><th class=\"num\">5th–95th percentile</th><th class=\"num\">Same sign"
         "</th></tr></thead><tbody>\n";
  for (const PlayedEffect& e : a.played)
    out << fmt::format("<tr><td>{}</td><td class=\"num\">{:.3f}</td><td class=\"num\">{:.3f}</td><td class=\"num\">"
                       "{:+.4f}</td><td class=\"num\">{:+.4f} – {:+.4f}</td><td class=\"num\">{:.0f} %</td></tr>\n",
                       esc(e.title.empty() ? e.id : e.title), e.played, e.untouched, e.effect.mean, e.effect.low,
                       e.effect.high, 100.0 * e.effect.sign_agreement);
  out << "</tbody></table>\n";
}

void Writer::sources() {
  const Scenario& s = p.s;
  out << "<section id=\"sources\">\n<h2>Sources</h2>\n";
  out << "<p>Every event of the scenario with the passage of the source documents it rests on, and whether it "
         "fired in this run.</p>\n";
  std::map<std::size_t, std::vector<int>> fired;
  for (const AppliedEvent& applied : p.d.run.events)
    if (!applied.adhoc) fired[applied.event].push_back(applied.step);
  out << "<table><colgroup><col style=\"width: 30%\"><col style=\"width: 55%\"><col style=\"width: 15%\">"
         "</colgroup><thead><tr><th>Event</th><th>Cited passage</th><th>In this run</th></tr></thead><tbody>\n";
  if (s.source)
    out << fmt::format("<tr><td><strong>The scenario</strong></td><td>{}</td><td></td></tr>\n", quote_html(*s.source));
  std::set<std::string> documents;
  if (s.source && !s.source->file.empty()) documents.insert(s.source->file);
  for (std::size_t k = 0; k < s.events.size(); ++k) {
    const Event& event = s.events[k];
    if (!event.source.file.empty()) documents.insert(event.source.file);
    std::string when = "<span class=\"muted\">did not fire</span>";
    if (auto it = fired.find(k); it != fired.end())
      when = fmt::format("fired at step{} {}", it->second.size() == 1 ? "" : "s", fmt::join(it->second, ", "));
    out << fmt::format("<tr><td><strong>{}</strong><br><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>\n",
                       esc(event.title.empty() ? event.id : event.title), esc(event.id),
                       event.policy.empty() ? "" : fmt::format(" <span class=\"muted\">policy {}</span>", esc(event.policy)),
                       quote_html(event.source), when);
  }
  out << "</tbody></table>\n";
  if (!documents.empty()) {
    out << "<p>Documents cited (in <span class=\"file\">scenarios/sources/</span>): ";
    bool first = true;
    for (const auto& d : documents) {
      out << (first ? "" : ", ") << "<span class=\"file\">" << esc(d) << "</span>";
      first = false;
    }
    out << ".</p>\n";
  }
  out << "</section>\n";
}

void Writer::footer() {
  out << "<footer>\n";
  if (!p.d.command.empty()) out << fmt::format("<p>Written by <code>{}</code>.</p>\n", esc(p.d.command));
  std::string made;
  if (!libraries.empty()) {
    std::vector<std::string> names;
    for (const auto& l : libraries) names.push_back(l.version.empty() ? l.name : l.name + " " + l.version);
    made = fmt::format("Charts drawn in the browser by {}, inlined in this file.", fmt::join(names, ", "));
  } else {
    made = "Charts not included (no JavaScript libraries).";
  }
  if (outcome.network_diagrams > 0)
    made += fmt::format(" Network laid out by Graphviz ({}).", esc(options.graphviz));
  out << "<p>" << made << " The page loads nothing from anywhere else.</p>\n</footer>\n";
}

void Writer::scripts() {
  if (libraries.empty()) {
    out << "</body>\n</html>\n";
    return;
  }
  out << "<script type=\"application/json\" id=\"geosim-charts\">" << script_json(charts) << "</script>\n";
  for (const auto& library : libraries)
    out << fmt::format("<script data-library=\"{}\" data-version=\"{}\" nonce=\"{}\">\n", esc(library.name),
                       esc(library.version), kScriptNonce)
        << library.code << "\n</script>\n";
  out << "<script nonce=\"" << kScriptNonce << "\">" << kEmbedScript << "</script>\n</body>\n</html>\n";
}

}  // namespace geosim::html_page
