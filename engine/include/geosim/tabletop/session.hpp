#pragma once
/// \file
/// The tabletop session behind `geosim play`: a scenario played step by step by a facilitator
/// who injects events, plays teams' policy moves, takes moves back and forks what-if branches.
///
/// A branch is its history of recorded commands (step, inject, move) from the session's start,
/// plus where that history led: the state, the branch's keyed draws (the same on every branch) and its scenario
/// (the session's scenario plus the policies moved in on the branch). Everything follows from
/// the history: replaying it from the start rebuilds the branch bit for bit, which is how
/// `undo` and resuming a saved session work. No terminal I/O here; policy files are read
/// through the loader when a move needs them.
///
/// Timing rules:
/// - `inject` queues the event for the next step: it is a StepInputs of the next advance and
///   always fires (no condition, no probability). It shows as pending until then. A scenario
///   event still scheduled ahead (its date or drawn window step not reached) is brought
///   forward: it fires at the next step instead of then, not twice. An event that has already
///   fired, or fires only as a follow-up, fires once more. Its follow-ups follow as usual.
/// - `move POLICY` applies the policy's `adjust` changes to the current state at once and
///   adds its events to the branch: a dated event still ahead keeps its date; one whose date
///   has passed falls due at the next step; a window is cut to start at the next step (or
///   becomes due at the next step if it has passed) and its step is drawn then, from the stream
///   keyed on (event id, step of the move). Actor and parameter changes of the policy hold from
///   the next step on.
/// - The session's draws are Rng::for_run(seed, run), run 0 as `geosim run`, keyed by what they are for
///   (rng.hpp): with no injects or moves, `step` to the end reproduces `geosim run` exactly, and
///   an inject or a move changes no draw of anything else (a chance event fires in the same
///   steps on every branch, played or untouched, unless what it depends on changed).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "geosim/core/diagnostic.hpp"
#include "geosim/core/ensemble.hpp"
#include "geosim/core/rng.hpp"
#include "geosim/core/scenario.hpp"
#include "geosim/core/state.hpp"
#include "geosim/core/step.hpp"
#include "geosim/io/loader.hpp"
#include "geosim/tabletop/session_command.hpp"

