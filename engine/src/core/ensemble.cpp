#include "geosim/core/ensemble.hpp"

#include "text.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <thread>


#include "geosim/core/indicator.hpp"
#include "geosim/core/rng.hpp"
#include "geosim/core/run.hpp"
#include "geosim/core/state.hpp"
#include "geosim/core/step.hpp"

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace geosim {
namespace {

/// Runs `work(item, worker)` for items 0..count-1 on `threads` workers (items handed out in
/// order from a shared counter). The calling thread waits and reports progress.
template <class Work>
void parallel_for(int count, int threads, Work work, const std::function<void(int, int)>& progress) {
  threads = std::clamp(threads, 1, std::max(1, count));
  std::atomic<int> next{0}, done{0};
  std::mutex mutex;
  std::condition_variable finished;
  int workers_left = threads;
  auto worker = [&](int id) {
    for (int item = next.fetch_add(1); item < count; item = next.fetch_add(1)) {
      work(item, id);
      done.fetch_add(1, std::memory_order_relaxed);
    }
    std::lock_guard lock(mutex);
    if (--workers_left == 0) finished.notify_all();
  };
  {
    std::vector<std::jthread> pool;
    pool.reserve(std::size_t(threads));
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker, t);
    if (progress) {
      std::unique_lock lock(mutex);
      while (!finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return workers_left == 0; })) {
        lock.unlock();
        progress(done.load(std::memory_order_relaxed), count);
        lock.lock();
      }
    }
  }  // joins
  if (progress) progress(count, count);
}

/// A large uninitialised array of doubles. On Linux it is aligned to and advised into 2 MiB
/// pages: first touching tens of MiB in 4 KiB pages costs more page faults than the runs'
/// arithmetic. Every element is written before it is read.
class SeriesBuffer {
 public:
  explicit SeriesBuffer(std::size_t count) {
    constexpr std::size_t kHugePage = std::size_t(2) << 20;
    const std::size_t bytes = std::max<std::size_t>(count, 1) * sizeof(double);
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    data_ = static_cast<double*>(std::aligned_alloc(kHugePage, rounded));
#ifdef __linux__
    if (data_) ::madvise(data_, rounded, MADV_HUGEPAGE);
#endif
    if (!data_) data_ = static_cast<double*>(std::malloc(bytes));
  }
  SeriesBuffer(const SeriesBuffer&) = delete;
  SeriesBuffer& operator=(const SeriesBuffer&) = delete;
  ~SeriesBuffer() { std::free(data_); }
  double* get() const { return data_; }

 private:
  double* data_ = nullptr;
};

/// One run: its indicator values at steps 0..steps into `out` ([step * K + k]). Returns the
/// error of a step that failed (State::error), empty when the run completed.
std::string simulate(const Scenario& scenario, const Rng& rng, int steps, double* out) {
  const std::size_t k_count = scenario.indicators.size();
  auto record = [&](const State& state, int step) {
    double* row = out + std::size_t(step) * k_count;
    for (std::size_t k = 0; k < k_count; ++k)
      row[k] = evaluate_indicator(scenario.indicators[k], scenario, state.tension);
  };
  State state = initial_state(scenario, rng);
  record(state, 0);
  for (int s = 1; s <= steps; ++s) {
    state = advance(std::move(state), scenario, rng).state;
    if (!state.error.empty()) return state.error;
    record(state, s);
  }
  return {};
}

/// a * b, or SIZE_MAX when that overflows.
std::size_t times(std::size_t a, std::size_t b) {
  return b != 0 && a > std::numeric_limits<std::size_t>::max() / b ? std::numeric_limits<std::size_t>::max() : a * b;
}

std::size_t plus(std::size_t a, std::size_t b) {
  return a > std::numeric_limits<std::size_t>::max() - b ? std::numeric_limits<std::size_t>::max() : a + b;
}

std::string gib(std::size_t bytes) { return text::fixed(double(bytes) / double(std::size_t(1) << 30), 1) + " GiB"; }

/// Percentile bands and means of every (step, indicator) column. Columns are taken in blocks
/// of kBlock, so each run's row is read a cache line at a time.
void reduce_columns(const double* series, int runs, std::size_t columns, int threads,
                    EnsembleResult& result) {
  constexpr std::size_t kBlock = 8;
  result.bands.assign(columns, PercentileBand{});
  result.mean.assign(columns, 0.0);
  const std::vector<double> ps(kEnsemblePercentiles.begin(), kEnsemblePercentiles.end());
  std::vector<std::vector<double>> buffers(std::size_t(std::max(1, threads)) * kBlock);
  const int blocks = int((columns + kBlock - 1) / kBlock);
  parallel_for(
      blocks, threads,
      [&](int block, int worker) {
        const std::size_t first = std::size_t(block) * kBlock, width = std::min(kBlock, columns - first);
        std::vector<double>* values = &buffers[std::size_t(worker) * kBlock];
        double sums[kBlock] = {};
        for (std::size_t c = 0; c < width; ++c) values[c].resize(std::size_t(runs));
        for (int r = 0; r < runs; ++r) {
          const double* row = series + std::size_t(r) * columns + first;
          for (std::size_t c = 0; c < width; ++c) {
            values[c][std::size_t(r)] = row[c];
            sums[c] += row[c];  // in run order
          }
        }
        for (std::size_t c = 0; c < width; ++c) {
          result.mean[first + c] = sums[c] / runs;
          const auto p = percentiles_type7(values[c], ps);
          std::copy(p.begin(), p.end(), result.bands[first + c].p.begin());
        }
      },
      {});
}

