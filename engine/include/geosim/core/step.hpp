#pragma once
/// \file
/// One step of the simulation: a pure function of (state, scenario, rng); every draw is keyed
/// (rng.hpp), so a step reads its random numbers in any order.

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <vector>

#include "geosim/core/dynamics.hpp"
#include "geosim/core/ensemble.hpp"
#include "geosim/core/scenario.hpp"
#include "geosim/core/state.hpp"

namespace geosim {

class Rng;

/// The parts of one step's change of tension, for "why did it move?". Each is n*n;
/// events + relaxation + reciprocity + spillover + noise + bounds = total change.
struct StepBreakdown {
  Eigen::MatrixXd events;  ///< applied events' tension changes
  Eigen::MatrixXd relaxation;
  Eigen::MatrixXd reciprocity;
  Eigen::MatrixXd spillover;
  Eigen::MatrixXd noise;
  Eigen::MatrixXd bounds;  ///< correction that keeps tension in [0,1]
};

/// Extra input to a step from outside the scenario (the tabletop mode's injects and moves).
/// The most relation changes one step's events may record by default (StepInputs::max_changes):
/// what an ensemble's memory budget holds of their records.
inline constexpr std::size_t kMaxStepChanges = kEnsembleMemoryBudget / sizeof(RelationChange);

struct StepInputs {
  std::vector<std::size_t> scenario_events;  ///< scenario events to fire now
  std::vector<Event> adhoc_events;           ///< events defined on the fly, fired now
  /// The most relation changes this step's events may record, in all (a run passes what its
  /// memory budget has left). After the event that passes it, the step stops with an error naming
  /// it: follow-ups that fire an event again and again multiply what is recorded beyond what a
  /// run's up-front check (each event once) counts.
  std::size_t max_changes = kMaxStepChanges;
};

/// What one step did: the state after it, and the events that fired in it, in the order they
/// were applied.
struct StepResult {
  State state;
  std::vector<AppliedEvent> fired;
};

/// What the steps of one run reuse from step to step, so that a step allocates nothing and does
/// not rebuild what has not changed: scratch matrices, the tie structure (dynamics.hpp) and,
/// below kSmallWorld actors, (T - B) transposed, which the reciprocity reads (from kSmallWorld
/// actors on, the step reads T and B as they are, a block of columns at a time). Give one workspace to
/// advance() for the steps of one run in order, each from the state the previous step returned
/// and with the same scenario, and call reset() before a step from any other state or scenario
/// (a new run, a copied or edited state). Results are bit for bit those of advance() without a
/// workspace. One per thread: never shared by two steps at once.
struct StepWorkspace {
  Eigen::MatrixXd next;         ///< the spillover, then the new tension (swapped into the state)
  Eigen::MatrixXd answer;       ///< answer(i, j) = T_ji - B_ji of the state being stepped
  Eigen::MatrixXd next_answer;  ///< the same for the new tension
  Eigen::MatrixXd noise;        ///< this step's noise
  /// From kSmallWorld actors (and below, when every pair has a relation), the step's loops in
  /// AVX2 where the processor has it (default); false: SSE2 only. The same bits either way (no
  /// fused multiply-add).
  bool wide = true;
  Eigen::ArrayXd restraint, reactivity;  ///< per actor, from the scenario
  std::vector<std::uint64_t> noise_ids;  ///< per actor, the key of its id (rng_name_key) for the noise's streams
  TieStructure ties;                     ///< the ties of the state being stepped
  /// From kSmallWorld actors: the large step's block of columns (n x 64, or 32 above 500 actors,
  /// values of T, of B and, with absent pairs, of the mask; drift_large.hpp), grown once.
  std::vector<double> slab;
  SpilloverScratch spill;  ///< the spillover's sums with a breakdown (dynamics.hpp)
  /// From about 725 actors (arrays of 4 MiB): the n x n arrays a run's steps read and write
  /// (tension, baseline, the new tension) already asked to be backed by 2 MiB pages, so that each
  /// is asked once a run (fewer translation misses; a hint to the system, no effect on results).
  /// The latest four.
  std::array<const double*, 4> huge{};
  bool kept = false;  ///< `answer` (below kSmallWorld) and `ties` belong to the state passed next (set by advance)
  /// Forget what was kept: the next step rebuilds it from its state.
  void reset() {
    kept = false;
    huge.fill(nullptr);
  }
  /// The most memory (bytes) the buffers above hold in a run of `scenario` without a breakdown,
  /// whatever its draws: each buffer at its largest for the scenario's n actors and for the most
  /// non-zero ties the run can reach (those it starts with plus every pair an event's `tie`
  /// changes). What an ensemble counts per thread before it starts. Saturates.
  static std::size_t bytes(const Scenario& scenario);
  /// The memory (bytes) the buffers above hold now: their capacities.
  std::size_t held() const;
};

/// Advances `state` by one step. In order: events due now (scheduled, window, follow-ups,
/// injected), then relaxation + reciprocity + spillover + noise evaluated on the post-event
/// state and summed, then tensions kept in [0,1]. Fills `breakdown` when non-null.
StepResult advance(const State& state, const Scenario& scenario, const Rng& rng, const StepInputs& inputs = {},
                   StepBreakdown* breakdown = nullptr);
/// The same, taking the state by value: `state = advance(std::move(state), ...).state` reuses
/// its storage instead of copying it every step. With a `workspace` (see StepWorkspace), what
/// did not change since the previous step of the run is not rebuilt.
StepResult advance(State&& state, const Scenario& scenario, const Rng& rng, const StepInputs& inputs = {},
                   StepBreakdown* breakdown = nullptr, StepWorkspace* workspace = nullptr);
/// The same step in place: `state` becomes the next state and `fired` (cleared first, its
/// memory kept) the events that fired, without moving the state in and out of a StepResult
/// (an ensemble's runs, step after step).
void advance_in_place(State& state, std::vector<AppliedEvent>& fired, const Scenario& scenario, const Rng& rng,
                      const StepInputs& inputs = {}, StepBreakdown* breakdown = nullptr,
                      StepWorkspace* workspace = nullptr);

/// The directed relations an effect changes, each once and in a fixed order: every (from, to)
/// pair of its actor sets, plus (to, from) when it runs both ways; an actor with itself never.
/// Overlapping sets (`between: [members(ORG), members(ORG)]`) still give each pair once.
std::vector<std::pair<std::size_t, std::size_t>> directed_pairs(const Effect& effect);

/// The most relations an effect (an event) changes: |from| x |to| (twice when both ways), summed
/// over the event's effects; what its firing records (AppliedEvent::changes) at most. Saturates.
std::size_t event_change_bound(const Effect& effect);
std::size_t event_change_bound(const Event& event);

/// Applies one event's effects to `state` and returns what it changed. Uncertain sizes are drawn from the
/// streams of `rng` keyed on (`due`, the effect's position in the event, the field): `due` is
/// the stable name of this firing (see step.cpp's DueKeys).
AppliedEvent apply_event(State& state, const Scenario& scenario, const Event& event, std::size_t index, bool adhoc,
                         const std::string& cause, const Rng& rng, std::uint64_t due);

}  // namespace geosim
