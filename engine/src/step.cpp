#include "geosim/step.hpp"

#include <algorithm>
#include <deque>

#include "geosim/dynamics.hpp"
#include "geosim/indicator.hpp"
#include "geosim/rng.hpp"

namespace geosim {
namespace {

double draw(const Magnitude& m, Rng& rng) { return m.sd > 0.0 ? m.mean + m.sd * rng.normal() : m.mean; }

/// Adds `delta` to `value`, keeping it in [0,1]; returns the change actually made.
double bounded_add(double& value, double delta) {
  const double before = value;
  value = std::clamp(value + delta, 0.0, 1.0);
  return value - before;
}

std::vector<std::pair<std::size_t, std::size_t>> directed_pairs(const Effect& effect) {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  auto add = [&](std::size_t a, std::size_t b) {
    if (a == b) return;
    if (std::find(pairs.begin(), pairs.end(), std::pair{a, b}) == pairs.end()) pairs.emplace_back(a, b);
  };
  for (std::size_t a : effect.from.actors)
    for (std::size_t b : effect.to.actors) {
      add(a, b);
      if (effect.both_directions) add(b, a);
    }
  return pairs;
}

ConditionInputs inputs_for(const State& state, const Scenario& scenario) {
  return ConditionInputs{[&state, &scenario](Condition::Quantity q, std::size_t a, std::size_t b) {
    const auto i = static_cast<Eigen::Index>(a), j = static_cast<Eigen::Index>(b);
    switch (q) {
      case Condition::Quantity::tension: return state.tension(i, j);
      case Condition::Quantity::baseline: return state.baseline(i, j);
      case Condition::Quantity::tie: return state.tie(i, j);
      case Condition::Quantity::indicator:
        return evaluate_indicator(scenario.indicators[a], scenario, state.tension);
    }
    return 0.0;
  }};
}

struct Due {
  const Event* event;
  std::size_t index;
  bool injected;  ///< fired by a facilitator: no condition, no probability
  std::string cause;
  bool adhoc = false;  ///< defined on the fly, not one of the scenario's events
};

}  // namespace

void apply_event(State& state, const Scenario& scenario, const Event& event, std::size_t index,
                 bool adhoc, const std::string& cause, Rng& rng) {
  (void)scenario;
  AppliedEvent applied{state.step + 1, index, adhoc, event.id, cause, {}};
  for (const Effect& effect : event.effects) {
    const double tension = effect.tension ? draw(*effect.tension, rng) : 0.0;
    const double baseline = effect.baseline ? draw(*effect.baseline, rng) : 0.0;
    const double tie = effect.tie ? draw(*effect.tie, rng) : 0.0;
    for (auto [a, b] : directed_pairs(effect)) {
      const auto i = static_cast<Eigen::Index>(a), j = static_cast<Eigen::Index>(b);
      RelationChange change{a, b, 0.0, 0.0, 0.0};
      change.tension = bounded_add(state.tension(i, j), tension);
      change.baseline = bounded_add(state.baseline(i, j), baseline);
      change.tie = bounded_add(state.tie(i, j), tie);
      applied.changes.push_back(change);
    }
  }
  state.log.push_back(std::move(applied));
}

State advance(const State& previous, const Scenario& scenario, Rng& rng, const StepInputs& inputs,
              StepBreakdown* breakdown) {
  State state = previous;
  const int now = previous.step + 1;
  const Eigen::MatrixXd before_events = state.tension;

  std::deque<Due> queue;
  for (std::size_t e = 0; e < scenario.events.size(); ++e) {
    const Event& event = scenario.events[e];
    if (event.timing == Timing::at_step && event.step == now)
      queue.push_back({&event, e, false, "scheduled"});
    else if (event.timing == Timing::window && state.window_step[e] == now)
      queue.push_back({&event, e, false, "window"});
  }
  std::vector<PendingEvent> later;
  for (const PendingEvent& p : state.pending) {
    if (p.step == now) queue.push_back({&scenario.events[p.event], p.event, false, p.cause});
    else later.push_back(p);
  }
  state.pending = std::move(later);
  for (std::size_t e : inputs.scenario_events) queue.push_back({&scenario.events[e], e, true, "inject"});
  for (std::size_t e = 0; e < inputs.adhoc_events.size(); ++e)
    queue.push_back({&inputs.adhoc_events[e], e, true, "inject", true});

  // Zero-delay follow-ups join the queue; the loader rejects zero-delay cycles, so it ends.
  while (!queue.empty()) {
    Due due = std::move(queue.front());
    queue.pop_front();
    const Event& event = *due.event;
    if (!due.injected) {
      if (event.condition && !evaluate_condition(*event.condition, inputs_for(state, scenario)))
        continue;
      if (!rng.bernoulli(event.probability)) continue;
    }
    apply_event(state, scenario, event, due.index, due.adhoc, due.cause, rng);
    for (const FollowUp& follow : event.follow_ups) {
      if (!rng.bernoulli(follow.probability)) continue;
      const std::string cause = "follow-up of " + event.id;
      if (follow.delay == 0) queue.push_back({&scenario.events[follow.event], follow.event, false, cause});
      else state.pending.push_back({now + follow.delay, follow.event, cause});
    }
  }

  const Eigen::Index n = state.tension.rows();
  Eigen::VectorXd restraint(n), reactivity(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    restraint(i) = scenario.actors[std::size_t(i)].restraint;
    reactivity(i) = scenario.actors[std::size_t(i)].reactivity;
  }
  const Eigen::MatrixXd relax = relaxation(state.tension, state.baseline, restraint);
  const Eigen::MatrixXd recip = reciprocity(state.tension, state.baseline, reactivity);
  const Eigen::MatrixXd spill = spillover(state.tension, state.tie, scenario.parameters.spillover);
  Eigen::MatrixXd noise = Eigen::MatrixXd::Zero(n, n);
  if (scenario.parameters.noise > 0.0)
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = 0; j < n; ++j)
        if (i != j) noise(i, j) = scenario.parameters.noise * rng.normal();

  const Eigen::MatrixXd after_events = state.tension;
  Eigen::MatrixXd unbounded = after_events + relax + recip + spill + noise;
  state.tension = unbounded.cwiseMax(0.0).cwiseMin(1.0);
  state.tension.diagonal().setZero();
  state.step = now;

  if (breakdown) {
    breakdown->events = after_events - before_events;
    breakdown->relaxation = relax;
    breakdown->reciprocity = recip;
    breakdown->spillover = spill;
    breakdown->noise = noise;
    breakdown->bounds = state.tension - unbounded;
    breakdown->bounds.diagonal().setZero();
  }
  return state;
}

}  // namespace geosim
