#pragma once
/// \file
/// The after-action record of a tabletop session: what the facilitator injected and the teams
/// moved, what each changed, and the indicators at the start and now. Gathered as plain data
/// so that any writer (the Markdown one here, or a richer report) can present it.

#include <cstdint>
#include <string>
#include <vector>

#include "geosim/tabletop/played_effect.hpp"
#include "geosim/core/date.hpp"
#include "geosim/tabletop/session.hpp"

namespace geosim {

/// One relation change, named by actor ids.
struct ChangeRow {
  std::string from;
  std::string to;
  double tension = 0.0;
  double baseline = 0.0;
  double tie = 0.0;
};

/// An event that fired, with its changes.
struct FiredRow {
  int step = 0;
  std::string id;
  std::string title;
  std::string cause;  ///< "scheduled", "window", "follow-up of X", "inject"
  std::vector<ChangeRow> changes;
};

/// One inject or move of the branch.
struct AfterActionEntry {
  JournalEntry::Kind kind = JournalEntry::Kind::inject;
  int step = 0;       ///< the step when it was typed
  Date date{};        ///< that step's date
  int fires_at = 0;   ///< inject: the step it fires in; move: `step`
  bool fired = false; ///< inject: it has fired
  std::string id;
  std::string title;
  std::string command;                 ///< as typed
  std::string note;                    ///< e.g. "brought forward from step 10"; "" if none
  std::vector<ChangeRow> changes;      ///< inject: its effects; move: its adjustments
  std::vector<std::string> scheduled;  ///< move: when each of its events is due
  std::vector<FiredRow> fired_events;  ///< move: its events that have fired so far
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
  std::string scenario_file;
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
  std::vector<AfterActionEntry> entries;
  std::vector<BranchRow> branches;
  /// Played vs untouched, run by run (played_effect.hpp); empty without injects or moves.
  std::vector<PlayedEffect> played;
  int played_runs = 0;        ///< runs of the paired comparison
  std::string played_error;   ///< why `played` is empty although there were injects or moves
};

/// The changes of a journal entry or applied event, with actor ids.
std::vector<ChangeRow> change_rows(const Scenario& scenario, const std::vector<RelationChange>& changes);

/// "inject", "ad-hoc inject" or "move": how logs and reports name a journal entry's kind.
std::string journal_kind_label(JournalEntry::Kind kind);

/// "A → B tension +0.040 baseline -0.020; C → D tie +0.050": every non-zero part of each change
/// ("no change" when none), as the Markdown and HTML records both show them.
std::string changes_text(const std::vector<ChangeRow>& changes);

/// Gathers the record of the session's current branch.
AfterAction gather_after_action(const Session& session);

/// A self-contained Markdown document of the record.
std::string after_action_markdown(const AfterAction& record);

}  // namespace geosim
