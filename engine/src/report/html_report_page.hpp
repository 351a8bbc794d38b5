#pragma once
// The HTML report's insides, shared by its source files (html_report*.cpp): the page's data, the
// text helpers, the chart specs and the writer of its sections. Not a public header.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "geosim/report/html_report.hpp"
#include "html_report_assets.hpp"

namespace geosim::html_page {

using nlohmann::json;

/// The nonce every <script> element of the page carries (see the Content-Security-Policy).
inline constexpr const char* kScriptNonce = "geosim-report";

inline std::string esc(const std::string& text) { return html_escape(text); }

/// Rounded to 6 decimals, so the embedded data stays short.
inline double r6(double v) { return std::round(v * 1e6) / 1e6; }

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

// html_report.cpp: text
std::string signed3(double v);
std::string script_json(const json& value);
std::vector<ReportChange> changes_of(const Page& p, const std::vector<RelationChange>& changes);
const char* change_class(double change, Better better);
std::string change_parts(const ReportChange& c);
std::string changes_html(const std::vector<ReportChange>& changes);
std::string quote_html(const SourceRef& source);

// html_report_charts.cpp: Vega-Lite specs
json indicators_spec(const Page& p);
json fan_spec(const Page& p, const ReportEnsemble& e);
json heatmap_spec(const Page& p);

// html_report_style.cpp: the page's style sheet and scripts
extern const char* const kStyle;
extern const char* const kErrorScript;
extern const char* const kEmbedScript;

/// Writes the page section by section (html_report_sections.cpp, html_report_log.cpp).
struct Writer {
  std::ostream& out;
  const Page& p;
  const ReportOptions& options;
  ReportOutcome outcome;
  std::vector<detail::JsLibrary> libraries;
  std::string libraries_error;
  json charts = json::array();

  void chart(const std::string& id, json spec, const std::string& caption);
  void head();
  void header();
  void contents();
  void indicators();
  void uncertainty();
  /// The scenario's effect against its reference, run by run (paired.hpp).
  void paired_effects(const ReportEnsemble& e);
  void tension_table(std::size_t k, const std::string& title);
  void tensions();
  void network();
  std::string bloc_label(int camp) const;
  void bloc_summary(const ReportAnalysis& a, const char* when);
  void blocs();
  std::string event_title(const AppliedEvent& applied) const;
  void timeline();
  void after_action();
  /// What the injects and moves changed against the untouched scenario, run by run.
  void played_vs_untouched(const ReportAfterAction& a);
  void sources();
  void footer();
  void scripts();
};

}  // namespace geosim::html_page
