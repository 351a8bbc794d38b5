// The HTML report: what the page holds, that it fetches nothing, that it stands without the
// chart libraries, and, in a real headless Chromium, that every chart is drawn without an error.
#include <geosim/core/ensemble.hpp>
#include <geosim/report/export.hpp>
#include <geosim/report/html_report.hpp>
#include <geosim/report/room_page.hpp>
#include <geosim/io/loader.hpp>
#include <geosim/core/run.hpp>
#include <geosim/tabletop/session.hpp>
#include <geosim/tabletop/session_command.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include "support/builders.hpp"
#include "support/cli.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;
using geosim::testing::slurp;

// ---------------------------------------------------------------- helpers

/// This process's scratch folder, removed when the tests end.
fs::path scratch_root() {
  static const fs::path root = fs::temp_directory_path() / ("geosim_report_" + std::to_string(::getpid()));
  return root;
}

struct RemoveScratch : ::testing::Environment {
  void TearDown() override { fs::remove_all(scratch_root()); }
};
const auto* const remove_scratch = ::testing::AddGlobalTestEnvironment(new RemoveScratch);

fs::path temp_dir(const std::string& name) {
  const fs::path dir = scratch_root() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void spit(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

/// True when the text holds "http://" or "https://" in any case.
bool has_url(const std::string& text) {
  static const std::regex url("https?://", std::regex::icase);
  return std::regex_search(text, url);
}

/// Runs a shell command; its exit code.
int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::optional<std::string> find_program(std::initializer_list<const char*> names) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::vector<std::string> folders;
  for (std::string dir; std::getline(dirs, dir, ':');) folders.push_back(dir.empty() ? "." : dir);
  for (const char* name : names)
    for (const auto& dir : folders) {
      const fs::path candidate = fs::path(dir) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  return std::nullopt;
}

Scenario shipped_scenario(const std::string& file) {
  LoadResult loaded = load_scenario(testing::shipped(file));
  EXPECT_TRUE(loaded.ok());
  return *loaded.scenario;
}

ReportData realignment_data() {
  ReportData data;
  data.scenario = shipped_scenario("realignment.yaml");
  data.seed = 1;
  RunOptions options;
  options.seed = 1;
  data.run = run_scenario(data.scenario, options);
  data.command = "geosim report realignment --seed 1";
  return data;
}

/// Fake chart libraries in a node_modules layout, with text a careless inliner would break on.
fs::path fake_libraries(const std::string& name) {
  const fs::path dir = temp_dir(name);
  for (const char* lib : {"vega", "vega-lite", "vega-embed"})
    spit(dir / lib / "package.json", std::string("{\"name\": \"") + lib + "\", \"version\": \"1.2.3\"}");
  spit(dir / "vega/build/vega.min.js",
       "var vega={ns:\"http://www.w3.org/2000/svg\",end:\"</script>\",c:\"<!--\"};\n//# sourceMappingURL=vega.min.js.map\n");
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
    EXPECT_TRUE(contains(page, fmt_step_row(applied.step, data.scenario.when_fired(applied.event, applied.adhoc,
                                                                                   applied.step))))
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
  options.js_dir = temp_dir("nolibs").string();
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
  EXPECT_TRUE(contains(error, "cannot run Graphviz 'no-such-graphviz-program'")) << error;
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

struct Written {
  int code = -1;
  std::string out, err;
};

Written geosim_report(const std::string& args, const std::string& env = "") {
  static int counter = 0;
  const fs::path dir = temp_dir("cli" + std::to_string(counter++));
  const int code = shell(env + " GEOSIM_SCENARIOS=" + GEOSIM_SCENARIOS_DIR + " " + GEOSIM_BINARY + " report " +
                         args + " >" + (dir / "out").string() + " 2>" + (dir / "err").string() + " </dev/null");
  Written w{code, slurp(dir / "out"), slurp(dir / "err")};
  fs::remove_all(dir);
  return w;
}

TEST(HtmlReportCli, WritesTheSamePageTwice) {
  const fs::path dir = temp_dir("same");
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

TEST(HtmlReportCli, UnknownScenarioFailsWithAMessage) {
  const Written w = geosim_report("no-such-scenario --out /dev/null");
  EXPECT_EQ(w.code, 1);
  EXPECT_TRUE(contains(w.err, "unknown scenario 'no-such-scenario'")) << w.err;
}

// ---------------------------------------------------------------- tick labels

/// The charts' specs embedded in a report page (the JSON of #geosim-charts), or null.
nlohmann::json embedded_charts(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"geosim-charts\">";
  const std::size_t at = page.find(open);
  if (at == std::string::npos) return nullptr;
  const std::size_t from = at + open.size();
  return nlohmann::json::parse(page.substr(from, page.find("</script>", from) - from), nullptr, false);
}

/// Every quantitative axis or legend of `spec` that sets a label format, with the chart's id.
void formatted_scales(const nlohmann::json& spec, std::vector<nlohmann::json>& out) {
  if (spec.is_object()) {
    if (spec.value("type", "") == "quantitative")
      for (const char* part : {"axis", "legend"})
        if (spec.contains(part) && spec[part].is_object() && spec[part].contains("format")) out.push_back(spec[part]);
    for (const auto& [key, value] : spec.items()) formatted_scales(value, out);
  } else if (spec.is_array()) {
    for (const auto& value : spec) formatted_scales(value, out);
  }
}

/// The labels d3's "[+].Nf" format gives `values`, as Vega draws them (U+2212 for minus).
std::vector<std::string> tick_labels(const nlohmann::json& scale) {
  const std::string format = scale["format"];
  // labelExpr (set_ticks): a sign on values above 0 only
  const bool sign = scale.contains("labelExpr");
  const int decimals = std::stoi(format.substr(format.find('.') + 1));
  std::vector<std::string> labels;
  for (const auto& v : scale["values"]) {
    const double x = v.get<double>();
    std::string text = fmt::format("{:.{}f}", std::abs(x), decimals);
    const bool zero = text.find_first_not_of("0.") == std::string::npos;
    labels.push_back((x < 0 && !zero ? "\u2212" : sign && x > 0 && !zero ? "+" : "") + text);
  }
  return labels;
}

/// A quantitative axis or legend that sets its labels' format gives its tick values too, evenly
/// spaced at a "nice" step (1, 2 or 5 times a power of ten), with enough decimals for that step:
/// its labels are distinct and each reads as its value.
void expect_nice_ticks(const nlohmann::json& scale, const std::string& where) {
  ASSERT_TRUE(scale.contains("values")) << where << ": a format without its tick values " << scale.dump();
  const std::string format = scale["format"];
  ASSERT_TRUE(std::regex_match(format, std::regex("\\.[0-9]+f"))) << where << " " << format;
  const auto& values = scale["values"];
  ASSERT_GE(values.size(), 2u) << where << " " << scale.dump();
  const double step = values[1].get<double>() - values[0].get<double>();
  const double power = std::pow(10.0, std::floor(std::log10(step) + 1e-9)), mantissa = step / power;
  EXPECT_TRUE(std::abs(mantissa - 1) < 1e-6 || std::abs(mantissa - 2) < 1e-6 || std::abs(mantissa - 5) < 1e-6)
      << where << ": step " << step;
  for (std::size_t k = 1; k < values.size(); ++k)
    EXPECT_NEAR(values[k].get<double>() - values[k - 1].get<double>(), step, step * 1e-6) << where;
  const std::vector<std::string> labels = tick_labels(scale);
  for (std::size_t k = 0; k < labels.size(); ++k) {
    for (std::size_t j = 0; j < k; ++j) EXPECT_NE(labels[j], labels[k]) << where << " " << scale.dump();
    std::string ascii = labels[k];
    if (ascii.rfind("\u2212", 0) == 0) ascii = "-" + ascii.substr(3);
    EXPECT_NEAR(std::stod(ascii), values[k].get<double>(), step * 1e-6) << where << ": label " << labels[k];
  }
}

// The heatmaps' legends and any other formatted scale: ticks a nice step apart, each label
// distinct and to the decimals its step needs. A change of at most 0.013 (baseline) once gave
// +0.01, +0.01, +0.00, -0.01, -0.01 (ticks 0.005 apart, shown to 2 decimals).
TEST(HtmlReportCli, EveryFormattedScaleHasDistinctNiceTicks) {
  for (const char* args : {"baseline", "baseline --steps 2", "realignment --runs 50", "world-200 --steps 3"}) {
    const fs::path page = temp_dir("ticks") / "report.html";
    const Written w = geosim_report(std::string(args) + " --out " + page.string());
    ASSERT_EQ(w.code, 0) << args << ": " << w.err;
    const nlohmann::json charts = embedded_charts(slurp(page));
    ASSERT_TRUE(charts.is_array()) << args;
    std::vector<nlohmann::json> scales;
    formatted_scales(charts, scales);
    EXPECT_GE(scales.size(), 3u) << args << ": the three heatmaps' legends";
    for (const auto& scale : scales) expect_nice_ticks(scale, args);
    if (std::string(args) == "baseline") {  // the change legend, worked by hand: m = 0.013
      const nlohmann::json& change = scales.back();
      EXPECT_EQ(change["format"], ".3f");
      EXPECT_EQ(change["labelExpr"], "(datum.value > 0 ? '+' : '') + format(datum.value, '.3f')");
      EXPECT_EQ(tick_labels(change), (std::vector<std::string>{"\u22120.010", "\u22120.005", "0.000", "+0.005", "+0.010"}));
    }
  }
  // The live page's charts, both sizes, too.
  ReportData data = realignment_data();
  std::vector<nlohmann::json> scales;
  formatted_scales(room_chart_spec(data), scales);
  formatted_scales(room_chart_spec(data, "USA"), scales);
  for (const auto& scale : scales) expect_nice_ticks(scale, "room");
}

// ---------------------------------------------------------------- in a real browser

/// What Chromium made of a page: its DOM after the scripts ran.
struct Rendered {
  std::string dom;
  std::string body;  ///< the <body ...> start tag, with the page's data-* markers
};

/// Opens `page` in headless Chromium with a fresh profile and no network, and dumps the DOM.
Rendered open_in_chromium(const std::string& chromium, const fs::path& page) {
  const fs::path dir = temp_dir("chromium_" + page.stem().string());
  const std::string command =
      "timeout 120 " + chromium +
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
      " --disable-component-update --disable-sync --user-data-dir=" + (dir / "profile").string() +
      " --virtual-time-budget=10000 --dump-dom file://" + fs::absolute(page).string() + " >" +
      (dir / "dom.html").string() + " 2>" + (dir / "stderr.txt").string();
  const int code = shell(command);
  Rendered r;
  r.dom = slurp(dir / "dom.html");
  EXPECT_EQ(code, 0) << "chromium failed: " << slurp(dir / "stderr.txt").substr(0, 2000);
  fs::remove_all(dir);
  std::smatch m;
  if (std::regex_search(r.dom, m, std::regex("<body[^>]*>"))) r.body = m.str();
  return r;
}

std::string attribute(const std::string& tag, const std::string& name) {
  std::smatch m;
  if (std::regex_search(tag, m, std::regex(" " + name + "=\"([^\"]*)\""))) return m[1].str();
  return "";
}

/// The problems the page wrote into its error list (every JavaScript error, console error or
/// warning, and blocked load).
std::vector<std::string> page_problems(const std::string& dom) {
  std::vector<std::string> problems;
  const std::size_t at = dom.find("id=\"report-errors\"");
  if (at == std::string::npos) return {"the page has no error list"};
  const std::string box = dom.substr(at, dom.find("</section>", at) - at);
  static const std::regex item("<li>([^<]*)</li>");
  for (auto it = std::sregex_iterator(box.begin(), box.end(), item); it != std::sregex_iterator(); ++it)
    problems.push_back((*it)[1].str());
  return problems;
}

/// The width and height of the first <svg class="marks"> inside the element with `id`.
std::pair<double, double> chart_size(const std::string& dom, const std::string& id) {
  const std::size_t at = dom.find("id=\"" + id + "\"");
  if (at == std::string::npos) return {0, 0};
  const std::size_t svg = dom.find("<svg", at);
  const std::size_t end = dom.find("</figure>", at);
  if (svg == std::string::npos || svg > end) return {0, 0};
  const std::string tag = dom.substr(svg, dom.find('>', svg) - svg);
  if (!contains(tag, "class=\"marks\"")) return {0, 0};
  return {std::atof(attribute(tag, "width").c_str()), std::atof(attribute(tag, "height").c_str())};
}

#define REQUIRE_CHROMIUM(var)                                                                   \
  const auto var = find_program({"chromium", "chromium-browser"});                             \
  if (!var) GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh installs it)"

TEST(HtmlReportBrowser, EveryChartIsDrawnWithoutAnError) {
  REQUIRE_CHROMIUM(chromium);
  const fs::path dir = temp_dir("browser");
  const fs::path page = dir / "report.html";
  const Written w = geosim_report("realignment --runs 50 --out " + page.string());
  ASSERT_EQ(w.code, 0) << w.err;
  ASSERT_FALSE(contains(w.err, "charts left out"))
      << w.err << "(install the chart libraries with `npm ci` in the source folder)";
  const Rendered r = open_in_chromium(*chromium, page);
  ASSERT_FALSE(r.body.empty()) << r.dom.substr(0, 500);
  const std::vector<std::string> problems = page_problems(r.dom);
  for (const auto& p : problems) ADD_FAILURE() << "the page reported: " << p;
  EXPECT_EQ(attribute(r.body, "data-chart-errors"), "") << r.body;
  EXPECT_EQ(attribute(r.body, "data-charts-expected"), "5") << r.body;
  EXPECT_EQ(attribute(r.body, "data-charts-ready"), "5") << r.body;
  for (const char* id : {"chart-indicators", "chart-fans", "chart-heatmap-start", "chart-heatmap-end", "chart-heatmap-change"}) {
    const auto [width, height] = chart_size(r.dom, id);
    EXPECT_GT(width, 300) << id;
    EXPECT_GT(height, 100) << id;
  }
  // vega-embed drew SVG (one per chart) with marks in it: lines, areas, heatmap cells.
  EXPECT_EQ(count(r.dom, "class=\"marks\""), 5);
  EXPECT_GE(count(r.dom, "role-mark"), 40);
  EXPECT_TRUE(contains(r.dom, "mark-area"));
  EXPECT_TRUE(contains(r.dom, "mark-rect"));
  // And the network diagram is there, as Graphviz drew it.
  EXPECT_TRUE(contains(r.dom, "id=\"net-graph0\""));
}

/// Each group of labels Vega drew (an axis's or a legend's), in the order of the page.
std::vector<std::pair<std::string, std::vector<std::string>>> drawn_labels(const std::string& dom) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  static const std::regex group("class=\"mark-text role-(axis|legend)-label\"[^>]*>((?:<text[^>]*>[^<]*</text>)*)");
  static const std::regex text("<text[^>]*>([^<]*)</text>");
  for (auto g = std::sregex_iterator(dom.begin(), dom.end(), group); g != std::sregex_iterator(); ++g) {
    const std::string inner = (*g)[2].str();
    std::vector<std::string> labels;
    for (auto t = std::sregex_iterator(inner.begin(), inner.end(), text); t != std::sregex_iterator(); ++t)
      labels.push_back((*t)[1].str());
    groups.emplace_back((*g)[1].str(), std::move(labels));
  }
  return groups;
}

// As drawn: no axis or legend repeats a label (dates over 2 weeks, a year, 19 years; values), and
// the heatmaps' legends read their tick values.
TEST(HtmlReportBrowser, NoAxisOrLegendRepeatsALabel) {
  REQUIRE_CHROMIUM(chromium);
  for (const char* args : {"baseline", "baseline --steps 2", "baseline --steps 1000", "realignment --runs 50"}) {
    const fs::path page = temp_dir("labels") / "report.html";
    const Written w = geosim_report(std::string(args) + " --out " + page.string());
    ASSERT_EQ(w.code, 0) << w.err;
    const Rendered r = open_in_chromium(*chromium, page);
    const auto groups = drawn_labels(r.dom);
    std::vector<nlohmann::json> scales;
    formatted_scales(embedded_charts(slurp(page)), scales);
    std::vector<std::vector<std::string>> legends;
    for (const auto& [role, labels] : groups) {
      EXPECT_FALSE(labels.empty()) << args << " " << role;
      for (std::size_t k = 0; k < labels.size(); ++k)
        for (std::size_t j = 0; j < k; ++j) EXPECT_NE(labels[j], labels[k]) << args << " " << role << " label " << k;
      if (role == "legend" && labels.size() > 2) legends.push_back(labels);  // not the markers' "move"/"inject"
    }
    ASSERT_EQ(legends.size(), 3u) << args;
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(legends[i], tick_labels(scales[scales.size() - 3 + i])) << args;
  }
}

TEST(HtmlReportBrowser, WithoutTheLibrariesThePageOpensCleanAndSaysWhy) {
  REQUIRE_CHROMIUM(chromium);
  const fs::path dir = temp_dir("browser_nolibs");
  const fs::path empty = dir / "empty-js-dir";
  fs::create_directories(empty);
  const fs::path page = dir / "report.html";
  const Written w = geosim_report("intermediary --out " + page.string(), "GEOSIM_JS_DIR=" + empty.string());
  ASSERT_EQ(w.code, 0) << w.err;
  EXPECT_TRUE(contains(w.err, "charts left out: vega/build/vega.min.js not found in " + empty.string())) << w.err;
  const Rendered r = open_in_chromium(*chromium, page);
  for (const auto& p : page_problems(r.dom)) ADD_FAILURE() << "the page reported: " << p;
  EXPECT_TRUE(contains(r.dom, "id=\"charts-unavailable\""));
  EXPECT_EQ(count(r.dom, "class=\"chart-missing\""), 2);
  EXPECT_EQ(count(r.dom, "class=\"marks\""), 0);
  EXPECT_TRUE(contains(r.dom, "Scenario 3: Vietnam as intermediary"));
  EXPECT_TRUE(contains(r.dom, "id=\"net-graph0\""));
}

TEST(HtmlReportBrowser, AnErrorOnThePageIsCaught) {
  // The checks above are only as good as the page's error trap: break a page on purpose.
  REQUIRE_CHROMIUM(chromium);
  const fs::path dir = temp_dir("browser_broken");
  const fs::path page = dir / "report.html";
  const Written w = geosim_report("symbolic-visit --graphviz none --out " + page.string(),
                                  "GEOSIM_JS_DIR=" + (dir / "none").string());
  ASSERT_EQ(w.code, 0) << w.err;
  std::string text = slurp(page);
  const std::size_t body_end = text.rfind("</body>");
  ASSERT_NE(body_end, std::string::npos);
  // The page's own scripts carry its nonce; an event-handler attribute and a javascript: URL
  // are blocked by the page's content security policy, and the trap reports that too.
  text.insert(body_end, "<a id=\"js-link\" href=\"javascript:console.warn('link ran')\">x</a>"
                        "<script nonce=\"geosim-report\">document.getElementById('js-link').click();</script>"
                        "<script nonce=\"geosim-report\">console.error('deliberate'); undefinedFunction();</script>"
                        "<img src=\"data:,\" onerror=\"console.warn('odd image')\">");
  spit(page, text);
  const Rendered r = open_in_chromium(*chromium, page);
  const std::vector<std::string> problems = page_problems(r.dom);
  const auto has = [&](const std::string& what) {
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) { return contains(p, what); });
  };
  EXPECT_TRUE(has("error: deliberate")) << r.dom.substr(0, 300);
  EXPECT_TRUE(has("undefinedFunction is not defined"));
  EXPECT_TRUE(has("blocked: script-src-attr inline")) << "the onerror attribute";
  EXPECT_FALSE(has("odd image"));
  EXPECT_TRUE(has("blocked: script-src-elem inline")) << "the javascript: link";
  EXPECT_FALSE(has("link ran"));
  EXPECT_EQ(problems.size(), 4u);
  EXPECT_EQ(attribute(r.body, "data-chart-errors"), std::to_string(problems.size()));
}

}  // namespace
}  // namespace geosim
