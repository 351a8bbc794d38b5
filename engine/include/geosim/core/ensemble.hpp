#pragma once
/// \file
/// Ensembles: many runs of one scenario (the analyst's Monte Carlo), reduced to percentile
/// bands, threshold probabilities and which document scenario each run resembles.
///
/// Run r draws from Rng::for_run(seed, r) whatever thread runs it (so run r of two ensembles with
/// the same seed shares its chance draws: paired.hpp). Runs are summarised a chunk at a time
/// into a fixed tree of mergeable summaries (ensemble_partial.hpp), so memory does not grow
/// with the runs and the result is byte-identical for any number of threads or shards.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "geosim/core/ensemble_partial.hpp"
#include "geosim/core/model_parameters.hpp"
#include "geosim/core/scenario.hpp"

namespace geosim {

class Rng;

/// The percentiles an ensemble reports, in percent.
inline constexpr std::array<double, 5> kEnsemblePercentiles{5, 25, 50, 75, 95};

/// Most memory (bytes) an ensemble may need: 2 GiB. The percentile summaries keep up to
/// kQuantileCapacity values of every indicator at every step per tree node, a few nodes per
/// level of the tree; see ensemble_memory(). Each thread also steps its own copy of the world
/// (ensemble_thread_memory()). A request beyond the budget is refused before it starts.
inline constexpr std::size_t kEnsembleMemoryBudget = std::size_t(2) << 30;

/// A run's indicators are evaluated once, at its end, from the tensions they read kept step by
/// step (evaluate_indicators_over_steps), while those fit in this many doubles (512 KiB); step
/// by step otherwise (indicators reading most of a large world's relations over many steps).
inline constexpr std::size_t kIndicatorHistoryDoubles = std::size_t(1) << 16;

/// How to run an ensemble.
struct EnsembleOptions {
  int runs = 1000;         ///< number of runs, >= 1
  int threads = 1;         ///< worker threads, >= 1 (values < 1 count as 1); never changes results
  std::uint64_t seed = 1;  ///< experiment seed: run r uses Rng::for_run(seed, r)
  int steps = -1;          ///< steps per run; -1 = the scenario's `steps`
  /// Parameter uncertainty: relative spread of each actor's restraint and reactivity, per run.
  /// When > 0, each run first draws, for each actor from the run's stream keyed on the actor's
  /// id (rng.hpp), z_r and z_k (standard normal) and uses
  ///     restraint' = clamp(restraint * exp(sd * z_r - sd^2 / 2), 0, 1)
  /// and likewise for reactivity: a lognormal factor with mean 1 (before the clamp), so sd is
  /// roughly the relative standard deviation (0.2 = about 20 %). Default 0: no jitter, and
  /// then run r is exactly run_scenario(scenario, {seed, r, steps}).
  double parameter_sd = 0.0;
  /// Parameter ranges (`--vary`, at most kMaxVaried): run r takes the values of a Latin
  /// hypercube over all the runs (latin_hypercube(vary, seed, runs), model_parameters.hpp), set
  /// on a per-run copy of the scenario after the jitter above (a varied parameter is not
  /// jittered). The design has its own keyed streams, so every run's other draws (events, noise,
  /// jitter) are those it has without ranges. Default none.
  std::vector<ParameterRange> vary;
  /// Keep each run's indicators at the last step (EnsembleResult::end): runs * indicators
  /// doubles, for the run-by-run paired comparisons of compare, matrix and report --runs.
  bool keep_ends = false;
  /// When set, called with each chunk's runs in run order (never two calls at once, from a
  /// worker thread): runs first_run .. first_run + count - 1, `series` [run][step][indicator]
  /// (count * (steps + 1) * indicators values). For `ensemble --per-run FILE`.
  std::function<void(int first_run, int count, const double* series)> per_run;
  /// Called on the calling thread with (runs done, runs in all) while the ensemble runs (at
  /// least every 50 ms, and once at the end with done == total). May be empty.
  std::function<void(int done, int total)> progress;
};

/// One document scenario's end state, against which runs are matched.
struct EnsembleReference {
  std::string name;         ///< e.g. "realignment"
  std::vector<double> end;  ///< its indicators at the last step, in the ensemble scenario's order
};

/// The 5/25/50/75/95th percentiles of one indicator at one step, over runs: exact (type 7) up to
/// 4,032 runs, beyond that within ensemble_rank_error() ranks of the exact ones.
struct PercentileBand {
  std::array<double, kEnsemblePercentiles.size()> p{};  ///< in the order of kEnsemblePercentiles
  double p5() const { return p[0]; }
  double p25() const { return p[1]; }
  double p50() const { return p[2]; }
  double p75() const { return p[3]; }
  double p95() const { return p[4]; }
};

/// How often one declared threshold is crossed.
struct ThresholdResult {
  std::size_t indicator = 0;  ///< index into Scenario::indicators
  double threshold = 0.0;
  ThresholdDirection direction = ThresholdDirection::above;
  /// Runs in which the indicator is beyond the threshold at some step 0..steps (strictly:
  /// value > threshold for above, < for below).
  int crossed_runs = 0;
  double probability = 0.0;  ///< crossed_runs / runs
  /// The first step by which at least half the runs have crossed (the median of the first
  /// crossing step, runs that never cross counting as later than any step); -1 when fewer
  /// than half the runs ever cross.
  int median_first_step = -1;
};

/// The memory (bytes) an ensemble of `runs` runs of `steps` steps, with `indicators`
/// indicators and `threads` workers, needs for its results, with C = (steps + 1) * indicators
/// columns, in nodes of min(runs, kQuantileCapacity) * C doubles: the tree's, at most one a level
/// above the blocks of 32 chunks (floor(log2(chunks)) + 1 - 5 levels) and one for the blocks
/// below them; the blocks of leaves being filled, at most threads + 1; and two per worker being
/// made (a block's node and its parent); per worker a chunk's
/// rows and its leaf (2 * kEnsembleChunkRuns * C doubles); with `keep_ends`, runs * indicators
/// doubles. Grows with the runs only by the levels (logarithmically) and `keep_ends`.
/// Saturates instead of overflowing.
std::size_t ensemble_memory(int runs, int steps, std::size_t indicators, int threads, bool keep_ends = false);

/// The memory (bytes) each thread of an ensemble of `scenario` needs to step its runs, beside
/// ensemble_memory(): its step's workspace (StepWorkspace::bytes), its run's state (tension,
/// baseline and tie, n x n each) and, with parameter uncertainty or ranges, its own copy of the
/// scenario's relations, and the tensions its indicators read at every step of a run (at most
/// 512 KiB). About 0.15 GiB at 2,000 actors.
std::size_t ensemble_thread_memory(const Scenario& scenario, const EnsembleOptions& options);

/// The memory (bytes) ensemble_request_error() counts for an ensemble of `scenario` with
/// `options`: ensemble_memory() and, on each thread that can work (at most one a chunk),
/// ensemble_thread_memory(). Saturates instead of overflowing.
std::size_t ensemble_request_memory(const Scenario& scenario, const EnsembleOptions& options);

/// The memory (bytes) a finished ensemble's result (EnsembleResult) holds: per (step, indicator)
/// column its percentile band and mean; with `keep_ends`, each run's indicators at the end.
std::size_t ensemble_result_memory(int runs, int steps, std::size_t indicators, bool keep_ends);
/// The same for an ensemble of `scenario` with `options`.
std::size_t ensemble_result_memory(const Scenario& scenario, const EnsembleOptions& options);

/// Empty when `kept` bytes, held while an ensemble of `scenario` with `options` runs (the
/// results of a compare's columns before it, the run scores of a matrix's cells before it), fit kEnsembleMemoryBudget
/// beside that ensemble (ensemble_request_memory()); otherwise a one-line message:
/// "<kept_what> (<kept GiB>) and an ensemble of ... beside them (<GiB>) would need <GiB> of
/// memory, more than its limit of 2.0 GiB: <advice>".
std::string ensemble_beside_error(std::size_t kept, const std::string& kept_what, const std::string& advice,
                                  const Scenario& scenario, const EnsembleOptions& options);

/// Empty when an ensemble of `scenario` with `options` fits kEnsembleMemoryBudget (its results,
/// ensemble_memory(), and each thread's stepping, ensemble_thread_memory()); otherwise a one-line
/// message saying how much it would need and why.
std::string ensemble_request_error(const Scenario& scenario, const EnsembleOptions& options);

/// Most work one process's part of an ensemble may ask for, in relation-steps (runs x steps x
/// actors^2): 1e14, about a day and a half of one thread at the 1.3 ns a relation and step of
/// the 200-state world (its step, 0.052 ms of 40,000 relations: bench/README.md). Past it, a
/// part is refused before its runs; `--shard K/N` or mpirun gives each process a smaller part.
inline constexpr double kMaxEnsembleWork = 1e14;

/// Empty when `runs` runs of `steps` steps of `scenario` are at most kMaxEnsembleWork
/// relation-steps; otherwise a one-line message with the figures and what to reduce.
std::string ensemble_work_error(const Scenario& scenario, int steps, std::int64_t runs);
/// The same for every run of an ensemble of `scenario` with `options` in one process (a compare
/// column, a matrix cell, a report's ensemble), checked before any of them runs.
std::string ensemble_work_error(const Scenario& scenario, const EnsembleOptions& options);

/// False when every run of an ensemble of `scenario` with `options` is the same run: no noise,
/// no parameter uncertainty or ranges, and no event whose firing, window step or size is drawn
/// (every probability, of events and of follow-ups, 0 or 1; every window a single step; every
/// size without `sd`). Then every percentile band has no width. True otherwise (the runs may
/// still happen to agree).
bool ensemble_runs_can_differ(const Scenario& scenario, const EnsembleOptions& options);

/// What an ensemble found. Per-step arrays are [step * indicators + indicator], steps 0..steps.
struct EnsembleResult {
  int runs = 0;
  int steps = 0;
  std::uint64_t seed = 0;
  double parameter_sd = 0.0;
  std::size_t indicator_count = 0;
  std::vector<PercentileBand> bands;  ///< [step * indicator_count + k]
  std::vector<double> mean;           ///< mean over runs, summed in run order; same layout
  /// Each run's indicators at the last step, [run * indicator_count + k]; only with
  /// EnsembleOptions::keep_ends (otherwise empty).
  std::vector<double> end;
  std::vector<ThresholdResult> thresholds;   ///< every declared threshold, in declaration order
  std::vector<std::string> reference_names;  ///< as passed in
  std::vector<double> resemblance_share;     ///< per reference: share of runs nearest to it
  /// Runs whose settled world held a baseline at 0 or 1 for their drawn parameters
  /// (EnsemblePart::held_runs): each drifts a little when nothing happens.
  std::int64_t held_runs = 0;
  /// False when a merged shard of an earlier geosim did not count them: held_runs is then a
  /// lower bound.
  bool held_counted = true;
  /// Empty when the ensemble ran; otherwise why it did not (too large a request, memory not
  /// available, or the lowest-numbered run whose step failed, see State::error), and the
  /// other fields are not filled in.
  std::string error;
  /// With an error of finish_ensemble (ensemble_merge.hpp): the index, in the parts as
  /// passed (for EnsembleMerge::finish, in the order added), of the part it is about (for a gap, the part after it, or
  /// the last part when the gap is at the end), so that a merge names that part's file; -1 otherwise.
  int error_part = -1;

