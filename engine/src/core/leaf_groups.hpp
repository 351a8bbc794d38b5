#pragma once
/// \file
/// A part's leaves gathered into the blocks of up to 2^kGroupLevels chunks that the ensemble's
/// tree would make of them, and each block's node made at once when its last leaf is in
/// (ensemble.cpp's run_ensemble_part), four columns at a time from the leaves through buffers
/// that stay in cache, instead of level by level through the tree (every level a pass over the
/// whole block's values, out of cache from 512 runs on, into a fresh node to fault in).
///
/// A block holds at most kQuantileCapacity runs, so its node keeps every value: its columns are
/// the ascending union of its leaves' whatever order they are merged in (equal values are the
/// same bits: an indicator's value is never -0 or NaN), and its sums are added in the tree's
/// order (left + right, level by level). So the node is combine_nodes' bit for bit, and the
/// nodes left at the end are the same for any thread count or sharding.

#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "geosim/core/ensemble_partial.hpp"

namespace geosim::detail {

/// Levels of the tree a block spans at most: 32 chunks of 64 runs, the quantile summary's
/// capacity (the levels above compact, so they are merged pairwise by the tree).
inline constexpr int kGroupLevels = 5;
static_assert((std::int64_t(kEnsembleChunkRuns) << kGroupLevels) == kQuantileCapacity);

/// A block of chunks: [first, first + 2^level).
struct LeafBlock {
  std::int64_t first = 0;  ///< its first chunk (a multiple of 2^level)
  int level = 0;           ///< its size, 2^level chunks (0 to kGroupLevels)
};

/// The block of `chunk` in a part of chunks [first, end): the largest block of at most
/// 2^kGroupLevels chunks aligned to its size (its first chunk a multiple of it) that holds
/// `chunk` and lies inside the part: the node the tree makes over it once its leaves are in.
LeafBlock leaf_block(std::int64_t chunk, std::int64_t first, std::int64_t end);

/// The node of the block of runs.size() = 2^level chunks from `first_chunk` from its leaves,
/// into `out` (its memory reused): the node combine_nodes makes of them level by level, bit for
/// bit. Leaf i (at least two) has runs[i] runs, its sums at sums[i * columns + column] and its values (each
/// column ascending, as leaf_values writes them) from values + i * kEnsembleChunkRuns * columns,
/// [column * runs[i] + run].
void merge_leaves(const double* values, const double* sums, const std::vector<std::int64_t>& runs, std::size_t columns,
                  std::int64_t first_chunk, EnsembleNode& out);

/// The blocks of a part being filled, each in one piece of memory (summary_allocate's: 2 MiB
/// pages from 2 MiB on, e.g. a block of 8 chunks of the baseline's 530 columns), reused block
/// after block: at most one a thread and one more are ever being filled (chunks are handed out
/// in order). add() may be called from several threads at once.
class LeafGroups {
 public:
  LeafGroups(std::int64_t first_chunk, std::int64_t end_chunk, std::size_t columns)
      : first_(first_chunk), end_(end_chunk), columns_(columns) {}

  /// Chunk `chunk`'s `runs` rows of `columns` values ([run * columns + column]; sorted column
  /// by column in place) as its leaf. When that completes its block, the calling thread makes
  /// the block's node (outside the lock, in memory from `tree`) and adds it to `tree`.
  void add(std::int64_t chunk, double* rows, std::int64_t runs, EnsembleTree& tree);

 private:
  struct Group {
    int count = 0;                   ///< leaves in
    SummaryValues values;            ///< leaf i's values from i * kEnsembleChunkRuns * columns
    std::vector<double> sums;        ///< [leaf * columns + column]
    std::vector<std::int64_t> runs;  ///< per leaf
  };
  std::int64_t first_, end_;
  std::size_t columns_;
  std::mutex mutex_;
  std::map<std::int64_t, Group> open_;  ///< by the block's first chunk
  std::vector<Group> spare_;            ///< merged blocks, for their memory
};

}  // namespace geosim::detail
