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

// A message quotes a user's word whole up to 80 bytes; a longer one by its start and length,
// never cutting a UTF-8 character (a 3-byte one straddling byte 60 is left out whole).
TEST(Diagnostic, ALongWordIsQuotedByItsStartAndLength) {
  const std::string eighty(80, 'a');
  EXPECT_EQ(quoted_word(eighty), eighty);
  EXPECT_EQ(quoted_word(std::string(1 << 20, 'b')), std::string(60, 'b') + "... (1048576 bytes)");
  const std::string straddling = std::string(59, 'c') + "\xE2\x82\xAC" + std::string(40, 'd');  // the euro sign at 59..61
  EXPECT_EQ(quoted_word(straddling), std::string(59, 'c') + "... (102 bytes)");
}

// The closest name is found as by comparing every candidate: the ones skipped for their length
// could not have been closer. A megabyte word among 2,000 names is compared with none of them.
TEST(Diagnostic, ClosestMatchSkipsOnlyCandidatesTooFarInLength) {
  EXPECT_EQ(closest_match("quiet-diplomcy", {"asean-dialogue", "quiet-diplomacy", "quiet"}), "quiet-diplomacy");
  EXPECT_EQ(closest_match("VNMM", {"VNM", "VNMMMMMM"}), "VNM");
  EXPECT_EQ(closest_match("ab", {"abcd"}), "abcd") << "two insertions: within max(2, 2 / 3) = 2";
  EXPECT_EQ(closest_match("ab", {"abcde"}), "") << "three insertions";
  std::vector<std::string> many;
  for (int k = 0; k < 2000; ++k) many.push_back("S" + std::to_string(k));
  EXPECT_EQ(closest_match(std::string(1 << 20, 'S'), many), "");
}

}  // namespace
}  // namespace geosim
