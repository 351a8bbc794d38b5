// The live page in a real browser: headless Chromium driven by puppeteer-core (npm, pinned)
// through tests/browser/room_check.mjs, against `geosim play --serve`. The page shows the
// values `status` prints, follows a `step`, the team view shows only its relations and nothing
// scheduled ahead, no text is under 18 px at 1280x720 and nothing is fetched from outside.
// Screenshots: <build>/tests/room-screenshots/. Skips (with the reason) without chromium, node
// or puppeteer-core; every wait has a timeout.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <regex>

#include "geosim/io/loader.hpp"
#include "support/live_play.hpp"

namespace geosim {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::LivePlay;

std::string find_program(const char* name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (std::size_t at = 0; at <= dirs.size();) {
    const std::size_t end = std::min(dirs.find(':', at), dirs.size());
    const fs::path candidate = fs::path(dirs.substr(at, end - at)) / name;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    at = end + 1;
  }
  return "";
}

/// The JSON after "NAME " in the script's output, once it is there (within `timeout`).
nlohmann::json stage(LivePlay& node, const std::string& name, std::chrono::milliseconds timeout) {
  if (!node.wait_for(name + " {", timeout)) return nullptr;
  if (!node.wait_for("\n", 2s, node.output().find(name + " {"))) return nullptr;
  const std::string out = node.output();
  const std::size_t at = out.find(name + " {") + name.size() + 1;
  return nlohmann::json::parse(out.substr(at, out.find('\n', at) - at), nullptr, false);
}

/// "  TITLE  0.123 -> 0.456  (+0.333)" lines of `status` after `from`: title -> now as printed.
std::map<std::string, std::string> status_indicators(const std::string& out) {
  std::map<std::string, std::string> values;
  const std::regex line(R"(\n  (\S.*?) +([0-9.]+) -> ([0-9.]+)  \([-+][0-9.]+\))");
  for (std::sregex_iterator it(out.begin(), out.end(), line), end; it != end; ++it) values[(*it)[1]] = (*it)[3];
  return values;
}

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
  LivePlay node("timeout", {"120", node_program, script.string(), play.url(), "SGP", shots.string(), chromium});

  const nlohmann::json room = stage(node, "ROOM", 60s);
  ASSERT_TRUE(room.is_object()) << node.output();
  play.send("status");
  ASSERT_TRUE(play.wait_for("Tension (row", 10s));
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
  ASSERT_TRUE(play.wait_for("Tension (row", 10s, before));
  node.send("stepped");
  const nlohmann::json after = stage(node, "AFTER", 30s);
  ASSERT_TRUE(after.is_object()) << node.output();
  EXPECT_EQ(after["step"], "2");
  printed = status_indicators(play.output().substr(before));
  for (const auto& [title, value] : printed) EXPECT_EQ(after["indicators"].value(title, ""), value) << title;
  EXPECT_GE(after["smallest"].get<double>(), 18.0) << after["smallestText"];

  const nlohmann::json team = stage(node, "TEAM", 30s);
  ASSERT_TRUE(team.is_object()) << node.output();
  EXPECT_FALSE(team["partners"].empty());
  for (const auto& partner : team["partners"]) EXPECT_NE(partner, "SGP");
  for (const auto& edge : team["edges"]) {
    const std::string id = edge;
    EXPECT_TRUE(id.starts_with("SGP") || id.ends_with("SGP")) << id;
  }
  EXPECT_GE(team["smallest"].get<double>(), 18.0) << team["smallestText"];
  LoadResult loaded = load_scenario(std::string(GEOSIM_SCENARIOS_DIR) + "/realignment.yaml");
  ASSERT_TRUE(loaded.ok());
  for (const Event& e : loaded.scenario->events)
    if ((e.timing == Timing::at_step && e.step > 2) || (e.timing == Timing::window && e.window_first > 2)) {
      EXPECT_EQ(team["text"].get<std::string>().find(e.title), std::string::npos) << "a future event: " << e.id;
    }

  const nlohmann::json done = stage(node, "DONE", 30s);
  ASSERT_TRUE(done.is_object()) << node.output();
  EXPECT_TRUE(done["external"].empty()) << done["external"].dump();
  EXPECT_TRUE(done["errors"].empty()) << done["errors"].dump();
  EXPECT_EQ(node.finish(30s), 0) << node.output();
  for (const char* shot : {"room-0.png", "room-1.png", "team-SGP.png"}) EXPECT_TRUE(fs::exists(shots / shot)) << shot;
}

}  // namespace
}  // namespace geosim
