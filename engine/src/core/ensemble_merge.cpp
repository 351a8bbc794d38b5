#include "geosim/core/ensemble_merge.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "geosim/core/scenario.hpp"

namespace geosim {
namespace {

/// The value at weighted rank `r` (0-based) of one column of `nodes` (`column[n]`: node n's
/// values there), their values taken in ascending order, each standing for its weight in runs:
/// the smallest value v whose count, the weight of every value at most v, exceeds r (equal values
/// are the same bits, so which node's copy holds the rank does not matter). The weight of node
/// n's first m values is floor(m runs_n / size_n) (summary_weight's sum), so a count takes a
/// binary search a node. Found in two steps: by bisection over the largest node's values, the
/// two of them the answer lies between (above a, at most b), then among the few values of the
/// other nodes in that interval.
double value_at_rank(const std::vector<EnsembleNode>& nodes, const std::vector<const double*>& column, std::int64_t r) {
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
  for (std::size_t n = 0; n < nodes.size();
       ++n) {  // its first value in (x[lo], best) whose count exceeds r, by bisection
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

std::string missing(std::int64_t from, std::int64_t to) {
  return "chunks " + std::to_string(from) + " to " + std::to_string(to - 1) + " (runs from " +
         std::to_string(from * kEnsembleChunkRuns) + ") are missing";
}

}  // namespace

bool same_ensemble(const EnsemblePart& a, const EnsemblePart& b) {
  return a.runs == b.runs && a.steps == b.steps && a.seed == b.seed && a.parameter_sd == b.parameter_sd &&
         a.indicator_count == b.indicator_count && a.reference_names == b.reference_names &&
         a.first_crossing.size() == b.first_crossing.size();
}

std::string EnsembleMerge::add(EnsemblePart part) {
  if (added_ > 0 && !same_ensemble(part, first_))
    return "the parts are not of one ensemble (runs, steps, seed, parameter spread, indicators or references differ)";
  if (part.first_chunk != covered_)
    return part.first_chunk > covered_ ? missing(covered_, part.first_chunk)
                                       : "chunk " + std::to_string(part.first_chunk) + " is covered twice";
  covered_ = part.end_chunk;
  if (added_ == 0) {
    crossing_.assign(part.first_crossing.size(), 0);
    nearest_.assign(part.nearest.size(), 0);
  }
  if (part.failed_run >= 0 && failed_part_ < 0) {  // in chunk order, the first failure is the lowest run
    failed_part_ = added_;
    failed_run_ = part.failed_run;
    failed_error_ = part.error;
  }
  for (EnsembleNode& node : part.nodes) tree_.add(std::move(node));
  for (std::size_t i = 0; i < crossing_.size(); ++i) crossing_[i] += part.first_crossing[i];
  for (std::size_t i = 0; i < nearest_.size() && i < part.nearest.size(); ++i) nearest_[i] += part.nearest[i];
  held_runs_ += part.held_runs;
  held_counted_ = held_counted_ && part.held_counted;
  end_.insert(end_.end(), part.end.begin(), part.end.end());
  if (added_ == 0) {  // its header (and its counts, whose sizes every part must have)
    first_ = std::move(part);
    first_.nodes.clear();
    first_.end.clear();
  }
  ++added_;
  return {};
}

EnsembleResult EnsembleMerge::finish(const Scenario& scenario, int threads) {
  EnsembleResult result;
  if (added_ == 0) {
    result.error = "no ensemble parts to combine";
    return result;
  }
  const std::int64_t chunks = ensemble_chunks(first_.runs);
  if (covered_ != chunks) {
    result.error = missing(covered_, chunks);
    result.error_part = added_ - 1;
    return result;
  }
  if (failed_part_ >= 0) {
    result.error = failed_error_.empty() ? "run " + std::to_string(failed_run_) + " failed" : failed_error_;
    result.error_part = failed_part_;
    return result;
  }
  const std::size_t k_count = first_.indicator_count, stride = std::size_t(first_.steps) + 2;
  if (k_count != scenario.indicators.size()) {
    result.error = "the parts have " + std::to_string(k_count) + " indicators, the scenario " +
                   std::to_string(scenario.indicators.size());
    result.error_part = 0;
    return result;
  }
  std::size_t thresholds = 0;
  for (const Indicator& indicator : scenario.indicators) thresholds += indicator.thresholds.size();
  if (crossing_.size() != thresholds * stride) {
    result.error = "the parts count " + std::to_string(crossing_.size() / stride) + " thresholds, the scenario " +
                   std::to_string(thresholds);
    result.error_part = 0;
    return result;
  }
  result.runs = first_.runs;
  result.steps = first_.steps;
  result.seed = first_.seed;
  result.parameter_sd = first_.parameter_sd;
  result.indicator_count = k_count;
  result.reference_names = first_.reference_names;
  result.end = std::move(end_);
  const auto nodes = tree_.take();
  const std::size_t columns = std::size_t(result.steps + 1) * k_count;
  if (!nodes.empty() && columns > 0) reduce_nodes(nodes, columns, result.runs, result, threads);

  std::size_t t = 0;
  for (std::size_t k = 0; k < k_count; ++k)
    for (double threshold : scenario.indicators[k].thresholds) {
      ThresholdResult r{k, threshold, scenario.indicators[k].direction, 0, 0.0, -1};
      std::int64_t crossed_by = 0;
      for (int s = 0; s <= result.steps && t * stride + std::size_t(s) < crossing_.size(); ++s) {
        crossed_by += crossing_[t * stride + std::size_t(s)];
        if (r.median_first_step < 0 && 2 * crossed_by >= result.runs) r.median_first_step = s;
      }
      r.crossed_runs = int(crossed_by);
      r.probability = double(r.crossed_runs) / result.runs;
      result.thresholds.push_back(r);
      ++t;
    }
  for (std::int64_t n : nearest_) result.resemblance_share.push_back(double(n) / result.runs);
  result.held_runs = held_runs_;
  result.held_counted = held_counted_;
  return result;
}

EnsembleResult finish_ensemble(const Scenario& scenario, std::vector<EnsemblePart> parts, int threads) {
  // In chunk order, empty parts (more shards than chunks) first; `given[i]`: the index as passed.
  std::vector<std::size_t> given(parts.size());
  for (std::size_t i = 0; i < given.size(); ++i) given[i] = i;
  std::stable_sort(given.begin(), given.end(), [&parts](std::size_t a, std::size_t b) {
    return std::pair(parts[a].first_chunk, parts[a].end_chunk) < std::pair(parts[b].first_chunk, parts[b].end_chunk);
  });
  EnsembleMerge merge;
  for (std::size_t i : given)
    if (std::string error = merge.add(std::move(parts[i])); !error.empty()) {
      EnsembleResult result;
      result.error = std::move(error);
      result.error_part = int(i);
      return result;
    }
  EnsembleResult result = merge.finish(scenario, threads);
  if (result.error_part >= 0) result.error_part = int(given[std::size_t(result.error_part)]);
  return result;
}

}  // namespace geosim
