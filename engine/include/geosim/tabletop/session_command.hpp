#pragma once
/// \file
/// The commands of the tabletop mode (`geosim play`), one per line: parsing a typed line into a
/// command, or into one clear error message. Parsing is purely syntactic: whether an event,
/// actor, policy or branch exists is the session's business (geosim/tabletop/session.hpp).
///
/// Grammar (words are separated by blanks; a `#` at the start of a word, outside quotes, starts a
/// comment that runs to the end of the line):
///
///     help | status | events | log | branches | undo | quit | exit
///     step [N]                      N >= 1, default 1
///     inject EVENT_ID ["RATIONALE"] any event of the scenario (or of a policy moved in)
///     inject adhoc "TITLE" EFFECT {, EFFECT}
///         EFFECT = FROM -> TO CHANGE {CHANGE}      one direction
///                | A <-> B CHANGE {CHANGE}         both directions
///         CHANGE = tension X | baseline X | tie X  X a number in [-1, 1], e.g. +0.1 or -0.05
///         FROM, TO, A, B = an actor id (VNM) or members(ORG)
///     move [TEAM] POLICY ["RATIONALE"]  a policy's name (as for --policy) or file; TEAM an actor id
///     roll EVENT_ID [P]             a chance: the event is injected if a keyed draw is below P
///                                   (default: the event's own chance)
///     branch NAME | switch NAME     NAME of letters, digits, '-', '_'
///     compare NAME                  this branch against branch NAME at the last step both reached
///     save FILE | report FILE       FILE may be quoted "like this" when it has blanks

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace geosim {

/// The longest command line the session takes, in bytes: a typed line, a script's line and each
/// command of a saved session's history alike (4000).
inline constexpr std::size_t kMaxCommandBytes = 4000;

/// What a command asks for.
enum class CommandKind {
  empty,  ///< a blank or comment line: nothing to do
  help,
  status,
  events,
  step,
  inject_event,
  inject_adhoc,
  move,
  roll,
  undo,
  branch,
  switch_branch,
  branches,
  compare,  ///< this branch against another
  save,
  log,
  report,
  quit,
};

/// One relation change of an ad-hoc inject, as typed (actor names are not yet checked).
struct AdhocEffect {
  std::string from;              ///< actor id or members(ORG)
  std::string to;                ///< actor id or members(ORG)
  bool both_directions = false;  ///< typed with <->
  std::optional<double> tension;
  std::optional<double> baseline;
  std::optional<double> tie;
  std::size_t from_at = 0, to_at = 0;  ///< where FROM and TO start in the command's text (0-based bytes)
};

/// An event typed on the command line: a title and at least one effect.
struct AdhocInject {
  std::string title;
  std::vector<AdhocEffect> effects;
};

/// A parsed command line.
struct SessionCommand {
  CommandKind kind = CommandKind::empty;
  int count = 1;                ///< step: number of steps
  std::string argument;         ///< event id, policy, branch name or file name
  AdhocInject adhoc;            ///< inject_adhoc only
  std::string text;             ///< the line as typed, trimmed (what a session records and replays)
  std::string team;             ///< move: the actor id typed before the policy; "" when not given
  std::string rationale;        ///< move, inject EVENT_ID: the quoted text after it; "" when not given
  std::optional<double> odds;   ///< roll: the chance typed, in [0, 1]; unset = the event's own
  std::size_t argument_at = 0;  ///< where `argument` starts in `text` (0-based bytes)
  std::size_t team_at = 0;      ///< where `team` starts in `text` (0-based bytes)
};

/// A command, or why the line is not one.
struct ParsedCommand {
  std::optional<SessionCommand> command;
  std::string error;  ///< one line; empty when `command` is set
  int column = 0;     ///< 1-based column of the line where the problem is (the end for a missing word)
};

/// Parses one line. Never throws; a bad line gives an error naming what was expected.
ParsedCommand parse_session_command(const std::string& line);

/// True for the commands that change a branch's state and are recorded in its history
/// (step, inject, move, roll).
bool records_history(CommandKind kind);

/// Every command's keyword ("help", "status", ..., "compare"), as the parser knows them: what a
/// prompt completes.
const std::vector<std::string>& session_keywords();

/// The command list with one line each, for `help`.
std::string session_help();

}  // namespace geosim
