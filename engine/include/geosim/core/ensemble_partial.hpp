#pragma once
/// \file
/// The mergeable state of an ensemble, so that its memory does not grow with its runs and its
/// runs can be spread over threads, processes and machines with byte-identical results.
///
/// Runs are taken in chunks of kEnsembleChunkRuns (chunk c holds runs 64c .. 64c + 63). Each
/// chunk becomes a leaf of a fixed binary tree over chunk indices: the node at (level l,
/// index i) summarises the chunks [i * 2^l, (i + 1) * 2^l) and is made from its two children
/// only, by combine_nodes(), whoever computes them and in whatever order they arrive (up to 32
/// chunks, a block's leaves are merged at once instead, into the same node bit for bit:
/// engine/src/core/leaf_groups.hpp). When all
/// chunks are in, the nodes left are the aligned ranges of the binary decomposition of the chunk
/// count, whatever the thread count or the sharding (a shard's nodes recombine into the same
/// tree). So every reported number is a function of the runs alone.
///
/// A node keeps, for each (step, indicator) column, the sum of its runs' values and a quantile
/// summary: all of its runs' values while they are at most kQuantileCapacity, otherwise
/// kQuantileCapacity values, value i standing for the ranks [floor(i W / k), floor((i + 1) W / k))
/// of its W runs (k = kQuantileCapacity), taken at the middle of that range from the two
/// children's values (a deterministic compaction). See ensemble_rank_error() for the bound.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <utility>
#include <vector>

