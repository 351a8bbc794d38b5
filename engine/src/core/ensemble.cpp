#include "geosim/core/ensemble.hpp"

#include "indicator_history.hpp"
#include "leaf_groups.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <thread>

#include "geosim/core/ensemble_merge.hpp"
#include "geosim/core/indicator.hpp"
#include "geosim/core/rng.hpp"
#include "geosim/core/run.hpp"
#include "geosim/core/run_budget.hpp"
#include "geosim/core/settle.hpp"
#include "geosim/core/state.hpp"
#include "geosim/core/step.hpp"

namespace geosim {
namespace {

using detail::indicator_history_size;

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

/// One run: its indicator values at steps 0..steps into `out` ([step * K + k]). Returns the
/// error of a step that failed (State::error), empty when the run completed. `plan`: the
/// scenario's indicators (plan_indicators). `state`, `workspace`, `history` (the tensions the
/// indicators read, indicator_history_size; otherwise unused) and `fired` (a step's events) are
/// the worker's, reused run after run (nothing is allocated per step). `inputs`: none but the
/// bound on what one step's events may record (the workers share the budget).
std::string simulate(const Scenario& scenario, const IndicatorPlan& plan, const Rng& rng, int steps, double* out,
                     State& state, StepWorkspace& workspace, std::vector<double>& history,
                     std::vector<AppliedEvent>& fired, const StepInputs& inputs) {
  const std::size_t k_count = scenario.indicators.size();
  const std::size_t stride = std::size_t(steps) + 1;
  const std::size_t history_size = indicator_history_size(plan, steps);
  const bool once = history_size > 0;
  if (once) history.resize(history_size);
  auto record = [&](const State& state, int step) {
    if (once)
      record_indicator_inputs(plan, state.tension, std::size_t(step), history.data(), stride);
    else
      evaluate_indicators(plan, state.tension, out + std::size_t(step) * k_count);
  };
  initial_state(state, scenario, rng);
  workspace.reset();
  record(state, 0);
  for (int s = 1; s <= steps; ++s) {
    advance_in_place(state, fired, scenario, rng, inputs, nullptr, &workspace);
    if (!state.error.empty()) return state.error;
    record(state, s);
  }
  if (once) evaluate_indicators_over_steps(plan, history.data(), stride, stride, out);
  return {};
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
    std::nth_element(values.begin() + std::ptrdiff_t(begin), values.begin() + std::ptrdiff_t(index), values.end());
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

void jitter_parameters(const std::vector<Actor>& original, std::vector<Actor>& actors, double sd, const Rng& rng) {
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

bool ensemble_runs_can_differ(const Scenario& scenario, const EnsembleOptions& options) {
  if (options.parameter_sd > 0.0 || !options.vary.empty() || scenario.parameters.noise > 0.0) return true;
  auto drawn = [](double p) { return p > 0.0 && p < 1.0; };
  auto sized = [](const std::optional<Magnitude>& m) { return m && m->sd > 0.0; };
  for (const Event& event : scenario.events) {
    if (drawn(event.probability) || (event.timing == Timing::window && event.window_first != event.window_last))
      return true;
    for (const FollowUp& follow : event.follow_ups)
      if (drawn(follow.probability)) return true;
    for (const Effect& effect : event.effects)
      if (sized(effect.tension) || sized(effect.baseline) || sized(effect.tie)) return true;
  }
  return false;
}

EnsemblePart run_ensemble_part(const Scenario& scenario, const EnsembleOptions& options,
                               const std::vector<EnsembleReference>& references, std::int64_t first_chunk,
                               std::int64_t end_chunk) {
  EnsemblePart part;
  part.error = ensemble_request_error(scenario, options);
  if (!part.error.empty()) return part;
  part.runs = std::max(1, options.runs);
  part.steps = options.steps >= 0 ? options.steps : scenario.steps;
  part.error = ensemble_work_error(scenario, part.steps, chunk_runs(part.runs, first_chunk, end_chunk));  // this part's
  if (!part.error.empty()) return part;
  part.seed = options.seed;
  part.parameter_sd = std::max(0.0, options.parameter_sd);
  part.indicator_count = scenario.indicators.size();
  const std::int64_t chunks = ensemble_chunks(part.runs);
  part.first_chunk = std::clamp<std::int64_t>(first_chunk, 0, chunks);
  part.end_chunk = std::clamp<std::int64_t>(end_chunk, part.first_chunk, chunks);
  for (const auto& ref : references) part.reference_names.push_back(ref.name);
  const int runs = part.runs, steps = part.steps;
  const std::size_t k_count = part.indicator_count;
  const std::size_t columns = std::size_t(steps + 1) * k_count;
  const int count = int(part.end_chunk - part.first_chunk);
  const int first_run = int(part.first_chunk * kEnsembleChunkRuns);
  const int run_count = std::min(runs, int(part.end_chunk * kEnsembleChunkRuns)) - first_run;
  const int threads = std::clamp(options.threads, 1, std::max(1, count));

  std::vector<std::pair<std::size_t, double>> thresholds;  // (indicator, threshold) in declaration order
  for (std::size_t k = 0; k < k_count; ++k)
    for (double threshold : scenario.indicators[k].thresholds) thresholds.emplace_back(k, threshold);
  const std::size_t stride = std::size_t(steps) + 2;
  struct alignas(64) Worker {  // a cache line of its own: workers write theirs at every step
    std::vector<double> rows;
    std::vector<std::int64_t> first_crossing, nearest;
    State state;                      ///< the run being stepped, its memory reused run after run
    StepWorkspace workspace;          ///< the step's scratch and what it keeps between steps
    std::vector<double> history;      ///< the run's tensions its indicators read (simulate)
    std::vector<AppliedEvent> fired;  ///< the events of the run's latest step (simulate)
    std::int64_t held_runs = 0;       ///< its runs whose resettled world held a baseline at 0 or 1
  };
  std::vector<Worker> workers(static_cast<std::size_t>(threads));
  for (Worker& w : workers) {
    w.rows.resize(std::size_t(kEnsembleChunkRuns) * columns);
    w.first_crossing.assign(thresholds.size() * stride, 0);
    w.nearest.assign(references.size(), 0);
  }
  if (options.keep_ends) part.end.resize(std::size_t(run_count) * k_count);
  EnsembleTree tree;
  detail::LeafGroups groups(part.first_chunk, part.end_chunk, columns);  // the leaves, into the tree a block at a time
  std::mutex order_mutex;                                                // failures and the per-run output's turn
  std::condition_variable turn;
  std::int64_t next_out = part.first_chunk;
  std::vector<Scenario> jittered;  // one copy per worker, only with parameter uncertainty or ranges
  const ParameterDesign design = latin_hypercube(options.vary, options.seed, runs);
  const bool per_run_copy = part.parameter_sd > 0.0 || !options.vary.empty();
  if (per_run_copy) jittered.assign(std::size_t(threads), scenario);
  std::vector<std::size_t> varied_baselines;  // row-major, the baselines --vary draws
  for (const ParameterRange& range : design.ranges)
    for (const ParameterTarget& t : range.parameter.targets)
      if (t.kind == ParameterKind::baseline) varied_baselines.push_back(t.actor * scenario.actor_count() + t.other);
  std::vector<Actor> own_actors;  // the actors with their own restraint and reactivity (before policies)
  // From a worker's copy, which every run sets so anyway: a copy of the whole scenario is n² numbers.
  if (per_run_copy) {
    use_own_parameters(scenario, jittered.front());
    own_actors = jittered.front().actors;
  }
  const IndicatorPlan plan = plan_indicators(scenario);  // jitter and ranges leave the indicators as they are
  StepInputs step_inputs;  // each worker's steps within its share of what events may record at once
  step_inputs.max_changes = kMaxStepChanges / std::size_t(threads);

  auto one_chunk = [&](int item, int id) {
    Worker& w = workers[std::size_t(id)];
    const std::int64_t chunk = part.first_chunk + item;
    const int r0 = int(chunk * kEnsembleChunkRuns), n = std::min(runs - r0, kEnsembleChunkRuns);
    bool failed = false;
    for (int i = 0; i < n && !failed; ++i) {
      const int run = r0 + i;
      Rng rng = Rng::for_run(options.seed, std::uint64_t(run));
      const Scenario* s = &scenario;
      std::string error;
      if (per_run_copy) {
        Scenario& local = jittered[std::size_t(id)];
        use_own_parameters(scenario, local);  // the world's own values, before its policies
        if (part.parameter_sd > 0.0) jitter_parameters(own_actors, local.actors, part.parameter_sd, rng);
        design.apply(run, local);  // every varied value is set anew in every run
        if (local.settle_basis) {  // settled anew, as the loader would (resettle); a varied baseline as drawn
          local.baseline = scenario.baseline;
          if (resettle(local) > 0) ++w.held_runs;  // a baseline held at 0 or 1: counted, said by the CLI
          design.apply(run, local);
        }
        apply_policy_changes(scenario, local);  // then the policies' changes, the same in every run
        apply_policy_baseline_changes(scenario, varied_baselines, local);
        s = &local;
      }
      double* row = w.rows.data() + std::size_t(i) * columns;
      if (error.empty())
        error = simulate(*s, plan, rng, steps, row, w.state, w.workspace, w.history, w.fired, step_inputs);
      if (!error.empty()) {
        std::lock_guard lock(order_mutex);
        if (part.failed_run < 0 || run < part.failed_run) {
          part.failed_run = run;
          part.error = "run " + std::to_string(run) + ": " + error;
        }
        failed = true;
        break;
      }
      for (std::size_t t = 0; t < thresholds.size(); ++t) {
        const auto [k, threshold] = thresholds[t];
        int s_first = steps + 1;
        for (int s2 = 0; s2 <= steps; ++s2)
          if (crosses(row[std::size_t(s2) * k_count + k], threshold, scenario.indicators[k].direction)) {
            s_first = s2;
            break;
          }
        ++w.first_crossing[t * stride + std::size_t(s_first)];
      }
      const double* end = row + std::size_t(steps) * k_count;
      if (!references.empty()) {
        double best = std::numeric_limits<double>::infinity();
        std::size_t nearest = 0;
        for (std::size_t x = 0; x < references.size(); ++x) {
          double d2 = 0.0;
          for (std::size_t k = 0; k < k_count; ++k) {
            const double d = end[k] - references[x].end[k];
            d2 += d * d;
          }
          if (d2 < best) {  // ties go to the earlier reference
            best = d2;
            nearest = x;
          }
        }
        ++w.nearest[nearest];
      }
      if (options.keep_ends) std::copy_n(end, k_count, part.end.data() + std::size_t(run - first_run) * k_count);
    }
    if (options.per_run) {  // in chunk order: wait for the earlier chunks' turn
      std::unique_lock lock(order_mutex);
      turn.wait(lock, [&] { return next_out == chunk; });
      if (!failed && part.failed_run < 0) options.per_run(r0, n, w.rows.data());
      ++next_out;
      turn.notify_all();
    }
    if (!failed) {
      groups.add(chunk, w.rows.data(), n, tree);
    }
  };
  std::function<void(int, int)> progress;
  if (options.progress)
    progress = [&](int done, int) { options.progress(std::min(run_count, done * kEnsembleChunkRuns), run_count); };
  parallel_for(count, threads, one_chunk, progress);
  if (part.failed_run >= 0) return part;
  part.nodes = tree.take();
  part.first_crossing.assign(thresholds.size() * stride, 0);
  part.nearest.assign(references.size(), 0);
  for (const Worker& w : workers) {
    for (std::size_t i = 0; i < part.first_crossing.size(); ++i) part.first_crossing[i] += w.first_crossing[i];
    for (std::size_t i = 0; i < part.nearest.size(); ++i) part.nearest[i] += w.nearest[i];
    part.held_runs += w.held_runs;
  }
  return part;
}

EnsembleResult run_ensemble(const Scenario& scenario, const EnsembleOptions& options,
                            const std::vector<EnsembleReference>& references) {
  EnsemblePart part = run_ensemble_part(scenario, options, references, 0, ensemble_chunks(std::max(1, options.runs)));
  if (!part.error.empty() && part.failed_run < 0) {
    EnsembleResult refused;
    refused.error = std::move(part.error);
    return refused;
  }
  std::vector<EnsemblePart> parts;
  parts.push_back(std::move(part));
  return finish_ensemble(scenario, std::move(parts), options.threads);
}

}  // namespace geosim
