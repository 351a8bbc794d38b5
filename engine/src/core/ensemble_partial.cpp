#include "geosim/core/ensemble_partial.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

#include "geosim/core/ensemble.hpp"
#include "geosim/core/scenario.hpp"
#include "leaf_sort.hpp"
#include "summary_merge.hpp"

namespace geosim {
namespace {

/// The weights of a summary's values, once per node (the same for every column).
std::vector<std::int64_t> weights(const EnsembleNode& node) {
  std::vector<std::int64_t> w(std::size_t(node.size));
  for (std::int64_t i = 0; i < node.size; ++i) w[std::size_t(i)] = summary_weight(node.runs, node.size, i);
  return w;
}

}  // namespace

namespace detail {

void resize_without_copy(SummaryValues& v, std::size_t size) {
  if (v.capacity() < size) SummaryValues().swap(v);
  v.resize(size);
}

namespace {
constexpr std::size_t kHugePage = std::size_t(2) << 20;  // 2 MiB
}  // namespace

// From 2 MiB on, mapped on its own (mmap) and unmapped when freed: the memory goes back to the
// system at once, so the peak is the summaries alive (malloc's heap would keep freed blocks, and
// with 2 MiB pages in them a 1,000,000-run ensemble held 441 MB instead of 120 MB).
void* summary_allocate(std::size_t bytes) {
  if (bytes < kHugePage) return ::operator new(bytes);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes > std::size_t(-1) - 2 * kHugePage) throw std::bad_alloc();
  const std::size_t mapped = bytes + kHugePage;  // room to start on a 2 MiB boundary
  void* raw = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto begin = reinterpret_cast<std::uintptr_t>(raw);
  const auto start = (begin + kHugePage - 1) / kHugePage * kHugePage;
  const std::size_t page = std::size_t(sysconf(_SC_PAGESIZE));
  const std::uintptr_t end = (start + bytes + page - 1) / page * page;  // what is kept: whole small pages
  if (start > begin) munmap(raw, start - begin);
  if (begin + mapped > end) munmap(reinterpret_cast<void*>(end), begin + mapped - end);
  void* p = reinterpret_cast<void*>(start);
  madvise(p, bytes / kHugePage * kHugePage, MADV_HUGEPAGE);  // the whole 2 MiB pages; advice only
  return p;
#else
  return ::operator new(bytes, std::align_val_t(kHugePage));
#endif
}

void summary_deallocate(void* p, std::size_t bytes) noexcept {
  if (bytes < kHugePage) return ::operator delete(p);  // unsized: clang without -fsized-deallocation has no other
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  const std::size_t page = std::size_t(sysconf(_SC_PAGESIZE));
  munmap(p, (bytes + page - 1) / page * page);
#else
  ::operator delete(p, std::align_val_t(kHugePage));
#endif
}

}  // namespace detail

std::int64_t ensemble_rank_error(std::int64_t runs) {
  const std::int64_t chunks = ensemble_chunks(runs);
  const int levels = chunks < 1 ? 0 : int(std::bit_width(std::uint64_t(chunks))) - 1 - 5;
  if (levels <= 0) return 0;
  return std::int64_t(std::ceil(double(levels) * (double(runs) / double(2 * kQuantileCapacity) + 0.5)));
}

std::int64_t summary_weight(std::int64_t runs, std::int64_t size, std::int64_t i) {
  return (i + 1) * runs / size - i * runs / size;
}

void leaf_values(double* rows, std::int64_t runs, std::size_t columns, double* sum, double* values) {
  std::fill_n(sum, columns, 0.0);
  for (std::int64_t r = 0; r < runs; ++r) {
    const double* row = rows + std::size_t(r) * columns;
    for (std::size_t c = 0; c < columns; ++c) sum[c] += row[c];  // in run order
  }
  // Each column sorted: a chunk's runs all at once by a sorting network over whole rows, in
  // place (an indicator's value is never -0 or NaN, so its values are std::sort's), then
  // transposed.
  if (std::size_t(runs) <= detail::kLeafSortMaxRuns) {
    detail::sort_columns(rows, std::size_t(runs), columns);
    detail::transpose_rows(rows, std::size_t(runs), columns, values);
    return;
  }
  detail::transpose_rows(rows, std::size_t(runs), columns, values);
  for (std::size_t c = 0; c < columns; ++c)
    std::sort(values + c * std::size_t(runs), values + (c + 1) * std::size_t(runs));
}