void reduce_thresholds(const Scenario& scenario, const double* series, int runs,
                       int steps, EnsembleResult& result) {
  const std::size_t k_count = scenario.indicators.size();
  const std::size_t stride = std::size_t(steps + 1) * k_count;
  for (std::size_t k = 0; k < k_count; ++k) {
    const Indicator& indicator = scenario.indicators[k];
    for (double threshold : indicator.thresholds) {
      ThresholdResult t{k, threshold, indicator.direction, 0, 0.0, -1};
      std::vector<int> first_crossings(std::size_t(steps) + 1, 0);  // runs first crossing at step s
      for (int r = 0; r < runs; ++r)
        for (int s = 0; s <= steps; ++s)
          if (crosses(series[std::size_t(r) * stride + std::size_t(s) * k_count + k], threshold,
                      indicator.direction)) {
            ++first_crossings[std::size_t(s)];
            ++t.crossed_runs;
            break;
          }
      t.probability = double(t.crossed_runs) / runs;
      int crossed_by = 0;
      for (int s = 0; s <= steps && t.median_first_step < 0; ++s) {
        crossed_by += first_crossings[std::size_t(s)];
        if (2 * crossed_by >= runs) t.median_first_step = s;
      }
      result.thresholds.push_back(t);
    }
  }
}

void reduce_resemblance(const std::vector<EnsembleReference>& references, int runs,
                        EnsembleResult& result) {
  for (const auto& ref : references) result.reference_names.push_back(ref.name);
  result.resembles.assign(std::size_t(runs), -1);
  result.resemblance_share.assign(references.size(), 0.0);
  if (references.empty()) return;
  const std::size_t k_count = result.indicator_count;
  std::vector<int> counts(references.size(), 0);
  for (int r = 0; r < runs; ++r) {
    const double* end = result.end.data() + std::size_t(r) * k_count;
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < references.size(); ++i) {
      double d2 = 0.0;
      for (std::size_t k = 0; k < k_count; ++k) {
        const double d = end[k] - references[i].end[k];
        d2 += d * d;
      }
      if (d2 < best) {  // ties go to the earlier reference
        best = d2;
        result.resembles[std::size_t(r)] = int(i);
      }
    }
    ++counts[std::size_t(result.resembles[std::size_t(r)])];
  }
  for (std::size_t i = 0; i < references.size(); ++i)
    result.resemblance_share[i] = double(counts[i]) / runs;
}

}  // namespace

double percentile_type7(const std::vector<double>& sorted, double p) {
  const double h = double(sorted.size() - 1) * p / 100.0;
  const auto lo = std::size_t(std::floor(h));
  if (lo + 1 >= sorted.size() || h == double(lo)) return sorted[std::min(lo, sorted.size() - 1)];
  return sorted[lo] + (h - double(lo)) * (sorted[lo + 1] - sorted[lo]);
}

std::vector<double> percentiles_type7(std::vector<double>& values, const std::vector<double>& ps) {
  std::vector<double> out(ps.size(), 0.0);
  const std::size_t n = values.size();
  if (n == 0) return out;
  // The order statistics needed, ascending; each nth_element then works on what is left.
  std::vector<std::size_t> needed;
  for (double p : ps) {
    const double h = double(n - 1) * p / 100.0;
    const auto lo = std::size_t(std::floor(h));
    needed.push_back(std::min(lo, n - 1));
    if (lo + 1 < n) needed.push_back(lo + 1);
  }
  std::sort(needed.begin(), needed.end());
  needed.erase(std::unique(needed.begin(), needed.end()), needed.end());
  std::size_t begin = 0;
  for (std::size_t index : needed) {
    std::nth_element(values.begin() + std::ptrdiff_t(begin), values.begin() + std::ptrdiff_t(index),
                     values.end());
    begin = index + 1;
  }
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const double h = double(n - 1) * ps[i] / 100.0;
    const auto lo = std::size_t(std::floor(h));
    out[i] = (lo + 1 >= n || h == double(lo)) ? values[std::min(lo, n - 1)]
                                              : values[lo] + (h - double(lo)) * (values[lo + 1] - values[lo]);
  }
  return out;
}

void jitter_parameters(const std::vector<Actor>& original, std::vector<Actor>& actors, double sd,
                       const Rng& rng) {
  const double shift = sd * sd / 2.0;
  for (std::size_t i = 0; i < original.size(); ++i) {
    RngStream stream = rng.stream(RngPurpose::parameters, rng_name_key(original[i].id));
    const double zr = stream.normal(), zk = stream.normal();
    actors[i].restraint = std::clamp(original[i].restraint * rng_exp(sd * zr - shift), 0.0, 1.0);
    actors[i].reactivity = std::clamp(original[i].reactivity * rng_exp(sd * zk - shift), 0.0, 1.0);
  }
}

