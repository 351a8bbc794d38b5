#include "geosim/core/ensemble_partial.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <thread>

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

/// The value at weighted rank `r` (0-based) of one column of `nodes` (`column[n]`: node n's
/// values there), their values taken in ascending order, each standing for its weight in runs:
/// the smallest value v whose count, the weight of every value at most v, exceeds r (equal values
/// are the same bits, so which node's copy holds the rank does not matter). The weight of node
/// n's first m values is floor(m runs_n / size_n) (summary_weight's sum), so a count takes a
/// binary search a node. Found in two steps: by bisection over the largest node's values, the
/// two of them the answer lies between (above a, at most b), then among the few values of the
/// other nodes in that interval.
double value_at_rank(const std::vector<EnsembleNode>& nodes, const std::vector<const double*>& column,
                     std::int64_t r) {
  auto count = [&](double v) {  // weight of the values at most v
    std::int64_t c = 0;
    for (std::size_t n = 0; n < nodes.size(); ++n)
      c += (std::upper_bound(column[n], column[n] + nodes[n].size, v) - column[n]) * nodes[n].runs / nodes[n].size;
    return c;
  };
  std::size_t big = 0;
  for (std::size_t n = 1; n < nodes.size(); ++n)
    if (nodes[n].size > nodes[big].size) big = n;
  const double* x = column[big];
  std::int64_t lo = -1, hi = nodes[big].size;  // count(x[lo]) <= r < count(x[hi]), lo = -1 and hi = size as sentinels
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    (count(x[mid]) <= r ? lo : hi) = mid;
  }
  // The answer is x[hi] (when hi < size) or a smaller value of another node above x[lo].
  bool found = hi < nodes[big].size;
  double best = found ? x[hi] : 0.0;
  for (std::size_t n = 0; n < nodes.size(); ++n) {  // its first value in (x[lo], best) whose count exceeds r, by bisection
    if (n == big) continue;
    const double *first = column[n], *last = first + nodes[n].size;
    const double* from = lo < 0 ? first : std::upper_bound(first, last, x[lo]);
    const double* to = found ? std::lower_bound(from, last, best) : last;
    if (from == to || count(to[-1]) <= r) continue;
    const double* at = to - 1;  // count(*at) > r; the first such in [from, at]
    while (from < at) {
      const double* mid = from + (at - from) / 2;
      if (count(*mid) > r)
        at = mid;
      else
        from = mid + 1;
    }
    best = *at;
    found = true;
  }
  return best;
}

/// Percentile bands and means of columns [first, end) from the nodes left, in chunk order. A
/// band's values are those at the needed ranks of all the nodes' values in ascending order,
/// each standing for its weight in runs (value_at_rank).
void reduce_columns(const std::vector<EnsembleNode>& nodes, std::size_t first, std::size_t end, std::int64_t runs,
                    EnsembleResult& result) {
  std::vector<const double*> column(nodes.size());
  for (std::size_t c = first; c < end; ++c) {
    double sum = nodes.front().sum[c];
    for (std::size_t n = 1; n < nodes.size(); ++n) sum += nodes[n].sum[c];
    result.mean[c] = sum / double(runs);
    for (std::size_t n = 0; n < nodes.size(); ++n) column[n] = nodes[n].values.data() + c * std::size_t(nodes[n].size);
    // The ranks each percentile needs (Hyndman & Fan type 7, as percentiles_type7 computes it).
    for (std::size_t p = 0; p < kEnsemblePercentiles.size(); ++p) {
      const double h = double(runs - 1) * kEnsemblePercentiles[p] / 100.0;
      const auto lo = std::int64_t(std::floor(h));
      const double low = value_at_rank(nodes, column, std::min(lo, runs - 1));
      result.bands[c].p[p] = (lo + 1 >= runs || h == double(lo))
                                 ? low
                                 : low + (h - double(lo)) * (value_at_rank(nodes, column, lo + 1) - low);
    }
  }
}

/// Every column's band and mean (reduce_columns), the columns handed out kBatch at a time to
/// `threads` threads from a shared counter, so that a helper slow to start leaves its share to
/// the others (each column is computed alone, so the same numbers for any count or order).
void reduce_nodes(const std::vector<EnsembleNode>& nodes, std::size_t columns, std::int64_t runs,
                  EnsembleResult& result, int threads) {
  constexpr std::size_t kBatch = 16;
  result.bands.assign(columns, PercentileBand{});
  result.mean.assign(columns, 0.0);
  const std::size_t batches = (columns + kBatch - 1) / kBatch;
  const auto t = std::size_t(std::clamp<std::int64_t>(threads, 1, std::int64_t(std::max<std::size_t>(batches, 1))));
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t c = next.fetch_add(kBatch); c < columns; c = next.fetch_add(kBatch))
      reduce_columns(nodes, c, std::min(c + kBatch, columns), runs, result);
  };
  std::vector<std::jthread> helpers;
  for (std::size_t k = 1; k < t; ++k) helpers.emplace_back(work);
  work();
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
  for (std::size_t c = 0; c < columns; ++c) std::sort(values + c * std::size_t(runs), values + (c + 1) * std::size_t(runs));
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
    EnsembleNode parent = spare_locked(node.sum.size() * std::size_t(std::min(node.runs + other.runs, kQuantileCapacity)));
    lock.unlock();
    (node.index & 1) ? combine_nodes(other, node, parent) : combine_nodes(node, other, parent);
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
  if (spare_.size() > kSpareNodes)  // drop the smallest
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

