#pragma once
/// \file
/// The plain data of a scenario: actors, relations, events, indicators, parameters.
/// Built by load_scenario(); read by the simulation, never changed by it.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "geosim/core/condition.hpp"
#include "geosim/core/date.hpp"

namespace geosim {

/// Where in the source documents a scenario element comes from.
struct SourceRef {
  std::string file;   ///< file name under scenarios/sources/
  std::string quote;  ///< verbatim passage of that file
};

/// Where a definition sits in the user's files, for messages.
struct Origin {
  std::string file;
  int line = 0;
  int column = 0;
};

enum class ActorKind { state, organization };

/// A state or an organisation. Indices into Scenario::actors identify actors in the engine.
struct Actor {
  std::string id;    ///< short code, e.g. "VNM"
  std::string name;  ///< display name, e.g. "Vietnam"
  ActorKind kind = ActorKind::state;
  std::vector<std::size_t> members;  ///< organisation only: indices of member actors
  /// Share of the gap between tension and baseline closed per step, in [0,1]. Default 0.05.
  double restraint = 0.05;
  /// Reciprocity gain per step, in [0,1]: how much of the other side's excess hostility
  /// (its tension above its baseline) is answered. Default 0.03.
  double reactivity = 0.03;
  /// ISO 3166 alpha-3 codes of the countries this actor stands for in event data (`geosim
  /// ingest`), e.g. {"IDN", "MYS"}; empty = its own id when that is a country code (a state) or its
  /// members' countries (an organisation). Default empty.
  std::vector<std::string> countries;
  Origin origin;
};

/// A size that may be uncertain: fixed when sd == 0. Units are those of the field it sizes.
struct Magnitude {
  double mean = 0.0;
  double sd = 0.0;  ///< standard deviation of a normal draw; 0 = fixed
};

/// A set of actors named on one side of an effect: one actor, or all members of an organisation.
struct ActorSet {
  std::vector<std::size_t> actors;
  std::string label;  ///< as written, e.g. "VNM" or "members(ASEAN)"
};

/// A change to one or more directed relations.
struct Effect {
  ActorSet from;
  ActorSet to;
  bool both_directions = false;       ///< `between:` applies to from->to and to->from
  std::optional<Magnitude> tension;   ///< change of tension
  std::optional<Magnitude> baseline;  ///< change of baseline (a lasting shift)
  std::optional<Magnitude> tie;       ///< change of tie weight
};

/// A follow-up: when the parent fires, `event` fires `delay` steps later with `probability`.
struct FollowUp {
  std::size_t event = 0;  ///< index into Scenario::events
  int delay = 1;          ///< steps, >= 0
  double probability = 1.0;
};

/// When an event is due.
enum class Timing { never, at_step, window };

/// Something that happens: scheduled, conditional, probabilistic, with follow-ups.
struct Event {
  std::string id;
  std::string title;
  SourceRef source;
  Timing timing = Timing::never;  ///< never: only as a follow-up or an inject
  int step = 0;                   ///< at_step: the step it fires in (1-based)
  std::optional<Date> date;       ///< at_step given as a 'date:': the day it happens (in step `step`)
  int window_first = 0;           ///< window: first step it may fire in
  int window_last = 0;            ///< window: last step it may fire in
  double probability = 1.0;       ///< chance it fires when due
  std::optional<Condition> condition;
  std::string condition_text;
  std::string cameo;  ///< CAMEO code, "" if none
  /// Share of a CAMEO-sized tension change that also moves the baseline, in [0,1]; unset = the
  /// code's rule (lasting_share in geosim/io/cameo.hpp).
  std::optional<double> lasting;
  std::vector<Effect> effects;
  std::vector<FollowUp> follow_ups;
  std::string policy;  ///< id of the policy that added it, "" for the scenario's own
  Origin origin;
};

enum class IndicatorKind { mean, max, cohesion };

/// Which side of an indicator's thresholds counts as crossing them.
enum class ThresholdDirection {
  above,  ///< crossed when the value is greater than the threshold
  below   ///< crossed when the value is less than the threshold
};

/// Which way of an indicator (or a score) is good news for the one reading it.
enum class Better {
  lower,   ///< a fall is good news (e.g. a tension)
  higher,  ///< a rise is good news (e.g. a cohesion)
  neither  ///< no side is better: changes are reported without judging them
};

/// A named measure reported at every step.
struct Indicator {
  std::string id;
  std::string title;
  IndicatorKind kind = IndicatorKind::mean;
  /// mean/max: the directed relations measured (from, to).
  std::vector<std::pair<std::size_t, std::size_t>> relations;
  std::size_t organization = 0;  ///< cohesion: the organisation
  /// Levels that matter, in the indicator's units (all kinds lie in [0,1]); empty = none.
  /// An ensemble reports, for each, the share of runs that cross it. Default none.
  std::vector<double> thresholds;
  /// The side of `thresholds` that counts as crossing. Default above.
  ThresholdDirection direction = ThresholdDirection::above;
  /// Which way is good news; reports colour its changes by it (`better:` in YAML). Default:
  /// lower for mean and max (tensions), higher for cohesion (the loader sets it by kind).
  Better better = Better::lower;
};

/// One term of a score: an indicator's value times a weight.
struct ScoreTerm {
  std::string indicator;  ///< the indicator's id
  std::size_t index = 0;  ///< index into Scenario::indicators
  double weight = 1.0;    ///< multiplies the indicator's value (unitless, may be negative)
};

/// How an analyst scores an outcome (`score:` in YAML): the weighted sum of the scenario's
/// indicators, sum of weight * value over the terms, and which way is better.
struct Score {
  std::string title;               ///< e.g. "Singapore's score"; default "score"
  Better better = Better::higher;  ///< Default higher; lower or higher only
  std::vector<ScoreTerm> terms;    ///< at least one, each indicator at most once
  Origin origin;                   ///< where it is defined
};

/// Model parameters shared by all actors.
struct Parameters {
  /// Spillover gain sigma per step, in [0,1]. Default 0.05.
  double spillover = 0.05;
  /// Standard deviation of Gaussian noise added to every tension each step, >= 0. Default 0.
  double noise = 0.0;
  /// The friendly/hostile cut of balance analysis, in (0,1]: a pair is friendly when the mean
  /// of its two tensions is below it, hostile otherwise. Default 0.5 (the middle of the scale).
  double balance_cut = 0.5;
};

/// How a scenario's start relates to its no-event dynamics (top-level `start_state:`).
enum class StartState {
  unstated,  ///< not said: baselines as written; `validate` warns when the start drifts
  settled,   ///< every baseline derived so that the start is the no-event fixed point
  drifting   ///< baselines as written, and a drifting start is meant
};

/// What a settled start was derived from, so that a run with other restraint, reactivity or
/// spillover (an ensemble's --vary and --parameter-sd) derives its own (resettle(), settle.hpp),
/// as a --set value does when loading. Row-major n*n.
struct SettleBasis {
  std::vector<double> tension;   ///< the tensions the loader settled (before any policy)
  std::vector<double> tie;       ///< the ties it settled with (before any policy)
  std::vector<double> baseline;  ///< the baselines it derived
  /// 1 for a relation whose baseline was set after settling (`fitted:`, --set baseline.A.B):
  /// it keeps that value.
  std::vector<unsigned char> kept;
};

/// The world's own restraint, reactivity, spillover and baselines: those before the scenario's
/// policies changed them (a policy's `actors:` changes, its `parameters:` spillover, its
/// `adjust:` baselines). A settled start is derived from these; --vary and --parameter-sd draw
/// these, and each run then takes the policies' changes on top (apply_policy_changes and
/// apply_policy_baseline_changes, settle.hpp), so that a policy is the same change in every run
/// and a paired comparison sees only the policy.
struct OwnParameters {
  std::vector<double> restraint;   ///< per actor, before the policies
  std::vector<double> reactivity;  ///< per actor, before the policies
  double spillover = 0.0;          ///< before the policies
  /// (row-major index, value before the policies) of each baseline a policy changed (`adjust:`).
  std::vector<std::pair<std::size_t, double>> baseline;
};

/// A fully resolved scenario (includes merged, policies applied).
struct Scenario {
  std::string id;
  std::string title;
  std::string description;
  std::optional<SourceRef> source;
  std::string path;  ///< the file it was loaded from
  /// Every file it was read from, as their paths were given: its includes (dependencies
  /// first), the scenario file, then the policies applied (a scenario from text: its name),
  /// then each source document a quote was checked against.
  std::vector<std::string> files;
  Date start{};       ///< date of step 0
  int step_days = 7;  ///< days per step
  int steps = 52;     ///< number of steps
  Parameters parameters;
  /// Whether the start stands still when nothing happens. Default unstated.
  StartState start_state = StartState::unstated;
  std::vector<Actor> actors;
  /// The indices of `actors` in the order of their ids (then of the index): find_actor's
  /// binary search. Kept by add_actor(); after changing `actors` any other way, call
  /// index_actors() (until then find_actor searches `actors` one by one). find_actor notices
  /// only a change of the count, so an id changed in place or an actor replaced without
  /// index_actors() would leave the order stale: the search could then miss an actor that is
  /// there, never return one of another id (it checks the id it lands on). No code does so
  /// (checked): the loaders add every actor by add_actor() and only after checking that its id
  /// is new; a policy changes an actor's restraint and reactivity, never its id; the tabletop
  /// (a session, a room, a resumed file) adds events and injects, never actors; the HTML
  /// report renames a copy's names, not its ids; the tests that rename an actor call
  /// index_actors() (test_actor_lookup, test_names).
  std::vector<std::size_t> actor_order;
  /// Initial relation values, row = from, column = to, row-major n*n. Diagonal unused (0).
  std::vector<double> tension;
  std::vector<double> baseline;
  std::vector<double> tie;
  /// Pairs with no relation at all (`absent: true`), row-major n*n and symmetric: 1 = absent.
  /// Empty = every pair has a relation (the default). An absent pair's tension, baseline and
  /// tie are 0 and stay 0; spillover, events, indicators, outputs and balance analysis skip it.
  std::vector<unsigned char> absent;
  /// With `start_state: settled`, what its baselines were derived from; nullopt otherwise.
  std::optional<SettleBasis> settle_basis;
  std::vector<Indicator> indicators;
  std::vector<Event> events;
  std::vector<std::string> policies;  ///< ids of the policies applied, in order
  /// The parameters before the policies changed them; nullopt when no policy changed a
  /// restraint, a reactivity, the spillover or a baseline (set by the loader).
  std::optional<OwnParameters> before_policies;
  /// Per policy applied: the actor whose move it is (its `by:`), or "" when any team may play it.
  std::vector<std::string> policy_players;
  /// Parameters set on the command line (`--set NAME=VALUE`) after everything else was loaded,
  /// as "NAME=VALUE" in the order given; empty by default.
  std::vector<std::string> settings;
  /// The analyst's score of an outcome, for the policy matrix; nullopt when none is defined.
  std::optional<Score> score;
  /// This scenario's weight when a policy matrix averages over scenarios (`weight:` in the
  /// `scenario:` block), > 0, relative to the other columns' weights. Default 1.
  double weight = 1.0;
  /// `reference: N` in the `scenario:` block: this is the Nth reference scenario (the source
  /// documents' scenarios, for the shipped ones), which ensembles compare a run against and
  /// `geosim matrix` takes as its default columns, in the order of N. 0 (the default) = not one.
  int reference = 0;
  /// The policies' `adjust` effects, in the order applied (their fixed sizes, no `sd`): already
  /// in the initial relations above; kept so that a move in `geosim play` applies them to the
  /// state of its moment.
  std::vector<Effect> adjustments;

