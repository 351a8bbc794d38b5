// The HTML report: what the page holds, that it fetches nothing, that it stands without the
// chart libraries, and the command that writes it (its charts' ticks: test_chart_ticks.cpp; in a
// real headless Chromium: test_html_report_browser.cpp).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <geosim/core/ensemble.hpp>
#include <geosim/core/run.hpp>
#include <geosim/io/loader.hpp>
#include <geosim/report/export.hpp>
#include <geosim/report/html_report.hpp>
#include <geosim/report/room_page.hpp>
#include <geosim/tabletop/session.hpp>
#include <geosim/tabletop/session_command.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include "support/builders.hpp"
#include "support/cli.hpp"
#include "support/report_pages.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;
using geosim::testing::slurp;
using testing::contains;
using testing::count;
using testing::embedded_charts;
using testing::geosim_report;
using testing::has_url;
using testing::realignment_data;
using testing::scratch_dir;
using testing::shell;
using testing::shipped_scenario;
using testing::spit;
using testing::Written;

// ---------------------------------------------------------------- helpers

/// Fake chart libraries in a node_modules layout, with text a careless inliner would break on.
fs::path fake_libraries(const std::string& name) {
  const fs::path dir = scratch_dir(name);
  for (const char* lib : {"vega", "vega-lite", "vega-embed"})
    spit(dir / lib / "package.json", std::string("{\"name\": \"") + lib + "\", \"version\": \"1.2.3\"}");
  spit(dir / "vega/build/vega.min.js",
       "var vega={ns:\"http://www.w3.org/2000/svg\",end:\"</script>\",c:\"<!--\"};\n//# "
       "sourceMappingURL=vega.min.js.map\n");
  spit(dir / "vega-lite/build/vega-lite.min.js", "var vegaLite={link:'HTTPS://example.org/x'};");
  spit(dir / "vega-embed/build/vega-embed.min.js", "function vegaEmbed(){return Promise.resolve({});}");
  return dir;
}

std::string write(const ReportData& data, const ReportOptions& options, ReportOutcome* outcome = nullptr) {
  std::ostringstream out;
  const ReportOutcome result = write_html_report(out, data, options);
  if (outcome) *outcome = result;
  return out.str();
}

// ---------------------------------------------------------------- the page

/// The first cells of a timeline row: step and date.
std::string fmt_step_row(int step, const std::string& date) {
  return "<td class=\"num\">" + std::to_string(step) + "</td><td class=\"nowrap\">" + date + "</td>";
}

TEST(HtmlReport, HoldsTheScenarioItsSourcesAndTheTimeline) {
  const ReportData data = realignment_data();
  ReportOptions options;
  options.js_dir = fake_libraries("content").string();
  ReportOutcome outcome;
  const std::string page = write(data, options, &outcome);
  EXPECT_TRUE(contains(page, "<h1>Scenario 4: Regional realignment</h1>"));
  EXPECT_TRUE(contains(page, html_escape(data.scenario.description)));
  // Every event's cited passage, and every event that fired with its step and date.
  for (const Event& event : data.scenario.events)
    EXPECT_TRUE(contains(page, "<q>" + html_escape(event.source.quote) + "</q>")) << event.id;
  ASSERT_FALSE(data.run.events.empty());
  // (its own date when it has one, else the days of its step)
  for (const AppliedEvent& applied : data.run.events)
    EXPECT_TRUE(contains(
        page, fmt_step_row(applied.step, data.scenario.when_fired(applied.event, applied.adhoc, applied.step))))
        << applied.id;
  // The parade of 10 October: step floor(70 / 7) + 1 = 11, shown on its own date, not on 2025-10-17.
  EXPECT_TRUE(contains(page, fmt_step_row(11, "2025-10-10")));
  for (const Indicator& indicator : data.scenario.indicators) EXPECT_TRUE(contains(page, indicator.title));
  // Four charts without an ensemble (indicators; the heatmaps at the start, at the end and of
  // the change, one chart each), in the JSON the page embeds.
  EXPECT_EQ(outcome.charts, 4);
  EXPECT_TRUE(outcome.scripts_inlined);
  EXPECT_EQ(count(page, " data-chart>"), 4);
  EXPECT_TRUE(contains(page, "\"id\":\"chart-indicators\""));
  for (const char* id : {"chart-heatmap-start", "chart-heatmap-end", "chart-heatmap-change"})
    EXPECT_TRUE(contains(page, "\"id\":\"" + std::string(id) + "\"")) << id;
  EXPECT_FALSE(contains(page, "id=\"uncertainty\""));
  EXPECT_FALSE(contains(page, "id=\"after-action\""));
  EXPECT_TRUE(contains(page, "geosim report realignment --seed 1"));
}

