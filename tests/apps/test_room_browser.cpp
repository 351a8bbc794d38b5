// The live page in a real browser: headless Chromium driven by puppeteer-core (npm, pinned)
// through tests/browser/room_check.mjs, against `geosim play --serve`. The page shows the
// values `status` prints, follows a `step`, the charts page draws the report's indicators chart
// with a marker per move and inject, the team view shows only its relations and nothing
// scheduled ahead, no text is under 18 px at 1280x720, a busy turn still fits the projector's
// screen, the room view and the after-action report print on A4 with every panel whole, and
// nothing is fetched from outside. Screenshots and PDFs: <build>/tests/room-screenshots/
// (scripts/update-doc-screenshots.sh copies those the facilitator's guide shows). Skips (with
// the reason) without chromium, node or puppeteer-core; every wait has a timeout, generous enough
// for a machine that builds beside the suite (the waits end as soon as the page is there).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <regex>

#include "geosim/io/loader.hpp"
#include "support/cli.hpp"
#include "support/live_play.hpp"

namespace geosim {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::LivePlay;
using testing::status_indicators;

std::string find_program(const char* name) { return testing::find_program({name}).value_or(""); }

/// The JSON after "NAME " in the script's output, once it is there (within `timeout`).
nlohmann::json stage(LivePlay& node, const std::string& name, std::chrono::milliseconds timeout) {
  if (!node.wait_for(name + " {", timeout)) return nullptr;
  if (!node.wait_for("\n", 2s, node.output().find(name + " {"))) return nullptr;
  const std::string out = node.output();
  const std::size_t at = out.find(name + " {") + name.size() + 1;
  return nlohmann::json::parse(out.substr(at, out.find('\n', at) - at), nullptr, false);
}

/// The shipped realignment scenario's indicators, counted from its file.
std::size_t indicator_count() {
  LoadResult loaded = load_scenario(std::string(GEOSIM_SCENARIOS_DIR) + "/realignment.yaml");
  return loaded.ok() ? loaded.scenario->indicators.size() : 0;
}
bool loaded_ok() { return indicator_count() > 0; }

TEST(RoomBrowser, AScriptedSessionOnTheLivePage) {
  const std::string chromium = find_program("chromium");
  const std::string node_program = find_program("node");
  if (chromium.empty()) GTEST_SKIP() << "no chromium on PATH (Debian package chromium)";
  if (node_program.empty()) GTEST_SKIP() << "no node on PATH";
  const fs::path script = fs::path(GEOSIM_SOURCE_DIR) / "tests" / "browser" / "room_check.mjs";
  if (!fs::exists(fs::path(GEOSIM_SOURCE_DIR) / "node_modules" / "puppeteer-core" / "package.json"))
    GTEST_SKIP() << "no node_modules/puppeteer-core (npm ci)";
  const fs::path shots = fs::current_path() / "room-screenshots";
  fs::create_directories(shots);

  LivePlay play({"play", "realignment", "--serve", "--port", "0"});
  ASSERT_GT(play.port(), 0) << play.output();
  const fs::path report = shots / "after-action.html";
  fs::remove(report);
  LivePlay node("timeout",
                {"420", node_program, script.string(), play.url(), "SGP", shots.string(), chromium, report.string()});

  const nlohmann::json room = stage(node, "ROOM", 180s);
  ASSERT_TRUE(room.is_object()) << node.output();
  play.send("status");
  ASSERT_TRUE(play.wait_for("Tension (row", 30s));
  auto printed = status_indicators(play.output());
  ASSERT_FALSE(printed.empty());
  EXPECT_EQ(room["indicators"].size(), printed.size());
  for (const auto& [title, value] : printed) EXPECT_EQ(room["indicators"].value(title, ""), value) << title;
  EXPECT_EQ(room["step"], "0");
  EXPECT_GE(room["smallest"].get<double>(), 18.0) << room["smallestText"];
  EXPECT_GE(room["label"].get<double>(), 18.0);
  EXPECT_FALSE(room["edges"].empty());

  const std::size_t before = play.output().size();
  play.send("step 2");
  play.send("status");
  ASSERT_TRUE(play.wait_for("Tension (row", 30s, before));
  node.send("stepped");
  const nlohmann::json after = stage(node, "AFTER", 90s);
  ASSERT_TRUE(after.is_object()) << node.output();
  EXPECT_EQ(after["step"], "2");
  // A page whose stream was refused (503, as beyond the server's limit) follows by asking: it
  // showed step 0 before the step was typed, and shows step 2 after.
  EXPECT_EQ(room["polledStep"], "0");
  EXPECT_EQ(after["polled"]["step"], "2") << after["polled"].dump();
  EXPECT_EQ(after["polled"]["status"], "live (every 3 s)") << after["polled"].dump();
  printed = status_indicators(play.output().substr(before));
  for (const auto& [title, value] : printed) EXPECT_EQ(after["indicators"].value(title, ""), value) << title;
  EXPECT_GE(after["smallest"].get<double>(), 18.0) << after["smallestText"];

  // The charts page: one panel per indicator, each with the indicator's title, no text under
  // 18 px, all of it on the screen; no move or inject yet, so no marker.
  const nlohmann::json charts = stage(node, "CHARTS", 90s);
  ASSERT_TRUE(charts.is_object()) << node.output();
  ASSERT_TRUE(loaded_ok());
  EXPECT_EQ(charts["titles"].size(), indicator_count());
  EXPECT_GE(charts["smallest"].get<double>(), 18.0) << charts["smallestText"];
  EXPECT_TRUE(charts["outside"].empty()) << charts["outside"].dump();
  EXPECT_EQ(charts["markers"], 0);

  const nlohmann::json team = stage(node, "TEAM", 90s);
  ASSERT_TRUE(team.is_object()) << node.output();
  EXPECT_FALSE(team["partners"].empty());
  for (const auto& partner : team["partners"]) EXPECT_NE(partner, "SGP");
  for (const auto& edge : team["edges"]) {
    const std::string id = edge;
    EXPECT_TRUE(id.starts_with("SGP") || id.ends_with("SGP")) << id;
  }
  EXPECT_GE(team["smallest"].get<double>(), 18.0) << team["smallestText"];  // its charts' text too
  // Its charts: its tension toward partners (only its own relations) and its indicators.
  int relation_charts = 0;
  for (const auto& title : team["chartTitles"]) {
    const std::string t = title;
    if (t.find(" → ") == std::string::npos) continue;
    ++relation_charts;
    EXPECT_TRUE(t.starts_with("SGP → ")) << t;
  }
  EXPECT_EQ(relation_charts, int(team["partners"].size())) << team["chartTitles"].dump();
  EXPECT_GT(team["chartTitles"].size(), team["partners"].size()) << "no indicator of its relations";
  LoadResult loaded = load_scenario(std::string(GEOSIM_SCENARIOS_DIR) + "/realignment.yaml");
  ASSERT_TRUE(loaded.ok());
  for (const Event& e : loaded.scenario->events)
    if ((e.timing == Timing::at_step && e.step > 2) || (e.timing == Timing::window && e.window_first > 2)) {
      EXPECT_EQ(team["text"].get<std::string>().find(e.title), std::string::npos) << "a future event: " << e.id;
    }

  // A busy turn: more moves and injects, with long rationales, than the projector's screen
  // holds. The room view shows what fits, counts the rest, and nothing is cut off or under 18 px.
  const int busy_items = 12;
  const std::size_t busy_from = play.output().size();
  play.send(
      R"(move SGP quiet-diplomacy "keep a channel to Hanoi open before the visit, and say so to Washington and Beijing alike")");
  for (int k = 1; k < busy_items; ++k)
    play.send("inject adhoc \"Busy turn: a long statement number " + std::to_string(k) +
              " read out by the control cell to the whole room\" USA->VNM tension +0.001");
  play.send("step");
  play.send("status");
  ASSERT_TRUE(play.wait_for("now at step 3 (", 30s, busy_from)) << play.output();
  node.send("3");  // the step the pages wait for
  const nlohmann::json busy = stage(node, "BUSY", 150s);
  ASSERT_TRUE(busy.is_object()) << node.output();
  const nlohmann::json& busy_room = busy["room"];
  EXPECT_EQ(busy_room["step"], "3");
  // The page turned away once asked, tried the stream again, and now follows it.
  EXPECT_EQ(busy_room["retried"]["step"], "3") << busy_room["retried"].dump();
  EXPECT_EQ(busy_room["retried"]["status"], "live") << busy_room["retried"].dump();
  EXPECT_TRUE(busy_room["outside"].empty()) << busy_room["outside"].dump();
  EXPECT_GE(busy_room["smallest"].get<double>(), 18.0) << busy_room["smallestText"];
  EXPECT_GE(busy_room["shown"].get<int>(), 1);
  // Every item of the turn is shown or counted: the moves and injects, and the events that
  // fired at step 3 (at least the injects' own events).
  EXPECT_GE(busy_room["shown"].get<int>() + busy_room["more"].get<int>(), 2 * busy_items - 1) << busy_room.dump();
  const nlohmann::json& busy_charts = busy["charts"];
  EXPECT_TRUE(busy_charts["outside"].empty()) << busy_charts["outside"].dump();
  EXPECT_GE(busy_charts["smallest"].get<double>(), 18.0) << busy_charts["smallestText"];
  // A marker per step with moves or injects, in every panel: the turn's move and injects are
  // one marker of both (drawn one over the other, the move was hidden).
  EXPECT_EQ(busy_charts["markers"].get<std::size_t>(), indicator_count());

  // Printed on A4: the room view, the charts page, a team's view and the session's after-action
  // report. Every drawing within the page's width and shorter than a page, kept whole, its text
  // at 12 px (9 pt) or more as drawn (not shrunk to fit); every table row, list item, figure and
  // heading that fits on a page kept whole.
  play.send("report " + report.string());
  ASSERT_TRUE(play.wait_for(report.filename().string(), 30s)) << play.output();
  node.send("printed");
  const nlohmann::json print = stage(node, "PRINT", 150s);
  ASSERT_TRUE(print.is_object()) << node.output();
  for (const char* page : {"room", "charts", "team", "report"}) {
    const nlohmann::json& p = print[page];
    const double width = p["page"]["width"], height = p["page"]["height"];
    EXPECT_LE(p["bodyWidth"].get<double>(), width + 2) << page << ": wider than an A4 page";
    int drawings = 0;
    for (const auto& panel : p["panels"]) {
      if (!panel["chart"].get<bool>()) {
        if (panel["height"].get<double>() <= height) {
          EXPECT_TRUE(panel["whole"].get<bool>()) << page << " " << panel.dump();
        }
        continue;
      }
      ++drawings;
      // null: no text in it (the network's canvas). The report's network diagram is Graphviz's
      // circle of names, drawn at 10 px (7.5 pt) on A4 when its width is the page's.
      const double least = panel["id"] == "network" ? 10.0 : 12.0;
      if (panel["smallest"].is_number()) {
        EXPECT_GE(panel["smallest"].get<double>(), least) << page << " " << panel.dump();
      }
      // A chart or the network: within the page's width, shorter than a page, and kept whole.
      EXPECT_LE(panel["chartWidth"].get<double>(), width + 1) << page << " " << panel.dump();
      EXPECT_LE(panel["chartHeight"].get<double>(), height) << page << " " << panel.dump();
      EXPECT_TRUE(panel["whole"].get<bool>()) << page << " " << panel.dump();
    }
    EXPECT_GT(drawings, 0) << page;
  }
  // Text on paper: 12 px (9 pt) at least, all of it, on the live page's views and the report
  // (its network diagram aside, above).
  for (const char* page : {"room", "charts", "team"})
    EXPECT_GE(print[page]["smallest"].get<double>(), 12.0) << page << ": " << print[page]["smallestText"];
  // The report's charts, one per panel: the indicators, and the heatmaps one under the other.
  std::vector<std::string> report_charts;
  for (const auto& panel : print["report"]["panels"])
    if (panel["chart"].get<bool>()) report_charts.push_back(panel["id"]);
  for (const char* id : {"chart-indicators", "chart-heatmap-start", "chart-heatmap-end", "chart-heatmap-change"})
    EXPECT_NE(std::find(report_charts.begin(), report_charts.end(), id), report_charts.end()) << id;
  // On paper the room view lists every item of the busy turn the page has (none hidden to fit).
  EXPECT_EQ(print["room"]["shown"].get<int>() + print["room"]["more"].get<int>(),
            busy_room["shown"].get<int>() + busy_room["more"].get<int>());
  EXPECT_GT(print["room"]["shown"].get<int>(), busy_room["shown"].get<int>());

  const nlohmann::json done = stage(node, "DONE", 90s);
  ASSERT_TRUE(done.is_object()) << node.output();
  EXPECT_TRUE(done["external"].empty()) << done["external"].dump();
  EXPECT_TRUE(done["errors"].empty()) << done["errors"].dump();
  EXPECT_EQ(node.finish(30s), 0) << node.output();
  for (const char* shot : {"room-0.png", "room-1.png", "team-SGP.png", "charts-1.png", "room-busy.png",
                           "charts-busy.png", "room.pdf", "charts.pdf", "team.pdf", "report.pdf"})
    EXPECT_TRUE(fs::exists(shots / shot)) << shot;
}

}  // namespace
}  // namespace geosim
