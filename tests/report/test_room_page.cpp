// The live page's templates (room_page.hpp) filled from a session's view: every name escaped,
// the nonce and the token on every script.
#include <gtest/gtest.h>

#include <algorithm>

#include "geosim/report/html_report.hpp"
#include "geosim/report/room_page.hpp"
#include "geosim/tabletop/room_snapshot.hpp"
#include "geosim/tabletop/session.hpp"
#include "support/room_session.hpp"

namespace geosim {
namespace {

using nlohmann::json;

using testing::apply;
using testing::realignment;
using testing::view;

TEST(RoomPage, ThePanelEscapesEveryName) {
  std::string error;
  const auto templates = load_room_templates(std::string(GEOSIM_SOURCE_DIR) + "/templates", error);
  ASSERT_TRUE(templates) << error;
  Session s = realignment();
  apply(s, R"(inject adhoc "<script>alert('x')</script> & co" VNM->USA tension +0.1)");
  apply(s, "step");
  const std::string panel = render_room_panel(*templates, view(s));
  EXPECT_EQ(panel.find("<script>"), std::string::npos);
  EXPECT_NE(panel.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"), std::string::npos) << panel;
  const std::string page = render_room_page(*templates, view(s), "abc", "?token=t", "/events");
  EXPECT_NE(page.find("<script nonce=\"abc\" src=\"/js/room.js?token=t\">"), std::string::npos);
  EXPECT_EQ(page.find("<script>alert"), std::string::npos);
}

TEST(RoomPage, BothPanelsShareTheIndicatorsTableAndLeaveOutAnAbsentRationale) {
  std::string error;
  const auto templates = load_room_templates(std::string(GEOSIM_SOURCE_DIR) + "/templates", error);
  ASSERT_TRUE(templates) << error;
  Session s = realignment();
  apply(s, "move SGP quiet-diplomacy");  // no rationale
  apply(s, "step");
  for (const std::string team : {"", "SGP"}) {
    const json v = view(s, team);
    const std::string panel = render_room_panel(*templates, v);
    std::size_t rows = 0;
    for (std::size_t at = panel.find("data-indicator="); at != std::string::npos;
         at = panel.find("data-indicator=", at + 1))
      ++rows;
    EXPECT_EQ(rows, v["indicators"].size()) << team;
    EXPECT_NE(panel.find("“Quiet diplomacy with Hanoi”"), std::string::npos) << panel;
    EXPECT_EQ(panel.find("class=\"why\">– </span>"), std::string::npos) << "an empty rationale shown: " << panel;
  }
}

// A move and an inject at one step are one marker of their own kind (two rules at one place
// hid the move), its text both titles; a marker has a triangle at the top (one on the first
// day lies on the axis); the legend names only the kinds there are.
TEST(RoomPage, AMoveAndAnInjectAtOneStepAreOneMarkerOfBoth) {
  Session s = realignment();
  apply(s, R"(move SGP quiet-diplomacy "a channel")");
  apply(s, "step 9");
  apply(s, R"(inject adhoc "US presses Hanoi" USA->VNM tension +0.04)");
  apply(s, "move asean-dialogue");
  apply(s, "step");
  const json spec = indicators_chart_spec(session_chart_data(s));
  const json& marks = spec["datasets"]["marks"];
  ASSERT_EQ(marks.size(), 2u) << marks.dump();
  EXPECT_EQ(marks[0]["kind"], "move");
  EXPECT_EQ(marks[0]["step"], 0);
  EXPECT_EQ(marks[1]["kind"], "move and inject");
  EXPECT_EQ(marks[1]["step"], 9);
  EXPECT_NE(marks[1]["what"].get<std::string>().find("US presses Hanoi; "), std::string::npos) << marks[1].dump();
  int triangles = 0;
  for (const auto& layer : spec["concat"][0]["layer"])
    if (layer["data"]["name"] == "marks" && layer["mark"]["type"] == "point") {
      ++triangles;
      EXPECT_EQ(layer["mark"]["shape"], "triangle-down");
      EXPECT_EQ(layer["encoding"]["y"]["value"], 0);  // the top of the chart
      EXPECT_EQ(layer["encoding"]["color"]["scale"]["domain"], json::array({"move", "move and inject"}));
    }
  EXPECT_EQ(triangles, 1);
}

// The charts page's spec is the report's chart of the session so far: a panel per indicator,
// a marker per move and inject at the step it was typed, and no text under 18 px.
TEST(RoomPage, TheChartIsTheReportsSpecWithTheMovesAndInjectsMarked) {
  Session s = realignment();
  apply(s, "step");
  apply(s, R"(move SGP quiet-diplomacy "a channel")");
  apply(s, "step 2");
  apply(s, R"(inject adhoc "US presses Hanoi" USA->VNM tension +0.04)");
  apply(s, "step");
  const json charts = room_chart_spec(session_chart_data(s));
  const json& spec = charts["screen"];
  ASSERT_EQ(spec["concat"].size(), s.current().scenario.indicators.size());
  const json& marks = spec["datasets"]["marks"];
  ASSERT_EQ(marks.size(), 2u) << marks.dump();
  EXPECT_EQ(marks[0]["kind"], "move");
  EXPECT_EQ(marks[0]["step"], 1);
  EXPECT_EQ(marks[0]["date"], "2025-08-08");  // step 1 of a weekly scenario from 2025-08-01
  EXPECT_EQ(marks[1]["kind"], "inject");
  EXPECT_EQ(marks[1]["step"], 3);
  for (const auto& panel : spec["concat"]) {
    bool marker = false;
    for (const auto& layer : panel["layer"]) marker = marker || layer["data"]["name"] == "marks";
    EXPECT_TRUE(marker) << panel["title"];
  }
  // Every step played is a point of the line: steps 0 to 4.
  EXPECT_EQ(spec["datasets"]["rows"].size(), 5 * s.current().scenario.indicators.size());
  const json& config = spec["config"];
  for (const json* size : {&config["axis"]["labelFontSize"], &config["axis"]["titleFontSize"],
                           &config["legend"]["labelFontSize"], &config["title"]["fontSize"]})
    EXPECT_GE(size->get<int>(), 18);
  // The report's chart of the same session: the same data and markers, the report's sizes
  // (12 px: 9 pt on A4). On paper the page draws that size: the ten indicators in one chart.
  const json report = indicators_chart_spec(session_chart_data(s));
  EXPECT_EQ(report["datasets"], spec["datasets"]);
  EXPECT_EQ(report["config"]["axis"]["labelFontSize"], 12);
  ASSERT_EQ(charts["print"].size(), 1u);
  EXPECT_EQ(charts["print"][0]["datasets"], report["datasets"]);
  EXPECT_EQ(charts["print"][0]["config"], report["config"]);
  EXPECT_EQ(charts["print"][0]["concat"].size(), 10u);
}

// A team's chart: its actor's tension toward each partner and the indicators of its relations,
// over the steps played so far (nothing ahead), with the session's markers; the same builder as
// the report's, at the screen's and the paper's sizes.
TEST(RoomPage, ATeamsChartIsItsRelationsAndItsIndicatorsSoFar) {
  Session s = realignment();
  apply(s, R"(move SGP quiet-diplomacy "a channel")");
  apply(s, "step 2");
  const ReportData data = session_chart_data(s);
  const json charts = room_chart_spec(data, "SGP");
  const json& spec = charts["screen"];
  std::vector<std::string> titles;
  for (const auto& panel : spec["concat"]) titles.push_back(panel["title"]);
  // realignment's nine actors, all related to Singapore; the indicators of its relations, read
  // in scenarios/baseline.yaml: vnm_sgp, sgp_usa, sgp_chn, and asean_cohesion (ASEAN's members
  // are VNM and SGP in scenarios/actors.yaml).
  const std::vector<std::string> expected{"SGP → VNM",
                                          "SGP → PRK",
                                          "SGP → KOR",
                                          "SGP → USA",
                                          "SGP → CHN",
                                          "SGP → ASEAN",
                                          "SGP → RUS",
                                          "SGP → JPN",
                                          "Vietnam–Singapore tension",
                                          "ASEAN cohesion",
                                          "Singapore–US tension",
                                          "Singapore–China tension"};
  std::vector<std::string> sorted_titles = titles, sorted_expected = expected;
  std::sort(sorted_titles.begin(), sorted_titles.end());
  std::sort(sorted_expected.begin(), sorted_expected.end());
  EXPECT_EQ(sorted_titles, sorted_expected);
  // Three points a panel (steps 0, 1, 2), the tension as the session has it.
  const json& rows = spec["datasets"]["rows"];
  EXPECT_EQ(rows.size(), 3 * expected.size());
  const std::size_t sgp = *data.scenario.find_actor("SGP"), usa = *data.scenario.find_actor("USA");
  const std::size_t panel = std::find(titles.begin(), titles.end(), "SGP → USA") - titles.begin();
  for (const auto& row : rows) {
    EXPECT_LE(row["step"].get<int>(), 2);
    if (row["k"] == panel && row["step"] == 2) {
      EXPECT_NEAR(row["value"].get<double>(), s.current().state.tension(Eigen::Index(sgp), Eigen::Index(usa)), 1e-6);
    }
  }
  ASSERT_EQ(spec["datasets"]["marks"].size(), 1u);
  EXPECT_GE(spec["config"]["axis"]["labelFontSize"].get<int>(), 18);
  // On paper: at most ten panels to a chart, every panel once.
  std::size_t printed = 0;
  for (const auto& chart : charts["print"]) {
    EXPECT_LE(chart["concat"].size(), 10u);
    EXPECT_EQ(chart["config"]["axis"]["labelFontSize"], 12);
    printed += chart["concat"].size();
  }
  EXPECT_EQ(charts["print"].size(), 2u);
  EXPECT_EQ(printed, expected.size());
  EXPECT_TRUE(room_chart_spec(data, "XYZ").is_null());
}

/// The strings of `value` that hold `needle`.
void strings_with(const json& value, const std::string& needle, std::vector<std::string>& found) {
  if (value.is_string() && value.get_ref<const std::string&>().find(needle) != std::string::npos)
    found.push_back(value);
  if (value.is_structured())
    for (const auto& item : value) strings_with(item, needle, found);
}

TEST(RoomPage, AChartTitlesRightToLeftOverrideIsClosedAsInTheReport) {
  // Indicators' titles with an unclosed U+202E (RLO): every chart string that holds one (the
  // room's and a team's chart) ends its override with a PDF (U+202C), as the HTML report's script JSON does.
  const std::string rlo = "\xE2\x80\xAE", pdf = "\xE2\x80\xAC";
  Session s = realignment();
  apply(s, "step");
  ReportData data = session_chart_data(s);
  for (Indicator& indicator : data.scenario.indicators) indicator.title += " " + rlo + "reversed";
  for (const json& charts : {room_chart_spec(data), room_chart_spec(data, "SGP")}) {
    std::vector<std::string> found;
    strings_with(charts, rlo, found);
    EXPECT_FALSE(found.empty()) << charts.dump();
    for (const std::string& text : found) {
      EXPECT_NE(text.find(rlo + "reversed" + pdf), std::string::npos) << text;
    }
  }
}

}  // namespace
}  // namespace geosim