  std::size_t actor_count() const { return actors.size(); }
  /// False when the pair i–j has no relation (see `absent`); true for i == j is meaningless.
  bool has_relation(std::size_t i, std::size_t j) const { return absent.empty() || absent[i * actors.size() + j] == 0; }
  /// Index of the (first) actor with this id, or nullopt: O(log n) through actor_order.
  std::optional<std::size_t> find_actor(const std::string& id) const;
  /// Appends `actor` to `actors` and its index to actor_order, in order (O(n) at worst, a
  /// move of indices).
  void add_actor(Actor actor);
  /// Rebuilds actor_order from `actors` (O(n log n)).
  void index_actors();
  /// Index of the event with this id, or nullopt.
  std::optional<std::size_t> find_event(const std::string& id) const;
  /// The date a step is reported with: start + step * step_days.
  Date date_of_step(int step) const { return add_days(start, step * step_days); }
  /// The step whose period contains `date` (may be < 1 or > steps).
  int step_of_date(Date date) const;
  /// The days step `step` (>= 1) covers, "2025-10-10 to 2025-10-16" ("2025-10-10" for one-day
  /// steps): where a step is meant, rather than the date it is reported at.
  std::string step_dates(int step) const;
  /// When an event that fired in `step` happened: its own date ("2025-10-10") when it has one and
  /// fired in the step of that date, else the step's days (step_dates).
  std::string when_fired(std::size_t event, bool adhoc, int step) const;
};

}  // namespace geosim
