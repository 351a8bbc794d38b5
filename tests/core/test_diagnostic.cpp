// A diagnostic is one line a terminal shows as it is: what a file quotes (a name with an escape
// sequence, a C1 control, a noncharacter or a right-to-left override, a line break) comes out
// as text (core/diagnostic.hpp), classified as terminal_text classifies it (core/control_chars.hpp).
#include <gtest/gtest.h>

#include "geosim/core/control_chars.hpp"
#include "geosim/core/diagnostic.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <vector>

namespace geosim {
namespace {

TEST(Diagnostic, QuotedControlsComeOutAsText) {
  const Diagnostic d{"f\xE2\x80\xAE.yaml", 3, 7,
                     "unknown actor 'B\x1b[31m\xC2\x9B"
                     "2J\xE2\x80\xAEX\xE2\x81\xA6Y\xEF\xBF\xBE\nZ\tW\r'"};
  EXPECT_EQ(format_diagnostic(d), "f?.yaml:3:7: error: unknown actor 'B\\x1b[31m?2J?X?Y?\\nZ\\tW\\r'");
  EXPECT_EQ(format_warning({"g", 0, 0,
                            "a\xC2\x85"
                            "b"}),
            "g: warning: a?b");
  // Text that only looks close is left alone: U+00A0 (C2 A0), U+2030 (E2 80 B0), U+FFFD (EF BF BD), é.
  const std::string plain =
      "a\xC2\xA0"
      "b\xE2\x80\xB0"
      "c\xEF\xBF\xBD"
      "d\xC3\xA9";
  EXPECT_EQ(format_diagnostic({"f", 0, 0, plain}), "f: error: " + plain);
}

// Bytes that are not UTF-8 (a command-line argument may hold any) are shown by their value, and a
// valid character after them is kept whole: the table of RFC 3629's section 4 by hand.
TEST(Diagnostic, BytesThatAreNotUtf8ComeOutAsTheirValue) {
  EXPECT_EQ(format_diagnostic({"f\xFF", 0, 0, "name 'a\xC3(b\xE2\x82\xAC\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80'"}),
            "f\\xff: error: name 'a\\xc3(b\xE2\x82\xAC\\xc0\\xaf\\xed\\xa0\\x80\\xf4\\x90\\x80\\x80'");
  EXPECT_EQ(utf8_length("\xE2\x82\xAC", 0), 3u) << "U+20AC";
  EXPECT_EQ(utf8_length("\xF0\x9F\x98\x80", 0), 4u) << "U+1F600";
  EXPECT_EQ(utf8_length("\xC0\xAF", 0), 0u) << "overlong '/'";
  EXPECT_EQ(utf8_length("\xED\xA0\x80", 0), 0u) << "a surrogate, U+D800";
  EXPECT_EQ(utf8_length("\xF4\x90\x80\x80", 0), 0u) << "above U+10FFFF";
  EXPECT_TRUE(valid_utf8("plain \xC3\xA9t\xC3\xA9"));
  EXPECT_FALSE(valid_utf8("cut \xC3"));
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
  EXPECT_EQ(terminal_control("\xE2\x80\xA8", 0), 3u) << "U+2028 LINE SEPARATOR";
  EXPECT_EQ(terminal_control("\xE2\x80\xA9", 0), 3u) << "U+2029 PARAGRAPH SEPARATOR";
  EXPECT_EQ(terminal_control("\xE2\x80\xA7", 0), 0u) << "U+2027 HYPHENATION POINT is text";
  EXPECT_EQ(terminal_control("\xEF\xBB\xBF", 0), 3u) << "U+FEFF, a byte order mark: invisible";
  EXPECT_EQ(terminal_control("\xE2\x80\x8B", 0), 3u) << "U+200B ZERO WIDTH SPACE";
  EXPECT_EQ(terminal_control("\xE2\x80\x8F", 0), 3u) << "U+200F RIGHT-TO-LEFT MARK";
  EXPECT_EQ(terminal_control("\xE2\x80\x8C", 0), 0u) << "U+200C ZERO WIDTH NON-JOINER: text in Persian";
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
// never cutting a UTF-8 character: one of three bytes at 58..60, or of four at 57..60, is left
// out whole (the cut steps back two and three bytes); bytes that are no UTF-8 are cut at 60.
TEST(Diagnostic, ALongWordIsQuotedByItsStartAndLength) {
  const std::string eighty(80, 'a');
  EXPECT_EQ(quote_word(eighty), "'" + eighty + "'");
  EXPECT_EQ(quote_word(std::string(1 << 20, 'b')), "'" + std::string(60, 'b') + "...' (1048576 bytes)");
  const std::string euro = std::string(58, 'c') + "\xE2\x82\xAC" + std::string(40, 'd');  // bytes 58, 59, 60
  EXPECT_EQ(quote_word(euro), "'" + std::string(58, 'c') + "...' (101 bytes)");
  const std::string clef = std::string(57, 'c') + "\xF0\x9D\x84\x9E" + std::string(40, 'd');  // bytes 57 to 60
  EXPECT_EQ(quote_word(clef), "'" + std::string(57, 'c') + "...' (101 bytes)");
  const std::string raw(100, '\x80');
  EXPECT_EQ(quote_word(raw), "'" + std::string(60, '\x80') + "...' (100 bytes)");
}

/// Levenshtein distance, ignoring case, the textbook way (a full table): the reference below.
std::size_t reference_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j)
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1)});
  return d[a.size()][b.size()];
}

// The closest name is the one every candidate compared by the reference gives: the first of the
// least distance below max(2, |word| / 3) + 1. On random words and lists of every length mix,
// so that candidates skipped for their length are tried against the full comparison.
TEST(Diagnostic, ClosestMatchIsTheReferencesClosest) {
  EXPECT_EQ(closest_match("quiet-diplomcy", {"asean-dialogue", "quiet-diplomacy", "quiet"}), "quiet-diplomacy");
  EXPECT_EQ(closest_match("ab", {"abcd"}), "abcd") << "two insertions: within max(2, 2 / 3) = 2";
  EXPECT_EQ(closest_match("ab", {"abcde"}), "") << "three insertions";
  std::uint64_t state = 12345;
  auto next = [&](std::uint64_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % bound;
  };
  auto word = [&] {
    std::string w(next(12), ' ');
    for (char& c : w) c = "abcAB"[next(5)];
    return w;
  };
  for (int trial = 0; trial < 2000; ++trial) {
    const std::string w = word();
    std::vector<std::string> candidates(next(6));
    for (std::string& c : candidates) c = word();
    std::string expected;
    std::size_t best = std::max<std::size_t>(2, w.size() / 3) + 1;
    for (const std::string& c : candidates)
      if (const std::size_t d = reference_distance(w, c); d < best) best = d, expected = c;
    ASSERT_EQ(closest_match(w, candidates), expected) << "'" << w << "'";
  }
}

}  // namespace
}  // namespace geosim