namespace geosim {

/// A policy moved in during a session: what `move NAME` resolved to, pinned with its content.
struct MovedPolicy {
  std::string name;      ///< as typed after `move`
  std::string file;      ///< the file it resolved to
  std::string checksum;  ///< "fnv1a64:<hex>" of the file's bytes when it was first moved in
};

/// What a session plays: the scenario, the policies applied from the start, the seed.
struct SessionSetup {
  std::string scenario;               ///< a shipped name or a file, as typed
  std::vector<std::string> policies;  ///< shipped names or files, as typed
  std::uint64_t seed = 1;
  std::string scenarios_dir;              ///< where shipped names are looked up ("" = the default lookup)
  std::string scenario_file;              ///< when set, the file to load instead of looking up `scenario`
  std::vector<std::string> policy_files;  ///< per policy: when set and not "", used instead of the lookup
  /// Resuming: the files earlier moves resolved to. `move NAME` uses the file pinned for NAME
  /// (not a new lookup) and refuses it if its content no longer has the pinned checksum.
  std::vector<MovedPolicy> moved;
  /// `play --set NAME=VALUE`: model parameters set after the scenario and its policies, as `run
  /// --set` sets them, and again over each policy moved in (what is set stays set). Recorded in
  /// the saved session.
  std::vector<ParameterSetting> settings;
  /// Bytes of tensions all the session's branches may keep together (each keeps every step's):
  /// `step` and `branch` are refused up front beyond it. Default: an ensemble's budget, 2 GiB.
  std::size_t memory_budget = kEnsembleMemoryBudget;
};

/// One inject or move of a branch, for `log` and the after-action record.
struct JournalEntry {
  enum class Kind { inject, adhoc, move, roll };
  Kind kind = Kind::inject;
  int made_at = 0;  ///< the branch's step when it was typed
  int fires_at =
      0;  ///< inject, roll that came up: the step it fires in (made_at + 1); move, roll that did not: made_at
  bool fired = false;   ///< inject: it has fired; move: always true (adjustments apply at once)
  std::string id;       ///< event id, "adhoc-N", or the policy's id
  std::string title;    ///< event or policy title
  std::string command;  ///< the line as typed
  std::string note;     ///< e.g. "brought forward from step 10"; roll: its odds, draw and outcome; "" if none
  std::vector<RelationChange> changes;  ///< what it changed (inject: when it fired; move: `adjust`)
  std::vector<std::size_t> events;      ///< move: its events, indices into the branch's scenario
  std::string team;                     ///< the actor id of the team that made it ("" when not given)
  std::string rationale;                ///< why, as typed in quotes after it ("" when not given)
};

/// One line of play.
struct Branch {
  std::string name;
  std::string parent;                ///< the branch it was forked from; "" for the first
  int forked_at = 0;                 ///< the parent's step at the fork
  std::size_t forked_commands = 0;   ///< how many commands of `history` came from the parent (undo stops there)
  std::vector<std::string> history;  ///< recorded commands from the session's start, as typed
  Scenario scenario;                 ///< the session's scenario plus the policies moved in here
  std::vector<std::string> moves;    ///< policy files moved in, in order
  State state;
  std::vector<AppliedEvent> fired;  ///< every event that fired on this branch, in order
  /// Tension at every step so far as play left it: entry k is step k (0 = the start), after
  /// that step and any move made at it (a move's adjustments apply at once), so state.step + 1
  /// entries, the last the state's. What the report draws and `compare` reads, without replaying.
  std::vector<Eigen::MatrixXd> trajectory;
  Rng rng;                                         ///< the session's keyed draws, the same on every branch
  StepInputs pending;                              ///< injects waiting for the next step
  std::vector<std::size_t> pending_event_entries;  ///< journal entry of each pending.scenario_events
  std::vector<std::size_t> pending_adhoc_entries;  ///< journal entry of each pending.adhoc_events
  std::vector<JournalEntry> journal;
  /// Counts the commands run on it (Session::run), so that what it records is counted again only
  /// when it changed: the memory bound counts every branch's records at each inject, which cost
  /// the square of a long session's commands. The count as of `records_counted_at`, in bytes.
  std::uint64_t revision = 1;
  mutable std::uint64_t records_counted_at = 0;
  mutable std::size_t records_bytes = 0;
};

/// A branch as saved: enough to rebuild it exactly by replay.
struct BranchRecord {
  std::string name;
  std::string parent;
  int forked_at = 0;
  std::size_t forked_commands = 0;  ///< the commands of `history` taken from the parent at the fork
  std::vector<std::string> history;
};

/// What a command did: a message for the user; `ok` false when nothing changed.
struct CommandResult {
  bool ok = true;
  std::string message;
  /// When not ok: where in the command's text the problem is (0-based bytes: an unknown actor,
  /// team, event or policy); 0 for the command as a whole.
  std::size_t at = 0;
};

/// "fnv1a64:<16 hex digits>" of a file's bytes, or "" when it cannot be read.
std::string file_checksum(const std::string& path);
/// "fnv1a64:<16 hex digits>" of some bytes.
std::string checksum_of(const std::string& bytes);

/// The name of the branch a session starts on.
inline constexpr const char* kMainBranch = "main";

/// A tabletop session: branches of play over one scenario.
class Session {
 public:
  /// Loads the scenario and policies and starts on branch "main" at step 0. On failure
  /// returns nullopt and fills `errors` (unknown names give one message listing what ships).
  /// `run` selects the draws, Rng::for_run(seed, run): 0 as `geosim run`; other runs replay a
  /// branch for the paired effect (played_effect.hpp).
  static std::optional<Session> start(const SessionSetup& setup, std::vector<Diagnostic>& errors,
                                      std::uint64_t run = 0);

  /// Starts the session and rebuilds each branch by replaying its history, then switches to
  /// `current`. Fails with a message when a history no longer replays; that diagnostic's `file`
  /// is the failing branch's name (the caller knows where the branch was read from).
  static std::optional<Session> restore(const SessionSetup& setup, const std::vector<BranchRecord>& branches,
                                        const std::string& current, std::vector<Diagnostic>& errors,
                                        std::uint64_t run = 0);

  /// Runs a command that changes the current branch (step, inject, move) and records it.
  CommandResult apply(const SessionCommand& command);
  /// Takes back the current branch's last recorded command.
  CommandResult undo();
  /// Forks the current branch as `name` and switches to it. A name taken already is refused at
  /// `name_at` (where the name starts in the command's text); the session's limits (branches,
  /// memory) at 0, the command as a whole.
  CommandResult branch(const std::string& name, std::size_t name_at = 0);
  /// Switches to the branch `name`; an unknown name is refused at `name_at`.
  CommandResult switch_to(const std::string& name, std::size_t name_at = 0);

  /// The current branch's history replayed from the start with the draws of another run
  /// (Rng::for_run(seed, run)), on the scenario and policies this session has loaded: no file is
  /// read again. What played_effect.hpp compares with the untouched run. nullopt, with the
  /// reason in `error`, when the history does not replay with those draws. Replaying may load
  /// and pin policies the way the commands would (so it is not const).
  std::optional<Branch> replay_current(std::uint64_t run, std::string& error);

