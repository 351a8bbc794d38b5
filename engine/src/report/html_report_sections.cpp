// The views of the HTML report's sections indicators, uncertainty, tensions, network and blocs,
// laid out by templates/report-<section>.html.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "geosim/core/state.hpp"
#include "geosim/io/number_text.hpp"
#include "geosim/report/ensemble_report.hpp"
#include "geosim/report/export.hpp"
#include "html_report_page.hpp"
#include "text_bars.hpp"

namespace geosim::html_page {

json Writer::chart(const std::string& id, json spec, const std::string& caption) {
  charts.push_back({{"id", id}, {"spec", std::move(spec)}});
  ++outcome.charts;
  return {{"id", id}, {"caption", caption.empty() ? json(false) : json(caption)}};
}

json Writer::paged_chart(const std::string& id, const json& spec, const std::string& caption) {
  const json pages = chart_pages(spec);
  if (pages.size() == 1) return json::array({chart(id, pages[0], caption)});
  json out = json::array();
  std::size_t first = 1;
  const std::size_t all = spec["concat"].size();
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const std::size_t last = first + pages[i]["concat"].size() - 1;
    out.push_back(chart(i == 0 ? id : fmt::format("{}-{}", id, i + 1), pages[i],
                        fmt::format("{} Panels {} to {} of {}.", caption, first, last, all)));
    first = last + 1;
  }
  return out;
}

namespace {
std::string indicator_title(const Scenario& s, std::size_t k) {
  return s.indicators[k].title.empty() ? s.indicators[k].id : s.indicators[k].title;
}
}  // namespace

json Writer::indicators() {
  const Scenario& s = p.s;
  if (s.indicators.empty()) return {{"any", false}};
  const auto* e = p.d.ensemble ? &*p.d.ensemble : nullptr;
  const int e_last = e ? e->step_count() - 1 : -1;
  json rows = json::array();
  for (std::size_t k = 0; k < s.indicators.size(); ++k) {
    const double a = p.d.run.indicators.front()[k], b = p.d.run.indicators.back()[k];
    json band = false;
    if (e && e_last >= 0 && k < e->indicator_count) {
      const auto& q = e->bands[std::size_t(e_last) * e->indicator_count + k];
      band = {{"median", fmt::format("{:.3f}", q[2])},
              {"low", fmt::format("{:.3f}", q[0])},
              {"high", fmt::format("{:.3f}", q[4])}};
    }
    rows.push_back({{"title", indicator_title(s, k)},
                    {"start", fmt::format("{:.3f}", a)},
                    {"end", fmt::format("{:.3f}", b)},
                    {"class", change_class(b - a, s.indicators[k].better)},
                    {"change", signed_change(b - a)},
                    {"band", std::move(band)}});
  }
  return {{"any", true},
          {"ensemble_last",
           e && e_last >= 0 ? json{{"step", std::to_string(e_last)}, {"runs", std::to_string(e->runs)}} : json(false)},
          {"rows", std::move(rows)},
          {"chart",
           paged_chart(
               "chart-indicators", indicators_spec(p),
               fmt::format("Each indicator over time in the run with seed {}, one panel each with its own "
                           "scale. Dashed red lines: the thresholds the scenario declares.{}",
                           p.d.seed,
                           p.d.after_action && !p.d.after_action->entries.empty()
                               ? " Dashed vertical lines, a triangle at the top of each: the session's moves (purple), "
                                 "injects (orange), and a move and an inject at one step (black)."
                               : ""))}};
}

