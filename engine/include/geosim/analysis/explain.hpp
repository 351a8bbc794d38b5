#pragma once
/// \file
/// "Why did this relation move?": the change of one directed tension between step 0 and the
/// end of a run, split into what each event did, relaxation, reciprocity, spillover through
/// each partner, noise and bounds. The parts add up to the change exactly (up to rounding).
///
/// Accounting: an event is credited with the tension change it made when it fired (its
/// logged change, summed over its firings). What follows from it later (relaxation toward a
/// baseline it moved, the other side's reciprocity, spillover through partners it moved) is
/// credited to those forces, step by step, as advance() computes them, minus what the same
/// force did on the no-event path (the scenario without its events): the forces' parts are
/// what the events set in motion, not standing flows. The no-event path's own change is one
/// more part (`still`, zero for a settled start).

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "geosim/core/run.hpp"
#include "geosim/core/scenario.hpp"

namespace geosim {

/// `still`: the change the relation makes on the no-event path (the scenario without its events):
/// zero for a settled start.
enum class ContributionKind { event, relaxation, reciprocity, spillover, noise, bounds, still };

/// One part of the change of a tension.
struct Contribution {
  ContributionKind kind = ContributionKind::event;
  std::string label;      ///< event id, "relaxation", "reciprocity", "spillover", "noise", "bounds"
  std::size_t index = 0;  ///< event: index into Scenario::events; spillover: the partner actor
  double value = 0.0;     ///< summed change of tension
  int firings = 0;        ///< event: firings that changed this relation
  int first_step = 0;     ///< event: the step of its first such firing
  double baseline = 0.0;  ///< event: summed change of the baseline (acts later through relaxation)
};

/// The change of tension from -> to over a run, by part.
struct Explanation {
  std::size_t from = 0;
  std::size_t to = 0;
  std::uint64_t seed = 0;
  int steps = 0;
  double start = 0.0;  ///< tension at step 0
  double end = 0.0;    ///< tension at the last step
  double total = 0.0;  ///< end - start
  /// Events (in order of first firing), relaxation, reciprocity, spillover by partner (in actor
  /// order, every actor other than from and to), noise, bounds (each against the no-event
  /// path), then the no-event path's own change.
  std::vector<Contribution> contributions;
  /// Empty; otherwise why the run could not be explained (State::error of the step that
  /// failed), and nothing else is filled in.
  std::string error;

  /// Sum of all contributions; equals `total` up to rounding.
  double sum_of_parts() const;
};

/// Explains the directed relations `relations` over one run (same stream as run_scenario).
std::vector<Explanation> explain_relations(const Scenario& scenario,
                                           const std::vector<std::pair<std::size_t, std::size_t>>& relations,
                                           const RunOptions& options = {});

/// Explains from -> to over one run.
Explanation explain(const Scenario& scenario, std::size_t from, std::size_t to, const RunOptions& options = {});

}  // namespace geosim