/// The class of the Change cell in the indicators table's row of `title` ("" when none).
std::string change_class_of(const std::string& page, const std::string& title) {
  const std::regex row("<tr><td>" + title +
                       "</td><td class=\"num\">[^<]*</td><td class=\"num\">[^<]*</td><td class=\"num ?([a-z]*)\">");
  std::smatch m;
  return std::regex_search(page, m, row) ? m[1].str() : "(no row)";
}

TEST(HtmlReport, ColoursIndicatorChangesByWhichWayIsBetter) {
  ReportData data = realignment_data();
  auto change = [&](const std::string& id) {
    for (std::size_t k = 0; k < data.scenario.indicators.size(); ++k)
      if (data.scenario.indicators[k].id == id) return data.run.indicators.back()[k] - data.run.indicators.front()[k];
    return 0.0;
  };
  // Realignment: ASEAN splits (cohesion falls), Hanoi moves toward Beijing (VNM-CHN tension
  // falls) and away from Washington (VNM-US tension rises).
  ASSERT_LT(change("asean_cohesion"), -0.01);
  ASSERT_LT(change("vnm_chn"), -0.01);
  ASSERT_GT(change("vnm_usa"), 0.01);
  ReportOptions options;
  options.js_dir = fake_libraries("better").string();
  std::string page = write(data, options);
  EXPECT_EQ(change_class_of(page, "ASEAN cohesion"), "worse") << "a fall of cohesion is bad news";
  EXPECT_EQ(change_class_of(page, "Vietnam–China tension"), "better");
  EXPECT_EQ(change_class_of(page, "Vietnam–US tension"), "worse");
  EXPECT_TRUE(contains(page, ".worse { color: #b2182b; } .better { color: #1a7a3c; }"));
  // Declared the other way round, or neither way, the same changes colour accordingly.
  for (Indicator& indicator : data.scenario.indicators) {
    if (indicator.id == "asean_cohesion") indicator.better = Better::lower;
    if (indicator.id == "vnm_chn") indicator.better = Better::neither;
  }
  page = write(data, options);
  EXPECT_EQ(change_class_of(page, "ASEAN cohesion"), "better");
  EXPECT_EQ(change_class_of(page, "Vietnam–China tension"), "");
}

TEST(HtmlReport, FetchesNothingAndHoldsNoUrl) {
  ReportData data = realignment_data();
  data.scenario.description += " See https://example.org/a and HTTP://example.org/b.";
  ReportOptions options;
  options.js_dir = fake_libraries("urls").string();
  const std::string page = write(data, options);
  EXPECT_FALSE(has_url(page));
  // Nothing that loads anything: no external script, style sheet, image, frame or import.
  for (const char* loader : {"<script src", "<link", "<img", "<iframe", "@import", "url(", "srcset"})
    EXPECT_FALSE(contains(page, loader)) << loader;
  // The browser is told so too: a content security policy that allows only what is inline.
  EXPECT_TRUE(contains(page, "Content-Security-Policy\" content=\"default-src 'none';"));
  // The libraries are inlined, made safe without changing what they mean.
  EXPECT_TRUE(contains(page, "ns:\"http\\x3a//www.w3.org/2000/svg\""));
  EXPECT_TRUE(contains(page, "end:\"<\\/script>\""));
  EXPECT_TRUE(contains(page, "c:\"<\\!--\""));
  EXPECT_TRUE(contains(page, "link:'HTTPS\\x3a//example.org/x'"));
  EXPECT_FALSE(contains(page, "sourceMappingURL"));
  EXPECT_EQ(count(page, "<script data-library="), 3);
  EXPECT_TRUE(contains(page, "vega 1.2.3, vega-lite 1.2.3, vega-embed 1.2.3"));
  // The text reads the same: the colon is written as a character reference.
  EXPECT_TRUE(contains(page, "See https&#58;//example.org/a and HTTP&#58;//example.org/b."));
}

