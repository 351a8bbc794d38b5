#include "geosim/core/run.hpp"

#include "geosim/core/indicator.hpp"
#include "geosim/core/rng.hpp"
#include "geosim/core/step.hpp"

namespace geosim {

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  Rng rng = Rng::for_run(options.seed, options.run);
  const int steps = options.steps >= 0 ? options.steps : scenario.steps;
  RunResult result;
  State state = initial_state(scenario, rng);
  result.tension.reserve(std::size_t(steps) + 1);
  result.indicators.reserve(std::size_t(steps) + 1);
  result.tension.push_back(state.tension);
  result.indicators.push_back(evaluate_indicators(scenario, state.tension));
  StepWorkspace workspace;
  for (int s = 0; s < steps; ++s) {
    StepResult step = advance(std::move(state), scenario, rng, {}, nullptr, &workspace);
    state = std::move(step.state);
    for (AppliedEvent& applied : step.fired) result.events.push_back(std::move(applied));
    if (!state.error.empty()) break;  // a partial step: its matrices are not a step's end
    result.tension.push_back(state.tension);
    result.indicators.push_back(evaluate_indicators(scenario, state.tension));
  }
  result.final_state = std::move(state);
  return result;
}

}  // namespace geosim
