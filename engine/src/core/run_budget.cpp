// What a run or an ensemble may ask for, checked before it starts: the period, and the memory
// of a run's history, an ensemble's summaries and its threads' worlds against the budget
// (run_budget.hpp, ensemble.hpp), with the messages that say what to reduce.
#include "geosim/core/run_budget.hpp"

#include <algorithm>
#include <bit>

#include "geosim/core/ensemble.hpp"
#include "geosim/core/step.hpp"
#include "indicator_history.hpp"
#include "leaf_groups.hpp"
#include "saturating.hpp"
#include "text.hpp"

namespace geosim {
namespace {

using detail::indicator_history_size;
using detail::plus;
using detail::times;

std::string gib(std::size_t bytes) { return text::fixed(double(bytes) / double(std::size_t(1) << 30), 1) + " GiB"; }

/// A need over the budget, in GiB with as many decimals (up to 3) as it takes not to read as
/// the budget itself ("2.03 GiB", not "2.0 GiB", against a limit of 2.0 GiB).
std::string gib_over(std::size_t bytes) {
  const double g = double(bytes) / double(std::size_t(1) << 30);
  for (int decimals = 1;; ++decimals) {
    std::string text = text::fixed(g, decimals) + " GiB";
    const double budget = double(kEnsembleMemoryBudget) / double(std::size_t(1) << 30);
    if (decimals == 3 || text != text::fixed(budget, decimals) + " GiB") return text;
  }
}

/// "1 run", "2 runs".
std::string counted(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

/// Each run's indicators at the end (EnsembleOptions::keep_ends), in bytes.
std::size_t ends_memory(int runs, std::size_t indicators) {
  return times(times(std::size_t(std::max(runs, 1)), indicators), sizeof(double));
}

}  // namespace

std::size_t ensemble_memory(int runs, int steps, std::size_t indicators, int threads, bool keep_ends) {
  const auto r = std::size_t(std::max(runs, 1)), t = std::size_t(std::max(threads, 1));
  const std::size_t columns = times(std::size_t(std::max(steps, 0)) + 1, indicators);
  const auto levels = std::size_t(std::bit_width(std::uint64_t(ensemble_chunks(std::int64_t(r)))));
  const std::size_t node = times(times(std::min(r, std::size_t(kQuantileCapacity)), columns), sizeof(double));
  // The tree's nodes above the leaf blocks, one a level, and the blocks below them (fewer runs
  // than a node); the blocks being filled, at most one a thread and one more; per thread, a
  // block's node and its parent being made.
  const std::size_t above = levels > std::size_t(detail::kGroupLevels) ? levels - std::size_t(detail::kGroupLevels) : 0;
  const std::size_t nodes = times(plus(above + 1 + (t + 1), 2 * t), node);
  const std::size_t workers = times(times(times(t, 2 * kEnsembleChunkRuns), columns), sizeof(double));
  return plus(plus(nodes, workers), keep_ends ? ends_memory(runs, indicators) : 0);
}

std::size_t ensemble_thread_memory(const Scenario& scenario, const EnsembleOptions& options) {
  const std::size_t n = scenario.actor_count(), square = times(n, n);
  // the worker's State: tension, baseline and tie
  std::size_t bytes = plus(StepWorkspace::bytes(scenario), times(times(3, square), sizeof(double)));
  if (options.parameter_sd > 0.0 || !options.vary.empty())  // its own copy of the scenario's relations
    bytes = plus(bytes, plus(times(times(3, square), sizeof(double)), times(scenario.absent.size(), 1)));
  // the run's indicator history (simulate)
  const int steps = options.steps >= 0 ? options.steps : scenario.steps;
  return plus(bytes, times(indicator_history_size(plan_indicators(scenario), steps), sizeof(double)));
}

namespace {
/// Threads that can work on an ensemble (one a chunk at most), and each one's stepping.
std::size_t steppers(const EnsembleOptions& options) {
  return std::size_t(std::clamp<std::int64_t>(options.threads, 1, ensemble_chunks(std::max(1, options.runs))));
}
int ensemble_steps(const Scenario& scenario, const EnsembleOptions& options) {
  return options.steps >= 0 ? options.steps : scenario.steps;
}
std::size_t request_memory_on(const Scenario& scenario, const EnsembleOptions& options, std::size_t threads) {
  return plus(ensemble_memory(std::max(1, options.runs), ensemble_steps(scenario, options), scenario.indicators.size(),
                              int(threads), options.keep_ends),
              times(threads, ensemble_thread_memory(scenario, options)));
}
}  // namespace

std::size_t ensemble_request_memory(const Scenario& scenario, const EnsembleOptions& options) {
  return request_memory_on(scenario, options, steppers(options));
}

std::size_t ensemble_result_memory(int runs, int steps, std::size_t indicators, bool keep_ends) {
  const std::size_t columns = times(std::size_t(std::max(steps, 0)) + 1, indicators);
  return plus(times(columns, sizeof(PercentileBand) + sizeof(double)), keep_ends ? ends_memory(runs, indicators) : 0);
}

std::size_t ensemble_result_memory(const Scenario& scenario, const EnsembleOptions& options) {
  return ensemble_result_memory(options.runs, ensemble_steps(scenario, options), scenario.indicators.size(),
                                options.keep_ends);
}

std::string ensemble_beside_error(std::size_t kept, const std::string& kept_what, const std::string& advice,
                                  const Scenario& scenario, const EnsembleOptions& options) {
  const std::size_t need = ensemble_request_memory(scenario, options), total = plus(kept, need);
  if (total <= kEnsembleMemoryBudget) return {};
  return kept_what + " (" + gib(kept) + ") and an ensemble of " +
         counted(std::size_t(std::max(1, options.runs)), "run") + " of " +
         counted(std::size_t(std::max(0, ensemble_steps(scenario, options))), "step") + " beside them (" + gib(need) +
         ") would need " + gib_over(total) + " of memory, more than its limit of " + gib(kEnsembleMemoryBudget) + ": " +
         advice;
}

std::string ensemble_work_error(const Scenario& scenario, int steps, std::int64_t runs) {
  const double n = double(scenario.actor_count()), work = double(runs) * double(std::max(0, steps)) * n * n;
  if (work <= kMaxEnsembleWork) return {};
  return counted(std::size_t(runs), "run") + " of " + counted(std::size_t(std::max(0, steps)), "step") + " of " +
         std::to_string(scenario.actor_count()) + " actors are " + text::general(work) +
         " relation-steps (runs x steps x actors^2), more than the limit of " + text::general(kMaxEnsembleWork) +
         " for one process (about a day and a half of one thread): use fewer runs or steps, or share the runs out "
         "over processes with --shard K/N or mpirun (docs/scale.md)";
}

std::string ensemble_work_error(const Scenario& scenario, const EnsembleOptions& options) {
  return ensemble_work_error(scenario, ensemble_steps(scenario, options), std::max(1, options.runs));
}

std::string ensemble_request_error(const Scenario& scenario, const EnsembleOptions& options) {
  const int runs = std::max(1, options.runs), steps = ensemble_steps(scenario, options);
  if (std::string error = period_error(scenario, steps); !error.empty()) return error;
  const std::size_t threads = steppers(options);
  const std::size_t k = scenario.indicators.size();
  const std::size_t each = ensemble_thread_memory(scenario, options), stepping = times(threads, each);
  const std::size_t need = request_memory_on(scenario, options, threads);
  if (need <= kEnsembleMemoryBudget) return {};
  // the threads' worlds named when they are a good part of it; fewer threads advised when one would fit
  const bool worlds = stepping >= need / 4,
             threads_cause = threads > 1 && request_memory_on(scenario, options, 1) <= kEnsembleMemoryBudget;
  const std::string actors = std::to_string(scenario.actor_count()) + " actors";
  return "an ensemble of " + counted(std::size_t(runs), "run") + " of " + counted(std::size_t(steps), "step") +
         " with " + counted(k, "indicator") + (worlds ? " of " + actors : std::string()) +
         (worlds || threads_cause ? " on " + std::to_string(threads) + " threads" : std::string()) + " would need " +
         gib_over(need) + " of memory (the percentile summaries keep up to " + std::to_string(kQuantileCapacity) +
         " values of every indicator at every step" +
         (options.keep_ends ? ", and the paired comparison every run's end state" : "") +
         (worlds ? "; each thread steps its own copy of the " + actors + "' relations in " + gib(each) : "") +
         "), more than its limit of " + gib(kEnsembleMemoryBudget) + ": use fewer " +
         (threads_cause       ? "threads"
          : worlds            ? "actors"
          : options.keep_ends ? "steps or runs"
                              : "steps");
}

std::string period_error(const Scenario& scenario, int steps) {
  const long long end = (long long)scenario.start.days + (long long)steps * scenario.step_days;
  if (end <= kLastDate.days) return {};
  return counted(std::size_t(std::max(0, steps)), "step") + " of " +
         counted(std::size_t(std::max(0, scenario.step_days)), "day") + " from " + format_date(scenario.start) +
         " end after " + format_date(kLastDate) +
         ", the last date written as YYYY-MM-DD: use fewer steps or an earlier start";
}

std::size_t run_history_memory(const Scenario& scenario, int steps) {
  const std::size_t n = scenario.actor_count();
  const std::size_t each = times(plus(times(n, n), scenario.indicators.size()), sizeof(double));
  return times(std::size_t(std::max(steps, 0)) + 1, each);
}

std::size_t run_change_budget(const Scenario& scenario, int steps) {
  return (kEnsembleMemoryBudget - std::min(run_history_memory(scenario, steps), kEnsembleMemoryBudget)) /
         kChangeRecordBytes;
}

std::string run_request_error(const Scenario& scenario, int steps, const std::string& what) {
  if (std::string error = period_error(scenario, steps); !error.empty()) return error;
  std::size_t changes = 0;  // what its events record when each fires once (AppliedEvent::changes)
  for (const Event& event : scenario.events) changes = plus(changes, event_change_bound(event));
  const std::size_t records = times(changes, kChangeRecordBytes);
  const std::size_t need = plus(run_history_memory(scenario, steps), records);
  if (need <= kEnsembleMemoryBudget) return {};
  const std::string n = std::to_string(scenario.actor_count());
  const bool many = records > kEnsembleMemoryBudget / 4;
  return what + " of " + counted(std::size_t(std::max(0, steps)), "step") + " of " + n + " actors would need " +
         gib_over(need) + " of memory (it keeps the " + n + " x " + n + " tensions of every step" +
         (many ? ", and its events' " + std::to_string(changes) + " relation changes, " + gib(records) : "") +
         "), more than its limit of " + gib(kEnsembleMemoryBudget) + ": use fewer steps or actors" +
         (many ? ", or events that change fewer relations" : "");
}

}  // namespace geosim
