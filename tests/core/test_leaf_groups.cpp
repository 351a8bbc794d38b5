// A part's leaves gathered into blocks (core/leaf_groups.hpp): the block of a chunk is the node
// the tree keeps over it, and the node made at once from a block's leaves is the one
// combine_nodes makes level by level, bit for bit (values and sums), checked on random rows
// with many ties and none, a short last chunk, and column counts that are not multiples of four.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/leaf_groups.hpp"
#include "geosim/core/ensemble_partial.hpp"
#include "geosim/core/rng.hpp"

namespace geosim {
namespace {

bool same_bits(const std::vector<double>& a, const double* b, std::size_t n) {
  return a.size() == n && std::memcmp(a.data(), b, n * sizeof(double)) == 0;
}

/// The blocks of a part by their definition: from its first chunk, each the largest block of at
/// most 2^kGroupLevels chunks aligned to its size that fits before the part's end.
std::vector<detail::LeafBlock> blocks_from_the_left(std::int64_t first, std::int64_t end) {
  std::vector<detail::LeafBlock> out;
  for (std::int64_t c = first; c < end;) {
    int level = detail::kGroupLevels;
    while (level > 0 && (c % (std::int64_t(1) << level) != 0 || c + (std::int64_t(1) << level) > end)) --level;
    out.push_back({c, level});
    c += std::int64_t(1) << level;
  }
  return out;
}

TEST(LeafGroups, AChunksBlockIsTheAlignedBlockFromTheLeftThatHoldsIt) {
  for (auto [first, end] :
       {std::pair<std::int64_t, std::int64_t>{0, 157}, {0, 1}, {3, 70}, {31, 33}, {64, 160}, {5, 6}}) {
    for (const detail::LeafBlock& block : blocks_from_the_left(first, end))
      for (std::int64_t c = block.first; c < block.first + (std::int64_t(1) << block.level); ++c) {
        const detail::LeafBlock got = detail::leaf_block(c, first, end);
        EXPECT_EQ(got.first, block.first) << "chunk " << c << " of [" << first << ", " << end << ")";
        EXPECT_EQ(got.level, block.level) << "chunk " << c << " of [" << first << ", " << end << ")";
      }
  }
}

TEST(LeafGroups, ABlocksNodeIsTheTreesBitForBit) {
  Rng rng(17);
  for (int distinct : {3, 1000000})
    for (std::size_t columns : {1u, 6u, 9u})
      for (auto [level, last_runs] : {std::pair<int, int>{1, 64}, {3, 64}, {5, 64}, {5, 13}, {2, 1}}) {
        const std::size_t m = std::size_t(1) << level, stride = std::size_t(kEnsembleChunkRuns) * columns;
        const std::int64_t first = 32 * 7;  // aligned for every level
        // Each leaf's rows, then the tree's way: leaf nodes combined pairwise, level by level.
        std::vector<EnsembleNode> nodes;
        std::vector<double> values(m * stride), sums(m * columns);
        std::vector<std::int64_t> runs(m, kEnsembleChunkRuns);
        runs.back() = last_runs;
        for (std::size_t i = 0; i < m; ++i) {
          std::vector<double> rows(std::size_t(runs[i]) * columns);
          for (double& v : rows) v = double(rng.uniform_int(0, distinct - 1)) / double(distinct) - 0.25;
          std::vector<double> copy = rows;
          EnsembleNode leaf;
          leaf_node(first + std::int64_t(i), rows.data(), runs[i], columns, leaf);
          nodes.push_back(std::move(leaf));
          leaf_values(copy.data(), runs[i], columns, sums.data() + i * columns, values.data() + i * stride);
        }
        while (nodes.size() > 1) {
          std::vector<EnsembleNode> up;
          for (std::size_t i = 0; i < nodes.size(); i += 2) up.push_back(combine_nodes(nodes[i], nodes[i + 1]));
          nodes = std::move(up);
        }
        EnsembleNode got;
        detail::merge_leaves(values.data(), sums.data(), runs, columns, first, got);
        const EnsembleNode& want = nodes.front();
        const std::string what = std::to_string(distinct) + " distinct, " + std::to_string(columns) +
                                 " columns, level " + std::to_string(level) + ", last chunk " +
                                 std::to_string(last_runs);
        EXPECT_EQ(got.level, want.level) << what;
        EXPECT_EQ(got.index, want.index) << what;
        EXPECT_EQ(got.runs, want.runs) << what;
        EXPECT_EQ(got.size, want.size) << what;
        EXPECT_TRUE(same_bits(want.sum, got.sum.data(), got.sum.size())) << what;
        ASSERT_EQ(got.values.size(), want.values.size()) << what;
        EXPECT_EQ(std::memcmp(got.values.data(), want.values.data(), got.values.size() * sizeof(double)), 0) << what;
        for (std::size_t c = 0; c < columns; ++c)  // and each column ascending
          EXPECT_TRUE(std::is_sorted(got.values.begin() + std::ptrdiff_t(c * std::size_t(got.size)),
                                     got.values.begin() + std::ptrdiff_t((c + 1) * std::size_t(got.size))))
              << what;
      }
}

/// The nodes left of a part's leaves (random rows, `runs` runs over chunks [first, end) of an
/// ensemble), each leaf added to the tree as it is (`grouped` false) or through LeafGroups from
/// `threads` threads, each taking every threads-th chunk in turn.
std::vector<EnsembleNode> nodes_left(std::int64_t runs, std::int64_t first, std::int64_t end, std::size_t columns,
                                     bool grouped, int threads) {
  EnsembleTree tree;
  detail::LeafGroups groups(first, end, columns);
  auto chunk_rows = [&](std::int64_t chunk) {  // the same rows whoever asks: drawn from the chunk's own stream
    Rng rng(std::uint64_t(1000 + chunk));
    const std::int64_t n = std::min<std::int64_t>(kEnsembleChunkRuns, runs - chunk * kEnsembleChunkRuns);
    std::vector<double> rows(std::size_t(n) * columns);
    for (double& v : rows) v = double(rng.uniform_int(0, 99)) / 100.0;
    return std::pair(n, rows);
  };
  auto work = [&](int t) {
    for (std::int64_t chunk = first + t; chunk < end; chunk += threads) {
      auto [n, rows] = chunk_rows(chunk);
      if (grouped) {
        groups.add(chunk, rows.data(), n, tree);
      } else {
        EnsembleNode leaf;
        leaf_node(chunk, rows.data(), n, columns, leaf);
        tree.add(std::move(leaf));
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
  for (std::thread& thread : pool) thread.join();
  return tree.take();
}

// Through LeafGroups::add, from one and from three threads at once, a part's nodes left are the
// tree's own (leaves added one by one), bit for bit: whole ensembles, shards not aligned to a
// block, a short last chunk, and enough chunks for the blocks to compact above them.
TEST(LeafGroups, APartsNodesLeftAreTheTreesFromAnyNumberOfThreads) {
  struct Part {
    std::int64_t runs, first, end;
  };
  for (const Part& p : {Part{157 * 64 - 48, 0, 157}, Part{157 * 64 - 48, 37, 157}, Part{100 * 64, 3, 70},
                        Part{64, 0, 1}, Part{33 * 64, 31, 33}}) {
    const std::vector<EnsembleNode> want = nodes_left(p.runs, p.first, p.end, 5, false, 1);
    for (int threads : {1, 3}) {
      const std::vector<EnsembleNode> got = nodes_left(p.runs, p.first, p.end, 5, true, threads);
      const std::string what = "chunks [" + std::to_string(p.first) + ", " + std::to_string(p.end) + "), " +
                               std::to_string(threads) + " threads";
      ASSERT_EQ(got.size(), want.size()) << what;
      for (std::size_t k = 0; k < got.size(); ++k) {
        EXPECT_EQ(got[k].level, want[k].level) << what << ", node " << k;
        EXPECT_EQ(got[k].index, want[k].index) << what << ", node " << k;
        EXPECT_EQ(got[k].runs, want[k].runs) << what << ", node " << k;
        EXPECT_TRUE(same_bits(want[k].sum, got[k].sum.data(), got[k].sum.size())) << what << ", node " << k;
        ASSERT_EQ(got[k].values.size(), want[k].values.size()) << what << ", node " << k;
        EXPECT_EQ(std::memcmp(got[k].values.data(), want[k].values.data(), got[k].values.size() * sizeof(double)), 0)
            << what << ", node " << k;
      }
    }
  }
}

}  // namespace
}  // namespace geosim