  const Branch& current() const { return branches_[current_]; }
  const std::vector<Branch>& branches() const { return branches_; }
  /// The scenario as loaded at the start (before any move).
  const Scenario& scenario() const { return base_; }
  /// The state at step 0.
  const State& initial_state() const { return initial_; }
  const SessionSetup& setup() const { return setup_; }
  /// The run of the seed played (see start).
  std::uint64_t run() const { return run_; }
  /// Resolved files: the scenario and the start policies.
  const std::string& scenario_file() const { return scenario_file_; }
  const std::vector<std::string>& policy_files() const { return policy_files_; }
  /// The files the scenario file includes (LoadResult::includes), whose checksums are kept too.
  const std::vector<std::string>& included_files() const { return included_files_; }
  /// "fnv1a64:<hex>" of every file read (scenario, its includes, policies, moved policies) when read.
  const std::map<std::string, std::string>& file_checksums() const { return checksums_; }
  /// The saved form of every branch.
  std::vector<BranchRecord> records() const;
  /// Every policy moved in so far (on any branch, undone or not), in the order first moved in.
  const std::vector<MovedPolicy>& moved_policies() const { return moved_; }

  /// True when what a save would keep (the branches, their commands, the current branch) differs
  /// from what it was at the last mark_saved() (or the start or restore): commands undone back to
  /// the saved ones leave nothing unsaved.
  bool unsaved() const { return saved_form() != saved_form_; }
  void mark_saved() { saved_form_ = saved_form(); }

 private:
  Session() = default;
  Branch fresh_branch(const std::string& name) const;
  /// Runs history[from..] on `branch` (whose first `from` commands are applied already); after
  /// each command k, `done(k + 1, branch)` when given. The reason when a command fails.
  std::optional<std::string> replay(Branch& branch, const std::vector<std::string>& history, std::size_t from = 0,
                                    const std::function<void(std::size_t, const Branch&)>& done = {});
  CommandResult run(Branch& branch, const SessionCommand& command);
  const Branch* running_ = nullptr;  ///< the branch a command is changing (its records counted afresh)
  CommandResult step(Branch& branch, int count) const;
  /// The bytes every branch but `except` keeps of its steps' tensions (run_history_memory), and
  /// every branch of its event records (changes fired and journaled, and the most its pending
  /// injects will add).
  std::size_t kept_history(const Branch* except = nullptr) const;
  /// Empty when injecting `event` leaves the session within its memory budget (its firing
  /// recorded twice: in the branch's events and its journal), else why not, for command `what`.
  std::string inject_memory_error(const std::string& what, const Event& event) const;
  /// "WHAT: the session's N branches would keep X GiB ..., more than its limit ...".
  std::string session_memory_error(const std::string& what, std::size_t bytes) const;
  CommandResult inject_event(Branch& branch, const SessionCommand& command) const;
  /// Why `command`'s event id is not one of the branch's events (inject and roll): the policy
  /// that brings it when a shipped one does, else the closest id.
  CommandResult unknown_event(const Branch& branch, const SessionCommand& command) const;
  CommandResult inject_adhoc(Branch& branch, const SessionCommand& command) const;
  CommandResult move(Branch& branch, const SessionCommand& command);
  CommandResult roll(Branch& branch, const SessionCommand& command) const;  // session_roll.cpp
  const Scenario* load_with(const std::vector<std::string>& policies, std::string& error);
  std::optional<std::size_t> find_branch(const std::string& name) const;
  /// What a save keeps of the session as it changes, as one string (unsaved()).
  std::string saved_form() const;

  SessionSetup setup_;
  std::string dir_;  ///< resolved scenarios folder
  std::string scenario_file_;
  std::vector<std::string> policy_files_;
  std::vector<std::string> included_files_;
  Scenario base_;
  State initial_;
  std::uint64_t run_ = 0;  ///< the run played (see start)
  Rng initial_rng_;        ///< Rng::for_run(seed, 0): the keyed draws of every branch
  std::vector<Branch> branches_;
  std::size_t current_ = 0;
  std::string saved_form_;  ///< saved_form() at the last mark_saved()
  /// Scenarios loaded with extra policies for moves, keyed by the policy files.
  std::map<std::vector<std::string>, Scenario> loaded_;
  std::map<std::string, std::string> checksums_;
  /// The events each shipped policy file brings (unknown_event's hint), read when first needed.
  mutable std::map<std::string, std::vector<std::string>> policy_events_;
  /// The most policy files unknown_event reads for its hint.
  static constexpr std::size_t kPolicyHintFiles = 64;
  std::vector<MovedPolicy> moved_;  ///< what each `move NAME` resolved to (pinned on first use)
  /// True while a branch's recorded history replays: a move it holds stands as it was played
  /// (a session saved before a policy id was checked for repeats still resumes).
  bool replaying_ = false;
};

}  // namespace geosim
