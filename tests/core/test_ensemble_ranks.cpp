// The final percentiles of an ensemble (finish_ensemble) read the nodes left by bisection on
// their weighted ranks: checked against every node's values written out as many times as the
// runs each stands for, stably sorted in chunk order, and type 7 over that list, with compacted
// and exact nodes, many equal values and every percentile rank.

#include <geosim/core/ensemble.hpp>
#include <geosim/core/ensemble_merge.hpp>
#include <geosim/core/ensemble_partial.hpp>
#include <geosim/core/rng.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/builders.hpp"

using namespace geosim;

namespace {

/// A node of `runs` runs at (level, index), its values drawn from `distinct` equally likely
/// values (a few: many ties across nodes), sorted; size min(runs, kQuantileCapacity).
EnsembleNode random_node(int level, std::int64_t index, std::int64_t runs, int distinct, Rng& rng) {
  EnsembleNode node;
  node.level = level;
  node.index = index;
  node.runs = runs;
  node.size = std::min(runs, kQuantileCapacity);
  node.values.resize(std::size_t(node.size));
  for (double& v : node.values) v = double(rng.uniform_int(0, distinct - 1)) / double(distinct);
  std::sort(node.values.begin(), node.values.end());
  node.sum = {0.0};
  return node;
}

/// finish_ensemble's percentiles of `nodes` (one indicator at one step; 97 chunks: a node of 64
/// chunks (4,096 runs compacted to 2,048 values), one of 32 chunks (2,048 runs, exact) and one
/// short chunk of 10 runs, the binary decomposition finish_ensemble keeps) against type 7 over
/// every node's value written out as many times as its weight.
void expect_percentiles_of_written_values(std::vector<EnsembleNode> nodes, const std::string& what) {
  Scenario scenario = geosim::testing::make_scenario({"A", "B"});
  Indicator indicator;
  indicator.id = "x";
  scenario.indicators.push_back(indicator);
  EnsemblePart part;
  part.runs = 96 * kEnsembleChunkRuns + 10;
  part.steps = 0;
  part.indicator_count = 1;
  part.first_chunk = 0;
  part.end_chunk = 97;
  part.nodes = std::move(nodes);
  std::vector<double> written;  // every value as many times as its weight, in chunk order
  for (const EnsembleNode& node : part.nodes)
    for (std::int64_t i = 0; i < node.size; ++i)
      written.insert(written.end(), std::size_t(summary_weight(node.runs, node.size, i)), node.values[std::size_t(i)]);
  ASSERT_EQ(written.size(), std::size_t(part.runs));
  std::stable_sort(written.begin(), written.end());
  std::vector<EnsemblePart> parts;
  parts.push_back(std::move(part));
  const EnsembleResult result = finish_ensemble(scenario, std::move(parts));
  ASSERT_TRUE(result.error.empty()) << result.error;
  for (std::size_t p = 0; p < kEnsemblePercentiles.size(); ++p)
    EXPECT_EQ(result.bands[0].p[p], percentile_type7(written, kEnsemblePercentiles[p]))
        << what << ", p" << kEnsemblePercentiles[p];
}

}  // namespace

TEST(EnsembleRanks, PercentilesOfTheNodesLeftAreThoseOfTheirValuesWrittenOutByWeight) {
  Rng rng(5);
  for (int distinct : {3, 40, 1000000}) {
    std::vector<EnsembleNode> nodes;
    nodes.push_back(random_node(6, 0, 64 * kEnsembleChunkRuns, distinct, rng));
    nodes.push_back(random_node(5, 2, 32 * kEnsembleChunkRuns, distinct, rng));
    nodes.push_back(random_node(0, 96, 10, distinct, rng));
    expect_percentiles_of_written_values(std::move(nodes), std::to_string(distinct) + " distinct values");
  }
}

