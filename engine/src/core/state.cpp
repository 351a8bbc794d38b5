#include "geosim/core/state.hpp"

#include "geosim/core/rng.hpp"
#include "geosim/core/scenario.hpp"

namespace geosim {

namespace {
void to_matrix(Eigen::MatrixXd& m, const std::vector<double>& values, std::size_t n) {
  m.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) m(Eigen::Index(i), Eigen::Index(j)) = i == j ? 0.0 : values[i * n + j];
}
}  // namespace

State initial_state(const Scenario& scenario, const Rng& rng) {
  State state;
  initial_state(state, scenario, rng);
  return state;
}

void initial_state(State& state, const Scenario& scenario, const Rng& rng) {
  const std::size_t n = scenario.actor_count();
  state.step = 0;
  to_matrix(state.tension, scenario.tension, n);
  to_matrix(state.baseline, scenario.baseline, n);
  to_matrix(state.tie, scenario.tie, n);
  state.window_step.assign(scenario.events.size(), -1);
  state.pending.clear();
  state.preempted.clear();
  state.error.clear();
  // Window events draw their step once, up front, each from its own stream keyed on its id:
  // the draw depends neither on what happens during the run nor on the other events.
  for (std::size_t e = 0; e < scenario.events.size(); ++e) {
    const Event& event = scenario.events[e];
    if (event.timing == Timing::window)
      state.window_step[e] = static_cast<int>(
          rng.stream(RngPurpose::window, rng_name_key(event.id)).uniform_int(event.window_first, event.window_last));
  }
}

}  // namespace geosim
