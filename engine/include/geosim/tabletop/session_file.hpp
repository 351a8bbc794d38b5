#pragma once
/// \file
/// Saving and resuming a tabletop session. A session file is JSON, written to be read by people:
///
///     {
///       "geosim_session": 1,
///       "scenario": {"name": "realignment", "file": "../scenarios/realignment.yaml",
///                    "checksum": "fnv1a64:...", "fingerprint": "fnv1a64:..."},
///       "policies": [{"name": "quiet-diplomacy", "file": "...", "checksum": "..."}],
///       "moved_policies": [{"name": "asean-dialogue", "file": "...", "checksum": "..."}],
///       "seed": 1,
///       "current": "main",
///       "branches": [{"name": "main", "parent": "", "forked_at": 0, "forked_commands": 0, "step": 12,
///                     "state": "fnv1a64:...", "history": ["step 3", "inject pyongyang-visit", ...]}]
///     }
///
/// Files are stored relative to the session file's folder (resolved against it when read). A
/// moved policy is stored with the name its `move` was typed with: resuming replays `move NAME`
/// from that file, not from a new lookup, and refuses when the file's content changed.
/// `forked_commands` is how many commands of a branch's history came from its parent (`undo`
/// stops there).
///
/// Resuming replays every branch's history from the start (the simulation is deterministic, so
/// this restores each branch bit for bit). The scenario file's checksum and the fingerprint of
/// the loaded scenario (which covers the files it includes) must match, or resuming stops with
/// a message saying what changed; policy files likewise. `state` (a checksum of each branch's
/// relation matrices) is checked after the replay and a difference is reported as a warning.
/// Text in, text out: the caller reads and writes the file.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "geosim/core/diagnostic.hpp"
#include "geosim/tabletop/session.hpp"

namespace geosim {

/// The current version of the session file format.
inline constexpr int kSessionFileVersion = 1;

/// Limits on a session file: it is untrusted input (it may come from someone else), so
/// resuming refuses one beyond them, and checks every field before using it.
inline constexpr std::size_t kMaxSessionFileBytes = std::size_t(16) << 20;  ///< 16 MiB
inline constexpr std::size_t kMaxSessionBranches = 100;                     ///< branches in one session
inline constexpr std::size_t kMaxBranchHistory = 10000;                     ///< commands in one branch's history
inline constexpr std::size_t kMaxSessionPolicyFiles =
    64;                                               ///< entries of `policies`, of `moved_policies` and of `includes`
inline constexpr std::size_t kMaxSessionText = 1000;  ///< bytes of a name or a path (a command: kMaxCommandBytes)
inline constexpr int kMaxSessionSteps = 100000;       ///< a branch's `step` and `forked_at` (the loader's limit)

/// The session as JSON text (two-space indented, ending in a newline). With `session_file` (the
/// file it will be written to), file paths are stored relative to that file's folder, so that the
/// exercise folder can be moved or copied; without, they are absolute. "" when a stored path is
/// not UTF-8 text (a folder so named on the way from the session file to the scenario's files),
/// which JSON cannot hold: session_save_error says so.
std::string session_to_json(const Session& session, const std::string& session_file = "");

/// "" when session_from_json would read every name and path `text` (session_to_json's) stores;
/// otherwise a one-line reason naming the field: a stored path, relative to the session file's
/// folder, can be longer than what was typed (a session saved far from its files) or hold a
/// control character (a file name with a tab). `save` refuses such a session rather than write
/// what `--resume` refuses; "" `text` is a path that is not UTF-8 (session_to_json).
std::string session_save_error(const std::string& text);

/// True when `text` is a geosim session file (of any version).
bool is_session_file(const std::string& text);

/// A session restored from a file.
struct ResumeResult {
  std::optional<Session> session;
  std::vector<Diagnostic> errors;     ///< why it could not be restored
  std::vector<std::string> warnings;  ///< restored, but something differs (e.g. a branch's state)
};

/// Restores the session saved in `text` (read from `file_name`, used in messages). Every field
/// is checked: the version; counts and lengths within the limits above; names, paths and
/// commands without control characters; checksums of the form fnv1a64:<16 hex digits>; branch
/// names unique and non-empty, each parent an earlier branch, forked_at within the branch's
/// steps, and `current` one of the branches. Files named in it are read only if regular and at
/// most 4 MiB. Error messages name the field, never repeat a value that failed its check. Shipped names
/// are looked up in `scenarios_dir` ("" = default) when the saved file paths no longer exist.
ResumeResult session_from_json(const std::string& text, const std::string& file_name, const std::string& scenarios_dir);

/// A checksum of the content of a loaded scenario (actors, relations, parameters, indicators,
/// events): it changes when any file the scenario includes changes in a way that matters.
std::string scenario_fingerprint(const Scenario& scenario);

/// A checksum of a state's step and relation matrices, bit for bit.
std::string state_checksum(const State& state);

/// A checksum of what a branch has yet to play besides its relations: the follow-ups and window
/// events waiting, the injects for the next step, the policies in play and the events that
/// fired. A history edited so that only the future differs (a roll's odds) changes it.
std::string course_checksum(const Branch& branch);

}  // namespace geosim