// The same when the nodes hold ranges of values apart, so that a percentile lies among the
// values of the smaller nodes, above or below every value of the largest one (the search looks
// at the largest node first), and when they interleave.
TEST(EnsembleRanks, PercentilesWhenTheNodesHoldRangesApart) {
  Rng rng(6);
  const std::vector<std::vector<double>> offsets{{0, 10, 20}, {20, 10, 0}, {10, 0, 20}, {0, 20, 20}, {20, 0, 0}};
  for (const std::vector<double>& offset : offsets)
    for (int distinct : {3, 1000000}) {
      std::vector<EnsembleNode> nodes;
      nodes.push_back(random_node(6, 0, 64 * kEnsembleChunkRuns, distinct, rng));
      nodes.push_back(random_node(5, 2, 32 * kEnsembleChunkRuns, distinct, rng));
      nodes.push_back(random_node(0, 96, 10, distinct, rng));
      for (std::size_t n = 0; n < nodes.size(); ++n)
        for (double& v : nodes[n].values) v += offset[n];
      expect_percentiles_of_written_values(
          std::move(nodes), "offsets " + std::to_string(offset[0]) + ", " + std::to_string(offset[1]) + ", " +
                                std::to_string(offset[2]) + ", " + std::to_string(distinct) + " distinct values");
    }
}

// A percentile held by a small node's value while another node also has values past it: the
// 4,096-run node's values all below (0.x), the 2,048-run node's lowest 514 at 5.x and the rest at
// 20.x, the 10-run node's at 10.x: ranks 4,610 to 4,619 are the 10-run node's, and the 75th
// percentile's (4,614 and 4,615 of 6,154 runs) among them, with the 2,048-run node's 20.x above.
TEST(EnsembleRanks, APercentileHeldByTheSmallestNodeWithLargerValuesElsewhere) {
  Rng rng(7);
  std::vector<EnsembleNode> nodes;
  nodes.push_back(random_node(6, 0, 64 * kEnsembleChunkRuns, 1000000, rng));
  nodes.push_back(random_node(5, 2, 32 * kEnsembleChunkRuns, 1000000, rng));
  nodes.push_back(random_node(0, 96, 10, 1000000, rng));
  for (std::size_t i = 0; i < nodes[1].values.size(); ++i) nodes[1].values[i] += i < 514 ? 5.0 : 20.0;
  for (double& v : nodes[2].values) v += 10.0;
  const double want = 10.0;  // the 75th percentile lies among the 10-run node's values
  expect_percentiles_of_written_values(nodes, "a small node between");
  std::vector<double> written;
  for (const EnsembleNode& node : nodes)
    for (std::int64_t i = 0; i < node.size; ++i)
      written.insert(written.end(), std::size_t(summary_weight(node.runs, node.size, i)), node.values[std::size_t(i)]);
  std::sort(written.begin(), written.end());
  const double p75 = percentile_type7(written, 75.0);
  EXPECT_GE(p75, want);
  EXPECT_LT(p75, want + 1.0) << "the case is built so";
}

// A compaction (combine_nodes beyond kQuantileCapacity runs) keeps, for its value j, the value at
// the middle of the ranks [floor(j W / k), floor((j + 1) W / k)) among both children's values
// written out as many times as the runs each stands for: checked for children of equal runs whose
// values all stand for the same runs (2,048 and 4,096 runs: every other merged value, by the
// network with AVX2), and of unequal runs and uneven weights (3,000 runs), with many ties and none.
TEST(EnsembleRanks, CompactionTakesTheMiddleRankOfTheValuesWrittenOutByWeight) {
  Rng rng(11);
  for (int distinct : {3, 1000000})
    for (auto [left_runs, right_runs] :
         {std::pair<std::int64_t, std::int64_t>{2048, 2048}, {4096, 4096}, {4096, 3000}}) {
      const EnsembleNode left = random_node(6, 0, left_runs, distinct, rng);
      const EnsembleNode right = random_node(6, 1, right_runs, distinct, rng);
      std::vector<double> written;
      for (const EnsembleNode* node : {&left, &right})
        for (std::int64_t i = 0; i < node->size; ++i)
          written.insert(written.end(), std::size_t(summary_weight(node->runs, node->size, i)),
                         node->values[std::size_t(i)]);
      std::sort(written.begin(), written.end());
      const EnsembleNode parent = combine_nodes(left, right);
      const std::int64_t runs = left_runs + right_runs, k = kQuantileCapacity;
      ASSERT_EQ(parent.size, k);
      for (std::int64_t j = 0; j < k; ++j) {
        const std::int64_t first = j * runs / k, last = (j + 1) * runs / k;  // the ranks [first, last)
        ASSERT_EQ(parent.values[std::size_t(j)], written[std::size_t(first + (last - first - 1) / 2)])
            << left_runs << " and " << right_runs << " runs, " << distinct << " distinct values, value " << j;
      }
    }
}
