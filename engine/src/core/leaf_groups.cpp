#include "leaf_groups.hpp"

#include <algorithm>
#include <bit>
#include <utility>

#include "summary_merge.hpp"

namespace geosim::detail {
LeafBlock leaf_block(std::int64_t chunk, std::int64_t first, std::int64_t end) {
  for (int level = kGroupLevels; level > 0; --level) {
    const std::int64_t size = std::int64_t(1) << level, start = chunk / size * size;
    if (start >= first && start + size <= end) return {start, level};
  }
  return {chunk, 0};
}

void merge_leaves(const double* values, const double* sums, const std::vector<std::int64_t>& runs, std::size_t columns,
                  std::int64_t first_chunk, EnsembleNode& out) {
  const std::size_t m = runs.size(), stride = std::size_t(kEnsembleChunkRuns) * columns;
  const int level = int(std::bit_width(m)) - 1;  // m = 2^level leaves
  std::vector<std::size_t> offset(m + 1, 0);     // runs before each leaf
  for (std::size_t i = 0; i < m; ++i) offset[i + 1] = offset[i] + std::size_t(runs[i]);
  const std::size_t total = offset[m];
  out.level = level;
  out.index = first_chunk >> level;
  out.runs = std::int64_t(total);
  out.size = std::int64_t(total);
  // The sums in the tree's order: each level's node the sum of its left and right child's.
  std::vector<double> sum(sums, sums + m * columns);
  for (std::size_t width = 1; width < m; width *= 2)
    for (std::size_t i = 0; i < m; i += 2 * width)
      for (std::size_t c = 0; c < columns; ++c)
        sum[i * columns + c] = sum[i * columns + c] + sum[(i + width) * columns + c];
  out.sum.assign(sum.begin(), sum.begin() + std::ptrdiff_t(columns));
  resize_without_copy(out.values, columns * total);
  // Values, kMergeColumnsAtOnce columns at a time (their whole block's values, two buffers of
  // 4 x 2,048 doubles, stay in a core's cache): level 1 merges pairs of leaves, each level after
  // pairs of the level before's blocks, through two buffers; the last level into the node.
  // A block of runs [offset[i], offset[i + w]) of q columns sits at q * offset[i] of its level's
  // buffer, [column * runs + run] as in a node.
  SummaryValues buffers[2];
  for (SummaryValues& b : buffers) b.resize(kMergeColumnsAtOnce * total);
  auto buffer = [&](std::size_t width) { return buffers[(std::bit_width(width) - 1) % 2].data(); };
  for (std::size_t c0 = 0; c0 < columns; c0 += kMergeColumnsAtOnce) {
    const std::size_t q = std::min(kMergeColumnsAtOnce, columns - c0);
    auto source = [&](std::size_t width, std::size_t i) {  // block i (of `width` leaves) of the level below
      return width == 1 ? values + i * stride + c0 * std::size_t(runs[i]) : buffer(width) + q * offset[i];
    };
    for (std::size_t width = 2; width <= m; width *= 2) {
      const std::size_t half = width / 2;
      for (std::size_t i = 0; i < m; i += width)
        merge_columns(source(half, i), offset[i + half] - offset[i], source(half, i + half),
                      offset[i + width] - offset[i + half], q,
                      width == m ? out.values.data() + c0 * total : buffer(width) + q * offset[i]);
    }
  }
}

void LeafGroups::add(std::int64_t chunk, double* rows, std::int64_t runs, EnsembleTree& tree) {
  const LeafBlock block = leaf_block(chunk, first_, end_);
  if (block.level == 0) {
    EnsembleNode leaf = tree.spare(std::size_t(runs) * columns_);
    leaf_node(chunk, rows, runs, columns_, leaf);
    return tree.add(std::move(leaf));
  }
  const std::size_t leaves = std::size_t(1) << block.level, i = std::size_t(chunk - block.first);
  const std::size_t stride = std::size_t(kEnsembleChunkRuns) * columns_;
  Group* group = nullptr;
  {
    std::lock_guard lock(mutex_);
    const auto [it, fresh] = open_.try_emplace(block.first);
    group = &it->second;  // a map's element stays where it is
    if (fresh) {
      if (!spare_.empty()) {  // the largest kept
        *group = std::move(spare_.back());
        spare_.pop_back();
      }
      group->count = 0;
      resize_without_copy(group->values, leaves * stride);
      group->sums.resize(leaves * columns_);
      group->runs.assign(leaves, 0);
    }
  }
  leaf_values(rows, runs, columns_, group->sums.data() + i * columns_, group->values.data() + i * stride);
  Group full;
  {
    std::lock_guard lock(mutex_);
    group->runs[i] = runs;
    if (++group->count < int(leaves)) return;
    full = std::move(*group);
    open_.erase(block.first);
  }
  EnsembleNode node = tree.spare(full.values.size());
  merge_leaves(full.values.data(), full.sums.data(), full.runs, columns_, block.first, node);
  tree.add(std::move(node));
  std::lock_guard lock(mutex_);
  spare_.push_back(std::move(full));
  std::sort(spare_.begin(), spare_.end(),
            [](const Group& a, const Group& b) { return a.values.capacity() < b.values.capacity(); });
}

}  // namespace geosim::detail
