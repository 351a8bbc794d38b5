// The HTML report: page layout, tables, and the Vega-Lite specs of its charts.
#include "geosim/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "geosim/export.hpp"
#include "geosim/state.hpp"
#include "html_report_assets.hpp"

namespace geosim {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------- text

std::string esc(const std::string& text) { return html_escape(text); }

/// The nonce every <script> element of the page carries (see the Content-Security-Policy).
constexpr const char* kScriptNonce = "geosim-report";

/// Rounded to 6 decimals, so the embedded data stays short.
double r6(double v) { return std::round(v * 1e6) / 1e6; }

std::string signed3(double v) {
  if (std::abs(v) < 0.0005) return "0.000";
  return fmt::format("{:+.3f}", v);
}

/// JSON text that can sit inside <script type="application/json">: no '<', '>' or '&' (written
/// as \u escapes, which JSON.parse reads back) and no URL.
std::string script_json(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out += c;
  }
  return detail::neutralize_urls(out, "\\u003a");
}

// ---------------------------------------------------------------- the data

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

std::vector<ReportChange> changes_of(const Page& p, const std::vector<RelationChange>& changes) {
  std::vector<ReportChange> rows;
  for (const RelationChange& c : changes)
    if (c.from < p.n && c.to < p.n) rows.push_back({p.id(c.from), p.id(c.to), c.tension, c.baseline, c.tie});
  return rows;
}

/// "tension +0.040, baseline -0.020" for the non-zero parts.
std::string change_parts(const ReportChange& c) {
  std::vector<std::string> parts;
  if (c.tension != 0.0) parts.push_back("tension " + signed3(c.tension));
  if (c.baseline != 0.0) parts.push_back("baseline " + signed3(c.baseline));
  if (c.tie != 0.0) parts.push_back("tie " + signed3(c.tie));
  return parts.empty() ? "no change" : fmt::format("{}", fmt::join(parts, ", "));
}

/// A list of changes, the two directions of a relation on one line when they are equal.
std::string changes_html(const std::vector<ReportChange>& changes) {
  auto same = [](double x, double y) { return std::abs(x - y) < 5e-7; };
  if (changes.empty()) return "<span class=\"muted\">no change</span>";
  std::vector<bool> used(changes.size(), false);
  std::string out = "<ul class=\"changes\">";
  for (std::size_t a = 0; a < changes.size(); ++a) {
    if (used[a]) continue;
    const ReportChange& c = changes[a];
    std::string arrow = "→";
    for (std::size_t b = a + 1; b < changes.size(); ++b)
      if (!used[b] && changes[b].from == c.to && changes[b].to == c.from && same(changes[b].tension, c.tension) &&
          same(changes[b].baseline, c.baseline) && same(changes[b].tie, c.tie)) {
        used[b] = true;
        arrow = "↔";
        break;
      }
    out += fmt::format("<li><span class=\"pair\">{} {} {}</span> {}</li>", esc(c.from), arrow, esc(c.to),
                       esc(change_parts(c)));
  }
  return out + "</ul>";
}

std::string quote_html(const SourceRef& source) {
  if (source.quote.empty() && source.file.empty()) return "<span class=\"muted\">no source given</span>";
  std::string out;
  if (!source.quote.empty()) out += fmt::format("<q>{}</q>", esc(source.quote));
  if (!source.file.empty()) out += fmt::format(" <span class=\"file\">{}</span>", esc(source.file));
  return out;
}

// ---------------------------------------------------------------- chart specs

json base_config() {
  return {{"font", "DejaVu Sans, Helvetica, Arial, sans-serif"},
          {"view", {{"stroke", "#cccccc"}}},
          {"axis", {{"labelFontSize", 10}, {"titleFontSize", 11}, {"gridColor", "#eeeeee"}}},
          {"header", {{"labelFontSize", 12}, {"labelFontWeight", "bold"}, {"labelLimit", 300}}},
          {"legend", {{"labelFontSize", 10}, {"titleFontSize", 11}}},
          {"title", {{"fontSize", 13}, {"anchor", "start"}}}};
}

