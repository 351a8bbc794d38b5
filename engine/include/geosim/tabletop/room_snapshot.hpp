#pragma once
/// \file
/// The state of a tabletop session as the live page shows it (`geosim play --serve`): one JSON
/// document per view, built here and nowhere else. The room view (`/`) and each actor's team
/// view (`/team/ID`) are rendered from it; the event stream carries it.
///
/// What a view holds (no future scheduled event is ever in it):
/// - the title, branch, step and date;
/// - the indicators at the start, at the last turn and now, with their changes judged by the
///   indicator's `better:` ("good", "bad" or "flat");
/// - the last turn: the events that fired and the injects and moves made since the last `step`
///   (with their team, rationale and sources);
/// - the network: every actor at a fixed position (a circle in the scenario's actor order, so
///   nothing jumps between turns), relations as edges (an undirected pair merged when both
///   directions are at the same tension level), coloured and sized by tension, faded unless
///   at least `threshold` or changed this turn;
/// - a team view adds the actor's relations, its past moves and its options now.
///
/// An optional text that is absent (a rationale not given, a source without a quote) is null,
/// never "", so that a page's {{#rationale}} section is left out.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "geosim/tabletop/session.hpp"

namespace geosim {

/// What a view shows.
struct RoomViewOptions {
  std::string team;  ///< an actor id for its team view; "" for the room view
  /// Relations at or above this tension are drawn in full; the rest faded unless changed this
  /// turn. Default 0.5 (high and crisis, session_view.hpp's levels). Room view only: a team's
  /// view fades none of its own relations.
  double threshold = 0.5;
  /// A relation whose tension moved more than this since the last turn counts as changed (drawn
  /// in full, dashed, with its value). Default 0.02, the facilitator guide's "small" move.
  double changed = 0.02;
  /// Most items of the last turn listed (the rest are counted, `log` has them). Default 5.
  std::size_t max_items = 5;
  std::string scenarios_dir;  ///< where the options' policies are listed from ("" = the default lookup)
};

/// The session at the start of the last turn: before the current branch's last `step` and the
/// injects and moves typed since the step before it (and those typed after it); the branch's
/// start (or fork) when there was no step.
Session last_turn(const Session& session);

/// The view's document; nullopt when `team` is not an actor id of the scenario. `before` is
/// last_turn(session), passed in so that several views of one moment share it.
std::optional<nlohmann::json> room_snapshot(const Session& session, const Session& before,
                                            const RoomViewOptions& options);

}  // namespace geosim