TEST(HtmlReport, EscapesEveryTextOfTheScenario) {
  ReportData data = realignment_data();
  data.scenario.title = "A <script>alert('x')</script> & co";
  data.scenario.events.front().source.quote = "\"quoted\" <b>bold</b>";
  data.scenario.indicators.front().title = "</script><script>alert(1)</script>";
  ReportOptions options;
  options.js_dir = fake_libraries("escape").string();
  const std::string page = write(data, options);
  EXPECT_TRUE(contains(page, "<h1>A &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</h1>"));
  EXPECT_TRUE(contains(page, "&quot;quoted&quot; &lt;b&gt;bold&lt;/b&gt;"));
  EXPECT_FALSE(contains(page, "alert('x')"));
  // Inside the embedded JSON, '<' is written \u003c so no text can close the script element.
  const std::string open = "<script type=\"application/json\" id=\"geosim-charts\">";
  const std::size_t json_at = page.find(open);
  ASSERT_NE(json_at, std::string::npos);
  const std::size_t from = json_at + open.size();
  const std::string json = page.substr(from, page.find("</script>", from) - from);
  EXPECT_FALSE(contains(json, "<"));
  EXPECT_TRUE(contains(json, "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"));
}

TEST(HtmlReport, WithoutTheLibrariesTheTablesStayAndANoteSaysWhy) {
  const ReportData data = realignment_data();
  ReportOptions options;
  options.js_dir = scratch_dir("nolibs").string();
  ReportOutcome outcome;
  const std::string page = write(data, options, &outcome);
  EXPECT_FALSE(outcome.scripts_inlined);
  ASSERT_EQ(outcome.notes.size(), 1u);
  EXPECT_TRUE(contains(outcome.notes[0], "vega/build/vega.min.js not found in " + options.js_dir));
  EXPECT_TRUE(contains(page, "id=\"charts-unavailable\""));
  EXPECT_TRUE(contains(page, "<code>npm ci</code>"));
  EXPECT_EQ(count(page, "class=\"chart-missing\""), 2);
  EXPECT_FALSE(contains(page, "<script data-library"));
  EXPECT_FALSE(contains(page, "id=\"geosim-charts\""));
  for (const Indicator& indicator : data.scenario.indicators) EXPECT_TRUE(contains(page, indicator.title));
  // The heatmaps' numbers as tables instead, in the same colours.
  EXPECT_EQ(count(page, "<table class=\"matrix\">"), 2);
  const double t = data.run.final_state.tension(0, 1);
  EXPECT_TRUE(contains(page, "style=\"background: " + tension_colour(t)));
  EXPECT_TRUE(contains(page, "id=\"timeline\""));
  EXPECT_FALSE(has_url(page));
}

TEST(HtmlReport, EnsembleAddsFansAndThresholdOdds) {
  ReportData data = realignment_data();
  EnsembleOptions options;
  options.runs = 8;
  options.seed = 1;
  data.ensemble = report_ensemble(run_ensemble(data.scenario, options));
  ASSERT_EQ(data.ensemble->step_count(), data.scenario.steps + 1);
  ASSERT_EQ(data.ensemble->indicator_count, data.scenario.indicators.size());
  ReportOptions report;
  report.js_dir = fake_libraries("ensemble").string();
  ReportOutcome outcome;
  const std::string page = write(data, report, &outcome);
  EXPECT_EQ(outcome.charts, 5);
  EXPECT_TRUE(contains(page, "\"id\":\"chart-fans\""));
  EXPECT_TRUE(contains(page, "\"p5\":"));
  EXPECT_TRUE(contains(page, "\"p95\":"));
  EXPECT_TRUE(contains(page, "Percentile fans over 8 runs"));
  EXPECT_TRUE(contains(page, "<h3>Thresholds</h3>"));
  EXPECT_TRUE(contains(page, "ensemble of 8 runs"));
}