json date_axis() {
  return {{"field", "date"},
          {"type", "temporal"},
          {"scale", {{"type", "utc"}}},
          {"title", nullptr},
          {"axis", {{"format", "%b %Y"}, {"labelAngle", 0}, {"tickCount", 4}, {"labelOverlap", true}}}};
}

json value_axis(const std::string& field) {
  return {{"field", field},
          {"type", "quantitative"},
          {"scale", {{"zero", false}}},
          {"title", nullptr},
          {"axis", {{"tickCount", 4}}}};
}

json threshold_layer(const std::vector<double>& thresholds) {
  json values = json::array();
  for (double t : thresholds) values.push_back({{"threshold", t}});
  return {{"data", {{"values", values}}},
          {"mark", {{"type", "rule"}, {"color", "#b2182b"}, {"strokeDash", {4, 3}}, {"strokeWidth", 1}}},
          {"encoding",
           {{"y", {{"field", "threshold"}, {"type", "quantitative"}}},
            {"tooltip", json::array({{{"field", "threshold"}, {"type", "quantitative"}, {"title", "threshold"}}})}}}};
}

/// One small chart per indicator, three to a row, each with its own vertical scale: `layers`
/// drawn from the rows of that indicator, plus dashed rules at its declared thresholds.
json small_multiples(const Scenario& s, json rows, const json& layers) {
  json charts = json::array();
  for (std::size_t k = 0; k < s.indicators.size(); ++k) {
    const Indicator& indicator = s.indicators[k];
    json layer = json::array();
    for (json l : layers) {
      l["data"] = {{"name", "rows"}};
      l["transform"] = json::array({{{"filter", {{"field", "k"}, {"equal", k}}}}});
      layer.push_back(std::move(l));
    }
    if (!indicator.thresholds.empty()) layer.push_back(threshold_layer(indicator.thresholds));
    charts.push_back({{"title", indicator.title.empty() ? indicator.id : indicator.title},
                      {"width", 270},
                      {"height", 120},
                      {"layer", std::move(layer)}});
  }
  return {{"datasets", {{"rows", std::move(rows)}}},
          {"concat", std::move(charts)},
          {"columns", 3},
          {"spacing", {{"row", 16}, {"column", 24}}},
          {"resolve", {{"scale", {{"y", "independent"}}}}},
          {"config", base_config()}};
}

json indicators_spec(const Page& p) {
  json rows = json::array();
  for (std::size_t k = 0; k < p.points; ++k) {
    const int step = p.step_at(k);
    const auto& values = p.d.run.indicators[k];
    for (std::size_t i = 0; i < p.s.indicators.size() && i < values.size(); ++i)
      rows.push_back({{"k", i}, {"step", step}, {"date", p.date(step)}, {"value", r6(values[i])}});
  }
  json tooltip = json::array({{{"field", "date"}, {"type", "nominal"}},
                              {{"field", "step"}, {"type", "quantitative"}},
                              {{"field", "value"}, {"type", "quantitative"}, {"format", ".3f"}}});
  json layers = json::array();
  layers.push_back({{"mark", {{"type", "line"}, {"color", "#1f4e79"}, {"strokeWidth", 2}}},
                    {"encoding", {{"x", date_axis()}, {"y", value_axis("value")}}}});
  layers.push_back({{"mark", {{"type", "point"}, {"opacity", 0}, {"size", 60}}},
                    {"encoding", {{"x", date_axis()}, {"y", value_axis("value")}, {"tooltip", tooltip}}}});
  return small_multiples(p.s, std::move(rows), layers);
}

