// A shard file's counts are of its own runs: `ensemble merge` refuses a shard whose threshold or
// resemblance counts are negative, above its runs or do not add up, or that names a failed run
// without its error or outside its runs (hostile report items 4 and 5).
#include <gtest/gtest.h>
#include <geosim/core/ensemble.hpp>
#include <geosim/core/ensemble_partial.hpp>
#include <geosim/io/ensemble_shard.hpp>

#include <functional>

#include "support/builders.hpp"

namespace geosim {
namespace {

Scenario pair_with_threshold() {
  Scenario s = testing::make_scenario({"AAA", "BBB"}, 0.3);
  s.parameters.noise = 0.05;
  s.steps = 3;
  Indicator ab;
  ab.id = "ab";
  ab.relations = {{0, 1}, {1, 0}};
  ab.thresholds = {0.3};
  s.indicators = {ab};
  return s;
}

/// The error decoding `part` (chunks 1 and 2 of 130 runs: runs 64 to 129) after `tamper`.
std::string decoded_error(const std::function<void(EnsemblePart&)>& tamper) {
  EnsembleOptions options;
  options.runs = 130;
  EnsemblePart part = run_ensemble_part(pair_with_threshold(), options, {{"near", {0.3}}}, 1, 3);
  tamper(part);
  ShardOrigin back;
  std::string error;
  const auto decoded = decode_shard(encode_shard(part, ShardOrigin{"pair", {}, 1, 2, 2, {}, "", {}, {}}), back, error);
  return decoded ? "" : error;
}

TEST(ShardCounts, AnUntamperedShardDecodes) {
  EXPECT_EQ(decoded_error([](EnsemblePart&) {}), "");
}

TEST(ShardCounts, ThresholdCountsOutOfItsRunsAreRefused) {
  // 66 runs (64..129): each threshold's counts over steps 0..3 and "never" add up to 66
  EXPECT_EQ(decoded_error([](EnsemblePart& p) { p.first_crossing[0] = -1000000; }),
            "a threshold count out of its runs");
  EXPECT_EQ(decoded_error([](EnsemblePart& p) { p.first_crossing[0] += 67; }), "a threshold count out of its runs");
  EXPECT_EQ(decoded_error([](EnsemblePart& p) {
              p.first_crossing[0] += 1;  // 67 runs counted of 66
            }),
            "threshold counts that do not add up to its runs");
}

TEST(ShardCounts, ResemblanceCountsOutOfItsRunsAreRefused) {
  EXPECT_EQ(decoded_error([](EnsemblePart& p) { p.nearest[0] = -1; }), "a resemblance count out of its runs");
  EXPECT_EQ(decoded_error([](EnsemblePart& p) { p.nearest[0] = 67; }), "a resemblance count out of its runs");
}

TEST(ShardCounts, AFailedRunNeedsItsErrorAndToBeOneOfItsRuns) {
  EXPECT_EQ(decoded_error([](EnsemblePart& p) {
              p.failed_run = 70;
              p.error.clear();
            }),
            "a failed run without its error");
  EXPECT_EQ(decoded_error([](EnsemblePart& p) {
              p.failed_run = 3;  // run 3 is in the first shard's chunk
              p.error = "too many follow-ups";
            }),
            "a failed run out of its runs");
}

}  // namespace
}  // namespace geosim