  const PercentileBand& band(int step, std::size_t k) const { return bands[std::size_t(step) * indicator_count + k]; }
  double mean_at(int step, std::size_t k) const { return mean[std::size_t(step) * indicator_count + k]; }
};

/// Runs chunks [first_chunk, end_chunk) of the ensemble (a shard; ensemble_partial.hpp).
/// `error` is set (and nothing run) when the request is over the memory budget.
EnsemblePart run_ensemble_part(const Scenario& scenario, const EnsembleOptions& options,
                               const std::vector<EnsembleReference>& references, std::int64_t first_chunk,
                               std::int64_t end_chunk);

/// Runs the ensemble. `references` may be empty (then no resemblance is computed); each
/// reference's `end` must have one value per indicator of `scenario`.
EnsembleResult run_ensemble(const Scenario& scenario, const EnsembleOptions& options,
                            const std::vector<EnsembleReference>& references = {});

/// The reference end state of `reference` for an ensemble of a scenario with `indicators`:
/// its run with seed 0 (run 0) over `steps` steps (-1 = its own), its indicators matched by id.
/// `ok` is false (and `end` empty) when `reference` lacks one of the indicators.
EnsembleReference make_reference(const std::string& name, const Scenario& reference,
                                 const std::vector<Indicator>& indicators, int steps, bool& ok);

/// Percentile `p` (in percent, 0..100) of `sorted` (ascending, non-empty) by linear
/// interpolation between order statistics, Hyndman & Fan's type 7 (R's and NumPy's default):
/// with h = (n - 1) * p / 100, lo = floor(h), the result is
/// sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) (just sorted[lo] when h is whole).
double percentile_type7(const std::vector<double>& sorted, double p);

/// The same, for each of the ascending percentiles `ps`, of the unsorted `values`; the values
/// are reordered (partially sorted) in place. Empty `values` gives zeros.
std::vector<double> percentiles_type7(std::vector<double>& values, const std::vector<double>& ps);

/// True when `value` is beyond `threshold` on the side `direction`.
inline bool crosses(double value, double threshold, ThresholdDirection direction) {
  return direction == ThresholdDirection::above ? value > threshold : value < threshold;
}

/// Draws the per-run jitter of restraint and reactivity into `actors` (see
/// EnsembleOptions::parameter_sd), from `original`, using `rng`.
void jitter_parameters(const std::vector<Actor>& original, std::vector<Actor>& actors, double sd, const Rng& rng);

}  // namespace geosim