json fan_spec(const Page& p, const ReportEnsemble& e) {
  json rows = json::array();
  const int steps = e.step_count();
  for (int step = 0; step < steps; ++step)
    for (std::size_t i = 0; i < p.s.indicators.size() && i < e.indicator_count; ++i) {
      const auto& b = e.bands[std::size_t(step) * e.indicator_count + i];
      rows.push_back({{"k", i},
                      {"step", step},
                      {"date", p.date(step)},
                      {"p5", r6(b[0])},
                      {"p25", r6(b[1])},
                      {"p50", r6(b[2])},
                      {"p75", r6(b[3])},
                      {"p95", r6(b[4])}});
    }
  auto band = [&](const char* low, const char* high, const char* colour) {
    json y = value_axis(low);
    return json{{"mark", {{"type", "area"}, {"color", colour}}},
                {"encoding", {{"x", date_axis()}, {"y", y}, {"y2", {{"field", high}}}}}};
  };
  json tooltip = json::array({{{"field", "date"}, {"type", "nominal"}},
                              {{"field", "step"}, {"type", "quantitative"}}});
  for (const char* f : {"p5", "p25", "p50", "p75", "p95"})
    tooltip.push_back({{"field", f}, {"type", "quantitative"}, {"format", ".3f"}});
  json layers = json::array();
  layers.push_back(band("p5", "p95", "#c6dbef"));
  layers.push_back(band("p25", "p75", "#6baed6"));
  layers.push_back({{"mark", {{"type", "line"}, {"color", "#08306b"}, {"strokeWidth", 2}}},
                    {"encoding", {{"x", date_axis()}, {"y", value_axis("p50")}}}});
  layers.push_back({{"mark", {{"type", "point"}, {"opacity", 0}, {"size", 60}}},
                    {"encoding", {{"x", date_axis()}, {"y", value_axis("p50")}, {"tooltip", tooltip}}}});
  return small_multiples(p.s, std::move(rows), layers);
}

json heatmap_spec(const Page& p) {
  json rows = json::array();
  double largest = 0.0;
  const std::size_t last = p.points - 1;
  for (std::size_t i = 0; i < p.n; ++i)
    for (std::size_t j = 0; j < p.n; ++j) {
      if (i == j) continue;
      const double a = p.tension(0, i, j), b = p.tension(last, i, j);
      largest = std::max(largest, std::abs(b - a));
      rows.push_back({{"from", p.id(i)},
                      {"to", p.id(j)},
                      {"start", r6(a)},
                      {"end", r6(b)},
                      {"change", r6(b - a)},
                      {"start_label", fmt::format("{:.2f}", a)},
                      {"end_label", fmt::format("{:.2f}", b)},
                      {"change_label", std::abs(b - a) < 0.005 ? std::string() : fmt::format("{:+.2f}", b - a)}});
    }
  json ids = json::array();
  for (std::size_t i = 0; i < p.n; ++i) ids.push_back(p.id(i));
  const int cell = std::clamp(int(280 / std::max<std::size_t>(p.n, 1)), 14, 30);
  // The same colours as every other tension colour of geosim (tension_colour).
  const json tension_scale = {{"domain", {0.0, 0.5, 1.0}},
                              {"range", {tension_colour(0.0), tension_colour(0.5), tension_colour(1.0)}},
                              {"interpolate", "rgb"}};
  const double m = std::max(largest, 0.01);
  const json change_scale = {{"domain", {-m, 0.0, m}}, {"range", {"#2166ac", "#f7f7f7", "#b2182b"}}, {"interpolate", "rgb"}};
  auto panel = [&](const std::string& field, const std::string& title, const json& scale, const char* format,
                   bool legend, const std::string& dark_test) {
    json colour = {{"field", field}, {"type", "quantitative"}, {"scale", scale}};
    if (legend)
      colour["legend"] = {{"title", field == "change" ? "change" : "tension"}, {"format", format}, {"gradientLength", cell * int(p.n) - 20}};
    else
      colour["legend"] = nullptr;
    const json text_colour = {{"condition", {{"test", dark_test}, {"value", "white"}}}, {"value", "black"}};
    return json{
        {"title", title},
        {"width", cell * int(p.n)},
        {"height", cell * int(p.n)},
        {"encoding",
         {{"x", {{"field", "to"}, {"type", "nominal"}, {"sort", ids}, {"title", "toward"}, {"axis", {{"labelAngle", -45}}}}},
          {"y", {{"field", "from"}, {"type", "nominal"}, {"sort", ids}, {"title", "from"}}}}},
        {"layer",
         json::array({{{"mark", {{"type", "rect"}, {"stroke", "white"}, {"strokeWidth", 1}}},
                       {"encoding",
                        {{"color", colour},
                         {"tooltip", json::array({{{"field", "from"}, {"type", "nominal"}},
                                                  {{"field", "to"}, {"type", "nominal"}},
                                                  {{"field", "start"}, {"type", "quantitative"}, {"format", ".3f"}},
                                                  {{"field", "end"}, {"type", "quantitative"}, {"format", ".3f"}},
                                                  {{"field", "change"}, {"type", "quantitative"}, {"format", "+.3f"}}})}}}},
                      {{"mark", {{"type", "text"}, {"fontSize", cell >= 26 ? 9 : 7}}},
                       {"encoding", {{"text", {{"field", field + "_label"}, {"type", "nominal"}}},
                                     {"color", text_colour}}}}})}};
  };
  json hconcat = json::array();
  hconcat.push_back(panel("start", fmt::format("Step {} ({})", p.first_step(), p.date(p.first_step())), tension_scale,
                          ".2f", false, "datum.start > 0.8"));
  hconcat.push_back(panel("end", fmt::format("Step {} ({})", p.last_step(), p.date(p.last_step())), tension_scale,
                          ".2f", true, "datum.end > 0.8"));
  hconcat.push_back(panel("change", "Change", change_scale, "+.2f", true,
                          fmt::format("abs(datum.change) > {}", r6(0.75 * m))));
  return {{"datasets", {{"tension", rows}}},
          {"data", {{"name", "tension"}}},
          {"hconcat", hconcat},
          {"spacing", 24},
          {"resolve", {{"scale", {{"color", "independent"}}}}},
          {"config", base_config()}};
}

