// The HTML report's style sheet and its two small scripts (error display, chart embedding).
#include "html_report_page.hpp"

namespace geosim::html_page {

const char* const kStyle = R"CSS(
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
.worse { color: #b2182b; } .better { color: #1a7a3c; }
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
const char* const kErrorScript = R"JS(
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
const char* const kEmbedScript = R"JS(
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

}  // namespace geosim::html_page
