// The live page's view of a session (room_snapshot.hpp), checked on the shipped realignment
// scenario moved by ad-hoc injects whose sizes are known: changes judged by each indicator's
// `better:`, the last turn, the network's merged pairs, widths and fading, and a team's view.
#include <gtest/gtest.h>

#include "geosim/tabletop/room_snapshot.hpp"
#include "geosim/tabletop/session.hpp"
#include "support/room_session.hpp"

namespace geosim {
namespace {

using nlohmann::json;

using testing::apply;
using testing::realignment;
using testing::view;

const json* find(const json& list, const std::string& key, const std::string& value) {
  for (const auto& item : list)
    if (item.value(key, "") == value) return &item;
  return nullptr;
}

TEST(RoomSnapshot, ChangesAreJudgedByEachIndicatorsBetter) {
  Session s = realignment();
  // Vietnam–US tension (better: lower) up; ASEAN cohesion (better: higher) down, by strain
  // between the members and ASEAN.
  apply(s, R"(inject adhoc "strain" VNM<->USA tension +0.3, members(ASEAN)<->ASEAN tension +0.3)");
  apply(s, "step");
  const json v = view(s);
  const json* us = find(v["indicators"], "id", "vnm_usa");
  const json* cohesion = find(v["indicators"], "id", "asean_cohesion");
  ASSERT_TRUE(us && cohesion);
  EXPECT_GT((*us)["now"].get<double>(), (*us)["previous"].get<double>());
  EXPECT_EQ((*us)["turn_class"], "bad");
  EXPECT_EQ((*us)["start_class"], "bad");
  EXPECT_LT((*cohesion)["now"].get<double>(), (*cohesion)["previous"].get<double>());
  EXPECT_EQ((*cohesion)["turn_class"], "bad");
  // Easing the same relations next turn is good news for both.
  apply(s, R"(inject adhoc "ease" VNM<->USA tension -0.2, members(ASEAN)<->ASEAN tension -0.2)");
  apply(s, "step");
  const json w = view(s);
  EXPECT_EQ((*find(w["indicators"], "id", "vnm_usa"))["turn_class"], "good");
  EXPECT_EQ((*find(w["indicators"], "id", "asean_cohesion"))["turn_class"], "good");
  // ... while since the start they are still worse.
  EXPECT_EQ((*find(w["indicators"], "id", "vnm_usa"))["start_class"], "bad");
}

TEST(RoomSnapshot, TheLastTurnIsItsInjectsMovesAndEventsSinceTheStepBefore) {
  Session s = realignment();
  apply(s, "step");  // turn 1
  apply(s, R"(move SGP quiet-diplomacy "a channel to Hanoi")");
  apply(s, R"(inject adhoc "US presses Hanoi" USA->VNM tension +0.04)");
  apply(s, "step");  // turn 2: the move, the inject, what fired at step 2
  const json v = view(s);
  EXPECT_EQ(v["turn_from"], 1);
  std::vector<std::string> texts;
  for (const auto& item : v["last_turn"]) texts.push_back(item["text"]);
  ASSERT_GE(texts.size(), 3u);
  EXPECT_EQ(texts[0], "SGP played the policy “Quiet diplomacy with Hanoi”");
  EXPECT_EQ(v["last_turn"][0]["rationale"], "a channel to Hanoi");
  EXPECT_EQ(texts[1], "The facilitator injected “US presses Hanoi”");
  bool fired = false;
  for (const auto& t : texts) fired = fired || t.starts_with("Step 2 (2025-08-08 to 2025-08-14): ");
  EXPECT_TRUE(fired) << "the events that fired at step 2";
  for (const auto& item : v["last_turn"])
    if (item["kind"] == "event" && item["text"].get<std::string>().find("US presses") == std::string::npos) {
      EXPECT_TRUE(item["source"].is_object()) << item.dump();  // a scenario event cites its source document
    }
  // The team view of Japan has none of it; Vietnam's has the inject's event (it touched VNM).
  const json jpn = view(s, "JPN");
  EXPECT_EQ(find(jpn["last_turn"], "rationale", "inject"), nullptr) << jpn["last_turn"].dump();
  bool vnm = false;
  const json vnm_view = view(s, "VNM");
  for (const auto& item : vnm_view["last_turn"])
    vnm = vnm || item["text"].get<std::string>().find("US presses Hanoi") != std::string::npos;
  EXPECT_TRUE(vnm) << vnm_view["last_turn"].dump();
}

TEST(RoomSnapshot, TheNetworkMergesAgreeingPairsAndDrawsCrisisThickest) {
  Session s = realignment();
  // VNM->USA into crisis, USA->VNM left low: two directed edges. SGP–VNM, equal both ways: one.
  apply(s, R"(inject adhoc "one-sided" VNM->USA tension +0.6)");
  apply(s, "step");
  const json v = view(s);
  const json& edges = v["network"]["edges"];
  const json* up = find(edges, "id", "VNM->USA");
  const json* down = find(edges, "id", "USA->VNM");
  ASSERT_TRUE(up && down) << edges.dump();
  EXPECT_EQ((*up)["level"], "crisis");
  EXPECT_TRUE((*up)["changed"].get<bool>());
  EXPECT_FALSE((*up)["faded"].get<bool>());
  EXPECT_GT((*up)["width"].get<double>(), (*down)["width"].get<double>());
  EXPECT_DOUBLE_EQ((*up)["width"].get<double>(), 2.0 + 16.0 * (*up)["tension"].get<double>());
  const json* pair = find(edges, "id", "VNM--SGP");
  ASSERT_TRUE(pair) << edges.dump();
  EXPECT_FALSE((*pair)["directed"].get<bool>());
  EXPECT_TRUE((*pair)["faded"].get<bool>()) << "low and unchanged";
  EXPECT_EQ(find(edges, "id", "VNM->SGP"), nullptr);
  // Positions are fixed: the same after another step.
  apply(s, "step");
  EXPECT_EQ(view(s)["network"]["nodes"], v["network"]["nodes"]);
  // A team's view: only its own relations, none faded.
  const json team = view(s, "SGP");
  for (const auto& e : team["network"]["edges"]) {
    EXPECT_TRUE(e["source"] == "SGP" || e["target"] == "SGP") << e.dump();
    EXPECT_FALSE(e["faded"].get<bool>());
  }
  // Its options: Singapore's four policies (`by: SGP`) are SGP's, none of Vietnam's.
  EXPECT_EQ(team["team"]["options"].size(), 4u) << team["team"].dump();
  EXPECT_TRUE(view(s, "VNM")["team"]["options"].empty()) << view(s, "VNM")["team"].dump();
  RoomViewOptions unknown;
  unknown.team = "XYZ";
  EXPECT_FALSE(room_snapshot(s, s, unknown));
}

}  // namespace
}  // namespace geosim