namespace geosim {

struct EnsembleResult;
struct Scenario;

/// Runs per chunk: the unit of work, of the per-run output, of shards and the tree's leaves.
inline constexpr int kEnsembleChunkRuns = 64;
/// Values a quantile summary keeps per (step, indicator) column at most.
inline constexpr std::int64_t kQuantileCapacity = 2048;

/// The number of chunks of an ensemble of `runs` runs.
inline std::int64_t ensemble_chunks(std::int64_t runs) { return (runs + kEnsembleChunkRuns - 1) / kEnsembleChunkRuns; }

/// The most a reported percentile's rank among the runs can be off, in runs: 0 (exact, Hyndman
/// & Fan type 7 over every run) while no tree node summarises more than kQuantileCapacity runs,
/// i.e. up to 4,032 runs (63 chunks); beyond, with L = floor(log2(chunks)) - 5 levels of nodes
/// that compact, at most L * (runs / (2 kQuantileCapacity) + 1/2), rounded up: each
/// compaction of W runs into k values moves any rank by at most ceil(W / k) / 2, the nodes of
/// one level cover each run at most once, and one node a level may be partial. That is at most
/// 0.13 % of the runs at 100,000 runs and 0.20 % at 1,000,000. The value reported for
/// percentile p lies between the exact order statistics floor(h) - E and ceil(h) + E, with
/// h = (runs - 1) p / 100 and E this bound.
std::int64_t ensemble_rank_error(std::int64_t runs);

namespace detail {
/// Memory for a summary's values: from 2 MiB on, mapped on its own (Linux: mmap, given back by
/// munmap when freed, so that the peak is the summaries alive), starting on a 2 MiB boundary and
/// asked to be backed by 2 MiB pages (madvise MADV_HUGEPAGE over its whole 2 MiB pages; the tail
/// keeps small pages, so no memory is added), so that a fresh summary faults in once per 2 MiB
/// instead of once per 4 KiB (a 10,000-run ensemble faulted 16,700 small pages, a fifth of its
/// time on a virtual machine where a fault is dear: bench/ensemble-passes.md, eighth pass); smaller sizes
/// as operator new. Throws std::bad_alloc as operator new does.
void* summary_allocate(std::size_t bytes);
/// Frees what summary_allocate(bytes) returned.
void summary_deallocate(void* p, std::size_t bytes) noexcept;
}  // namespace detail

/// An allocator whose resize() leaves new doubles unset instead of zeroing them: a summary's
/// values are always written in full after a resize, and zeroing megabytes first (and faulting
/// in the pages to do it) cost as much as a level of merging. Large blocks come with 2 MiB pages
/// (detail::summary_allocate).
template <class T>
struct UninitializedAllocator : std::allocator<T> {
  using value_type = T;
  template <class U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <class U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;  // default-initialised: no zeroing
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  T* allocate(std::size_t n) {
    if (n > std::size_t(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(detail::summary_allocate(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { detail::summary_deallocate(p, n * sizeof(T)); }
};

/// A summary's values (see EnsembleNode::values).
using SummaryValues = std::vector<double, UninitializedAllocator<double>>;

namespace detail {
/// `v` resized to `size` values whose contents do not matter: not copied when it must grow, and
/// not zeroed.
void resize_without_copy(SummaryValues& v, std::size_t size);
}  // namespace detail

/// A summary of the runs of one aligned range of chunks.
struct EnsembleNode {
  int level = 0;            ///< the node covers chunks [index << level, (index + 1) << level)
  std::int64_t index = 0;   ///< see level
  std::int64_t runs = 0;    ///< runs summarised (the last chunk of an ensemble may be short)
  std::int64_t size = 0;    ///< values kept per column: min(runs, kQuantileCapacity)
  std::vector<double> sum;  ///< per column: the runs' values summed (run order in a leaf, then left + right)
  SummaryValues values;     ///< [column * size + i], ascending within each column
};

/// How many runs value `i` of a summary of `runs` runs in `size` values stands for:
/// floor((i + 1) runs / size) - floor(i runs / size) (1 when size == runs).
std::int64_t summary_weight(std::int64_t runs, std::int64_t size, std::int64_t i);

/// The parent of two sibling nodes (`left` covers the lower chunks): sums added left + right,
/// values merged and, beyond kQuantileCapacity, compacted as the file comment says.
EnsembleNode combine_nodes(const EnsembleNode& left, const EnsembleNode& right);
/// The same into `out`, reusing the memory of its `sum` and `values` (whatever they held).
void combine_nodes(const EnsembleNode& left, const EnsembleNode& right, EnsembleNode& out);
/// The same into `left` itself, where the parent keeps as many values a column as each child
/// (two summaries of equal runs whose values stand for the same runs each: the compacting
/// levels), a few columns at a time through a buffer of their size: the parent takes no memory of
/// its own, whose pages the system would fault in and zero (12-15 % of a 10,000-run ensemble's time,
/// bench/ensemble-passes.md, twelfth pass). The same bits as combine_nodes. Returns false, `left`
/// untouched, where that does not apply (other sizes, or no AVX2: combine_nodes then).
bool combine_nodes_into_left(EnsembleNode& left, const EnsembleNode& right);

/// A chunk's `runs` rows of `columns` values ([run * columns + column]) as a leaf's sums
/// (`sum[column]`, added in run order) and values (`values[column * runs + i]`, each column
/// ascending). The rows are sorted column by column in place.
void leaf_values(double* rows, std::int64_t runs, std::size_t columns, double* sum, double* values);

/// A leaf: chunk `chunk`'s `runs` rows of `columns` values ([run * columns + column]), into
/// `out`, reusing the memory of its `sum` and `values` (whatever they held). The rows are sorted
/// column by column in place (their order within a column is lost).
void leaf_node(std::int64_t chunk, double* rows, std::int64_t runs, std::size_t columns, EnsembleNode& out);

/// The nodes not yet combined. add() combines a node with its sibling as soon as both are
/// there (outside the lock) and may be called from several threads at once. The memory of the
/// nodes it has combined is kept (at most kSpareNodes of them) for the next nodes, so that
/// chunk after chunk neither allocates nor faults in fresh pages. (ensemble_memory() does not
/// count them apart: it counts every level's node as a full summary, which the levels below
/// kQuantileCapacity runs are not, and 2 nodes a thread in flight; an estimate for refusing
/// requests up front, not a bound on the peak.)
class EnsembleTree {
 public:
  /// `spare_nodes`: how many combined nodes to keep for their memory (kSpareNodes by default).
  explicit EnsembleTree(std::size_t spare_nodes = kSpareNodes) : spare_nodes_(spare_nodes) {}
  void add(EnsembleNode node);
  /// The nodes left, in chunk order (moved out).
  std::vector<EnsembleNode> take();
  /// A node to fill (leaf_node), with the memory of a combined node when one is kept (the one
  /// that best holds `values` doubles); its contents are unspecified.
  EnsembleNode spare(std::size_t values);

  /// Combined nodes kept for their memory, at most: eight kept a 1,000,000-run ensemble to 8,400
  /// page faults (156,000 with three: each grown node a fresh mapping) at a peak of 117 MB
  /// (bench/ensemble-passes.md, eighth pass); with the leaves merged a block at a time (LeafGroups),
  /// 2,100 faults at 115.8 MB, and 1,400 for 10,000 runs (ninth pass).
  static constexpr std::size_t kSpareNodes = 8;

 private:
  EnsembleNode spare_locked(std::size_t values);
  void keep_locked(EnsembleNode&& node);

  std::size_t spare_nodes_;
  mutable std::mutex mutex_;
  std::map<std::pair<int, std::int64_t>, EnsembleNode> pending_;
  std::vector<EnsembleNode> spare_;
};

/// A part of an ensemble: the chunks [first_chunk, end_chunk) of an ensemble of `runs` runs.
/// run_ensemble() makes one part of all chunks; `ensemble --shard` makes one per shard.
struct EnsemblePart {
  int runs = 0;                     ///< runs of the whole ensemble
  int steps = 0;                    ///< steps per run
  std::uint64_t seed = 0;           ///< experiment seed
  double parameter_sd = 0.0;        ///< as EnsembleOptions::parameter_sd
  std::size_t indicator_count = 0;  ///< indicators of the scenario
  std::int64_t first_chunk = 0;     ///< first chunk covered
  std::int64_t end_chunk = 0;       ///< one past the last chunk covered
  std::vector<EnsembleNode> nodes;  ///< the tree's nodes left, in chunk order
  /// Per declared threshold t (in EnsembleResult::thresholds' order) and step s: runs whose
  /// first crossing is at step s, [t * (steps + 2) + s]; s = steps + 1 counts runs never crossing.
  std::vector<std::int64_t> first_crossing;
  std::vector<std::string> reference_names;  ///< as passed to the ensemble
  std::vector<std::int64_t> nearest;         ///< per reference: runs whose end state is nearest to it
  /// Runs whose world, settled anew for their drawn parameters (resettle), had a baseline with
  /// no settled value in [0, 1], held at the nearest end: those runs drift a little when nothing
  /// happens (docs/model.md, "Parameter ranges").
  std::int64_t held_runs = 0;
  bool held_counted = true;  ///< false for a shard of an earlier geosim, which did not count them
  /// Each run's indicators at the last step, [(run - first run) * indicator_count + k], only
  /// when EnsembleOptions::keep_ends.
  std::vector<double> end;
  int failed_run = -1;  ///< the lowest-numbered run whose step failed, -1 if none
  std::string error;    ///< the message of that failure (or of a refused request)
};

/// The chunks [first, end) of shard `k` (0-based) of `n` over `chunks` chunks:
/// [floor(k chunks / n), floor((k + 1) chunks / n)).
std::pair<std::int64_t, std::int64_t> shard_chunks(std::int64_t chunks, int k, int n);

/// How many of an ensemble's `runs` runs chunks [first, end) hold (the last chunk may be short).
std::int64_t chunk_runs(std::int64_t runs, std::int64_t first, std::int64_t end);

// The parts are combined into the result by finish_ensemble and EnsembleMerge (ensemble_merge.hpp).

}  // namespace geosim
