#include "geosim/core/state.hpp"

#include "geosim/core/rng.hpp"
#include "geosim/core/scenario.hpp"

namespace geosim {

namespace {
Eigen::MatrixXd to_matrix(const std::vector<double>& values, std::size_t n) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      m(Eigen::Index(i), Eigen::Index(j)) = i == j ? 0.0 : values[i * n + j];
  return m;
}
}  // namespace

State initial_state(const Scenario& scenario, const Rng& rng) {
  const std::size_t n = scenario.actor_count();
  State state;
  state.tension = to_matrix(scenario.tension, n);
  state.baseline = to_matrix(scenario.baseline, n);
  state.tie = to_matrix(scenario.tie, n);
  state.window_step.assign(scenario.events.size(), -1);
  // Window events draw their step once, up front, each from its own stream keyed on its id:
  // the draw depends neither on what happens during the run nor on the other events.
  for (std::size_t e = 0; e < scenario.events.size(); ++e) {
    const Event& event = scenario.events[e];
    if (event.timing == Timing::window)
      state.window_step[e] = static_cast<int>(rng.stream(RngPurpose::window, rng_name_key(event.id))
                                                  .uniform_int(event.window_first, event.window_last));
  }
  return state;
}

}  // namespace geosim
