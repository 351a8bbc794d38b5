// analyze's terminal summary: its score columns show the scores they rank, however small.
#include <gtest/gtest.h>
#include <geosim/report/analysis_report.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "report/text_bars.hpp"
#include "support/builders.hpp"

namespace geosim {
namespace {

/// The number shown after `id` on a ranking line of `text`.
double shown_after(const std::string& text, const std::string& id, std::string* word = nullptr) {
  const std::size_t at = text.find("\n  " + id + " ");
  if (at == std::string::npos) return -1.0;
  std::istringstream line(text.substr(at + 3 + id.size()));
  std::string number;
  line >> number;
  if (word) *word = number;
  return std::stod(number);
}

// At 200 actors the largest betweenness is about 1e-4: at three decimals every broker read
// 0.000 beside bars of different lengths. Each score is now shown to three significant digits of
// the largest, every row with as many decimals, and reads back within half its last digit.
TEST(AnalysisReport, SmallScoresAreShownNotRoundedToZero) {
  const Scenario s = testing::make_scenario({"AAA", "BBB", "CCC"});
  Analysis a;
  a.brokers = {0.000143, 0.0000956, 0.0};
  a.influence.score = {0.5, 0.3, 0.2};
  const std::string text = analysis_summary(s, a);
  std::string word;
  EXPECT_NEAR(shown_after(text, "AAA", &word), 0.000143, 5e-7) << text;
  EXPECT_EQ(word, "0.000143");
  EXPECT_NEAR(shown_after(text, "BBB"), 0.0000956, 5e-7) << text;
  EXPECT_EQ(shown_after(text, "CCC", &word), 0.0);
  EXPECT_EQ(word, "0.000000") << "the same decimals down the column";
  // Scores of the usual size keep three decimals (the influence column here).
  EXPECT_NE(text.find("  AAA    0.500  "), std::string::npos) << text;
}

TEST(AnalysisReport, DecimalsGiveTheLargestThreeSignificantDigits) {
  EXPECT_EQ(detail::decimals_for(0.0), 3);
  EXPECT_EQ(detail::decimals_for(0.9), 3);
  EXPECT_EQ(detail::decimals_for(0.1), 3);
  EXPECT_EQ(detail::decimals_for(0.099), 4);     // 0.0990
  EXPECT_EQ(detail::decimals_for(0.000143), 6);  // 0.000143
  EXPECT_EQ(detail::decimals_for(1e-12), 9);     // bounded
}

// A 60-actor world: a camp's line named every member (1,060 characters at 200 states) and each
// ranking ran to 200 rows. At most 24 ids a camp and 20 rows a ranking; the rest counted.
TEST(AnalysisReport, LongListsAreCappedAndCounted) {
  std::vector<std::string> ids;
  for (int k = 0; k < 60; ++k) ids.push_back(fmt::format("A{:02}", k));
  const Scenario s = testing::make_scenario(ids);
  Analysis a;
  a.blocs.camp.assign(60, 0);
  for (int k = 50; k < 60; ++k) a.blocs.camp[std::size_t(k)] = 1;
  for (int k = 0; k < 60; ++k) {
    a.brokers.push_back(0.01 * (60 - k));
    a.influence.score.push_back(1.0 / 60);
  }
  const std::string text = analysis_summary(s, a);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 200u) << line;
  EXPECT_NE(text.find("  camp 1 (50): A00, A01, "), std::string::npos) << text;
  EXPECT_NE(text.find(", A23 and 26 more (see --json)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  camp 2: A50, A51, A52, A53, A54, A55, A56, A57, A58, A59\n"), std::string::npos) << text;
  EXPECT_GT(shown_after(text, "A19"), 0.0) << "the 20th broker is listed";
  EXPECT_NE(text.find("\n  A19    0.410  "), std::string::npos) << text;
  EXPECT_EQ(text.find("\n  A20    0.400"), std::string::npos) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n') < 120, true) << text;
  std::size_t mores = 0;
  for (std::size_t at = text.find("  ... and 40 more (see --json)\n"); at != std::string::npos;
       at = text.find("  ... and 40 more (see --json)\n", at + 1))
    ++mores;
  EXPECT_EQ(mores, 2u) << "brokers and influence: " << text;
}

}  // namespace
}  // namespace geosim
