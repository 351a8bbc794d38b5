#include "geosim/core/step.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <utility>

#include "drift_large.hpp"
#include "geosim/core/dynamics.hpp"
#include "geosim/core/indicator.hpp"
#include "geosim/core/rng.hpp"
#include "pack.hpp"
#include "saturating.hpp"
#include "small_step.hpp"

namespace geosim {
namespace {

/// An uncertain size, from its own stream: (due, effect position, field).
double draw(const Magnitude& m, const Rng& rng, std::uint64_t due, std::size_t effect, std::uint64_t field) {
  return m.sd > 0.0 ? m.mean + m.sd * rng.stream(RngPurpose::effect, due, effect, field).normal() : m.mean;
}

/// Adds `delta` to `value`, keeping it in [0,1]; returns the change actually made.
double bounded_add(double& value, double delta) {
  const double before = value;
  value = std::clamp(value + delta, 0.0, 1.0);
  return value - before;
}

ConditionInputs inputs_for(const State& state, const Scenario& scenario) {
  return ConditionInputs{[&state, &scenario](Condition::Quantity q, std::size_t a, std::size_t b) {
    const auto i = static_cast<Eigen::Index>(a), j = static_cast<Eigen::Index>(b);
    switch (q) {
      case Condition::Quantity::tension:
        return state.tension(i, j);
      case Condition::Quantity::baseline:
        return state.baseline(i, j);
      case Condition::Quantity::tie:
        return state.tie(i, j);
      case Condition::Quantity::indicator:
        return evaluate_indicator(scenario.indicators[a], scenario, state.tension);
    }
    return 0.0;
  }};
}

struct Due {
  const Event* event;
  std::size_t index;
  bool injected;  ///< fired by a facilitator: no condition, no probability
  std::string cause;
  bool adhoc = false;      ///< defined on the fly, not one of the scenario's events
  bool follow_up = false;  ///< due as a follow-up of another event
};

/// The stable name of one due event's draws: (step, event id, ad hoc or not, cause, ordinal),
/// the ordinal counting earlier dues of the same (event id, ad hoc, cause) in this step (an
/// event due twice for the same reason). Nothing in it shifts when events, actors or policies
/// are added elsewhere.
class DueKeys {
 public:
  explicit DueKeys(int now) : now_(std::uint64_t(now)) {}
  std::uint64_t operator()(const Due& due) {
    const std::uint64_t name =
        rng_mix_key(rng_mix_key(rng_name_key(due.event->id), due.adhoc ? 1 : 0), rng_name_key(due.cause));
    const std::uint64_t ordinal = seen_[name]++;
    return rng_mix_key(rng_mix_key(rng_mix_key(now_, 0x64756521ULL), name), ordinal);
  }

