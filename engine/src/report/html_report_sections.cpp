// The HTML report's sections: head, header, indicators, uncertainty, tensions, network, blocs.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "geosim/core/state.hpp"
#include "geosim/report/export.hpp"
#include "html_report_page.hpp"

namespace geosim::html_page {

void Writer::chart(const std::string& id, json spec, const std::string& caption) {
  out << fmt::format("<figure><div class=\"chart\" id=\"{}\" data-chart>", id);
  if (libraries.empty())
    out << "<p class=\"chart-missing\">Chart not drawn: the JavaScript chart libraries were not available "
           "when this report was written (see the note at the top). The numbers are in the tables.</p>";
  else
    out << "<p class=\"muted\">Drawing the chart…</p>";
  out << "</div>";
  if (!caption.empty()) out << "<figcaption>" << caption << "</figcaption>";
  out << "</figure>\n";
  charts.push_back({{"id", id}, {"spec", std::move(spec)}});
  ++outcome.charts;
}

void Writer::head() {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         // Nothing may be fetched: no network, no file, only what is inline. Only the page's own
         // <script> elements run (they carry the nonce; 'unsafe-eval' is for Vega's expression
         // parser): no 'unsafe-inline', so no javascript: URL and no event-handler attribute runs.
         // The nonce is fixed (the page is byte-identical for the same inputs); it guards nothing
         // else, since every name on the page is escaped and no markup can be injected to use it.
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "script-src 'nonce-" << kScriptNonce << "' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; "
         "font-src data:; base-uri 'none'; form-action 'none'\">\n"
         "<meta name=\"generator\" content=\"geosim report\">\n";
  out << fmt::format("<title>{} — geosim report</title>\n", esc(p.title()));
  out << "<style>" << kStyle << "</style>\n";
  out << "<script nonce=\"" << kScriptNonce << "\">" << kErrorScript << "</script>\n</head>\n";
}

void Writer::header() {
  const Scenario& s = p.s;
  out << "<body>\n<header>\n";
  out << fmt::format("<h1>{}</h1>\n", esc(p.title()));
  if (!s.description.empty()) out << fmt::format("<p class=\"lead\">{}</p>\n", esc(s.description));
  std::vector<std::string> meta;
  meta.push_back(fmt::format("Scenario <code>{}</code>{}", esc(s.id),
                             s.path.empty() ? "" : fmt::format(" from <span class=\"file\">{}</span>", esc(s.path))));
  meta.push_back(fmt::format("steps {} to {} of {} day{} ({} to {})", p.first_step(), p.last_step(), s.step_days,
                             s.step_days == 1 ? "" : "s", p.date(p.first_step()), p.date(p.last_step())));
  meta.push_back(fmt::format("seed {}", p.d.seed));
  meta.push_back(s.policies.empty() ? std::string("no policy option applied")
                                    : fmt::format("policies: {}", esc(fmt::format("{}", fmt::join(s.policies, ", ")))));
  if (p.d.ensemble)
    meta.push_back(fmt::format("ensemble of {} runs{}", p.d.ensemble->runs,
                               p.d.ensemble->parameter_sd > 0
                                   ? fmt::format(" with parameter spread {:g}", p.d.ensemble->parameter_sd)
                                   : ""));
  out << fmt::format("<p class=\"meta\">{}</p>\n", fmt::join(meta, " · "));
  if (s.source)
    out << fmt::format("<p class=\"meta\">Source: {}</p>\n", quote_html(*s.source));
  out << "</header>\n";
  if (!libraries.empty())
    out << "<noscript><p class=\"note\">The charts of this report are drawn by JavaScript, which is turned off. "
           "Every number is also in the tables.</p></noscript>\n";
  else
    out << fmt::format(
        "<p class=\"note\" id=\"charts-unavailable\">Charts need the JavaScript libraries vega, vega-lite and "
        "vega-embed, which were not found when this report was written ({}). Install them with "
        "<code>npm ci</code> in geosim's source folder (or point <code>GEOSIM_JS_DIR</code> at a "
        "<code>node_modules</code> folder that has them) and write the report again. The tables below are "
        "complete.</p>\n",
        esc(libraries_error));
  out << "<section id=\"report-errors\" class=\"errors\" hidden><h2>Problems while drawing the charts</h2>"
         "<ul></ul></section>\n";
}

void Writer::contents() {
  out << "<nav><h2>Contents</h2><ol>";
  out << "<li><a href=\"#indicators\">Indicators</a></li>";
  if (p.d.ensemble && !p.s.indicators.empty()) out << "<li><a href=\"#uncertainty\">Uncertainty</a></li>";
  out << "<li><a href=\"#tensions\">Tensions</a></li>";
  out << "<li><a href=\"#network\">Relation network</a></li>";
  if (p.d.analysis_end || p.d.analysis_start) out << "<li><a href=\"#blocs\">Blocs and brokers</a></li>";
  out << "<li><a href=\"#timeline\">Timeline of events</a></li>";
  if (p.d.after_action) out << "<li><a href=\"#after-action\">After-action log</a></li>";
  out << "<li><a href=\"#sources\">Sources</a></li>";
  out << "</ol></nav>\n";
}

void Writer::indicators() {
  const Scenario& s = p.s;
  out << "<section id=\"indicators\">\n<h2>Indicators</h2>\n";
  out << "<p>The scenario's measures of the key relations: mean or largest tension of the relations listed "
         "(0 = close partners, 1 = open crisis), or an organisation's cohesion (1 − its members' mean "
         "tension). A change is green when it is good news and red when it is bad news, by which way "
         "the scenario declares better for the indicator (lower for a tension, higher for a cohesion "
         "unless it says otherwise); uncoloured when it declares neither.</p>\n";
  if (s.indicators.empty()) {
    out << "<p class=\"muted\">This scenario declares no indicators.</p>\n</section>\n";
    return;
  }
  const auto* e = p.d.ensemble ? &*p.d.ensemble : nullptr;
  const int e_last = e ? e->step_count() - 1 : -1;
  out << fmt::format("<table><thead><tr><th>Indicator</th><th class=\"num\">Step {}</th><th class=\"num\">Step {}</th>"
                     "<th class=\"num\">Change</th>{}</tr></thead><tbody>\n",
                     p.first_step(), p.last_step(),
                     e && e_last >= 0 ? fmt::format("<th class=\"num\">Median at step {0} over {1} runs</th>"
                                                    "<th class=\"num\">5th–95th percentile at step {0}</th>",
                                                    e_last, e->runs)
                                      : "");
  for (std::size_t k = 0; k < s.indicators.size(); ++k) {
    const double a = p.d.run.indicators.front()[k], b = p.d.run.indicators.back()[k];
    const char* cls = change_class(b - a, s.indicators[k].better);
    out << fmt::format("<tr><td>{}</td><td class=\"num\">{:.3f}</td><td class=\"num\">{:.3f}</td>"
                       "<td class=\"num {}\">{}</td>",
                       esc(s.indicators[k].title.empty() ? s.indicators[k].id : s.indicators[k].title), a, b, cls,
                       signed3(b - a));
    if (e && e_last >= 0 && k < e->indicator_count) {
      const auto& band = e->bands[std::size_t(e_last) * e->indicator_count + k];
      out << fmt::format("<td class=\"num\">{:.3f}</td><td class=\"num\">{:.3f} – {:.3f}</td>", band[2], band[0],
                         band[4]);
    }
    out << "</tr>\n";
  }
  out << "</tbody></table>\n";
  chart("chart-indicators", indicators_spec(p),
        fmt::format("Each indicator over time in the run with seed {}, one panel each with its own scale. "
                    "Dashed red lines: the thresholds the scenario declares.",
                    p.d.seed));
  out << "</section>\n";
}

void Writer::uncertainty() {
  if (!p.d.ensemble || p.s.indicators.empty()) return;
  const ReportEnsemble& e = *p.d.ensemble;
  out << "<section id=\"uncertainty\">\n<div class=\"keep\"><h2>Uncertainty</h2>\n";
  out << fmt::format("<p>{} runs of the scenario with seed {}: run r draws its chance events{} from its own "
                     "random stream ({}). The bands show how far the runs spread at each step.</p>\n",
                     e.runs, e.seed,
                     e.parameter_sd > 0 ? fmt::format(" and its actors' restraint and reactivity (relative "
                                                      "spread {:g})",
                                                      e.parameter_sd)
                                        : "",
                     e.parameter_sd > 0 ? "the run above keeps the parameters as written"
                                        : "the run above is run 0");
  chart("chart-fans", fan_spec(p, e),
        fmt::format("Percentile fans over {} runs: light band 5th–95th percentile, dark band 25th–75th, line the "
                    "median. Dashed red lines: declared thresholds.",
                    e.runs));
  out << "</div>\n";
  paired_effects(e);
  if (!e.thresholds.empty()) {
    out << "<h3>Thresholds</h3>\n<table><thead><tr><th>Indicator</th><th>Threshold</th>"
           "<th class=\"num\">Share of runs crossing it</th><th>By half the runs</th></tr></thead><tbody>\n";
    for (const auto& t : e.thresholds) {
      const std::string title = t.indicator < p.s.indicators.size()
                                    ? (p.s.indicators[t.indicator].title.empty() ? p.s.indicators[t.indicator].id
                                                                                 : p.s.indicators[t.indicator].title)
                                    : "?";
      out << fmt::format("<tr><td>{}</td><td>{} {:.2f}</td><td class=\"num\">{:.1f} %</td><td>{}</td></tr>\n",
                         esc(title), t.above ? "above" : "below", t.threshold, 100.0 * t.probability,
                         t.median_first_step < 0
                             ? std::string("<span class=\"muted\">not by half the runs</span>")
                             : fmt::format("step {} ({})", t.median_first_step, p.date(t.median_first_step)));
    }
    out << "</tbody></table>\n";
  }
  out << "</section>\n";
}

void Writer::paired_effects(const ReportEnsemble& e) {
  if (e.paired_reference.empty() || e.paired.size() != p.s.indicators.size()) return;
  out << fmt::format("<h3>Effect against {}, run by run</h3>\n<p>Run r of this scenario minus run r of {} "
                     "(the same seed, so the same chance draws), at the last step: the mean, the 5th–95th "
                     "percentile of the differences, and the share of runs in which the difference has the "
                     "mean's sign.</p>\n",
                     esc(e.paired_reference), esc(e.paired_reference));
  out << "<table><thead><tr><th>Indicator</th><th class=\"num\">Mean effect</th><th class=\"num\">5th–95th "
         "percentile</th><th class=\"num\">Runs with that sign</th></tr></thead><tbody>\n";
  for (std::size_t k = 0; k < p.s.indicators.size(); ++k) {
    const PairedSummary& d = e.paired[k];
    if (d.runs == 0) continue;
    out << fmt::format("<tr><td>{}</td><td class=\"num\">{:+.4f}</td><td class=\"num\">{:+.4f} – {:+.4f}</td>"
                       "<td class=\"num\">{:.0f} %</td></tr>\n",
                       esc(p.s.indicators[k].title.empty() ? p.s.indicators[k].id : p.s.indicators[k].title), d.mean,
                       d.low, d.high, 100.0 * d.sign_agreement);
  }
  out << "</tbody></table>\n";
}

void Writer::tension_table(std::size_t k, const std::string& title) {
  out << fmt::format("<h3>{}</h3>\n<table class=\"matrix\"><thead><tr><th>from \\ toward</th>", esc(title));
  for (std::size_t j = 0; j < p.n; ++j) out << "<th class=\"num\">" << esc(p.id(j)) << "</th>";
  out << "</tr></thead><tbody>\n";
  for (std::size_t i = 0; i < p.n; ++i) {
    out << "<tr><th>" << esc(p.id(i)) << "</th>";
    for (std::size_t j = 0; j < p.n; ++j) {
      if (i == j || !p.s.has_relation(i, j)) {  // a pair without a relation (absent): no tension
        out << "<td></td>";
        continue;
      }
      const double t = p.tension(k, i, j);
      out << fmt::format("<td class=\"num\" style=\"background: {}{}\">{:.2f}</td>", tension_colour(t),
                         t > 0.8 ? "; color: white" : "", t);
    }
    out << "</tr>\n";
  }
  out << "</tbody></table>\n";
}

void Writer::tensions() {
  out << "<section id=\"tensions\">\n<div class=\"keep\"><h2>Tensions</h2>\n";
  out << "<p>Every directed relation: row <em>from</em>, column <em>toward</em> (how the row's actor stands "
         "toward the column's), at the first and the last step, and the change between them.</p>\n";
  chart("chart-heatmap", heatmap_spec(p),
        "Tension from green (0, close partners) through amber (0.5) to red (1, open crisis); change from blue "
        "(eased) to red (worsened).");
  out << "</div>\n";
  if (libraries.empty()) {
    // Without the chart, the matrices as tables, coloured as the chart would colour them.
    tension_table(0, fmt::format("Step {} ({})", p.first_step(), p.date(p.first_step())));
    tension_table(p.points - 1, fmt::format("Step {} ({})", p.last_step(), p.date(p.last_step())));
  }
  // The largest moves as a table, so the section stands without the chart.
  std::vector<std::tuple<double, std::size_t, std::size_t>> moves;
  for (std::size_t i = 0; i < p.n; ++i)
    for (std::size_t j = 0; j < p.n; ++j)
      if (i != j) moves.emplace_back(-std::abs(p.tension(p.points - 1, i, j) - p.tension(0, i, j)), i, j);
  std::stable_sort(moves.begin(), moves.end(),
                   [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
  out << "<h3>Relations that moved most</h3>\n";
  std::string rows;
  for (std::size_t k = 0; k < moves.size() && k < 8; ++k) {
    const auto [neg, i, j] = moves[k];
    if (-neg < 0.0005) break;
    const double a = p.tension(0, i, j), b = p.tension(p.points - 1, i, j);
    rows += fmt::format("<tr><td>{} → {}</td><td class=\"num\">{:.3f}</td><td class=\"num\">{:.3f}</td>"
                        "<td class=\"num {}\">{}</td></tr>\n",
                        esc(p.name(i)), esc(p.name(j)), a, b, b > a ? "up" : "down", signed3(b - a));
  }
  if (rows.empty())
    out << "<p>No relation moved by more than 0.0005.</p>\n";
  else
    out << "<table><thead><tr><th>Relation</th><th class=\"num\">Start</th><th class=\"num\">End</th>"
           "<th class=\"num\">Change</th></tr></thead><tbody>\n"
        << rows << "</tbody></table>\n";
  out << "</section>\n";
}

void Writer::network() {
  out << "<section id=\"network\">\n<div class=\"keep\"><h2>Relation network</h2>\n";
  out << fmt::format(
      "<p>Every directed relation as an arrow coloured by its tension "
      "(<span class=\"legend-bar\" style=\"background: linear-gradient(to right, {}, {}, {}, {}, {})\"></span> "
      "0 to 1) and drawn thicker for a stronger tie (how much the first actor is shaped by the second). "
      "The same drawing as <code>geosim export --format dot</code>, laid out by Graphviz.</p>\n",
      tension_colour(0.0), tension_colour(0.25), tension_colour(0.5), tension_colour(0.75), tension_colour(1.0));
  if (options.graphviz.empty()) {
    out << "<p class=\"note\">No network diagram: no Graphviz program was chosen.</p>\n</div></section>\n";
    outcome.notes.push_back("network diagram left out: no Graphviz program chosen");
    return;
  }
  std::string error;
  std::ostringstream dot;
  export_graph(dot, p.s, p.d.run.final_state, ExportFormat::dot);
  const auto svg = graphviz_svg(dot.str(), options.graphviz, "net-", error);
  if (svg) {
    ++outcome.network_diagrams;
    out << fmt::format("<figure class=\"network\">{}<figcaption>At the end: step {} ({}). The tensions at the start "
                       "are in the heatmap above.</figcaption></figure>\n",
                       *svg, p.last_step(), p.date(p.last_step()));
  }
  if (!svg) {
    out << fmt::format("<p class=\"note\">No network diagram: {}. The tensions are in the heatmap and the "
                       "tables.</p>\n",
                       esc(error));
    outcome.notes.push_back("network diagram left out: " + error);
  }
  out << "</div></section>\n";
}

std::string Writer::bloc_label(int camp) const {
  return camp == 0 ? "<span class=\"bloc-a\">A</span>" : "<span class=\"bloc-b\">B</span>";
}

void Writer::bloc_summary(const ReportAnalysis& a, const char* when) {
  std::vector<std::string> camps[2];
  for (std::size_t i = 0; i < p.n && i < a.camp.size(); ++i) camps[a.camp[i] == 0 ? 0 : 1].push_back(esc(p.name(i)));
  if (camps[0].empty() || camps[1].empty())
    out << fmt::format("<p><strong>{} (step {}):</strong> one bloc of all the actors; no split into two camps "
                       "leaves fewer unbalanced relations.",
                       when, a.step);
  else
    out << fmt::format("<p><strong>{} (step {}):</strong> bloc {} {}; bloc {} {}.", when, a.step, bloc_label(0),
                       fmt::join(camps[0], ", "), bloc_label(1), fmt::join(camps[1], ", "));
  std::vector<std::string> pairs;
  for (const auto& [x, y] : a.unbalanced)
    if (x < p.n && y < p.n) pairs.push_back(fmt::format("{}–{}", esc(p.id(x)), esc(p.id(y))));
  out << fmt::format(" Relations the split leaves unbalanced: {}.", pairs.empty() ? "none" : fmt::format("{}", fmt::join(pairs, ", ")));
  if (a.triads > 0)
    out << fmt::format(" Unbalanced triads: {} of {}.", a.unbalanced_triads, a.triads);
  if (!a.exhaustive) out << " (Found by a local search: a good split, not proven the best.)";
  out << "</p>\n";
}

void Writer::blocs() {
  const ReportAnalysis* start = p.d.analysis_start ? &*p.d.analysis_start : nullptr;
  const ReportAnalysis* end = p.d.analysis_end ? &*p.d.analysis_end : nullptr;
  if (!start && !end) return;
  out << "<section id=\"blocs\">\n<h2>Blocs and brokers</h2>\n";
  out << fmt::format(
      "<p><strong>Blocs</strong> (structural balance): the split of the actors into two camps that leaves the "
      "fewest unbalanced relations, a relation counting as friendly when the mean of its two tensions is "
      "below {:.3g} (the scenario's cut). <strong>Brokers</strong> (betweenness): the share of ordered pairs of other "
      "actors whose lowest-tension route passes through the actor. <strong>Influence</strong>: eigenvector "
      "centrality of the ties (an actor matters when actors that matter are shaped by it).</p>\n",
      p.s.parameters.balance_cut);
  if (start) bloc_summary(*start, "At the start");
  if (end) bloc_summary(*end, "At the end");
  double top = 0.0;
  for (const auto* a : {start, end})
    if (a)
      for (double b : a->brokers) top = std::max(top, b);
  out << "<table><thead><tr><th>Actor</th>";
  if (start) out << fmt::format("<th>Bloc, step {}</th>", start->step);
  if (end) out << fmt::format("<th>Bloc, step {}</th>", end->step);
  if (start) out << fmt::format("<th class=\"num\">Broker, step {}</th>", start->step);
  if (end) out << fmt::format("<th>Broker, step {}</th>", end->step);
  if (end) out << fmt::format("<th class=\"num\">Influence, step {}</th>", end->step);
  out << "</tr></thead><tbody>\n";
  bool any_moved = false;
  for (std::size_t i = 0; i < p.n; ++i) {
    const bool moved = start && end && i < start->camp.size() && i < end->camp.size() && start->camp[i] != end->camp[i];
    any_moved = any_moved || moved;
    out << fmt::format("<tr{}><td>{} <span class=\"muted\">{}</span></td>", moved ? " class=\"changed\"" : "",
                       esc(p.name(i)), esc(p.id(i)));
    for (const auto* a : {start, end})
      if (a) out << "<td>" << (i < a->camp.size() ? bloc_label(a->camp[i]) : "") << "</td>";
    if (start) out << fmt::format("<td class=\"num\">{:.3f}</td>", i < start->brokers.size() ? start->brokers[i] : 0.0);
    if (end) {
      const double b = i < end->brokers.size() ? end->brokers[i] : 0.0;
      const int width = top > 0 ? int(std::lround(120.0 * b / top)) : 0;
      out << fmt::format("<td class=\"nowrap\"><span class=\"bar\" style=\"width: {}px\"></span>{:.3f}</td>", width, b);
      out << fmt::format("<td class=\"num\">{:.3f}</td>", i < end->influence.size() ? end->influence[i] : 0.0);
    }
    out << "</tr>\n";
  }
  out << "</tbody></table>\n";
  if (any_moved) out << "<p class=\"muted\">Highlighted rows: actors that changed bloc.</p>\n";
  out << "</section>\n";
}

}  // namespace geosim::html_page