json Writer::uncertainty() {
  if (!p.d.ensemble || p.s.indicators.empty()) return false;
  const ReportEnsemble& e = *p.d.ensemble;
  json thresholds = json::array();
  for (const auto& t : e.thresholds)
    thresholds.push_back(
        {{"title", t.indicator < p.s.indicators.size() ? indicator_title(p.s, t.indicator) : std::string("?")},
         {"side", t.above ? "above" : "below"},
         {"threshold", fmt::format("{:.2f}", t.threshold)},
         {"share", fmt::format("{:.1f}", 100.0 * t.probability)},
         {"by", t.median_first_step < 0
                    ? json(false)
                    : json{{"step", std::to_string(t.median_first_step)}, {"date", p.date(t.median_first_step)}}}});
  return {{"runs", std::to_string(e.runs)},
          {"seed", std::to_string(e.seed)},
          {"spread", e.parameter_sd > 0 ? json(fmt::format("{:g}", e.parameter_sd)) : json(false)},
          {"held", e.held_runs > 0 ? json(std::to_string(e.held_runs)) : json(false)},
          {"held_meaning", kHeldRunsMeaning},
          {"chart", paged_chart("chart-fans", fan_spec(p, e),
                                fmt::format("Percentile fans over {} runs: light band 5th–95th percentile, dark band "
                                            "25th–75th, line the median. Dashed red lines: declared thresholds.",
                                            e.runs))},
          {"paired", paired_effects(e)},
          {"thresholds_any", !e.thresholds.empty()},
          {"thresholds", std::move(thresholds)}};
}

json Writer::paired_effects(const ReportEnsemble& e) const {
  if (e.paired_reference.empty() || e.paired.size() != p.s.indicators.size()) return false;
  json rows = json::array();
  for (std::size_t k = 0; k < p.s.indicators.size(); ++k) {
    const PairedSummary& d = e.paired[k];
    if (d.runs == 0) continue;
    rows.push_back({{"title", indicator_title(p.s, k)},
                    {"mean", signed_change(d.mean, 4)},
                    {"low", signed_change(d.low, 4)},
                    {"high", signed_change(d.high, 4)},
                    {"share", fmt::format("{:.0f}", 100.0 * d.sign_agreement)}});
  }
  return {{"reference", e.paired_reference}, {"rows", std::move(rows)}};
}

json Writer::tension_table(const MatrixView& v, const std::vector<double>& cells_of, const std::string& title) const {
  json columns = json::array(), rows = json::array();
  const std::size_t m = v.ids.size();
  for (std::size_t j = 0; j < m; ++j) columns.push_back(v.ids[j]);
  for (std::size_t i = 0; i < m; ++i) {
    json cells = json::array();
    for (std::size_t j = 0; j < m; ++j) {
      const double t = cells_of.empty() ? std::nan("") : cells_of[i * m + j];
      if ((!v.blocs && i == j) || std::isnan(t)) {  // a pair without a relation (absent): no tension
        cells.push_back({{"empty", true}});
        continue;
      }
      cells.push_back(
          {{"empty", false}, {"colour", tension_colour(t)}, {"dark", t > 0.8}, {"value", fmt::format("{:.2f}", t)}});
    }
    rows.push_back({{"id", v.ids[i]}, {"cells", std::move(cells)}});
  }
  return {{"title", title}, {"columns", std::move(columns)}, {"rows", std::move(rows)}};
}

