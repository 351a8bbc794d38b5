// A saved session that an editor wrote with a byte order mark first: its problems are placed at
// the same line and column as without one (a bad field was placed at 1:1, a syntax error one
// column on), since an editor does not show the mark.
#include <gtest/gtest.h>
#include <geosim/core/diagnostic.hpp>
#include <geosim/tabletop/session_file.hpp>

#include <string>

#include "support/session_play.hpp"

namespace geosim {
namespace {

std::string place(const std::string& text) {
  const ResumeResult r = session_from_json(text, "session.json", GEOSIM_SCENARIOS_DIR);
  EXPECT_FALSE(r.session.has_value());
  return r.errors.empty() ? "" : format_diagnostic(r.errors.front());
}

TEST(SessionFileBom, ProblemsArePlacedAsWithoutTheMark) {
  const std::string good = session_to_json(testing::played_session());
  const std::string mark = "\xEF\xBB\xBF";
  ASSERT_TRUE(session_from_json(mark + good, "session.json", GEOSIM_SCENARIOS_DIR).session.has_value())
      << "a marked file resumes";
  std::string field = good;  // a field of the wrong type, on a later line
  field.replace(field.find("\"seed\": 11"), 10, "\"seed\": \"x\"");
  std::string syntax = good;  // a syntax error on the first line
  syntax.replace(syntax.find('{'), 1, "{ x");
  for (const std::string& text : {field, syntax}) {
    const std::string plain = place(text);
    ASSERT_NE(plain.find("session.json:"), std::string::npos) << plain;
    EXPECT_NE(plain.find("session.json:1:1:"), 0u) << plain;
    EXPECT_EQ(place(mark + text), plain);
  }
}

}  // namespace
}  // namespace geosim
