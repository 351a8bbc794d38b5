#pragma once
/// \file
/// The state of a run at one step: the relation matrices and what is pending. What happened is
/// not kept here: each step returns the events that fired in it (step.hpp, StepResult).

#include <Eigen/Core>
#include <cstddef>
#include <string>
#include <vector>

namespace geosim {

struct Scenario;
class Rng;

/// The actual change an applied event made to one directed relation (after bounds).
struct RelationChange {
  std::size_t from = 0;
  std::size_t to = 0;
  double tension = 0.0;   ///< change of tension
  double baseline = 0.0;  ///< change of baseline
  double tie = 0.0;       ///< change of tie weight
};

/// An event that fired, with why and what it changed.
struct AppliedEvent {
  int step = 0;           ///< the step it fired in
  std::size_t event = 0;  ///< index into Scenario::events, or into the ad-hoc list of its step
  bool adhoc = false;     ///< true for an ad-hoc event defined outside the scenario
  std::string id;         ///< event id, for the log
  std::string cause;      ///< "scheduled", "window", "follow-up of X", "inject"
  std::vector<RelationChange> changes;
};

/// A follow-up waiting for its step.
struct PendingEvent {
  int step = 0;
  std::size_t event = 0;
  std::string cause;
};

/// Most follow-ups that may wait for a later step at once, in one run. A step that would
/// schedule more stops the run: it sets State::error, naming the event.
inline constexpr std::size_t kMaxPendingFollowUps = 10000;
/// Most events one step may apply (scheduled, window, follow-ups, injected). A step that would
/// apply more stops there and sets State::error, naming the event.
inline constexpr std::size_t kMaxEventsPerStep = 10000;

/// Everything a run carries from one step to the next. Matrices are n*n, row = from, col = to;
/// the diagonal is always 0 and never read.
struct State {
  int step = 0;                       ///< steps done so far; 0 = the start date
  Eigen::MatrixXd tension;            ///< in [0,1]
  Eigen::MatrixXd baseline;           ///< in [0,1], what tension relaxes toward
  Eigen::MatrixXd tie;                ///< in [0,1], how much `from` is shaped by `to`
  std::vector<int> window_step;       ///< per scenario event: drawn step of a window event, -1 none
  std::vector<PendingEvent> pending;  ///< follow-ups in the order they were scheduled
  /// Events injected (in `geosim play`) ahead of their follow-up: the next follow-up of each
  /// that comes due does not fire (the event has happened already), once per entry. Default none.
  std::vector<std::size_t> preempted;
  /// Empty while the run is sound; otherwise why it cannot go on (a step exceeded
  /// kMaxPendingFollowUps or kMaxEventsPerStep), naming the event. Set by the step that found
  /// it; that step's state is partial, and a step from a state with an error does nothing.
  std::string error;
};

/// The state at step 0: the scenario's initial relations; a window event's step is drawn from
/// the stream of `rng` keyed on the event's id.
State initial_state(const Scenario& scenario, const Rng& rng);
/// The same into `state`, reusing its memory (an ensemble's worker, run after run).
void initial_state(State& state, const Scenario& scenario, const Rng& rng);

}  // namespace geosim
