// The charts' scales: every axis or legend that formats its labels gives nice tick values, each
// label distinct and to the decimals its step needs (as drawn in Chromium: test_html_report_browser.cpp).
#include <gtest/gtest.h>
#include <geosim/report/room_page.hpp>

#include <cmath>
#include <filesystem>
#include <regex>

#include "support/report_pages.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;
using testing::embedded_charts;
using testing::formatted_scales;
using testing::geosim_report;
using testing::realignment_data;
using testing::scratch_dir;
using testing::slurp;
using testing::tick_labels;
using testing::Written;

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
    const fs::path page = scratch_dir("ticks") / "report.html";
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
      EXPECT_EQ(tick_labels(change),
                (std::vector<std::string>{"\u22120.010", "\u22120.005", "0.000", "+0.005", "+0.010"}));
    }
  }
  // The live page's charts, both sizes, too.
  ReportData data = realignment_data();
  std::vector<nlohmann::json> scales;
  formatted_scales(room_chart_spec(data), scales);
  formatted_scales(room_chart_spec(data, "USA"), scales);
  for (const auto& scale : scales) expect_nice_ticks(scale, "room");
}

}  // namespace
}  // namespace geosim
