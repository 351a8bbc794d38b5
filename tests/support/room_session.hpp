#pragma once
// A realignment session for the live page's tests, a command applied to it, and its room view
// (room_snapshot.hpp), shared by tests/tabletop/test_room_snapshot.cpp and
// tests/report/test_room_page.cpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "geosim/tabletop/room_snapshot.hpp"
#include "geosim/tabletop/session.hpp"

namespace geosim::testing {

inline Session realignment() {
  std::vector<Diagnostic> errors;
  auto session =
      Session::start({"realignment", {}, 1, GEOSIM_SCENARIOS_DIR, "", {}, {}, {}, kEnsembleMemoryBudget}, errors);
  EXPECT_TRUE(session);
  return std::move(*session);
}

inline void apply(Session& s, const std::string& line) {
  const ParsedCommand parsed = parse_session_command(line);
  ASSERT_TRUE(parsed.command) << parsed.error;
  const CommandResult r = s.apply(*parsed.command);
  ASSERT_TRUE(r.ok) << line << ": " << r.message;
}

inline nlohmann::json view(const Session& s, const std::string& team = "") {
  RoomViewOptions o;
  o.team = team;
  o.scenarios_dir = GEOSIM_SCENARIOS_DIR;
  auto v = room_snapshot(s, last_turn(s), o);
  EXPECT_TRUE(v);
  return v.value_or(nlohmann::json());
}

}  // namespace geosim::testing
