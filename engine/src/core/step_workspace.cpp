// What a step's workspace holds (step.hpp): StepWorkspace::bytes and held name every buffer of
// the struct, so that a buffer added or taken away is counted in both (test_step_workspace).
#include <algorithm>
#include <cstdint>
#include <limits>

#include "drift_large.hpp"
#include "geosim/core/step.hpp"
#include "pack.hpp"
#include "saturating.hpp"

namespace geosim {
namespace {

using detail::plus;
using detail::times;

template <class T>
std::size_t held_by(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

template <class M>
std::size_t held_by(const M& m) {
  return std::size_t(m.size()) * sizeof(typename M::Scalar);
}

/// The most non-zero ties (i != k) a run of `scenario` can reach: those it starts with, plus every
/// directed pair an event's `tie` can change (from x to, both ways for `between`), at most n(n - 1).
std::size_t most_ties(const Scenario& scenario) {
  const std::size_t n = scenario.actor_count();
  std::size_t ties = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < n; ++k) ties += i != k && scenario.tie[i * n + k] != 0.0;
  for (const Event& event : scenario.events)
    for (const Effect& effect : event.effects)
      if (effect.tie)
        ties = plus(ties,
                    times(times(effect.from.actors.size(), effect.to.actors.size()), effect.both_directions ? 2 : 1));
  return std::min(ties, n == 0 ? 0 : n * (n - 1));
}

}  // namespace

std::size_t StepWorkspace::bytes(const Scenario& scenario) {
  const std::size_t n = scenario.actor_count(), m = most_ties(scenario);
  const std::size_t d = sizeof(double), index = sizeof(Eigen::Index);
  const std::size_t square = times(times(n, n), d);
  const bool large = Eigen::Index(n) >= kSmallWorld;
  // A vector grown element by element (or by resize) may hold up to twice what it uses.
  const std::size_t grown = times(2, m);
  std::size_t sum = 0;
  sum = plus(sum, square);                           // next
  sum = plus(sum, large ? 0 : times(2, square));     // answer, next_answer
  sum = plus(sum, square);                           // noise (a varied noise may be > 0)
  sum = plus(sum, times(2 * n, d));                  // restraint, reactivity
  sum = plus(sum, times(n, sizeof(std::uint64_t)));  // noise_ids
  sum = plus(sum, times(n + 1, index));              // ties.first
  sum = plus(sum, times(grown, index + d));          // ties.leaner, ties.weight
  sum = plus(sum, large ? 0 : times(times(std::size_t(pack::padded_rows(long(n))), n), d));  // ties.dense
  sum = plus(sum, large ? times(n + 1, index) : 0);                                          // ties.row_first
  sum = plus(sum, large ? times(grown, index + d) : 0);  // ties.partner, ties.row_weight
  sum = plus(sum, times(2 * n, d));                      // ties.row_sum, ties.scale
  sum = plus(sum,
             large ? times(detail::slab_doubles(Eigen::Index(n), true), d) : 0);  // slab (the most: with absent pairs)
  // spill: used with a breakdown only (bytes counts a run without one)
  return sum;
}

std::size_t StepWorkspace::held() const {
  return held_by(next) + held_by(answer) + held_by(next_answer) + held_by(noise) + held_by(restraint) +
         held_by(reactivity) + held_by(noise_ids) + held_by(ties.first) + held_by(ties.leaner) + held_by(ties.weight) +
         held_by(ties.dense) + held_by(ties.row_first) + held_by(ties.partner) + held_by(ties.row_weight) +
         held_by(ties.row_sum) + held_by(ties.scale) + held_by(slab) + held_by(spill.sums) + held_by(spill.lost) +
         held_by(spill.rows) + held_by(spill.gone);
}

}  // namespace geosim