TEST(HtmlReport, AfterActionLogFromPlainData) {
  ReportData data = realignment_data();
  AfterAction log;
  log.branch = "what-if";
  log.parent = "main";
  log.forked_at = 4;
  log.actors = actor_ids(data.scenario);
  AfterActionEntry inject;
  inject.kind = JournalEntry::Kind::inject;
  inject.made_at = 5;
  inject.fires_at = 6;
  inject.fired = true;
  inject.id = "us-pushback";
  inject.title = "Washington pushes back";
  inject.command = "inject us-pushback";
  inject.changes = {{*data.scenario.find_actor("USA"), *data.scenario.find_actor("VNM"), 0.06, 0.04, 0.0}};
  AfterActionEntry move;
  move.kind = JournalEntry::Kind::move;
  move.made_at = 7;
  move.fires_at = 7;
  move.fired = true;
  move.id = "quiet-diplomacy";
  move.title = "Quiet diplomacy <with> Hanoi";
  move.command = "move quiet-diplomacy";
  move.scheduled = {"sgp-quiet-talks: step 9"};
  log.entries = {inject, move};
  data.after_action = log;
  ReportOptions options;
  options.js_dir = fake_libraries("after").string();
  const std::string page = write(data, options);
  EXPECT_TRUE(contains(page, "<section id=\"after-action\">"));
  EXPECT_TRUE(contains(page, "href=\"#after-action\""));
  EXPECT_TRUE(contains(page, "forked from <code>main</code> at step 4"));
  EXPECT_TRUE(contains(page, "<code>inject us-pushback</code>"));
  EXPECT_TRUE(contains(page, "Fired at step 6"));
  EXPECT_TRUE(contains(page, "USA → VNM</span> tension +0.060, baseline +0.040"));
  EXPECT_TRUE(contains(page, "Quiet diplomacy &lt;with&gt; Hanoi"));
  EXPECT_TRUE(contains(page, "scheduled sgp-quiet-talks: step 9"));
}

TEST(HtmlReport, ASessionReportReplaysTheBranchStepByStep) {
  SessionSetup setup;
  setup.scenario = "realignment";
  setup.scenarios_dir = GEOSIM_SCENARIOS_DIR;
  std::vector<Diagnostic> errors;
  auto session = Session::start(setup, errors);
  ASSERT_TRUE(session) << (errors.empty() ? "" : errors.front().message);
  for (const char* line : {"step 3", "inject adhoc \"Border incident\" VNM -> CHN tension +0.1", "step 2",
                           "move quiet-diplomacy", "step 4"}) {
    const ParsedCommand parsed = parse_session_command(line);
    ASSERT_TRUE(parsed.command) << line << ": " << parsed.error;
    ASSERT_TRUE(session->apply(*parsed.command).ok) << line;
  }
  const ReportData data = session_report_data(*session);
  ASSERT_EQ(data.run.tension.size(), 10u);  // steps 0..9, every one
  EXPECT_TRUE(data.steps.empty());
  EXPECT_EQ(data.run.tension.back(), session->current().state.tension);
  EXPECT_EQ(data.run.indicators.size(), 10u);
  ASSERT_TRUE(data.after_action);
  ASSERT_EQ(data.after_action->entries.size(), 2u);
  EXPECT_EQ(data.after_action->entries[0].kind, JournalEntry::Kind::adhoc);
  EXPECT_EQ(data.after_action->entries[1].kind, JournalEntry::Kind::move);
  ASSERT_TRUE(data.analysis_start && data.analysis_end);
  EXPECT_EQ(data.analysis_end->step, 9);
  ReportOptions options;
  options.js_dir = fake_libraries("session").string();
  const std::string page = write(data, options);
  EXPECT_TRUE(contains(page, "<section id=\"after-action\">"));
  EXPECT_TRUE(contains(page, "<strong>Border incident</strong>"));  // the ad-hoc title in the timeline
  EXPECT_TRUE(contains(page, "steps 0 to 9 of 7 days"));
}

TEST(HtmlReport, GraphvizSvgIsReadyToInline) {
  std::string error;
  const auto svg = graphviz_svg("digraph G { A -> B [color=\"#1a9850\"]; }", "circo", "x-", error);
  ASSERT_TRUE(svg) << error << " (Graphviz is installed by scripts/install-deps.sh)";
  EXPECT_EQ(svg->rfind("<svg", 0), 0u);
  EXPECT_FALSE(contains(*svg, "xmlns"));
  EXPECT_FALSE(contains(*svg, "DOCTYPE"));
  EXPECT_FALSE(has_url(*svg));
  EXPECT_TRUE(contains(*svg, "id=\"x-graph0\""));
  EXPECT_TRUE(contains(*svg, "#1a9850"));
  EXPECT_FALSE(graphviz_svg("digraph G { A -> B }", "no-such-graphviz-program", "", error));
  EXPECT_TRUE(contains(error, "cannot run Graphviz 'no-such-graphviz-program': no such program (a layout is one of"))
      << error;
  EXPECT_FALSE(graphviz_svg("this is not DOT {", "circo", "", error));
  EXPECT_TRUE(contains(error, "Graphviz 'circo' failed")) << error;
}

