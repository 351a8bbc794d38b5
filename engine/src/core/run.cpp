#include "geosim/core/run.hpp"

#include <algorithm>

#include "geosim/core/ensemble.hpp"
#include "geosim/core/indicator.hpp"
#include "geosim/core/rng.hpp"
#include "geosim/core/run_budget.hpp"
#include "geosim/core/step.hpp"

namespace geosim {

namespace {

/// run_scenario; without `history` only step 0 and the last step are kept.
RunResult run_steps(const Scenario& scenario, const RunOptions& options, bool history) {
  Rng rng = Rng::for_run(options.seed, options.run);
  const int steps = options.steps >= 0 ? options.steps : scenario.steps;
  RunResult result;
  State state = initial_state(scenario, rng);
  const std::size_t kept = history ? std::size_t(std::max(steps, 0)) + 1 : 2;
  result.tension.reserve(kept);
  result.indicators.reserve(kept);
  result.tension.push_back(state.tension);
  result.indicators.push_back(evaluate_indicators(scenario, state.tension));
  StepWorkspace workspace;
  // What the events may record (run_request_error checked each firing once; follow-ups can fire
  // an event again and again): run_change_budget, kept or not, so that a run without its
  // history (export, analyze) refuses what the run with it refuses and never holds more.
  std::size_t changes_left = run_change_budget(scenario, steps);
  StepInputs inputs;
  for (int s = 0; s < steps; ++s) {
    inputs.max_changes = changes_left;
    StepResult step = advance(std::move(state), scenario, rng, inputs, nullptr, &workspace);
    state = std::move(step.state);
    for (AppliedEvent& applied : step.fired) {
      changes_left -= std::min(changes_left, applied.changes.size());
      if (history) result.events.push_back(std::move(applied));
    }
    if (!state.error.empty()) break;               // a partial step: its matrices are not a step's end
    if (!history && result.tension.size() == 2) {  // only the last step beside step 0
      result.tension.pop_back();
      result.indicators.pop_back();
    }
    result.tension.push_back(state.tension);
    result.indicators.push_back(evaluate_indicators(scenario, state.tension));
  }
  result.final_state = std::move(state);
  return result;
}

}  // namespace

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  return run_steps(scenario, options, true);
}

State run_final_state(const Scenario& scenario, const RunOptions& options) {
  return run_steps(scenario, options, false).final_state;
}

}  // namespace geosim
