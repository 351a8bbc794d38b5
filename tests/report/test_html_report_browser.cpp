// The report page in a real headless Chromium: every chart is drawn without an error, no axis or
// legend repeats a label, the page opens cleanly without the chart libraries, an error on it
// is caught and shown, and long names do not widen it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>

#include "support/report_pages.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;
using testing::contains;
using testing::count;
using testing::embedded_charts;
using testing::find_program;
using testing::formatted_scales;
using testing::geosim_report;
using testing::scratch_dir;
using testing::shell;
using testing::slurp;
using testing::spit;
using testing::tick_labels;
using testing::Written;

/// What Chromium made of a page: its DOM after the scripts ran.
struct Rendered {
  std::string dom;
  std::string body;  ///< the <body ...> start tag, with the page's data-* markers
};

/// Opens `page` in headless Chromium with a fresh profile and no network, and dumps the DOM.
Rendered open_in_chromium(const std::string& chromium, const fs::path& page) {
  const fs::path dir = scratch_dir("chromium_" + page.stem().string());
  const std::string command =
      "timeout 120 " + chromium +
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
      " --disable-component-update --disable-sync --user-data-dir=" +
      (dir / "profile").string() + " --virtual-time-budget=10000 --dump-dom file://" + fs::absolute(page).string() +
      " >" + (dir / "dom.html").string() + " 2>" + (dir / "stderr.txt").string();
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

#define REQUIRE_CHROMIUM(var)                                                            \
  const std::optional<std::string> var = find_program({"chromium", "chromium-browser"}); \
  if (!var) GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh installs it)"

TEST(HtmlReportBrowser, EveryChartIsDrawnWithoutAnError) {
  REQUIRE_CHROMIUM(chromium);
  const fs::path dir = scratch_dir("browser");
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
  for (const char* id :
       {"chart-indicators", "chart-fans", "chart-heatmap-start", "chart-heatmap-end", "chart-heatmap-change"}) {
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
    const fs::path page = scratch_dir("labels") / "report.html";
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
  const fs::path dir = scratch_dir("browser_nolibs");
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
  const fs::path dir = scratch_dir("browser_broken");
  const fs::path page = dir / "report.html";
  const Written w = geosim_report("symbolic-visit --graphviz none --out " + page.string(),
                                  "GEOSIM_JS_DIR=" + (dir / "none").string());
  ASSERT_EQ(w.code, 0) << w.err;
  std::string text = slurp(page);
  const std::size_t body_end = text.rfind("</body>");
  ASSERT_NE(body_end, std::string::npos);
  // The page's own scripts carry its nonce; an event-handler attribute and a javascript: URL
  // are blocked by the page's content security policy, and the trap reports that too.
  text.insert(body_end,
              "<a id=\"js-link\" href=\"javascript:console.warn('link ran')\">x</a>"
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

namespace geosim {
namespace {

// A long unbroken title and indicator name break in the page and end in "…" on the charts, rather
// than widen the page past the window (a 300-letter title made it 6,115 px wide at 1280).
// Screenshots: report-width-screenshots/ in the build's test folder.
TEST(HtmlReportBrowser, LongNamesDoNotWidenThePage) {
  REQUIRE_CHROMIUM(chromium);
  const std::optional<std::string> node = find_program({"node"});
  if (!node) GTEST_SKIP() << "no node on PATH";
  if (!fs::exists(fs::path(GEOSIM_SOURCE_DIR) / "node_modules" / "puppeteer-core" / "package.json"))
    GTEST_SKIP() << "no node_modules/puppeteer-core (npm ci)";
  const fs::path dir = scratch_dir("browser_width");
  fs::copy(GEOSIM_SCENARIOS_DIR, dir / "sc", fs::copy_options::recursive);
  std::string yaml = slurp(dir / "sc" / "baseline.yaml");
  for (const auto& [from, to] :
       {std::pair<std::string, std::string>{"\"Baseline: no Pyongyang visit (counterfactual)\"", std::string(300, 'A')},
        {"Vietnam–US tension", std::string(200, 'B')}}) {
    ASSERT_NE(yaml.find(from), std::string::npos) << from;
    yaml.replace(yaml.find(from), from.size(), to);
  }
  spit(dir / "sc" / "baseline.yaml", yaml);
  const fs::path page = dir / "report.html";
  const Written w = geosim_report((dir / "sc" / "baseline.yaml").string() + " --runs 10 --out " + page.string());
  ASSERT_EQ(w.code, 0) << w.err;
  const fs::path shots = fs::current_path() / "report-width-screenshots";
  fs::create_directories(shots);
  const fs::path script = fs::path(GEOSIM_SOURCE_DIR) / "tests" / "browser" / "report_width.mjs";
  ASSERT_EQ(shell("cd " + std::string(GEOSIM_SOURCE_DIR) + " && timeout 180 " + *node + " " + script.string() + " " +
                  page.string() + " " + *chromium + " " + shots.string() + " >" + (dir / "out.json").string() + " 2>" +
                  (dir / "err.txt").string()),
            0)
      << slurp(dir / "err.txt");
  const std::string measured = slurp(dir / "out.json");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(measured, m, std::regex(R"("scroll":(\d+),"client":(\d+),"past":\[(.*)\])")))
      << measured;
  EXPECT_EQ(m[1].str(), m[2].str()) << "the page is wider than the window: " << measured;
  EXPECT_EQ(m[3].str(), "") << "drawn past the window's edge: " << measured;
  EXPECT_TRUE(fs::exists(shots / "top.png"));
  EXPECT_TRUE(fs::exists(shots / "indicators.png"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace geosim