void leaf_node(std::int64_t chunk, double* rows, std::int64_t runs, std::size_t columns, EnsembleNode& node) {
  node.level = 0;
  node.index = chunk;
  node.runs = runs;
  node.size = runs;
  node.sum.resize(columns);
  detail::resize_without_copy(node.values, columns * std::size_t(runs));
  leaf_values(rows, runs, columns, node.sum.data(), node.values.data());
}

EnsembleNode combine_nodes(const EnsembleNode& left, const EnsembleNode& right) {
  EnsembleNode out;
  combine_nodes(left, right, out);
  return out;
}

void combine_nodes(const EnsembleNode& left, const EnsembleNode& right, EnsembleNode& out) {
  out.level = left.level + 1;
  out.index = left.index >> 1;
  out.runs = left.runs + right.runs;
  out.size = std::min(out.runs, kQuantileCapacity);
  const std::size_t columns = left.sum.size();
  out.sum.resize(columns);
  for (std::size_t c = 0; c < columns; ++c) out.sum[c] = left.sum[c] + right.sum[c];
  detail::resize_without_copy(out.values, columns * std::size_t(out.size));
  if (out.size == out.runs) {  // no compaction: every weight is 1, a plain merge
    detail::merge_columns(left.values.data(), std::size_t(left.size), right.values.data(), std::size_t(right.size),
                          columns, out.values.data());
    return;
  }
  // Both sides of equal runs, each value standing for the same w runs (size divides runs): value
  // j's middle rank, 2wj + w - 1, is that of the merged values' number 2j (its ranks [2jw,
  // (2j + 1)w)), so every other merged value.
  if (left.runs == right.runs && left.size == out.size && right.size == out.size && left.runs % left.size == 0 &&
      detail::merge_columns_halved(left.values.data(), right.values.data(), std::size_t(out.size), columns,
                                   out.values.data()))
    return;
  const auto wl = weights(left), wr = weights(right);
  // The rank each kept value is taken at: the middle of the ranks it stands for.
  std::vector<std::int64_t> target(std::size_t(out.size));
  for (std::int64_t j = 0; j < out.size; ++j)
    target[std::size_t(j)] = j * out.runs / out.size + (summary_weight(out.runs, out.size, j) - 1) / 2;
  for (std::size_t c = 0; c < columns; ++c) {
    const double* a = left.values.data() + c * std::size_t(left.size);
    const double* b = right.values.data() + c * std::size_t(right.size);
    double* o = out.values.data() + c * std::size_t(out.size);
    std::size_t i = 0, k = 0;  // next unread of a and b
    std::int64_t below = 0;    // weight of the merged values before the current one
    auto take_left = [&] { return k == std::size_t(right.size) || (i < std::size_t(left.size) && a[i] <= b[k]); };
    bool from_left = take_left();
    for (std::int64_t j = 0; j < out.size; ++j) {
      for (;;) {
        const std::int64_t w = from_left ? wl[i] : wr[k];
        if (target[std::size_t(j)] < below + w) break;
        below += w;
        from_left ? ++i : ++k;
        from_left = take_left();
      }
      o[j] = from_left ? a[i] : b[k];
    }
  }
}