EnsembleResult finish_ensemble(const Scenario& scenario, std::vector<EnsemblePart> parts, int threads) {
  EnsembleResult result;
  if (parts.empty()) {
    result.error = "no ensemble parts to combine";
    return result;
  }
  // In chunk order, empty parts (more shards than chunks) first; `given[i]`: the index as passed.
  std::vector<std::size_t> given(parts.size());
  for (std::size_t i = 0; i < given.size(); ++i) given[i] = i;
  std::stable_sort(given.begin(), given.end(), [&parts](std::size_t a, std::size_t b) {
    return std::pair(parts[a].first_chunk, parts[a].end_chunk) < std::pair(parts[b].first_chunk, parts[b].end_chunk);
  });
  {
    std::vector<EnsemblePart> sorted;
    sorted.reserve(parts.size());
    for (std::size_t i : given) sorted.push_back(std::move(parts[i]));
    parts = std::move(sorted);
  }
  const EnsemblePart& first = parts.front();
  const std::int64_t chunks = ensemble_chunks(first.runs);
  const std::size_t k_count = first.indicator_count;
  const std::size_t stride = std::size_t(first.steps) + 2;
  std::int64_t covered = 0;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const EnsemblePart& part = parts[p];
    result.error_part = int(given[p]);
    if (part.runs != first.runs || part.steps != first.steps || part.seed != first.seed ||
        part.parameter_sd != first.parameter_sd || part.indicator_count != first.indicator_count ||
        part.reference_names != first.reference_names || part.first_crossing.size() != first.first_crossing.size()) {
      result.error = "the parts are not of one ensemble (runs, steps, seed, parameter spread, indicators or references differ)";
      return result;
    }
    if (part.first_chunk != covered) {
      result.error = part.first_chunk > covered
                         ? "chunks " + std::to_string(covered) + " to " + std::to_string(part.first_chunk - 1) +
                               " (runs from " + std::to_string(covered * kEnsembleChunkRuns) + ") are missing"
                         : "chunk " + std::to_string(part.first_chunk) + " is covered twice";
      return result;
    }
    covered = part.end_chunk;
  }
  result.error_part = int(given.back());
  if (covered != chunks) {
    result.error = "chunks " + std::to_string(covered) + " to " + std::to_string(chunks - 1) + " (runs from " +
                   std::to_string(covered * kEnsembleChunkRuns) + ") are missing";
    return result;
  }
  int failed = -1;
  for (std::size_t p = 0; p < parts.size(); ++p)
    if (parts[p].failed_run >= 0 && (failed < 0 || parts[p].failed_run < failed)) {
      failed = parts[p].failed_run;
      result.error = parts[p].error;
      result.error_part = int(given[p]);
    }
  if (failed >= 0) {
    if (result.error.empty()) result.error = "run " + std::to_string(failed) + " failed";
    return result;
  }
  result.error_part = int(given.front());
  if (k_count != scenario.indicators.size()) {
    result.error = "the parts have " + std::to_string(k_count) + " indicators, the scenario " +
                   std::to_string(scenario.indicators.size());
    return result;
  }
  std::size_t thresholds = 0;
  for (const Indicator& indicator : scenario.indicators) thresholds += indicator.thresholds.size();
  if (first.first_crossing.size() != thresholds * stride) {
    result.error = "the parts count " + std::to_string(first.first_crossing.size() / stride) +
                   " thresholds, the scenario " + std::to_string(thresholds);
    return result;
  }
  result.error_part = -1;

  result.runs = first.runs;
  result.steps = first.steps;
  result.seed = first.seed;
  result.parameter_sd = first.parameter_sd;
  result.indicator_count = k_count;
  result.reference_names = first.reference_names;
  EnsembleTree tree;
  std::vector<std::int64_t> crossing(first.first_crossing.size(), 0), nearest(first.nearest.size(), 0);
  for (EnsemblePart& part : parts) {
    for (EnsembleNode& node : part.nodes) tree.add(std::move(node));
    for (std::size_t i = 0; i < crossing.size(); ++i) crossing[i] += part.first_crossing[i];
    for (std::size_t i = 0; i < nearest.size() && i < part.nearest.size(); ++i) nearest[i] += part.nearest[i];
    result.end.insert(result.end.end(), part.end.begin(), part.end.end());
  }
  const auto nodes = tree.take();
  const std::size_t columns = std::size_t(result.steps + 1) * k_count;
  if (!nodes.empty() && columns > 0) reduce_nodes(nodes, columns, result.runs, result, threads);

  std::size_t t = 0;
  for (std::size_t k = 0; k < k_count; ++k)
    for (double threshold : scenario.indicators[k].thresholds) {
      ThresholdResult r{k, threshold, scenario.indicators[k].direction, 0, 0.0, -1};
      std::int64_t crossed_by = 0;
      for (int s = 0; s <= result.steps && t * stride + std::size_t(s) < crossing.size(); ++s) {
        crossed_by += crossing[t * stride + std::size_t(s)];
        if (r.median_first_step < 0 && 2 * crossed_by >= result.runs) r.median_first_step = s;
      }
      r.crossed_runs = int(crossed_by);
      r.probability = double(r.crossed_runs) / result.runs;
      result.thresholds.push_back(r);
      ++t;
    }
  for (std::int64_t n : nearest) result.resemblance_share.push_back(double(n) / result.runs);
  return result;
}

}  // namespace geosim
