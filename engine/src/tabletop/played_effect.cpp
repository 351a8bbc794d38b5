#include "geosim/tabletop/played_effect.hpp"

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
  const BranchRecord record{branch.name, "", 0, 0, branch.history};
  for (int r = 0; r < runs; ++r) {
    std::vector<Diagnostic> errors;
    const auto replayed = Session::restore(setup, {record}, branch.name, errors, std::uint64_t(r));
    if (!replayed) {
      error = errors.empty() ? "the branch does not replay" : errors.front().message;
      return {};
    }
    const std::vector<double> a = evaluate_indicators(s, replayed->current().state.tension);
    const std::vector<double> b =
        run_scenario(s, RunOptions{setup.seed, std::uint64_t(r), step}).indicators.back();
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
    out.push_back({s.indicators[k].id, s.indicators[k].title, now[k], base[k], paired_summary(played[k], untouched[k])});
  return out;
}

}  // namespace geosim