json Writer::tensions() {
  const MatrixView v = matrix_view(p);
  json heatmaps = json::array();
  json specs = heatmap_specs(p, v);
  const char* const ids[] = {"chart-heatmap-start", "chart-heatmap-end", "chart-heatmap-change"};
  // Without the chart libraries one figure says so (the tables below stand in for all three).
  const std::size_t figures = libraries.empty() ? 1 : 3;
  for (std::size_t k = 0; k < specs.size() && k < figures; ++k)
    heatmaps.push_back(chart(ids[k], std::move(specs[k]), ""));
  json view = {{"charts", std::move(heatmaps)},
               {"caption", fmt::format("Tension from green (0, close partners) through amber (0.5) to red (1, open "
                                       "crisis); change from blue (eased) to red (worsened).{}",
                                       heatmap_numbers(v.ids.size()) || libraries.empty()
                                           ? ""
                                           : fmt::format(" {} rows are too many to write each value in its cell: "
                                                         "point at a cell for its values.",
                                                         v.ids.size()))},
               {"tables", json::array()}};
  if (libraries.empty()) {
    // Without the chart, the matrices as tables, coloured as the chart would colour them.
    view["tables"].push_back(
        tension_table(v, v.first, fmt::format("Step {} ({})", p.first_step(), p.date(p.first_step()))));
    view["tables"].push_back(
        tension_table(v, v.last, fmt::format("Step {} ({})", p.last_step(), p.date(p.last_step()))));
  }
  view["bloc_view"] = v.blocs;
  view["actors"] = std::to_string(p.n);
  view["bloc_count"] = std::to_string(v.ids.size());
  // The largest moves as a table, so the section stands without the chart.
  std::vector<std::tuple<double, std::size_t, std::size_t>> moves;
  for (std::size_t i = 0; i < p.n; ++i)
    for (std::size_t j = 0; j < p.n; ++j)
      if (i != j) moves.emplace_back(-std::abs(p.tension(p.points - 1, i, j) - p.tension(0, i, j)), i, j);
  std::stable_sort(moves.begin(), moves.end(),
                   [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
  json moved = json::array();
  for (std::size_t k = 0; k < moves.size() && k < 8; ++k) {
    const auto [neg, i, j] = moves[k];
    if (-neg < 0.0005) break;
    const double a = p.tension(0, i, j), b = p.tension(p.points - 1, i, j);
    moved.push_back({{"from", p.name(i)},
                     {"to", p.name(j)},
                     {"start", fmt::format("{:.3f}", a)},
                     {"end", fmt::format("{:.3f}", b)},
                     {"direction", b > a ? "up" : "down"},
                     {"change", signed_change(b - a)}});
  }
  view["moved_any"] = !moved.empty();
  view["moved"] = std::move(moved);
  return view;
}

json Writer::network() {
  json legend = json::array();
  for (double t : {0.0, 0.25, 0.5, 0.75, 1.0})
    legend.push_back({{"first", legend.empty()}, {"colour", tension_colour(t)}});
  json view = {{"legend", std::move(legend)},
               {"no_program", options.graphviz.empty()},
               {"svg", false},
               {"error", false},
               {"step", std::to_string(p.last_step())},
               {"date", p.date(p.last_step())}};
  if (options.graphviz.empty()) {
    outcome.notes.push_back("network diagram left out: no Graphviz program chosen");
    return view;
  }
  std::string error;
  std::ostringstream dot;
  const MatrixView v = matrix_view(p);
  view["bloc_view"] = v.blocs;
  view["actors"] = std::to_string(p.n);
  if (v.blocs)
    dot << bloc_dot(v);  // at scale: every relation would be 40,000 arrows
  else {                 // export's graph, its names on a few short lines (at most kBlocViewActors actors to copy)
    // The drawing is scaled to the page: past 16 actors their names came out 5 to 6 px tall;
    // their ids are short enough to stay readable.
    constexpr std::size_t kNamedActors = 16;
    view["by_id"] = p.n > kNamedActors;
    Scenario named = p.s;
    for (Actor& actor : named.actors) actor.name = p.n > kNamedActors ? actor.id : network_label(actor.name);
    export_graph(dot, named, p.d.run.final_state, ExportFormat::dot);
  }
  if (const auto svg = graphviz_svg(dot.str(), options.graphviz, "net-", error)) {
    ++outcome.network_diagrams;
    view["svg"] = *svg;
  } else {
    view["error"] = error;
    outcome.notes.push_back("network diagram left out: " + error);
  }
  return view;
}

namespace {
/// The items joined with ", "; at scale (more than kBlocViewActors actors) the first `most` and
/// how many more, so that a page of 200 states stays readable.
std::string joined(const std::vector<std::string>& items, std::size_t actors, std::size_t most) {
  if (actors <= kBlocViewActors || items.size() <= most) return fmt::format("{}", fmt::join(items, ", "));
  return fmt::format("{} and {} more", fmt::join(items.begin(), items.begin() + std::ptrdiff_t(most), ", "),
                     items.size() - most);
}
}  // namespace

json Writer::bloc_summary(const ReportAnalysis& a, const char* when) const {
  std::vector<std::string> camps[2];
  for (std::size_t i = 0; i < p.n && i < a.camp.size(); ++i) camps[a.camp[i] == 0 ? 0 : 1].push_back(p.name(i));
  std::vector<std::string> pairs;
  for (const auto& [x, y] : a.unbalanced)
    if (x < p.n && y < p.n) pairs.push_back(fmt::format("{}–{}", p.id(x), p.id(y)));
  return {{"when", when},
          {"step", std::to_string(a.step)},
          {"one_bloc", camps[0].empty() || camps[1].empty()},
          {"camp_a", joined(camps[0], p.n, 40)},
          {"camp_b", joined(camps[1], p.n, 40)},
          {"unbalanced", pairs.empty() ? std::string("none") : joined(pairs, p.n, 20)},
          {"triads", a.triads > 0 ? json{{"unbalanced_triads", std::to_string(a.unbalanced_triads)},
                                         {"count", std::to_string(a.triads)}}
                                  : json(false)},
          {"local", !a.exhaustive}};
}

json Writer::blocs() const {
  const ReportAnalysis* start = p.d.analysis_start ? &*p.d.analysis_start : nullptr;
  const ReportAnalysis* end = p.d.analysis_end ? &*p.d.analysis_end : nullptr;
  if (!start && !end) return false;
  json summaries = json::array();
  if (start) summaries.push_back(bloc_summary(*start, "At the start"));
  if (end) summaries.push_back(bloc_summary(*end, "At the end"));
  double top = 0.0;
  for (const auto* a : {start, end})
    if (a)
      for (double b : a->brokers) top = std::max(top, b);
  double top_influence = 0.0;
  if (end)
    for (double v : end->influence) top_influence = std::max(top_influence, v);
  // As many decimals as show the highest score (at 200 actors every broker score read 0.000).
  const int broker_decimals = detail::decimals_for(top), influence_decimals = detail::decimals_for(top_influence);
  json rows = json::array();
  bool any_moved = false;
  // At scale, the actors with the highest broker scores at the end (then influence) and any that
  // changed bloc, in that order; otherwise every actor in the scenario's order.
  std::vector<std::size_t> order(p.n);
  for (std::size_t i = 0; i < p.n; ++i) order[i] = i;
  constexpr std::size_t kTopActors = 25;
  const bool top_only = p.n > kBlocViewActors && end;
  if (top_only) {
    auto score = [&](std::size_t i) {
      return std::pair(i < end->brokers.size() ? end->brokers[i] : 0.0,
                       i < end->influence.size() ? end->influence[i] : 0.0);
    };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return score(x) > score(y); });
  }
  for (std::size_t k = 0; k < p.n; ++k) {
    const std::size_t i = order[k];
    const bool moved = start && end && i < start->camp.size() && i < end->camp.size() && start->camp[i] != end->camp[i];
    if (top_only && k >= kTopActors && !moved) continue;
    any_moved = any_moved || moved;
    json camps = json::array();
    for (const auto* a : {start, end})
      if (a) {
        const bool has = i < a->camp.size();
        camps.push_back({{"a", has && a->camp[i] == 0}, {"b", has && a->camp[i] != 0}});
      }
    json end_cells = false;
    if (end) {
      const double b = i < end->brokers.size() ? end->brokers[i] : 0.0;
      end_cells = {{"width", std::to_string(top > 0 ? int(std::lround(120.0 * b / top)) : 0)},
                   {"broker", fmt::format("{:.{}f}", b, broker_decimals)},
                   {"influence",
                    fmt::format("{:.{}f}", i < end->influence.size() ? end->influence[i] : 0.0, influence_decimals)}};
    }
    rows.push_back(
        {{"moved", moved},
         {"name", p.name(i)},
         {"id", p.id(i)},
         {"camps", std::move(camps)},
         {"start_broker",
          start ? json(fmt::format("{:.{}f}", i < start->brokers.size() ? start->brokers[i] : 0.0, broker_decimals))
                : json(false)},
         {"end_cells", std::move(end_cells)}});
  }
  auto step_of = [](const ReportAnalysis* a) { return a ? json{{"step", std::to_string(a->step)}} : json(false); };
  return {{"cut", fmt::format("{:.3g}", p.s.parameters.balance_cut)},
          {"summaries", std::move(summaries)},
          {"start", step_of(start)},
          {"end", step_of(end)},
          {"top_only",
           top_only ? json{{"shown", std::to_string(rows.size())}, {"actors", std::to_string(p.n)}} : json(false)},
          {"rows", std::move(rows)},
          {"any_moved", any_moved}};
}

}  // namespace geosim::html_page
