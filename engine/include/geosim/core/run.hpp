#pragma once
/// \file
/// A whole run of a scenario from step 0 to its last step.

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "geosim/core/scenario.hpp"
#include "geosim/core/state.hpp"

namespace geosim {

/// Options of a run. Defaults: the scenario's own number of steps, seed 0, run 0.
struct RunOptions {
  std::uint64_t seed = 0;  ///< experiment seed
  std::uint64_t run = 0;   ///< index of the run within the experiment (selects the stream)
  int steps = -1;          ///< steps to run; -1 = the scenario's `steps`
};

/// The trajectory of a run: tensions and indicators at steps 0..steps, and the final state.
/// When a step fails (final_state.error is set, e.g. too many follow-ups), the run stops
/// there: the trajectory holds the steps before it.
struct RunResult {
  std::vector<Eigen::MatrixXd> tension;         ///< [step] n*n
  std::vector<std::vector<double>> indicators;  ///< [step][indicator]
  std::vector<AppliedEvent> events;             ///< every event that fired, in order
  State final_state;
};

/// Runs `scenario` with the keyed draws of Rng::for_run(seed, run) (rng.hpp).
RunResult run_scenario(const Scenario& scenario, const RunOptions& options = {});

}  // namespace geosim
