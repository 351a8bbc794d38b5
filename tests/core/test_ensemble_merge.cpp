// An ensemble's parts merged one at a time (core/ensemble_merge.hpp): in chunk order they give
// the unsharded ensemble's result bit for bit; a part that does not fit is refused, adds
// nothing, and the merge goes on with the right one; a failed run is the lowest-numbered one.
#include <gtest/gtest.h>
#include <geosim/core/ensemble.hpp>
#include <geosim/core/ensemble_merge.hpp>

#include <cstring>

#include "support/builders.hpp"

namespace geosim {
namespace {

using testing::noisy_pair;

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

void expect_same(const EnsembleResult& merged, const EnsembleResult& whole) {
  ASSERT_EQ(merged.error, "");
  ASSERT_EQ(merged.bands.size(), whole.bands.size());
  for (std::size_t c = 0; c < whole.bands.size(); ++c)
    EXPECT_EQ(std::memcmp(merged.bands[c].p.data(), whole.bands[c].p.data(), sizeof whole.bands[c].p), 0) << c;
  EXPECT_TRUE(same_bits(merged.mean, whole.mean));
  ASSERT_EQ(merged.thresholds.size(), whole.thresholds.size());
  for (std::size_t t = 0; t < whole.thresholds.size(); ++t) {
    EXPECT_EQ(merged.thresholds[t].crossed_runs, whole.thresholds[t].crossed_runs);
    EXPECT_EQ(merged.thresholds[t].median_first_step, whole.thresholds[t].median_first_step);
  }
}

TEST(EnsembleMerge, PartsOneAtATimeInChunkOrderAreTheWholeEnsemble) {
  const Scenario s = noisy_pair(3);
  EnsembleOptions options;
  options.runs = 5000;  // 79 chunks; beyond kQuantileCapacity, so the merges compact
  options.keep_ends = true;
  const EnsembleResult whole = run_ensemble(s, options);
  ASSERT_EQ(whole.error, "");
  EnsembleMerge merge;
  // Shard boundaries that cut the tree's blocks: 0-7, 7-40, 40-40 (empty), 40-79.
  for (auto [first, end] : {std::pair(0, 7), std::pair(7, 40), std::pair(40, 40), std::pair(40, 79)})
    ASSERT_EQ(merge.add(run_ensemble_part(s, options, {}, first, end)), "") << first;
  EXPECT_EQ(merge.parts(), 4);
  const EnsembleResult merged = merge.finish(s);
  expect_same(merged, whole);
  EXPECT_TRUE(same_bits(merged.end, whole.end)) << "each run's ends, in run order";
}

TEST(EnsembleMerge, APartThatDoesNotFitAddsNothingAndTheMergeGoesOn) {
  const Scenario s = noisy_pair(3);
  EnsembleOptions options;
  options.runs = 300;  // 5 chunks
  auto part = [&](std::int64_t first, std::int64_t end) { return run_ensemble_part(s, options, {}, first, end); };
  EnsembleMerge merge;
  ASSERT_EQ(merge.add(part(0, 2)), "");
  EXPECT_EQ(merge.add(part(3, 5)), "chunks 2 to 2 (runs from 128) are missing");
  EXPECT_EQ(merge.add(part(1, 3)), "chunk 1 is covered twice");
  EnsembleOptions other = options;
  other.seed = 2;
  EXPECT_EQ(merge.add(run_ensemble_part(s, other, {}, 2, 5)),
            "the parts are not of one ensemble (runs, steps, seed, parameter spread, indicators or references differ)");
  EXPECT_EQ(merge.parts(), 1);
  ASSERT_EQ(merge.add(part(2, 5)), "");
  expect_same(merge.finish(s), run_ensemble(s, options));
}

TEST(EnsembleMerge, FinishSaysWhatIsMissingOrWhichRunFailedFirst) {
  const Scenario s = noisy_pair(3);
  EnsembleOptions options;
  options.runs = 300;
  auto part = [&](std::int64_t first, std::int64_t end) { return run_ensemble_part(s, options, {}, first, end); };
  EXPECT_EQ(EnsembleMerge().finish(s).error, "no ensemble parts to combine");
  {
    EnsembleMerge merge;
    ASSERT_EQ(merge.add(part(0, 2)), "");
    ASSERT_EQ(merge.add(part(2, 4)), "");
    const EnsembleResult result = merge.finish(s);
    EXPECT_EQ(result.error, "chunks 4 to 4 (runs from 256) are missing");
    EXPECT_EQ(result.error_part, 1) << "the last part added";
  }
  // Two parts with a failed run: the first in chunk order holds the lowest-numbered run.
  EnsemblePart second = part(2, 4), third = part(4, 5);
  second.failed_run = 140;
  second.error = "run 140: a tension out of range";
  third.failed_run = 260;
  third.error = "run 260: a tension out of range";
  EnsembleMerge merge;
  ASSERT_EQ(merge.add(part(0, 2)), "");
  ASSERT_EQ(merge.add(std::move(second)), "");
  ASSERT_EQ(merge.add(std::move(third)), "");
  const EnsembleResult result = merge.finish(s);
  EXPECT_EQ(result.error, "run 140: a tension out of range");
  EXPECT_EQ(result.error_part, 1);
  // Parts of a scenario with other indicators are refused at the end, naming the first part.
  EnsembleMerge fewer;
  ASSERT_EQ(fewer.add(part(0, 5)), "");
  Scenario one = s;
  one.indicators.pop_back();
  const EnsembleResult mismatch = fewer.finish(one);
  EXPECT_EQ(mismatch.error, "the parts have 2 indicators, the scenario 1");
  EXPECT_EQ(mismatch.error_part, 0);
}

}  // namespace
}  // namespace geosim
