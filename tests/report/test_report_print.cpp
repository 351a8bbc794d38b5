// The HTML report on paper: the network diagram's names print at 10 pt or more on an A4 page
// (the page's printable width is 210 mm - 2 x 12 mm = 186 mm = 527.2 pt, report.css's @page),
// and many indicators' small multiples are cut into charts of at most kChartPanelsPerPage
// panels that flow onto further pages, each whole, none left out.
#include <gtest/gtest.h>
#include <geosim/core/run.hpp>
#include <geosim/io/loader.hpp>
#include <geosim/report/html_report.hpp>
#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>
#include <string>

#include "support/builders.hpp"

using namespace geosim;

namespace {

/// A4's width less report.css's two 12 mm margins, in points (72 to the inch, 25.4 mm to it).
constexpr double kPrintWidthPt = (210.0 - 2 * 12.0) / 25.4 * 72.0;

ReportData shipped_run(const std::string& file) {
  const LoadResult loaded = load_scenario(geosim::testing::shipped(file));
  EXPECT_TRUE(loaded.ok()) << file;
  ReportData data;
  data.scenario = *loaded.scenario;
  data.seed = 1;
  RunOptions options;
  options.seed = 1;
  data.run = run_scenario(data.scenario, options);
  data.command = "geosim report " + file;
  return data;
}

std::string page_of(const ReportData& data) {
  ReportOptions options;
  options.js_dir = std::string(GEOSIM_SOURCE_DIR) + "/node_modules";
  std::ostringstream out;
  const ReportOutcome outcome = write_html_report(out, data, options);
  EXPECT_EQ(outcome.network_diagrams, 1) << (outcome.notes.empty() ? "" : outcome.notes.front());
  return out.str();
}

TEST(ReportPrint, NetworkNamesPrintAtTenPointsOrMoreOnAnA4Page) {
  for (const char* file : {"baseline.yaml", "realignment.yaml", "intermediary.yaml", "expanded-cooperation.yaml",
                           "symbolic-visit.yaml", "world-200.yaml"}) {
    SCOPED_TRACE(file);
    const std::string page = page_of(shipped_run(file));
    const std::size_t figure = page.find("<figure class=\"network\">");
    ASSERT_NE(figure, std::string::npos);
    const std::string svg = page.substr(figure, page.find("</svg>", figure) - figure);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(svg, m, std::regex("<svg width=\"([0-9.]+)pt\" height=\"([0-9.]+)pt\"")));
    const double width = std::stod(m[1]);
    // The picture is shrunk to the page's width when wider (report.css: max-width 100 %).
    const double scale = std::min(1.0, kPrintWidthPt / width);
    int names = 0;
    const std::regex text("<text [^>]*font-size=\"([0-9.]+)\"");
    for (std::sregex_iterator it(svg.begin(), svg.end(), text), end; it != end; ++it, ++names)
      EXPECT_GE(std::stod((*it)[1]) * scale, 10.0) << "a name printed at " << std::stod((*it)[1]) * scale << " pt";
    EXPECT_GT(names, 4);
  }
}

TEST(ReportPrint, LongNamesAreDrawnOnShortLinesBetweenWords) {
  const std::string page = page_of(shipped_run("baseline.yaml"));
  // "ASEAN (rest of the membership)": 30 characters on two lines of at most 16, cut between words
  // (a line goes on while it has room for the next word).
  EXPECT_NE(page.find(">ASEAN (rest of</text>"), std::string::npos);
  EXPECT_NE(page.find(">the membership)</text>"), std::string::npos);
  EXPECT_NE(page.find(">United States</text>"), std::string::npos) << "13 characters: one line";
  EXPECT_EQ(page.find(">ASEAN (rest of the membership)</text>"), std::string::npos);
}

TEST(ReportPrint, ManyIndicatorsFlowOntoFurtherPagesInChartsOfTenPanels) {
  ReportData data = shipped_run("realignment.yaml");
  const std::vector<Indicator> declared = data.scenario.indicators;
  ASSERT_FALSE(declared.empty());
  for (int copy = 0; data.scenario.indicators.size() < 23; ++copy) {
    Indicator more = declared[std::size_t(copy) % declared.size()];
    more.id += "-" + std::to_string(copy);
    more.title = "Copy " + std::to_string(copy) + " of " + more.title;
    data.scenario.indicators.push_back(more);
  }
  RunOptions options;
  options.seed = 1;
  data.run = run_scenario(data.scenario, options);
  const std::string page = page_of(data);
  const std::string open = "<script type=\"application/json\" id=\"geosim-charts\">";
  const std::size_t at = page.find(open);
  ASSERT_NE(at, std::string::npos);
  const std::size_t from = at + open.size();
  const nlohmann::json charts = nlohmann::json::parse(page.substr(from, page.find("</script>", from) - from));
  // 23 panels: 10, 10 and 3, in order, in charts chart-indicators, -2 and -3, each in its figure
  std::vector<std::string> titles;
  for (const char* id : {"chart-indicators", "chart-indicators-2", "chart-indicators-3"}) {
    SCOPED_TRACE(id);
    EXPECT_NE(page.find(std::string("<div class=\"chart\" id=\"") + id + "\""), std::string::npos);
    const nlohmann::json* spec = nullptr;
    for (const auto& chart : charts)
      if (chart["id"] == id) spec = &chart["spec"];
    ASSERT_NE(spec, nullptr);
    EXPECT_LE((*spec)["concat"].size(), kChartPanelsPerPage);
    for (const auto& panel : (*spec)["concat"]) titles.push_back(panel["title"]);
  }
  ASSERT_EQ(titles.size(), 23u) << "every indicator, once";
  for (std::size_t k = 0; k < 23; ++k)
    EXPECT_EQ(titles[k], data.scenario.indicators[k].title.empty() ? data.scenario.indicators[k].id
                                                                   : data.scenario.indicators[k].title);
  EXPECT_EQ(page.find("id=\"chart-indicators-4\""), std::string::npos);
  EXPECT_NE(page.find("Panels 1 to 10 of 23."), std::string::npos);
  EXPECT_NE(page.find("Panels 11 to 20 of 23."), std::string::npos);
  EXPECT_NE(page.find("Panels 21 to 23 of 23."), std::string::npos);
}

}  // namespace