 private:
  std::uint64_t now_;
  std::unordered_map<std::uint64_t, std::uint64_t> seen_;  ///< dues so far per (event, adhoc, cause)
};

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> directed_pairs(const Effect& effect) {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  pairs.reserve(std::min(event_change_bound(effect), std::size_t(1) << 20));
  for (std::size_t a : effect.from.actors)
    for (std::size_t b : effect.to.actors) {
      if (a == b) continue;
      pairs.emplace_back(a, b);
      if (effect.both_directions) pairs.emplace_back(b, a);
    }
  // Each pair once, where it first came: sorted by (pair, position), the first of each kept, in
  // the order they came (n log n: a bloc against a bloc of a 2,000-state world is millions).
  std::vector<std::size_t> order(pairs.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(),
            [&](std::size_t x, std::size_t y) { return std::pair(pairs[x], x) < std::pair(pairs[y], y); });
  std::vector<char> keep(pairs.size(), 0);
  for (std::size_t k = 0; k < order.size(); ++k) keep[order[k]] = k == 0 || pairs[order[k]] != pairs[order[k - 1]];
  std::size_t kept = 0;
  for (std::size_t k = 0; k < pairs.size(); ++k)
    if (keep[k]) pairs[kept++] = pairs[k];
  pairs.resize(kept);
  return pairs;
}

std::size_t event_change_bound(const Effect& effect) {
  return detail::times(detail::times(effect.from.actors.size(), effect.to.actors.size()),
                       effect.both_directions ? 2 : 1);
}

std::size_t event_change_bound(const Event& event) {
  std::size_t sum = 0;
  for (const Effect& effect : event.effects) sum = detail::plus(sum, event_change_bound(effect));
  return sum;
}

AppliedEvent apply_event(State& state, const Scenario& scenario, const Event& event, std::size_t index, bool adhoc,
                         const std::string& cause, const Rng& rng, std::uint64_t due) {
  AppliedEvent applied{state.step + 1, index, adhoc, event.id, cause, {}};
  for (std::size_t position = 0; position < event.effects.size(); ++position) {
    const Effect& effect = event.effects[position];
    const double tension = effect.tension ? draw(*effect.tension, rng, due, position, 0) : 0.0;
    const double baseline = effect.baseline ? draw(*effect.baseline, rng, due, position, 1) : 0.0;
    const double tie = effect.tie ? draw(*effect.tie, rng, due, position, 2) : 0.0;
    for (auto [a, b] : directed_pairs(effect)) {
      if (!scenario.has_relation(a, b)) continue;  // no relation to change (the loader refuses it)
      const auto i = static_cast<Eigen::Index>(a), j = static_cast<Eigen::Index>(b);
      RelationChange change{a, b, 0.0, 0.0, 0.0};
      change.tension = bounded_add(state.tension(i, j), tension);
      change.baseline = bounded_add(state.baseline(i, j), baseline);
      change.tie = bounded_add(state.tie(i, j), tie);
      applied.changes.push_back(change);
    }
  }
  return applied;
}

StepResult advance(const State& previous, const Scenario& scenario, const Rng& rng, const StepInputs& inputs,
                   StepBreakdown* breakdown) {
  return advance(State(previous), scenario, rng, inputs, breakdown);
}

namespace {

/// The noise of one step. Each unordered pair of actors {a, b} has its own stream, keyed on
/// (step, the pair's actor ids), whose first two normal deviates go to the
/// two directions: the first to the direction from the actor whose id key is smaller. Adding
/// or removing an actor, or reordering them, leaves every other pair's noise unchanged, at the
/// cost of opening one stream per pair (a few multiplications: streams are counter-based).
/// `ids`: the actors' rng_name_key, filled here unless `ids_kept` (the same scenario's, from its
/// previous step).
void draw_noise(Eigen::MatrixXd& noise, const Scenario& scenario, int now, double nu, const Rng& rng,
                std::vector<std::uint64_t>& ids, bool ids_kept) {
  const auto n = static_cast<Eigen::Index>(scenario.actor_count());
  noise.resize(n, n);
  if (!ids_kept || ids.size() != std::size_t(n)) {
    ids.resize(std::size_t(n));
    for (Eigen::Index i = 0; i < n; ++i) ids[std::size_t(i)] = rng_name_key(scenario.actors[std::size_t(i)].id);
  }
  const std::uint64_t step_key = rng.key_for(RngPurpose::noise, std::uint64_t(now));
  for (Eigen::Index i = 0; i < n; ++i) {
    noise(i, i) = 0.0;
    for (Eigen::Index j = i + 1; j < n; ++j) {
      std::uint64_t a = ids[std::size_t(i)], b = ids[std::size_t(j)];
      // Ids are unique; equal keys (a 2^-64 chance) are ordered by the ids themselves.
      const bool i_first = a != b ? a < b : scenario.actors[std::size_t(i)].id < scenario.actors[std::size_t(j)].id;
      if (!i_first) std::swap(a, b);
      // One mix per pair: (a * odd) is a bijection of a, and rng_mix_key mixes b in.
      RngStream stream(rng_mix_key(step_key ^ (a * 0x9e3779b97f4a7c15ULL), b));
      const double first = nu * stream.normal(), second = nu * stream.normal();
      noise(i, j) = i_first ? first : second;
      noise(j, i) = i_first ? second : first;
    }
  }
}

/// (T - B) transposed, tile by tile so that neither side is read with a stride for long.
void transposed_difference(Eigen::MatrixXd& d, const Eigen::MatrixXd& t, const Eigen::MatrixXd& b) {
  const Eigen::Index n = t.rows(), tile = 32;
  d.resize(n, n);
  for (Eigen::Index j0 = 0; j0 < n; j0 += tile)
    for (Eigen::Index i0 = 0; i0 < n; i0 += tile)
      for (Eigen::Index j = j0; j < std::min(n, j0 + tile); ++j)
        for (Eigen::Index i = i0; i < std::min(n, i0 + tile); ++i) d(j, i) = t(i, j) - b(i, j);
}

/// What the drift's column loop reads and writes (column-major n x n arrays).
struct DriftColumns {
  double* next;                 ///< in: the spillover; out: the new tension
  const double* t;              ///< tension
  const double* b;              ///< baseline
  const double* answer;         ///< answer(i, j) = T_ji - B_ji
  const double* noise;          ///< this step's noise, or null without noise
  const double* restraint;      ///< per actor
  const double* reactivity;     ///< per actor
  const unsigned char* absent;  ///< Scenario::absent (row-major), or null when every pair has a relation
  double* next_answer;          ///< where the new tension's answer goes, or null
};

/// One element (or one pack of elements) of the drift before the bounds, in the matrix
/// formula's order: ((T + r (B - T)) + k answer) + S.
template <class V>
V drift_sum(V t, V b, V answer, V spill, V restraint, V reactivity) {
  return t + restraint * (b - t) + reactivity * answer + spill;
}

/// The drift's loop, a column j at a time:
///   next_ij = clamp(((T_ij + r_i (B_ij - T_ij)) + k_i answer_ij) + S_ij [+ N_ij], 0, 1),
/// 0 on the diagonal and for the pairs without a relation; each element's arithmetic is that of
/// the matrix formula, term by term in this order (so any vectorisation gives the same bits).
/// N > 0: the number of actors, known when compiled (worlds under kSmallWorld actors: the loops
/// unroll); N == 0: `runtime_n`.
template <int N>
void drift_columns(const DriftColumns& d, Eigen::Index runtime_n) {
  using pack::load;
  const Eigen::Index n = N > 0 ? N : runtime_n;
  const Eigen::Index paired = n - n % pack::kLanes;  // the elements taken a pack at a time
  for (Eigen::Index j = 0; j < n; ++j) {
    const Eigen::Index c = j * n;
    double* out = d.next + c;  // holds the spillover until overwritten
    const double *t = d.t + c, *b = d.b + c, *a = d.answer + c, *z = d.noise ? d.noise + c : nullptr;
    const double *r = d.restraint, *k = d.reactivity;
    Eigen::Index i = 0;
    if (z) {
      for (; i < paired; i += pack::kLanes)
        pack::store(out + i, pack::bounded(drift_sum(load(t + i), load(b + i), load(a + i), load(out + i), load(r + i),
                                                     load(k + i)) +
                                           load(z + i)));
      for (; i < n; ++i) out[i] = pack::bounded(drift_sum(t[i], b[i], a[i], out[i], r[i], k[i]) + z[i]);
    } else {
      for (; i < paired; i += pack::kLanes)
        pack::store(out + i, pack::bounded(drift_sum(load(t + i), load(b + i), load(a + i), load(out + i), load(r + i),
                                                     load(k + i))));
      for (; i < n; ++i) out[i] = pack::bounded(drift_sum(t[i], b[i], a[i], out[i], r[i], k[i]));
    }
    out[j] = 0.0;
    if (d.absent)  // zero tension for the pairs without a relation (noise would otherwise move them)
      for (i = 0; i < n; ++i)
        if (d.absent[std::size_t(i * n + j)] != 0) out[i] = 0.0;
    if (d.next_answer)  // the next step's answer, while this column is at hand: its row j
      for (i = 0; i < n; ++i) d.next_answer[j + i * n] = out[i] - b[i];
  }
}

using SmallDrift = void (*)(const DriftColumns&, Eigen::Index);

/// drift_columns<n> for n = 0 .. kSmallWorld - 1 (n = 0: the general loop).
template <int... Ns>
constexpr std::array<SmallDrift, sizeof...(Ns)> small_drifts(std::integer_sequence<int, Ns...>) {
  return {&drift_columns<Ns>...};
}

/// Relaxation, reciprocity, spillover and noise on the post-event state, then the bounds. The
/// same arithmetic, term by term and in the same order, as
///   T <- clamp(T + relaxation(T, B, r) + reciprocity(T, B, k) + spillover(T, W, sigma) + N, 0, 1)
/// with the functions of dynamics.hpp, but a column at a time and without a matrix per term.
/// With a breakdown, the same sums element by element, keeping each term.
/// From kSmallWorld actors without a breakdown, drift_large (drift_large.hpp) does it all in one
/// pass, reading T and B as they are.
/// With `scratch.kept`, its tie structure (and below kSmallWorld its transposed difference) are
/// the state's already; with `keep`, they are left there for the new state.
void drift(State& state, const Scenario& scenario, const Rng& rng, StepBreakdown* breakdown, StepWorkspace& scratch,
           bool keep) {
  const Eigen::MatrixXd& t = state.tension;
  const Eigen::MatrixXd& b = state.baseline;
  const Eigen::Index n = t.rows();
  Eigen::MatrixXd& next = scratch.next;
  if (!scratch.kept) build_tie_structure(scratch.ties, state.tie, scenario.parameters.spillover);
  const bool large = !breakdown && n >= kSmallWorld;  // drift_large takes the spillover's sums itself
  // A small world whose every pair has a relation: the spillover inside the drift's loop too.
  const bool small = !breakdown && n > 0 && n < kSmallWorld && scenario.absent.empty();
  if (small)
    next.resize(n, n);
  else if (!large)
    spillover_into(next, t, state.tie, scratch.ties, scenario.absent, scratch.spill);
  const double nu = scenario.parameters.noise;
  const Eigen::MatrixXd& noise = scratch.noise;
  if (nu > 0.0) draw_noise(scratch.noise, scenario, state.step + 1, nu, rng, scratch.noise_ids, scratch.kept);
  Eigen::ArrayXd& restraint = scratch.restraint;
  Eigen::ArrayXd& reactivity = scratch.reactivity;
  if (!scratch.kept) {  // the scenario's, once per run
    restraint.resize(n);
    reactivity.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      restraint(i) = scenario.actors[std::size_t(i)].restraint;
      reactivity(i) = scenario.actors[std::size_t(i)].reactivity;
    }
  }
  if (large) {
    next.resize(n, n);
    detail::LargeDrift d;
    d.n = n;
    d.t = t.data();
    d.b = b.data();
    d.noise = nu > 0.0 ? noise.data() : nullptr;
    d.restraint = restraint.data();
    d.reactivity = reactivity.data();
    d.absent = scenario.absent.empty() ? nullptr : scenario.absent.data();
    d.ties = &scratch.ties;
    d.next = next.data();
    d.slab = &scratch.slab;
    d.wide = scratch.wide;
    const auto count = std::size_t(n * n);
    if (keep && count >= detail::kHugeArray)  // a run's arrays, once a run
      for (const double* array : {d.t, d.b, static_cast<const double*>(d.next)})
        detail::ask_huge_pages(scratch.huge, array, count);
    detail::drift_large(d);
    state.tension.swap(next);
    scratch.kept = keep;
    return;
  }
  if (!breakdown) {
    // Small worlds (larger ones took drift_large above): the next step's answer is written in
    // the column loop, a row per column.
    const bool fuse = keep;
    if (!scratch.kept) transposed_difference(scratch.answer, t, b);
    if (fuse) scratch.next_answer.resize(n, n);
    const DriftColumns columns{next.data(),
                               t.data(),
                               b.data(),
                               scratch.answer.data(),
                               nu > 0.0 ? noise.data() : nullptr,
                               restraint.data(),
                               reactivity.data(),
                               scenario.absent.empty() ? nullptr : scenario.absent.data(),
                               fuse ? scratch.next_answer.data() : nullptr};
    static constexpr auto small_loops = small_drifts(std::make_integer_sequence<int, int(kSmallWorld)>());
    if (small)
      detail::small_drift({next.data(), t.data(), b.data(), state.tie.data(), scratch.answer.data(), columns.noise,
                           restraint.data(), reactivity.data(), columns.next_answer},
                          scratch.ties, n,
                          scratch.wide ? detail::SmallDriftWidth::best : detail::SmallDriftWidth::sse2);
    else if (n > 0 && n < kSmallWorld)
      small_loops[std::size_t(n)](columns, n);
    else
      drift_columns<0>(columns, n);
    state.tension.swap(next);
    if (fuse) scratch.answer.swap(scratch.next_answer);
    scratch.kept = keep;
    return;
  }
  scratch.kept = false;
  breakdown->spillover = next;
  breakdown->relaxation.setZero(n, n);
  breakdown->reciprocity.setZero(n, n);
  breakdown->noise.setZero(n, n);
  breakdown->bounds.setZero(n, n);
  for (Eigen::Index j = 0; j < n; ++j) {
    for (Eigen::Index i = 0; i < n; ++i) {
      if (i == j) {
        next(i, j) = 0.0;
        continue;
      }
      const double relax = restraint(i) * (b(i, j) - t(i, j));
      const double recip = reactivity(i) * (t(j, i) - b(j, i));
      const double shock = nu > 0.0 && scenario.has_relation(std::size_t(i), std::size_t(j)) ? noise(i, j) : 0.0;
      const double unbounded = t(i, j) + relax + recip + next(i, j) + shock;
      const double bounded = std::clamp(unbounded, 0.0, 1.0);
      breakdown->relaxation(i, j) = relax;
      breakdown->reciprocity(i, j) = recip;
      breakdown->noise(i, j) = shock;
      breakdown->bounds(i, j) = bounded - unbounded;
      next(i, j) = bounded;
    }
  }
  state.tension.swap(next);
}

/// Moves the follow-ups due now from `pending` to `queue`, keeping the others in order.
void take_due_follow_ups(std::vector<PendingEvent>& pending, int now, const Scenario& scenario,
                         std::vector<Due>& queue) {
  std::size_t kept = 0;
  for (std::size_t p = 0; p < pending.size(); ++p) {
    if (pending[p].step == now)
      queue.push_back(
          {&scenario.events[pending[p].event], pending[p].event, false, std::move(pending[p].cause), false, true});
    else if (kept++ != p)
      pending[kept - 1] = std::move(pending[p]);
  }
  pending.resize(kept);
}

std::string follow_up_limit_error(const std::string& event, const std::string& target, bool same_step) {
  return same_step ? "step stopped: event '" + event + "' sets off '" + target + "' in the same step after " +
                         std::to_string(kMaxEventsPerStep) + " events in this step (the limit): its follow-ups multiply"
                   : "step stopped: event '" + event + "' schedules '" + target + "' while " +
                         std::to_string(kMaxPendingFollowUps) +
                         " follow-ups already wait (the limit): its follow-ups multiply";
}

std::string change_limit_error(const std::string& event) {
  return "step stopped: event '" + event +
         "' would take the relation changes recorded past the memory they may "
         "use (events fired again and again through follow-ups multiply them): make those follow-ups less likely or "
         "the events' effects narrower";
}

}  // namespace

StepResult advance(State&& previous, const Scenario& scenario, const Rng& rng, const StepInputs& inputs,
                   StepBreakdown* breakdown, StepWorkspace* workspace) {
  StepResult result{std::move(previous), {}};
  advance_in_place(result.state, result.fired, scenario, rng, inputs, breakdown, workspace);
  return result;
}

void advance_in_place(State& state, std::vector<AppliedEvent>& fired, const Scenario& scenario, const Rng& rng,
                      const StepInputs& inputs, StepBreakdown* breakdown, StepWorkspace* workspace) {
  fired.clear();
  if (!state.error.empty()) return;
  thread_local StepWorkspace own;  // without a workspace: scratch memory only, nothing kept
  if (!workspace) own.reset();
  StepWorkspace& scratch = workspace ? *workspace : own;
  const int now = state.step + 1;
  Eigen::MatrixXd before_events;
  if (breakdown) before_events = state.tension;

  std::vector<Due> queue;  // a FIFO: `head` is its front
  for (std::size_t e = 0; e < scenario.events.size(); ++e) {
    const Event& event = scenario.events[e];
    if (event.timing == Timing::at_step && event.step == now)
      queue.push_back({&event, e, false, "scheduled"});
    else if (event.timing == Timing::window && state.window_step[e] == now)
      queue.push_back({&event, e, false, "window"});
  }
  take_due_follow_ups(state.pending, now, scenario, queue);
  for (std::size_t e : inputs.scenario_events) queue.push_back({&scenario.events[e], e, true, "inject"});
  for (std::size_t e = 0; e < inputs.adhoc_events.size(); ++e)
    queue.push_back({&inputs.adhoc_events[e], e, true, "inject", true});

  // Zero-delay follow-ups join the queue; the loader rejects zero-delay cycles, so it ends.
  // Every draw is keyed on the due event's stable name (DueKeys), never on the queue's order.
  // Both are bounded (kMaxEventsPerStep, kMaxPendingFollowUps): follow-ups can multiply.
  DueKeys due_keys(now);
  std::size_t recorded = 0;  // relation changes the events of this step recorded
  for (std::size_t head = 0; head < queue.size() && state.error.empty(); ++head) {
    Due due = std::move(queue[head]);
    const Event& event = *due.event;
    const std::uint64_t key = due_keys(due);
    if (!due.injected && due.follow_up) {
      auto it = std::find(state.preempted.begin(), state.preempted.end(), due.index);
      if (it != state.preempted.end()) {  // injected ahead: this follow-up has happened already
        state.preempted.erase(it);
        continue;
      }
    }
    if (!due.injected) {
      if (event.condition && !evaluate_condition(*event.condition, inputs_for(state, scenario))) continue;
      if (!rng.stream(RngPurpose::fire, key).bernoulli(event.probability)) continue;
    }
    fired.push_back(apply_event(state, scenario, event, due.index, due.adhoc, due.cause, rng, key));
    recorded += fired.back().changes.size();
    if (recorded > inputs.max_changes) {  // past it by one event's changes at most (1,000,000)
      state.error = change_limit_error(event.id);
      break;
    }
    for (std::size_t f = 0; f < event.follow_ups.size(); ++f) {
      const FollowUp& follow = event.follow_ups[f];
      const std::uint64_t ordinal = std::uint64_t(  // earlier listings of the same follow-up
          std::count_if(event.follow_ups.begin(), event.follow_ups.begin() + std::ptrdiff_t(f),
                        [&](const FollowUp& other) { return other.event == follow.event; }));
      const std::uint64_t target = rng_name_key(scenario.events[follow.event].id);
      if (!rng.stream(RngPurpose::follow_up, key, target, ordinal).bernoulli(follow.probability)) continue;
      const std::string cause = "follow-up of " + event.id;
      if (follow.delay == 0 ? queue.size() >= kMaxEventsPerStep : state.pending.size() >= kMaxPendingFollowUps) {
        state.error = follow_up_limit_error(event.id, scenario.events[follow.event].id, follow.delay == 0);
        break;
      }
      if (follow.delay == 0)
        queue.push_back({&scenario.events[follow.event], follow.event, false, cause, false, true});
      else
        state.pending.push_back({now + follow.delay, follow.event, cause});
    }
  }
  if (!state.error.empty()) {
    scratch.reset();
    return;
  }
  if (scratch.kept) {  // what the events changed: the transposed difference (small worlds), the ties anew
    bool ties_changed = false;
    for (const AppliedEvent& applied : fired)
      for (const RelationChange& c : applied.changes) {
        const auto i = Eigen::Index(c.from), j = Eigen::Index(c.to);
        if (state.tension.rows() < kSmallWorld && (c.tension != 0.0 || c.baseline != 0.0))
          scratch.answer(j, i) = state.tension(i, j) - state.baseline(i, j);
        ties_changed = ties_changed || c.tie != 0.0;
      }
    if (ties_changed) build_tie_structure(scratch.ties, state.tie, scenario.parameters.spillover);
  }

  if (breakdown) breakdown->events = state.tension - before_events;
  drift(state, scenario, rng, breakdown, scratch, workspace != nullptr);
  state.step = now;
}

}  // namespace geosim
