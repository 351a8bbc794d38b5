#pragma once
/// \file
/// What the teams' play changed, compared with the untouched scenario, run by run: the
/// facilitator's "played vs untouched" comparison as a paired effect (paired.hpp).

#include <string>
#include <vector>

#include "geosim/core/paired.hpp"

namespace geosim {

class Session;

/// One indicator: what was played against the untouched scenario at the branch's step.
struct PlayedEffect {
  std::string id;
  std::string title;
  double played = 0.0;     ///< on the branch as played (the session's run)
  double untouched = 0.0;  ///< the scenario without injects or moves, same seed and run, same step
  /// Over runs 0..runs-1 of the seed: the branch's commands replayed in run r minus the
  /// untouched scenario's run r (the same keyed draws, so chance events fire alike unless a
  /// move changed their condition).
  PairedSummary effect;
};

/// Default number of runs of the paired comparison.
inline constexpr int kPlayedEffectRuns = 100;

/// The paired effect of the current branch's injects and moves, per indicator of the session's
/// scenario. Empty when the branch has no injects or moves, or when its commands do not replay
/// in some run (then `error` says why).
std::vector<PlayedEffect> played_effects(const Session& session, int runs, std::string& error);

}  // namespace geosim
