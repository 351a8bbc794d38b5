// The compacting levels of an ensemble's tree combined in the left child's memory
// (combine_nodes_into_left): the parent is combine_nodes' bit for bit, and its values are every
// other value of the two children's sorted union (two summaries of equal runs whose values each
// stand for w runs: value j's middle rank 2wj + w - 1 is that of the union's value 2j). Where
// that does not apply, the left child is left as it was.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "geosim/core/ensemble_partial.hpp"
#include "geosim/core/rng.hpp"

namespace geosim {
namespace {

/// A node over chunks [index << level, ...) of `runs` runs in `size` values a column: random
/// ascending values with ties (drawn from 40 levels), random sums.
EnsembleNode random_node(int level, std::int64_t index, std::int64_t runs, std::int64_t size, std::size_t columns,
                         std::uint64_t key) {
  EnsembleNode node;
  node.level = level;
  node.index = index;
  node.runs = runs;
  node.size = size;
  RngStream stream(key);
  node.sum.resize(columns);
  for (double& s : node.sum) s = stream.uniform() * double(runs);
  node.values.resize(columns * std::size_t(size));
  for (std::size_t c = 0; c < columns; ++c) {
    double* column = node.values.data() + c * std::size_t(size);
    for (std::int64_t i = 0; i < size; ++i) column[i] = double(stream.uniform_int(0, 39)) / 40.0;
    std::sort(column, column + size);
  }
  return node;
}

bool same_bits(const EnsembleNode& a, const EnsembleNode& b) {
  return a.level == b.level && a.index == b.index && a.runs == b.runs && a.size == b.size &&
         a.sum.size() == b.sum.size() && a.values.size() == b.values.size() &&
         std::memcmp(a.sum.data(), b.sum.data(), a.sum.size() * sizeof(double)) == 0 &&
         std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(double)) == 0;
}

EnsembleNode copy_of(const EnsembleNode& node) {
  EnsembleNode out;
  out.level = node.level;
  out.index = node.index;
  out.runs = node.runs;
  out.size = node.size;
  out.sum = node.sum;
  out.values.assign(node.values.begin(), node.values.end());
  return out;
}

TEST(CombineInPlace, TheParentIsCombineNodesAndEveryOtherValueOfTheUnion) {
  // Children of 2,048 runs (every value one run) and of 4,096 (two runs a value); 7 columns, so
  // that the last group of four is short.
  for (const std::int64_t runs : {kQuantileCapacity, 2 * kQuantileCapacity}) {
    const std::size_t columns = 7, n = std::size_t(kQuantileCapacity);
    const int level = runs == kQuantileCapacity ? 5 : 6;
    const EnsembleNode left = random_node(level, 2, runs, kQuantileCapacity, columns, 11);
    const EnsembleNode right = random_node(level, 3, runs, kQuantileCapacity, columns, 12);
    const EnsembleNode expected = combine_nodes(left, right);
    EnsembleNode in_place = copy_of(left);
    if (!combine_nodes_into_left(in_place, right)) {  // no AVX2 here: left as it was
      EXPECT_TRUE(same_bits(in_place, left));
      continue;
    }
    EXPECT_TRUE(same_bits(in_place, expected)) << runs;
    EXPECT_EQ(in_place.level, level + 1);
    EXPECT_EQ(in_place.index, 1);
    EXPECT_EQ(in_place.runs, 2 * runs);
    for (std::size_t c = 0; c < columns; ++c) {
      std::vector<double> both(left.values.begin() + std::ptrdiff_t(c * n),
                               left.values.begin() + std::ptrdiff_t((c + 1) * n));
      both.insert(both.end(), right.values.begin() + std::ptrdiff_t(c * n),
                  right.values.begin() + std::ptrdiff_t((c + 1) * n));
      std::sort(both.begin(), both.end());
      for (std::size_t j = 0; j < n; ++j) ASSERT_EQ(in_place.values[c * n + j], both[2 * j]) << c << " " << j;
      EXPECT_EQ(in_place.sum[c], left.sum[c] + right.sum[c]);
    }
  }
}

TEST(CombineInPlace, WhereTheParentDiffersInSizeTheLeftChildIsUntouched) {
  const std::size_t columns = 5;
  // No compaction (1,024 + 1,024 runs: the parent keeps 2,048 values); runs that differ (a
  // short last block); a size that is not the capacity.
  const std::pair<EnsembleNode, EnsembleNode> cases[] = {
      {random_node(4, 0, 1024, 1024, columns, 1), random_node(4, 1, 1024, 1024, columns, 2)},
      {random_node(5, 0, kQuantileCapacity, kQuantileCapacity, columns, 3), random_node(5, 1, 1000, 1000, columns, 4)},
      {random_node(6, 0, 3000, kQuantileCapacity, columns, 5), random_node(6, 1, 3000, kQuantileCapacity, columns, 6)},
  };
  for (const auto& [left, right] : cases) {
    EnsembleNode node = copy_of(left);
    EXPECT_FALSE(combine_nodes_into_left(node, right)) << left.runs << " + " << right.runs;
    EXPECT_TRUE(same_bits(node, left));
  }
}

}  // namespace
}  // namespace geosim
