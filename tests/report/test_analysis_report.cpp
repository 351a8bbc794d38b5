// analyze's terminal summary: its score columns show the scores they rank, however small.
#include <gtest/gtest.h>
#include <geosim/report/analysis_report.hpp>

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

}  // namespace
}  // namespace geosim
