// The live page's templates (room_page.hpp) filled from a session's view: every name escaped,
// the nonce and the token on every script.
#include <gtest/gtest.h>

#include "geosim/report/room_page.hpp"
#include "geosim/tabletop/room_snapshot.hpp"
#include "geosim/tabletop/session.hpp"

namespace geosim {
namespace {

using nlohmann::json;

Session realignment() {
  std::vector<Diagnostic> errors;
  auto session = Session::start({"realignment", {}, 1, GEOSIM_SCENARIOS_DIR, "", {}, {}}, errors);
  EXPECT_TRUE(session);
  return std::move(*session);
}

void apply(Session& s, const std::string& line) {
  const ParsedCommand parsed = parse_session_command(line);
  ASSERT_TRUE(parsed.command) << parsed.error;
  const CommandResult r = s.apply(*parsed.command);
  ASSERT_TRUE(r.ok) << line << ": " << r.message;
}

json view(const Session& s, const std::string& team = "") {
  RoomViewOptions o;
  o.team = team;
  o.scenarios_dir = GEOSIM_SCENARIOS_DIR;
  auto v = room_snapshot(s, last_turn(s), o);
  EXPECT_TRUE(v);
  return v.value_or(json());
}

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

}  // namespace
}  // namespace geosim