bool combine_nodes_into_left(EnsembleNode& left, const EnsembleNode& right) {
  const std::int64_t runs = left.runs + right.runs, size = std::min(runs, kQuantileCapacity);
  if (size == runs || left.runs != right.runs || left.size != size || right.size != size ||
      left.runs % left.size != 0 || left.sum.size() != right.sum.size())
    return false;
  const std::size_t columns = left.sum.size(), n = std::size_t(size);
  constexpr std::size_t kGroup = detail::kMergeColumnsAtOnce;
  std::vector<double> buffer(kGroup * n);
  for (std::size_t c = 0; c < columns; c += kGroup) {
    const std::size_t k = std::min(kGroup, columns - c);
    double* column = left.values.data() + c * n;
    // Only the buffer is written, so a refusal (the first group's, or none) leaves `left` as it was.
    if (!detail::merge_columns_halved(column, right.values.data() + c * n, n, k, buffer.data())) return false;
    std::copy_n(buffer.data(), k * n, column);
  }
  for (std::size_t c = 0; c < columns; ++c) left.sum[c] = left.sum[c] + right.sum[c];
  left.level += 1;
  left.index >>= 1;
  left.runs = runs;
  return true;
}

void EnsembleTree::add(EnsembleNode node) {
  for (;;) {
    std::unique_lock lock(mutex_);
    const auto sibling = pending_.find({node.level, node.index ^ 1});
    if (sibling == pending_.end()) {
      const std::pair<int, std::int64_t> key{node.level, node.index};
      pending_.emplace(key, std::move(node));
      return;
    }
    EnsembleNode other = std::move(sibling->second);
    pending_.erase(sibling);
    const bool node_is_high = (node.index & 1) != 0;
    EnsembleNode& low = node_is_high ? other : node;  // the lower chunks: the parent's left
    EnsembleNode& high = node_is_high ? node : other;
    lock.unlock();
    if (combine_nodes_into_left(low, high)) {  // the compacting levels: in the left child's memory
      EnsembleNode parent = std::move(low);
      lock.lock();
      keep_locked(std::move(high));
      lock.unlock();
      node = std::move(parent);
      continue;
    }
    lock.lock();
    EnsembleNode parent =
        spare_locked(node.sum.size() * std::size_t(std::min(node.runs + other.runs, kQuantileCapacity)));
    lock.unlock();
    combine_nodes(low, high, parent);
    lock.lock();
    keep_locked(std::move(other));
    keep_locked(std::move(node));
    lock.unlock();
    node = std::move(parent);
  }
}

EnsembleNode EnsembleTree::spare(std::size_t values) {
  std::lock_guard lock(mutex_);
  return spare_locked(values);
}

EnsembleNode EnsembleTree::spare_locked(std::size_t values) {
  // The smallest spare that holds `values` without growing, else the largest (grown once).
  auto better = [&](std::size_t x, std::size_t y) {
    const std::size_t a = spare_[x].values.capacity(), b = spare_[y].values.capacity();
    return (a >= values) != (b >= values) ? a >= values : (a >= values ? a < b : a > b);
  };
  std::size_t best = spare_.size();
  for (std::size_t i = 0; i < spare_.size(); ++i)
    if (best == spare_.size() || better(i, best)) best = i;
  if (best == spare_.size()) return {};
  EnsembleNode node = std::move(spare_[best]);
  spare_.erase(spare_.begin() + std::ptrdiff_t(best));
  return node;
}

void EnsembleTree::keep_locked(EnsembleNode&& node) {
  spare_.push_back(std::move(node));
  if (spare_.size() > spare_nodes_)  // drop the smallest
    spare_.erase(std::min_element(spare_.begin(), spare_.end(), [](const EnsembleNode& a, const EnsembleNode& b) {
      return a.values.capacity() < b.values.capacity();
    }));
}

std::vector<EnsembleNode> EnsembleTree::take() {
  std::lock_guard lock(mutex_);
  std::vector<EnsembleNode> out;
  for (auto& [key, node] : pending_) out.push_back(std::move(node));
  pending_.clear();
  std::sort(out.begin(), out.end(),
            [](const EnsembleNode& a, const EnsembleNode& b) { return (a.index << a.level) < (b.index << b.level); });
  return out;
}

std::pair<std::int64_t, std::int64_t> shard_chunks(std::int64_t chunks, int k, int n) {
  return {chunks * k / n, chunks * (k + 1) / n};
}

std::int64_t chunk_runs(std::int64_t runs, std::int64_t first, std::int64_t end) {
  return std::min(std::max(end, first) * kEnsembleChunkRuns, runs) - std::min(first * kEnsembleChunkRuns, runs);
}

}  // namespace geosim
