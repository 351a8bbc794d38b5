// Paired effects: the summary of run-by-run differences against hand-worked numbers.
#include <geosim/paired.hpp>
#include <gtest/gtest.h>

namespace geosim {
namespace {

TEST(Paired, SummaryOfAHandWorkedExample) {
  // d = with - without = {1, 2, 3, -1, 5}: mean 10/5 = 2, four of five positive; sorted
  // {-1, 1, 2, 3, 5}: type 7 at 5 % is h = 0.2 -> -1 + 0.2 * 2 = -0.6, at 95 % h = 3.8 -> 3 + 0.8 * 2.
  const PairedSummary s = paired_summary({1, 2, 3, 4, 5}, {0, 0, 0, 5, 0});
  EXPECT_EQ(s.runs, 5);
  EXPECT_DOUBLE_EQ(s.mean, 2.0);
  EXPECT_DOUBLE_EQ(s.sign_agreement, 0.8);
  EXPECT_DOUBLE_EQ(s.low, -0.6);
  EXPECT_DOUBLE_EQ(s.high, 4.6);
}

TEST(Paired, NegativeMeanCountsNegativeRunsAndZeroMeanCountsTies) {
  const PairedSummary neg = summarize_differences({-3, -1, 1});
  EXPECT_DOUBLE_EQ(neg.mean, -1.0);
  EXPECT_DOUBLE_EQ(neg.sign_agreement, 2.0 / 3.0);
  const PairedSummary none = paired_summary({0.25, 0.5}, {0.25, 0.5});
  EXPECT_EQ(none.mean, 0.0);
  EXPECT_EQ(none.sign_agreement, 1.0);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_EQ(none.high, 0.0);
}

TEST(Paired, PairsOnlyTheRunsBothSidesHaveAndEmptyIsZero) {
  EXPECT_EQ(paired_summary({1, 2, 3}, {0, 0}).runs, 2);
  EXPECT_DOUBLE_EQ(paired_summary({1, 2, 3}, {0, 0}).mean, 1.5);
  const PairedSummary empty = summarize_differences({});
  EXPECT_EQ(empty.runs, 0);
  EXPECT_EQ(empty.mean, 0.0);
}

TEST(Paired, EndEffectPairsRunRWithRunR) {
  EnsembleResult with, without;
  with.runs = without.runs = 3;
  with.indicator_count = 2;
  without.indicator_count = 1;
  with.end = {9, 1.0, 9, 2.0, 9, 3.0};  // indicator 1 is the one compared
  without.end = {0.5, 2.5, 1.0};
  const PairedSummary s = paired_end_effect(with, 1, without, 0);
  EXPECT_DOUBLE_EQ(s.mean, (0.5 - 0.5 + 2.0) / 3.0);
  EXPECT_DOUBLE_EQ(s.sign_agreement, 2.0 / 3.0);
}

}  // namespace
}  // namespace geosim
