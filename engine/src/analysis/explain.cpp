// explain(): the change of a tension over a run, split by event, force and partner.
#include "geosim/analysis/explain.hpp"

#include <map>

#include "geosim/core/dynamics.hpp"
#include "geosim/core/rng.hpp"
#include "geosim/core/run_budget.hpp"
#include "geosim/core/step.hpp"

namespace geosim {
namespace {

/// The running sums of one relation.
struct Tally {
  std::size_t from = 0, to = 0;
  std::vector<Contribution> events;
  std::map<std::string, std::size_t> slot;  ///< event id -> position in `events`
  double relaxation = 0.0, reciprocity = 0.0, noise = 0.0, bounds = 0.0;
  std::vector<double> spillover;  ///< per partner actor
};

/// Credits the events that fired in this step to the relation.
void add_events(Tally& tally, const std::vector<AppliedEvent>& fired) {
  for (const AppliedEvent& applied : fired) {
    bool counted = false;  // a firing counts once, however many of its effects touch the relation
    for (const RelationChange& change : applied.changes) {
      if (change.from != tally.from || change.to != tally.to) continue;
      auto [it, fresh] = tally.slot.try_emplace(applied.id, tally.events.size());
      if (fresh)
        tally.events.push_back({ContributionKind::event, applied.id, applied.event, 0.0, 0, applied.step, 0.0});
      Contribution& c = tally.events[it->second];
      c.value += change.tension;
      c.baseline += change.baseline;
      if (!counted) ++c.firings;
      counted = true;
    }
  }
}

/// Credits one step's drift to the relation; `after_events` is the tension the drift saw.
void add_drift(Tally& tally, const StepBreakdown& b, const Eigen::MatrixXd& after_events, const Eigen::MatrixXd& tie,
               double sigma, const std::vector<unsigned char>& absent) {
  const auto i = Eigen::Index(tally.from), j = Eigen::Index(tally.to);
  tally.relaxation += b.relaxation(i, j);
  tally.reciprocity += b.reciprocity(i, j);
  tally.noise += b.noise(i, j);
  tally.bounds += b.bounds(i, j);
  for (std::size_t m = 0; m < tally.spillover.size(); ++m)
    tally.spillover[m] += spillover_through(after_events, tie, sigma, i, j, Eigen::Index(m), absent);
}

std::vector<Contribution> contributions_of(const Tally& t, const Scenario& scenario) {
  std::vector<Contribution> out = t.events;
  out.push_back({ContributionKind::relaxation, "relaxation", 0, t.relaxation});
  out.push_back({ContributionKind::reciprocity, "reciprocity", 0, t.reciprocity});
  for (std::size_t m = 0; m < t.spillover.size(); ++m)
    if (m != t.from && m != t.to)
      out.push_back({ContributionKind::spillover, "spillover via " + scenario.actors[m].id, m, t.spillover[m]});
  out.push_back({ContributionKind::noise, "noise", 0, t.noise});
  out.push_back({ContributionKind::bounds, "bounds", 0, t.bounds});
  return out;
}

/// The explanations along one path, every part as advance() computed it (standing flows too).
std::vector<Explanation> explain_path(const Scenario& scenario,
                                      const std::vector<std::pair<std::size_t, std::size_t>>& relations,
                                      const RunOptions& options);

}  // namespace

double Explanation::sum_of_parts() const {
  double sum = 0.0;
  for (const Contribution& c : contributions) sum += c.value;
  return sum;
}

std::vector<Explanation> explain_relations(const Scenario& scenario,
                                           const std::vector<std::pair<std::size_t, std::size_t>>& relations,
                                           const RunOptions& options) {
  // The forces are credited against the no-event path (same scenario without its events, its
  // own stream): each force's part is what it did in the run minus what it did there, and the
  // no-event path's own change is one part. The parts still sum to the change.
  std::vector<Explanation> out = explain_path(scenario, relations, options);
  Scenario still = scenario;
  still.events.clear();
  const std::vector<Explanation> quiet = explain_path(still, relations, options);
  for (std::size_t r = 0; r < out.size() && r < quiet.size(); ++r) {
    for (Contribution& c : out[r].contributions) {
      if (c.kind == ContributionKind::event) continue;
      for (const Contribution& q : quiet[r].contributions)
        if (q.kind == c.kind && q.index == c.index) c.value -= q.value;
    }
    out[r].contributions.push_back({ContributionKind::still, "no-event path", 0, quiet[r].total});
  }
  return out;
}

namespace {

std::vector<Explanation> explain_path(const Scenario& scenario,
                                      const std::vector<std::pair<std::size_t, std::size_t>>& relations,
                                      const RunOptions& options) {
  const std::size_t n = scenario.actor_count();
  std::vector<Tally> tallies;
  for (auto [from, to] : relations) {
    if (from >= n || to >= n || from == to || !scenario.has_relation(from, to))
      continue;  // not a relation: nothing to explain
    tallies.push_back({from, to, {}, {}, 0.0, 0.0, 0.0, 0.0, std::vector<double>(n, 0.0)});
  }
  Rng rng = Rng::for_run(options.seed, options.run);
  const int steps = options.steps >= 0 ? options.steps : scenario.steps;
  State state = initial_state(scenario, rng);
  const State start = state;
  // The run's own limit on what its events record (run_change_budget): explain refuses the
  // worlds `run` refuses, and holds no more of one step's records than the run would.
  StepInputs inputs;
  inputs.max_changes = run_change_budget(scenario, steps);
  for (int s = 0; s < steps; ++s) {
    StepBreakdown breakdown;
    StepResult step = advance(state, scenario, rng, inputs, &breakdown);
    for (const AppliedEvent& applied : step.fired)
      inputs.max_changes -= std::min(inputs.max_changes, applied.changes.size());
    State& next = step.state;
    if (!next.error.empty()) {  // the run stopped: explain nothing rather than a part
      std::vector<Explanation> failed(tallies.size());
      for (std::size_t k = 0; k < tallies.size(); ++k) {
        failed[k].from = tallies[k].from;
        failed[k].to = tallies[k].to;
        failed[k].error = next.error;
      }
      return failed;
    }
    const Eigen::MatrixXd after_events = state.tension + breakdown.events;
    for (Tally& tally : tallies) {
      add_events(tally, step.fired);
      add_drift(tally, breakdown, after_events, next.tie, scenario.parameters.spillover, scenario.absent);
    }
    state = std::move(next);
  }
  std::vector<Explanation> out;
  for (const Tally& t : tallies) {
    const auto i = Eigen::Index(t.from), j = Eigen::Index(t.to);
    Explanation e{t.from, t.to, options.seed, steps, start.tension(i, j), state.tension(i, j), 0.0, {}, {}};
    e.total = e.end - e.start;
    e.contributions = contributions_of(t, scenario);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Explanation explain(const Scenario& scenario, std::size_t from, std::size_t to, const RunOptions& options) {
  std::vector<Explanation> one = explain_relations(scenario, {{from, to}}, options);
  if (one.empty()) return Explanation{from, to, options.seed, 0, 0.0, 0.0, 0.0, {}, {}};
  return std::move(one.front());
}

}  // namespace geosim
