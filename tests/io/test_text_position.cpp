// Where a byte sits as line and column (the diagnostics of saved sessions, iso-codes' table,
// event rows): columns count characters, as an editor shows them, and a byte order mark that
// starts the text is none (a session saved by an editor that adds one was placed one column on).
#include <gtest/gtest.h>
#include <geosim/io/text_position.hpp>

#include <string>

namespace geosim {
namespace {

TEST(TextPosition, ColumnsCountCharactersAndLinesRestartThem) {
  const std::string text = "{\n  \"name\": \"H\xC3\xA0 N\xE1\xBB\x99i\", x\n}";
  const std::size_t x = text.find(", x") + 2;
  // line 2: two spaces, "name": (7), a space, then "Hà Nội" in quotes (8 characters, 12 bytes), ", "
  EXPECT_EQ(text_position(text, x).line, 2);
  EXPECT_EQ(text_position(text, x).column, 2 + 7 + 1 + 8 + 2 + 1);
  EXPECT_EQ(text_position(text, 0).column, 1);
  EXPECT_EQ(text_position(text, 2).line, 2);
  EXPECT_EQ(text_position(text, 2).column, 1);
  EXPECT_EQ(text_position(text, 999).line, 3) << "past the end: the end's";
}

TEST(TextPosition, AByteOrderMarkIsNoColumn) {
  const std::string plain = "{ x: 1 }", marked = "\xEF\xBB\xBF" + plain;
  for (std::size_t k = 0; k < plain.size(); ++k) {
    const TextPosition a = text_position(plain, k), b = text_position(marked, k + 3);
    EXPECT_EQ(a.line, b.line) << k;
    EXPECT_EQ(a.column, b.column) << k;
  }
  EXPECT_EQ(text_position(marked, 0).column, 1);
  EXPECT_EQ(text_position("a\xEF\xBB\xBF"
                          "b",
                          4)
                .column,
            3)
      << "inside the text it is a character (U+FEFF)";
}

}  // namespace
}  // namespace geosim
