#pragma once
// The HTML report's insides, shared by its source files (html_report*.cpp): the page's data, the
// text helpers, the chart specs and the writer of its sections. Not a public header.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "geosim/io/number_text.hpp"
#include "geosim/report/html_report.hpp"
#include "html_report_assets.hpp"

namespace geosim::html_page {

using nlohmann::json;

/// The nonce every <script> element of the page carries (see the Content-Security-Policy).
inline constexpr const char* kScriptNonce = "geosim-report";

/// Rounded to 6 decimals, so the embedded data stays short.
inline double r6(double v) { return std::round(v * 1e6) / 1e6; }

/// Tick values for a quantitative scale from `low` to `high`: multiples of a "nice" step (1, 2 or 5
/// times a power of ten) giving about `count` ticks, and the decimals that step needs, so that
/// every label is distinct and shows its value (a step of 0.005 is labelled to 3 decimals).
struct Ticks {
  std::vector<double> values;  ///< ascending, within [low, high]
  int decimals = 0;            ///< digits after the point each label needs
};
Ticks nice_ticks(double low, double high, int count = 5);
/// `ticks` as a Vega-Lite legend's or axis's "values" and its d3 "format" ("+" for a signed one).
void set_ticks(json& legend_or_axis, const Ticks& ticks, bool sign = false);

/// The report's data and the questions every section asks of it.
struct Page {
  const ReportData& d;
  const Scenario& s;
  std::size_t n;
  std::size_t points;  ///< entries of the trajectory

  explicit Page(const ReportData& data)
      : d(data), s(data.scenario), n(data.scenario.actor_count()), points(data.run.tension.size()) {}

  int step_at(std::size_t k) const { return k < d.steps.size() ? d.steps[k] : int(k); }
  int first_step() const { return points == 0 ? 0 : step_at(0); }
  int last_step() const { return points == 0 ? 0 : step_at(points - 1); }
  std::string date(int step) const { return format_date(s.date_of_step(step)); }
  const std::string& id(std::size_t actor) const { return s.actors[actor].id; }
  std::string name(std::size_t actor) const {
    return s.actors[actor].name.empty() ? s.actors[actor].id : s.actors[actor].name;
  }
  double tension(std::size_t k, std::size_t i, std::size_t j) const {
    return d.run.tension[k](Eigen::Index(i), Eigen::Index(j));
  }
  std::string title() const { return s.title.empty() ? s.id : s.title; }
};

/// Above this many actors the tension matrices and the network show blocs, not actors.
inline constexpr std::size_t kBlocViewActors = 30;

/// What the tension matrices show: every actor, or (above kBlocViewActors actors) the blocs: each
/// organisation with members, with its members (an actor in several: the first), and "OTHERS"
/// for the actors in none; a cell is then the mean over the directed relations between them.
struct MatrixView {
  bool blocs = false;
  std::vector<std::string> ids, names;
  std::vector<std::size_t> sizes;  ///< actors in each row
  /// Row-major cells at the first and the last step, and the mean tie at the end; NaN = no cell.
  std::vector<double> first, last, tie;
};
MatrixView matrix_view(const Page& p);
/// The blocs' network as DOT: a node per bloc, an arrow per pair coloured by its mean tension.
std::string bloc_dot(const MatrixView& v);
/// The most characters (UTF-8 code points) a line of a name in the network diagram holds before
/// the name goes on to a further line: names of a few short lines keep the boxes narrow, so that
/// the circle of actors fits an A4 page's width with its names at 16 pt printed at 10 pt or more.
inline constexpr std::size_t kNetworkLineChars = 16;
/// `name` cut between words into lines of at most kNetworkLineChars characters (a longer word
/// keeps a line of its own), joined by newlines (DOT's line breaks once dot_quoted).
std::string network_label(const std::string& name);

// html_report.cpp: text
std::string script_json(const json& value);
const char* change_class(double change, Better better);
/// The views of the partials changes.html and source.html (templates/).
json changes_view(const Page& p, const std::vector<RelationChange>& changes);
json source_view(const SourceRef& source);

// html_report_charts.cpp: Vega-Lite specs
/// One small chart of a series over the run's points.
struct ChartSeries {
  std::string title;
  std::vector<double> values;      ///< one per point of the trajectory (NaN: none at that point)
  std::vector<double> thresholds;  ///< dashed red rules; empty = none
};
/// Each series over the run, one small chart each with its own scale, with markers at a
/// session's moves and injects: the indicators chart and a team's chart (html_report.hpp).
json series_spec(const Page& p, const std::vector<ChartSeries>& series, const ChartStyle& style = {});
/// The scenario's indicators as series, in its order.
std::vector<ChartSeries> indicator_series(const Page& p);
/// The indicators over the run (indicators_chart_spec in html_report.hpp).
json indicators_spec(const Page& p, const ChartStyle& style = {});
json fan_spec(const Page& p, const ReportEnsemble& e);
/// The tension heatmaps: three charts (the first step, the last, the change between them).
json heatmap_specs(const Page& p, const MatrixView& v);
/// The side of a heatmap's cell for `rows` rows, in px: each panel about 560 px wide, 14 to 40.
int heatmap_cell_px(std::size_t rows);
/// Whether a heatmap of `rows` rows writes each cell's value in it: only where "0.26" fits at
/// the report's smallest text (12 px; at 7 px, 29 rows' values could not be read). Otherwise
/// the colours, the legend and each cell's tooltip tell the values.
bool heatmap_numbers(std::size_t rows);

/// Builds the page's view section by section (html_report_sections.cpp, html_report_log.cpp);
/// the templates lay it out.
struct Writer {
  const Page& p;
  const ReportOptions& options;
  ReportOutcome outcome;
  std::vector<detail::JsLibrary> libraries;
  std::string libraries_error;
  json charts = json::array();

  /// A chart's spec into `charts`, and the view of its figure (chart.html).
  json chart(const std::string& id, json spec, const std::string& caption);
  /// chart() for small multiples: a list of charts of at most kChartPanelsPerPage panels each
  /// (chart_pages), `id`, `id`-2, `id`-3, ..., each captioned with the panels it shows when
  /// there are several, so that many indicators flow onto further pages.
  json paged_chart(const std::string& id, const json& spec, const std::string& caption);
  // The views of the sections, each laid out by templates/report-<section>.html; false for a
  // section the page does not have (html_report_sections.cpp).
  json indicators();
  json uncertainty();
  /// The scenario's effect against its reference, run by run (paired.hpp).
  json paired_effects(const ReportEnsemble& e) const;
  json tension_table(const MatrixView& v, const std::vector<double>& cells, const std::string& title) const;
  json tensions();
  json network();
  json bloc_summary(const ReportAnalysis& a, const char* when) const;
  json blocs() const;
  std::string event_title(const AppliedEvent& applied) const;
  // The views of the sections laid out by templates (html_report_log.cpp).
  json timeline() const;
  json after_action() const;
  /// What the injects and moves changed against the untouched scenario, run by run.
  json played_vs_untouched(const AfterAction& a) const;
  json sources() const;
  /// What the template lays out around the sections: the head, header, contents, footer and
  /// the scripts (html_report.cpp).
  json frame() const;
};

}  // namespace geosim::html_page
