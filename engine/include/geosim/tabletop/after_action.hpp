#pragma once
/// \file
/// The after-action record of a tabletop session: what the facilitator injected and the teams
/// moved, what each changed, and the indicators at the start and now. Gathered as plain data
/// so that any writer (the Markdown one here, or a richer report) can present it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "geosim/core/date.hpp"
#include "geosim/tabletop/played_effect.hpp"
#include "geosim/tabletop/session.hpp"

namespace geosim {

/// One inject or move of the branch: its journal entry (session.hpp), with what the record adds.
/// Changes are `RelationChange`s by actor index, named with `AfterAction::actors`.
struct AfterActionEntry : JournalEntry {
  Date date{};                             ///< the date of `made_at`
  std::vector<std::string> scheduled;      ///< move: when each of its events is due
  std::vector<AppliedEvent> fired_events;  ///< move: its events that have fired so far
};

/// An indicator at the start and now.
struct IndicatorRow {
  std::string id;
  std::string title;
  double start = 0.0;
  double now = 0.0;
};

/// Every branch in brief.
struct BranchRow {
  std::string name;
  std::string parent;
  int forked_at = 0;
  int step = 0;
  std::vector<IndicatorRow> indicators;
};

/// The after-action record of the current branch of a session.
struct AfterAction {
  std::string scenario_id;
  std::string scenario_title;
  std::string scenario_description;
  std::string scenario_file;  ///< the scenario's file, absolute (the same for a session and the session resumed)
  std::vector<std::string> policies;  ///< policies applied from the start
  std::uint64_t seed = 0;
  std::string branch;
  std::string parent;  ///< "" for the first branch
  int forked_at = 0;
  int step = 0;
  int steps = 0;
  Date start_date{};
  Date date{};
  std::vector<IndicatorRow> indicators;
  std::vector<std::string> actors;  ///< actor ids by index: the names of the entries' changes
  std::vector<AfterActionEntry> entries;
  std::vector<BranchRow> branches;
  /// Played vs untouched, run by run (played_effect.hpp); empty without injects or moves.
  std::vector<PlayedEffect> played;
  int played_runs = 0;                ///< runs of the paired comparison
  std::string played_error;           ///< why `played` is empty although there were injects or moves
  std::vector<std::string> settings;  ///< play --set, as "NAME=VALUE" (Scenario::settings)
};

/// "inject", "ad-hoc inject" or "move": how logs and reports name a journal entry's kind.
std::string journal_kind_label(JournalEntry::Kind kind);

/// "A → B tension +0.040 baseline -0.020; C → D tie +0.050": every non-zero part of each change
/// ("no change" when none), as the Markdown and HTML records both show them.
/// `actors` names them by index (an index out of range is shown as "#N").
std::string changes_text(const std::vector<std::string>& actors, const std::vector<RelationChange>& changes);

/// "tension +0.040<sep>baseline -0.020<sep>tie +0.050": the non-zero parts of a change, each to 3
/// decimals (a part under 0.0005 shows as 0.000, never -0.000); "" when none. Every view of a
/// change (log, Markdown, HTML, the live page) words it with this.
std::string change_parts(const RelationChange& change, std::string_view separator);

/// The actor id of index `k`, or "#k" when there is none.
std::string actor_name(const std::vector<std::string>& actors, std::size_t k);

/// The actor ids of a scenario, by index.
std::vector<std::string> actor_ids(const Scenario& scenario);

/// What gather_after_action computes.
struct AfterActionOptions {
  /// Played vs untouched over kPlayedEffectRuns paired runs (played_effect.hpp): 100 replays of
  /// the branch, so `log` leaves it out. Default on.
  bool played = true;
};

/// Gathers the record of the session's current branch.
AfterAction gather_after_action(const Session& session, const AfterActionOptions& options = {});

/// A self-contained Markdown document of the record.
std::string after_action_markdown(const AfterAction& record);

}  // namespace geosim