EnsembleReference make_reference(const std::string& name, const Scenario& reference,
                                 const std::vector<Indicator>& indicators, int steps, bool& ok) {
  EnsembleReference out{name, {}};
  ok = true;
  const RunResult run = run_scenario(reference, RunOptions{0, 0, steps});
  if (!run.final_state.error.empty()) {
    ok = false;
    return out;
  }
  for (const auto& indicator : indicators) {
    std::size_t k = 0;
    while (k < reference.indicators.size() && reference.indicators[k].id != indicator.id) ++k;
    if (k == reference.indicators.size()) {
      ok = false;
      out.end.clear();
      return out;
    }
    out.end.push_back(run.indicators.back()[k]);
  }
  return out;
}

std::size_t ensemble_memory(int runs, int steps, std::size_t indicators, int threads) {
  const auto r = std::size_t(std::max(runs, 1)), s = std::size_t(std::max(steps, 0)) + 1;
  const std::size_t series = times(times(times(r, s), indicators), sizeof(double));
  const std::size_t ends = times(times(r, indicators), sizeof(double)) + times(r, sizeof(int));
  const std::size_t sorting = times(times(std::size_t(std::max(threads, 1)) * 8, r), sizeof(double));
  return plus(plus(series, ends), sorting);
}

std::string ensemble_request_error(const Scenario& scenario, const EnsembleOptions& options) {
  const int runs = std::max(1, options.runs), steps = options.steps >= 0 ? options.steps : scenario.steps;
  const int threads = std::clamp(options.threads, 1, runs);
  const std::size_t k = scenario.indicators.size();
  const std::size_t need = ensemble_memory(runs, steps, k, threads);
  if (need <= kEnsembleMemoryBudget) return {};
  return "an ensemble of " + std::to_string(runs) + " runs of " + std::to_string(steps) + " steps with " +
         std::to_string(k) + " indicators would need " + gib(need) +
         " of memory (the percentiles keep every run's value at every step), more than its limit of " +
         gib(kEnsembleMemoryBudget) + ": use fewer runs or steps";
}

EnsembleResult run_ensemble(const Scenario& scenario, const EnsembleOptions& options,
                            const std::vector<EnsembleReference>& references) {
  EnsembleResult result;
  result.error = ensemble_request_error(scenario, options);
  if (!result.error.empty()) return result;
  result.runs = std::max(1, options.runs);
  result.steps = options.steps >= 0 ? options.steps : scenario.steps;
  result.seed = options.seed;
  result.parameter_sd = std::max(0.0, options.parameter_sd);
  result.indicator_count = scenario.indicators.size();
  const int runs = result.runs, steps = result.steps;
  const int threads = std::clamp(options.threads, 1, runs);
  const std::size_t columns = std::size_t(steps + 1) * result.indicator_count;

  // [run][step][indicator]; left uninitialised: every run writes all of its row, and the pages
  // are first touched by the worker that fills them.
  const SeriesBuffer series(std::size_t(runs) * columns);
  if (!series.get() && runs > 0 && columns > 0) {
    result.error = "cannot allocate " + gib(std::size_t(runs) * columns * 8) + " for the runs' indicator series";
    return result;
  }
  std::mutex failure_mutex;
  int failed_run = runs;  // the lowest-numbered run whose step failed, so the message is the same for any threads
  std::vector<Scenario> jittered;  // one copy per worker, only with parameter uncertainty
  if (result.parameter_sd > 0.0) jittered.assign(std::size_t(threads), scenario);
  parallel_for(
      runs, threads,
      [&](int run, int worker) {
        Rng rng = Rng::for_run(options.seed, std::uint64_t(run));
        const Scenario* s = &scenario;
        if (result.parameter_sd > 0.0) {
          Scenario& local = jittered[std::size_t(worker)];
          jitter_parameters(scenario.actors, local.actors, result.parameter_sd, rng);
          s = &local;
        }
        std::string error = simulate(*s, rng, steps, series.get() + std::size_t(run) * columns);
        if (error.empty()) return;
        std::lock_guard lock(failure_mutex);
        if (run < failed_run) {
          failed_run = run;
          result.error = "run " + std::to_string(run) + ": " + error;
        }
      },
      options.progress);
  if (!result.error.empty()) return result;

  // Reductions, each a function of the runs in run order only.
  reduce_columns(series.get(), runs, columns, threads, result);
  const std::size_t k_count = result.indicator_count;
  result.end.resize(std::size_t(runs) * k_count);
  for (int r = 0; r < runs; ++r)
    std::copy_n(series.get() + std::size_t(r) * columns + std::size_t(steps) * k_count, k_count,
                result.end.data() + std::size_t(r) * k_count);
  reduce_thresholds(scenario, series.get(), runs, steps, result);
  reduce_resemblance(references, runs, result);
  return result;
}

}  // namespace geosim