// ---------------------------------------------------------------- the page

const char* kStyle = R"CSS(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.45;
       color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 1180px; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #1f4e79; }
h3 { font-size: 16px; margin: 22px 0 8px; }
p { margin: 6px 0 10px; }
.lead { font-size: 15px; max-width: 900px; }
.meta { color: #444; margin: 4px 0; }
.muted { color: #777; }
.file { color: #555; font-size: 12px; font-family: "DejaVu Sans Mono", monospace; white-space: nowrap; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 12.5px; background: #f3f3f3; padding: 0 3px; }
q { font-style: italic; }
nav ol { columns: 2; max-width: 640px; margin: 6px 0; }
table { border-collapse: collapse; margin: 8px 0 14px; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f2f5f8; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
tr.changed td { background: #fff7e0; }
table.matrix { width: auto; font-size: 12px; }
table.matrix td, table.matrix th { padding: 3px 6px; border: 1px solid #fff; }
@media print { table.matrix td { print-color-adjust: exact; -webkit-print-color-adjust: exact; } }
ul.changes { margin: 0; padding-left: 0; list-style: none; font-size: 13px; }
ul.changes .pair { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; white-space: nowrap; }
.up { color: #b2182b; } .down { color: #1a7a3c; }
figure { margin: 10px 0 18px; }
figcaption { color: #444; font-size: 13px; margin-top: 6px; max-width: 960px; }
.chart { overflow-x: auto; min-height: 40px; }
.chart-missing, .note { background: #fff4e5; border-left: 4px solid #e08a00; padding: 8px 12px; }
.errors { background: #fdecea; border-left: 4px solid #b2182b; padding: 8px 12px; }
figure.network { max-width: 860px; }
.network svg { display: block; max-width: 100%; height: auto; }
.legend-bar { display: inline-block; width: 220px; height: 12px; vertical-align: middle; border: 1px solid #ccc; }
.bar { display: inline-block; height: 10px; background: #6baed6; vertical-align: middle; margin-right: 6px; }
.bloc-a { color: #08519c; font-weight: 600; } .bloc-b { color: #a63603; font-weight: 600; }
footer { margin-top: 40px; padding-top: 10px; border-top: 1px solid #ccc; color: #555; font-size: 12.5px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav, noscript { display: none; }
  h2, h3 { break-after: avoid; }
  .keep { break-inside: avoid; }
  figure, tr { break-inside: avoid; }
  .chart { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
)CSS";

// Runs first: collects every error and warning (the libraries' and the browser's) into the page,
// where a reader and the tests can see them.
const char* kErrorScript = R"JS(
(function () {
  "use strict";
  var problems = [];
  function show() {
    var box = document.getElementById("report-errors");
    if (!box || !document.body) return false;
    var list = box.querySelector("ul");
    while (problems.length) {
      var item = document.createElement("li");
      item.textContent = problems.shift();
      list.appendChild(item);
    }
    box.hidden = list.children.length === 0;
    document.body.dataset.chartErrors = String(list.children.length);
    return true;
  }
  function report(kind, message) {
    problems.push(kind + ": " + message);
    if (!show()) document.addEventListener("DOMContentLoaded", show);
  }
  window.geosimReport = report;
  window.addEventListener("error", function (e) {
    report("error", (e.message || String(e)) + (e.filename ? " (" + e.lineno + ":" + e.colno + ")" : ""));
  });
  window.addEventListener("unhandledrejection", function (e) {
    report("error", String(e.reason && e.reason.message ? e.reason.message : e.reason));
  });
  document.addEventListener("securitypolicyviolation", function (e) {
    report("blocked", e.violatedDirective + " " + (e.blockedURI || ""));
  });
  ["error", "warn"].forEach(function (level) {
    var original = console[level];
    console[level] = function () {
      report(level === "warn" ? "warning" : "error", Array.prototype.map.call(arguments, String).join(" "));
      return original.apply(console, arguments);
    };
  });
})();
)JS";

// Runs last: draws every chart, then sets data-charts-ready on <body>.
const char* kEmbedScript = R"JS(
(function () {
  "use strict";
  var charts = JSON.parse(document.getElementById("geosim-charts").textContent);
  document.body.dataset.chartsExpected = String(charts.length);
  if (typeof vegaEmbed !== "function") {
    window.geosimReport("error", "vega-embed did not load");
    return;
  }
  Promise.all(charts.map(function (chart) {
    return vegaEmbed("#" + chart.id, chart.spec, { mode: "vega-lite", actions: false, renderer: "svg" });
  })).then(function (results) {
    var drawn = 0;
    charts.forEach(function (chart) {
      var svg = document.querySelector("#" + chart.id + " svg");
      var width = svg ? parseFloat(svg.getAttribute("width")) : 0;
      var height = svg ? parseFloat(svg.getAttribute("height")) : 0;
      if (width > 0 && height > 0 && svg.querySelector(".mark-group")) drawn += 1;
      else window.geosimReport("error", "chart " + chart.id + " came out empty");
    });
    document.body.dataset.chartsReady = String(drawn);
  }, function (error) {
    window.geosimReport("error", String(error && error.message ? error.message : error));
  });
})();
)JS";

struct Writer {
  std::ostream& out;
  const Page& p;
  const ReportOptions& options;
  ReportOutcome outcome;
  std::vector<detail::JsLibrary> libraries;
  std::string libraries_error;
  json charts = json::array();

  void chart(const std::string& id, json spec, const std::string& caption) {
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

  void head() {
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

  void header() {
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

  void contents() {
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

  void indicators() {
    const Scenario& s = p.s;
    out << "<section id=\"indicators\">\n<h2>Indicators</h2>\n";
    out << "<p>The scenario's measures of the key relations: mean or largest tension of the relations listed "
           "(0 = close partners, 1 = open crisis), or an organisation's cohesion (1 − its members' mean "
           "tension).</p>\n";
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
      const char* cls = b > a + 0.0005 ? "up" : b < a - 0.0005 ? "down" : "";
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

  void uncertainty() {
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

  void tension_table(std::size_t k, const std::string& title) {
    out << fmt::format("<h3>{}</h3>\n<table class=\"matrix\"><thead><tr><th>from \\ toward</th>", esc(title));
    for (std::size_t j = 0; j < p.n; ++j) out << "<th class=\"num\">" << esc(p.id(j)) << "</th>";
    out << "</tr></thead><tbody>\n";
    for (std::size_t i = 0; i < p.n; ++i) {
      out << "<tr><th>" << esc(p.id(i)) << "</th>";
      for (std::size_t j = 0; j < p.n; ++j) {
        if (i == j) {
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

  void tensions() {
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

  void network() {
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

  std::string bloc_label(int camp) const {
    return camp == 0 ? "<span class=\"bloc-a\">A</span>" : "<span class=\"bloc-b\">B</span>";
  }

  void bloc_summary(const ReportAnalysis& a, const char* when) {
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

  void blocs() {
    const ReportAnalysis* start = p.d.analysis_start ? &*p.d.analysis_start : nullptr;
    const ReportAnalysis* end = p.d.analysis_end ? &*p.d.analysis_end : nullptr;
    if (!start && !end) return;
    out << "<section id=\"blocs\">\n<h2>Blocs and brokers</h2>\n";
    out << "<p><strong>Blocs</strong> (structural balance): the split of the actors into two camps that leaves the "
           "fewest unbalanced relations, a relation counting as friendly when the mean of its two tensions is "
           "below 0.5. <strong>Brokers</strong> (betweenness): the share of ordered pairs of other actors whose "
           "lowest-tension route passes through the actor. <strong>Influence</strong>: eigenvector centrality of "
           "the ties (an actor matters when actors that matter are shaped by it).</p>\n";
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

  std::string event_title(const AppliedEvent& applied) const {
    if (!applied.adhoc && applied.event < p.s.events.size()) {
      const Event& event = p.s.events[applied.event];
      return event.title.empty() ? event.id : event.title;
    }
    for (const auto& [id, title] : p.d.adhoc_titles)
      if (id == applied.id) return title;
    return applied.id;
  }

  void timeline() {
    const auto& log = p.d.run.final_state.log;
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
                         applied.step, p.date(applied.step), about, source,
                         changes_html(changes_of(p, applied.changes)));
    }
    out << "</tbody></table>\n</section>\n";
  }

  void after_action() {
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
    out << "</tbody></table>\n</section>\n";
  }

  void sources() {
    const Scenario& s = p.s;
    out << "<section id=\"sources\">\n<h2>Sources</h2>\n";
    out << "<p>Every event of the scenario with the passage of the source documents it rests on, and whether it "
           "fired in this run.</p>\n";
    std::map<std::size_t, std::vector<int>> fired;
    for (const AppliedEvent& applied : p.d.run.final_state.log)
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

  void footer() {
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

  void scripts() {
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
};

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return detail::neutralize_urls(out, "&#58;");
}

ReportOutcome write_html_report(std::ostream& out, const ReportData& data, const ReportOptions& options) {
  const Page page(data);
  Writer w{out, page, options, {}, {}, {}, json::array()};
  if (page.points == 0 || data.run.indicators.size() != page.points) {
    // Nothing was run: an honest page rather than an empty chart.
    w.head();
    out << fmt::format("<body><h1>{}</h1><p class=\"note\">This report has no run to show.</p></body></html>\n",
                       esc(page.title()));
    w.outcome.notes.push_back("no run to show");
    return w.outcome;
  }
  const std::string dir = options.js_dir.empty() ? default_report_js_dir() : options.js_dir;
  w.libraries = detail::load_js_libraries(dir, w.libraries_error);
  w.outcome.scripts_inlined = !w.libraries.empty();
  if (w.libraries.empty()) w.outcome.notes.push_back("charts left out: " + w.libraries_error);
  w.head();
  w.header();
  w.contents();
  w.indicators();
  w.uncertainty();
  w.tensions();
  w.network();
  w.blocs();
  w.timeline();
  w.after_action();
  w.sources();
  w.footer();
  w.scripts();
  return w.outcome;
}

}  // namespace geosim
