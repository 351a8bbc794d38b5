// Scenario::find_actor through its sorted index (actor_order) agrees with a search of the
// actors one by one, on the 200-state world and on scenarios built in code, and the loaders'
// diagnostics for unknown names are those of before (a suggestion and the known actors).
#include <geosim/io/loader.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "support/builders.hpp"

using namespace geosim;

namespace {

/// The first actor with this id, found by looking at every one in turn.
std::optional<std::size_t> linear(const Scenario& s, const std::string& id) {
  for (std::size_t i = 0; i < s.actors.size(); ++i)
    if (s.actors[i].id == id) return i;
  return std::nullopt;
}

std::string text_of(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ActorLookup, AgreesWithALinearScanOnTheWorldOf200States) {
  const LoadResult loaded = load_scenario(geosim::testing::shipped("world-200.yaml"));
  ASSERT_TRUE(loaded.ok());
  const Scenario& s = *loaded.scenario;
  ASSERT_GE(s.actor_count(), 200u);
  ASSERT_EQ(s.actor_order.size(), s.actor_count()) << "the loader indexes the actors";
  for (std::size_t i = 0; i < s.actor_count(); ++i) {
    const std::string& id = s.actors[i].id;
    EXPECT_EQ(s.find_actor(id), std::optional<std::size_t>(i)) << id;
    for (const std::string& other :
         {id + "X", id.substr(0, 2), "0" + id, std::string(1, char(id[0] + 32)) + id.substr(1)})
      EXPECT_EQ(s.find_actor(other), linear(s, other)) << other;
  }
  for (const std::string other : {"", "A", "ZZZZ", "~", " ABW"}) EXPECT_EQ(s.find_actor(other), std::nullopt) << other;
}

TEST(ActorLookup, ScenariosBuiltInCodeFindTheFirstOfRepeatedIds) {
  Scenario s = geosim::testing::make_scenario({"USA", "CHN", "VNM", "ASEAN"});
  Actor repeat;
  repeat.id = "CHN";
  s.add_actor(repeat);  // a repeat (the loader refuses it): the first is found, as by a scan
  repeat.id = "AAA";
  s.add_actor(repeat);
  for (const std::string id : {"USA", "CHN", "VNM", "ASEAN", "AAA", "BBB", ""})
    EXPECT_EQ(s.find_actor(id), linear(s, id)) << id;
  EXPECT_EQ(s.find_actor("CHN"), std::optional<std::size_t>(1));
  // Actors changed directly: searched one by one until indexed again, then through the index.
  s.actors.push_back(repeat);
  s.actors.back().id = "ZZZ";
  EXPECT_EQ(s.find_actor("ZZZ"), std::optional<std::size_t>(6));
  s.actors[0].id = "XYZ";
  s.index_actors();
  EXPECT_EQ(s.find_actor("XYZ"), std::optional<std::size_t>(0));
  EXPECT_EQ(s.find_actor("USA"), std::nullopt);
  for (std::size_t i = 0; i < s.actor_count(); ++i) EXPECT_EQ(s.find_actor(s.actors[i].id), linear(s, s.actors[i].id));
}

TEST(ActorLookup, AnUnknownNameInTheWorldOf200StatesIsNamedWithASuggestion) {
  std::string text = text_of(geosim::testing::shipped("world-200.yaml"));
  const std::string line = "  - {from: ABW, to: HTI, tension: 0.222, tie: 0.136}";
  const std::size_t at = text.find(line);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, line.size(), "  - {from: ABX, to: HTI, tension: 0.222, tie: 0.136}");
  const LoadResult loaded = load_scenario_text(text, "world.yaml", std::string(GEOSIM_SCENARIOS_DIR));
  ASSERT_EQ(loaded.errors.size(), 1u);
  const Diagnostic& d = loaded.errors[0];
  EXPECT_EQ(d.line, 242);
  EXPECT_EQ(d.column, 12);
  EXPECT_EQ(d.message.rfind("unknown actor 'ABX'; did you mean 'ABW'? (known actors: ABW, AFG, AGO", 0), 0u)
      << d.message;
  // Ten names, then how many more: one readable line, not the world's 200-odd names.
  const LoadResult world = load_scenario_text(text_of(geosim::testing::shipped("world-200.yaml")), "world.yaml",
                                              std::string(GEOSIM_SCENARIOS_DIR));
  ASSERT_TRUE(world.ok());
  const std::string tail = ", and " + std::to_string(world.scenario->actor_count() - 10) + " more)";
  ASSERT_GE(d.message.size(), tail.size());
  EXPECT_EQ(d.message.substr(d.message.size() - tail.size()), tail) << d.message;
  EXPECT_EQ(std::count(d.message.begin(), d.message.end(), ','), 10) << d.message;
}

}  // namespace
