#include "geosim/tabletop/played_effect.hpp"

#include <fmt/format.h>

#include "geosim/core/indicator.hpp"
#include "geosim/core/run.hpp"
#include "geosim/tabletop/session.hpp"

namespace geosim {

std::vector<PlayedEffect> played_effects(const Session& session, int runs, std::string& error) {
  const Branch& branch = session.current();
  if (branch.journal.empty() || runs < 1) return {};
  const Scenario& s = session.scenario();
  const int step = branch.state.step;
  const std::size_t k_count = s.indicators.size();
  std::vector<std::vector<double>> played(k_count), untouched(k_count);
  const SessionSetup& setup = session.setup();
  Session replaying = session;  // its loaded files, so that no replay reads them again
  for (int r = 0; r < runs; ++r) {
    const auto replayed = replaying.replay_current(std::uint64_t(r), error);
    if (!replayed) {
      error = fmt::format("branch '{}' does not replay: {}", branch.name, error);
      return {};
    }
    const std::vector<double> a = evaluate_indicators(s, replayed->state.tension);
    const std::vector<double> b = run_scenario(s, RunOptions{setup.seed, std::uint64_t(r), step}).indicators.back();
    for (std::size_t k = 0; k < k_count; ++k) {
      played[k].push_back(a[k]);
      untouched[k].push_back(b[k]);
    }
  }
  // The session's own run, as played.
  const std::vector<double> now = evaluate_indicators(s, branch.state.tension);
  const std::vector<double> base = run_scenario(s, RunOptions{setup.seed, session.run(), step}).indicators.back();
  std::vector<PlayedEffect> out;
  for (std::size_t k = 0; k < k_count; ++k)
    out.push_back(
        {s.indicators[k].id, s.indicators[k].title, now[k], base[k], paired_summary(played[k], untouched[k])});
  return out;
}

}  // namespace geosim
