#pragma once
/// \file
/// What the tabletop mode prints for `status`, `events`, `log`, `branches` and `compare`: plain text,
/// with ANSI colours in the tension table only when asked for.

#include <string>

#include "geosim/tabletop/session.hpp"

namespace geosim {

/// Tension levels, for colouring: low < 0.25 <= moderate < 0.5 <= high < 0.75 <= crisis.
enum class TensionLevel { low, moderate, high, crisis };
TensionLevel tension_level(double tension);

/// "step 3 (2025-08-22)": a step with the date it is reported at (Scenario::date_of_step).
std::string step_label(const Scenario& s, int step);

/// Date, step, pending injects, policies in play, the indicators (start -> now) and the
/// tension table of all actors (rows from, columns to); `colour` adds ANSI colours by level.
std::string status_text(const Session& session, bool colour);

/// The events of the current branch's scenario that can be injected, with when they are due
/// and whether they have fired.
std::string events_text(const Session& session);

/// Every inject and move of the current branch with its step and effects.
std::string log_text(const Session& session);

/// Every branch with its step and the three indicators that moved most since the start.
std::string branches_text(const Session& session);

/// `compare NAME`: the current branch against branch `name` at the last step both have reached
/// (the earlier of their steps): each indicator on both and the difference (this branch minus
/// the other, judged better or worse by the indicator's `better:`), the five relations whose
/// tensions differ most, and the injects and moves each played since their histories part.
/// Not ok for an unknown name or the current branch's own, at `name_at`.
CommandResult compare_branches(const Session& session, const std::string& name, std::size_t name_at);

}  // namespace geosim
