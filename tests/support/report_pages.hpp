#pragma once
// The report's tests (tests/report/test_html_report*.cpp, test_chart_ticks.cpp): a scratch folder
// removed when the process exits, `geosim report` as a process, the shipped realignment's report
// data, and the charts a page embeds with the tick labels Vega draws for them.

#include <geosim/report/html_report.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "support/cli.hpp"

namespace geosim::testing {

/// A new empty folder `name` in this process's scratch folder, removed when the process exits.
std::filesystem::path scratch_dir(const std::string& name);
/// How many times `what` occurs in `text`, not overlapping.
int count(const std::string& text, const std::string& what);
bool contains(const std::string& text, const std::string& what);
/// True when the text holds "http://" or "https://" in any case.
bool has_url(const std::string& text);
/// Runs a shell command; its exit code (-1 when it did not exit).
int shell(const std::string& command);

using Written = Output;
/// `geosim report ARGS` with the shipped scenarios, stdin empty; `env`: "NAME=VALUE ..." before it.
Written geosim_report(const std::string& args, const std::string& env = "");
/// A shipped scenario, loaded (a test failure if it does not load).
Scenario shipped_scenario(const std::string& file);
/// The report data of the shipped realignment, seed 1.
ReportData realignment_data();

/// The charts' specs embedded in a report page (the JSON of #geosim-charts), or null.
nlohmann::json embedded_charts(const std::string& page);
/// Every quantitative axis or legend of `spec` that sets a label format.
void formatted_scales(const nlohmann::json& spec, std::vector<nlohmann::json>& out);
/// The labels Vega draws for a scale's tick values: d3's ".Nf" (U+2212 for minus), with a "+"
/// above 0 where the scale's labelExpr adds it (set_ticks).
std::vector<std::string> tick_labels(const nlohmann::json& scale);

}  // namespace geosim::testing
