// A diagnostic is one line a terminal shows as it is: what a file quotes (a name with an escape
// sequence, a C1 control, a noncharacter or a right-to-left override, a line break) comes out
// as text (core/diagnostic.hpp), classified as terminal_text classifies it (core/control_chars.hpp).
#include <gtest/gtest.h>

#include "geosim/core/control_chars.hpp"
#include "geosim/core/diagnostic.hpp"

namespace geosim {
namespace {

TEST(Diagnostic, QuotedControlsComeOutAsText) {
  const Diagnostic d{"f\xE2\x80\xAE.yaml", 3, 7,
                     "unknown actor 'B\x1b[31m\xC2\x9B" "2J\xE2\x80\xAEX\xE2\x81\xA6Y\xEF\xBF\xBE\nZ\tW\r'"};
  EXPECT_EQ(format_diagnostic(d), "f?.yaml:3:7: error: unknown actor 'B\\x1b[31m?2J?X?Y?\\nZ\\tW\\r'");
  EXPECT_EQ(format_warning({"g", 0, 0, "a\xC2\x85" "b"}), "g: warning: a?b");
  // Text that only looks close is left alone: U+00A0 (C2 A0), U+2030 (E2 80 B0), U+FFFD (EF BF BD), é.
  const std::string plain = "a\xC2\xA0" "b\xE2\x80\xB0" "c\xEF\xBF\xBD" "d\xC3\xA9";
  EXPECT_EQ(format_diagnostic({"f", 0, 0, plain}), "f: error: " + plain);
}

TEST(Diagnostic, TheClassificationCoversEachKindWithItsLength) {
  EXPECT_EQ(terminal_control("\x1b", 0), 1u);
  EXPECT_EQ(terminal_control("\x7f", 0), 1u);
  EXPECT_EQ(terminal_control("\xC2\x80", 0), 2u);
  EXPECT_EQ(terminal_control("\xC2\x9F", 0), 2u);
  EXPECT_EQ(terminal_control("\xC2\xA0", 0), 0u);
  EXPECT_EQ(terminal_control("\xEF\xBF\xBF", 0), 3u);
  for (const char* bidi : {"\xE2\x80\xAA", "\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x81\xA9"})
    EXPECT_EQ(terminal_control(bidi, 0), 3u) << bidi;
  EXPECT_EQ(terminal_control("\xE2\x80", 0), 0u) << "cut short at the end";
  EXPECT_EQ(terminal_control("a", 1), 0u) << "past the end";
}

TEST(Diagnostic, AListOfKnownNamesShowsTenThenHowManyMore) {
  EXPECT_EQ(name_list({}), "none");
  EXPECT_EQ(name_list({"VNM"}), "VNM");
  EXPECT_EQ(name_list({"A", "B", "C"}, 3), "A, B, C");
  EXPECT_EQ(name_list({"A", "B", "C", "D"}, 3), "A, B, C, and 1 more");
  std::vector<std::string> many;
  for (int k = 0; k < 2000; ++k) many.push_back("S" + std::to_string(k));
  EXPECT_EQ(name_list(many), "S0, S1, S2, S3, S4, S5, S6, S7, S8, S9, and 1990 more");
  EXPECT_EQ(name_list(many, 0), "S0, and 1999 more") << "at least one name is shown";
}

}  // namespace
}  // namespace geosim
