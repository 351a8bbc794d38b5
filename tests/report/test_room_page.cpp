// The live page's templates (room_page.hpp) filled from a session's view: every name escaped,
// the nonce and the token on every script.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace geosim