TEST(HtmlReport, NetworkDiagramUsesTheExportColours) {
  const ReportData data = realignment_data();
  ReportOptions options;
  options.js_dir = fake_libraries("network").string();
  ReportOutcome outcome;
  const std::string page = write(data, options, &outcome);
  ASSERT_EQ(outcome.network_diagrams, 1) << (outcome.notes.empty() ? "" : outcome.notes.front());
  const std::size_t n = data.scenario.actor_count();
  EXPECT_EQ(count(page, "class=\"edge\""), int(n * (n - 1)));
  const auto& t = data.run.final_state.tension;
  EXPECT_TRUE(contains(page, "stroke=\"" + tension_colour(t(0, 1)) + "\""));
  options.graphviz = "";
  EXPECT_TRUE(contains(write(data, options, &outcome), "No network diagram"));
  EXPECT_EQ(outcome.network_diagrams, 0);
}

// ---------------------------------------------------------------- the command

TEST(HtmlReportCli, WritesTheSamePageTwice) {
  const fs::path dir = scratch_dir("same");
  const Written a = geosim_report("realignment --runs 20 --seed 3 --threads 2 --out " + (dir / "a.html").string());
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_TRUE(contains(a.out, "5 charts, 1 network diagram")) << a.out;
  const Written b = geosim_report("realignment --runs 20 --seed 3 --threads 1 --out " + (dir / "b.html").string());
  ASSERT_EQ(b.code, 0) << b.err;
  const std::string page = slurp(dir / "a.html");
  EXPECT_EQ(page, slurp(dir / "b.html"));
  EXPECT_TRUE(contains(page, "geosim report realignment --runs 20 --seed 3"));
  EXPECT_FALSE(has_url(page));
}

/// The font sizes of the text marks in the heatmaps of `page` (none: no numbers in the cells).
std::vector<int> heatmap_text_sizes(const std::string& page) {
  std::vector<int> sizes;
  const nlohmann::json charts = embedded_charts(page);
  for (const auto& chart : charts) {
    if (!chart.dump().starts_with("{\"id\":\"chart-heatmap")) continue;
    for (const auto& layer : chart.value("spec", nlohmann::json::object()).value("layer", nlohmann::json::array()))
      if (layer["mark"]["type"] == "text") sizes.push_back(layer["mark"]["fontSize"].get<int>());
  }
  return sizes;
}

// Every word of the page is readable: a heatmap writes its values in the cells only at the
// report's smallest text (12 px), and the network names its actors by id when their names would
// be drawn too small. At 29 actors the cells' numbers were 7 px and the names 5 to 6 px.
TEST(HtmlReportCli, TextInTheHeatmapsAndNetworkIsReadableAtThirtyActors) {
  const fs::path dir = scratch_dir("readable");
  ASSERT_EQ(shell(std::string(GEOSIM_BINARY) + " world --states 24 --out " + (dir / "w.yaml").string() + " >/dev/null"),
            0);
  const Written w = geosim_report((dir / "w.yaml").string() + " --steps 3 --out " + (dir / "w.html").string());
  ASSERT_EQ(w.code, 0) << w.err;
  const std::string page = slurp(dir / "w.html");
  EXPECT_EQ(heatmap_text_sizes(page), std::vector<int>{}) << "29 rows: no numbers in the cells";
  EXPECT_TRUE(contains(page, "29 rows are too many to write each value in its cell: point at a cell for its values."));
  EXPECT_TRUE(contains(page, "each actor by its id (names and ids in the table of blocs and brokers below"));
  EXPECT_TRUE(contains(page, "<text") && contains(page, ">EGY</text>")) << "the network names Egypt by its id";
  EXPECT_FALSE(contains(page, ">Egypt</text>"));
  // The shipped world's 9 actors: every value in its cell at 12 px, the network by name.
  const Written r = geosim_report("realignment --steps 3 --out " + (dir / "r.html").string());
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string shipped = slurp(dir / "r.html");
  EXPECT_EQ(heatmap_text_sizes(shipped), (std::vector<int>{12, 12, 12}));
  EXPECT_FALSE(contains(shipped, "too many to write each value"));
  EXPECT_TRUE(contains(shipped, ">Singapore</text>"));
}

TEST(HtmlReportCli, UnknownScenarioFailsWithAMessage) {
  const Written w = geosim_report("no-such-scenario --out /dev/null");
  EXPECT_EQ(w.code, 1);
  EXPECT_TRUE(contains(w.err, "unknown scenario 'no-such-scenario'")) << w.err;
}

}  // namespace
}  // namespace geosim
