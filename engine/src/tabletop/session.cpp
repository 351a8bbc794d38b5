// The tabletop session: starting, stepping, injects, undo, branches and replay. Moves (policies
// played mid-game) are in session_move.cpp.
#include "geosim/tabletop/session.hpp"
#include "geosim/tabletop/session_command.hpp"
#include "geosim/tabletop/session_file.hpp"
#include "geosim/tabletop/session_view.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "geosim/core/control_chars.hpp"
#include "geosim/core/ensemble.hpp"
#include "geosim/core/model_parameters.hpp"
#include "geosim/core/run_budget.hpp"
#include "geosim/io/catalog.hpp"
#include "geosim/io/input_file.hpp"
#include "geosim/io/loader.hpp"

namespace geosim {
namespace {

std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

}  // namespace

std::string checksum_of(const std::string& bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
  return fmt::format("fnv1a64:{:016x}", h);
}

std::string file_checksum(const std::string& path) {
  const InputText input = read_input_file(path);  // a regular file of at most 4 MiB, like the loader's
  return input.text ? checksum_of(*input.text) : "";
}

std::optional<Session> Session::start(const SessionSetup& setup, std::vector<Diagnostic>& errors, std::uint64_t run) {
  Session session;
  session.setup_ = setup;
  session.dir_ = scenarios_dir(setup.scenarios_dir);
  auto path = setup.scenario_file.empty() ? resolve_scenario(setup.scenario, session.dir_)
                                          : std::optional<std::string>(setup.scenario_file);
  if (!path) {
    // Said as every command says it ("geosim: error: ..."): the unknown word is no file to point at.
    errors.push_back(
        {"geosim", 0, 0,
         unknown_catalog_name("scenario", setup.scenario, list_scenarios(session.dir_), "shipped scenarios")});
    return std::nullopt;
  }
  session.scenario_file_ = *path;
  // What a saved session keeps (the reader's limits): refused here, not when saving or resuming.
  if (setup.policies.size() > kMaxSessionPolicyFiles) {
    errors.push_back({"--policy", 0, 0,
                      fmt::format("at most {} policies from the start (a saved session keeps that "
                                  "many), found {}",
                                  kMaxSessionPolicyFiles, setup.policies.size())});
    return std::nullopt;
  }
  for (const std::string& name : setup.policies)
    if (name.size() > kMaxSessionText) {
      errors.push_back({"--policy", 0, 0,
                        fmt::format("a policy's name or file may be at most {} bytes (a saved "
                                    "session keeps it), found {}",
                                    kMaxSessionText, name.size())});
      return std::nullopt;
    }
  if (setup.settings.size() > kMaxSettings) {
    errors.push_back(
        {"--set", 0, 0, fmt::format("at most {} settings, found {}", kMaxSettings, setup.settings.size())});
    return std::nullopt;
  }
  for (std::size_t k = 0; k < setup.policies.size(); ++k) {
    const std::string& name = setup.policies[k];
    auto policy = k < setup.policy_files.size() && !setup.policy_files[k].empty()
                      ? std::optional<std::string>(setup.policy_files[k])
                      : resolve_policy(name, session.dir_);
    if (!policy) {
      errors.push_back(
          {"geosim", 0, 0, unknown_catalog_name("policy", name, list_policies(session.dir_), "shipped policies")});
      return std::nullopt;
    }
    // Twice is a slip (the same file however spelled), refused as the other commands refuse it.
    if (is_one_of_files(*policy, session.policy_files_)) {
      errors.push_back({"--policy", 0, 0, fmt::format("'{}' is given twice (each policy applies once)", name)});
      return std::nullopt;
    }
    session.policy_files_.push_back(*policy);
  }
  LoadOptions options;
  // Each policy applies once, as `run` has it; a session saved with two files of one policy id
  // (its files recorded) still resumes.
  options.repeated_policy_ids = !setup.policy_files.empty();
  options.policies = session.policy_files_;
  options.settings = setup.settings;
  LoadResult loaded = load_scenario(*path, options);
  if (!loaded.ok()) {
    errors.insert(errors.end(), loaded.errors.begin(), loaded.errors.end());
    return std::nullopt;
  }
  // A session file records these paths as JSON text, which holds only UTF-8: refused now, not at `save`.
  std::vector<std::string> paths{*path};
  paths.insert(paths.end(), session.policy_files_.begin(), session.policy_files_.end());
  paths.insert(paths.end(), loaded.includes.begin(), loaded.includes.end());
  for (const std::string& p : paths)
    if (!valid_utf8(p)) {
      errors.push_back({p, 0, 0,
                        "a session file records this path, and it is not UTF-8 text: rename the file or its "
                        "folder, or give it through a link whose path is"});
      return std::nullopt;
    }
  session.checksums_[*path] = file_checksum(*path);
  for (const auto& f : session.policy_files_) session.checksums_[f] = file_checksum(f);
  session.included_files_ = std::move(loaded.includes);
  for (const auto& f : session.included_files_) session.checksums_[f] = file_checksum(f);
  session.moved_ = setup.moved;
  session.base_ = std::move(*loaded.scenario);
  session.run_ = run;
  session.initial_rng_ = Rng::for_run(setup.seed, run);
  session.initial_ = geosim::initial_state(session.base_, session.initial_rng_);
  session.branches_.push_back(session.fresh_branch(kMainBranch));
  session.mark_saved();  // nothing to save yet
  return session;
}

std::optional<Session> Session::restore(const SessionSetup& setup, const std::vector<BranchRecord>& records,
                                        const std::string& current, std::vector<Diagnostic>& errors,
                                        std::uint64_t run) {
  auto session = start(setup, errors, run);
  if (!session) return std::nullopt;
  session->branches_.clear();
  // A branch forked from one restored before it starts from a copy of its parent at the fork,
  // as `branch` made it, and replays only its own commands: the same branch (the replay of a
  // history is its branch, bit for bit), without replaying every ancestor's commands again,
  // which a chain of branches paid in the square of its length. The parents' states at the
  // forks are kept while they replay.
  std::map<std::string, std::set<std::size_t>> fork_points;
  std::map<std::string, const BranchRecord*> by_name;
  for (const BranchRecord& record : records) {
    if (!record.parent.empty() && record.forked_commands > 0)
      fork_points[record.parent].insert(std::min(record.forked_commands, record.history.size()));
    by_name.emplace(record.name, &record);
  }
  std::map<std::pair<std::string, std::size_t>, Branch> at_forks;
  for (const BranchRecord& record : records) {
    if (session->find_branch(record.name)) {
      errors.push_back({record.name, 0, 0, fmt::format("branch '{}' appears twice", record.name)});
      return std::nullopt;
    }
    const std::size_t taken = std::min(record.forked_commands, record.history.size());
    const auto snapshot = at_forks.find({record.parent, taken});
    const auto parent = by_name.find(record.parent);
    const bool from_parent = snapshot != at_forks.end() && parent != by_name.end() &&
                             parent->second->history.size() >= taken &&
                             std::equal(record.history.begin(), record.history.begin() + std::ptrdiff_t(taken),
                                        parent->second->history.begin());
    Branch branch = from_parent ? snapshot->second : session->fresh_branch(record.name);
    branch.name = record.name;
    branch.parent = record.parent;
    branch.forked_at = record.forked_at;
    branch.forked_commands = taken;
    const auto points = fork_points.find(record.name);
    const auto keep = [&](std::size_t done, const Branch& b) {
      if (points != fork_points.end() && points->second.count(done)) at_forks.insert_or_assign({record.name, done}, b);
    };
    if (auto error = session->replay(branch, record.history, from_parent ? taken : 0, keep)) {
      errors.push_back({record.name, 0, 0, fmt::format("branch '{}' does not replay: {}", record.name, *error)});
      return std::nullopt;
    }
    session->branches_.push_back(std::move(branch));
  }
  if (session->branches_.empty()) session->branches_.push_back(session->fresh_branch(kMainBranch));
  session->current_ = session->find_branch(current).value_or(0);
  session->mark_saved();  // as it was saved
  return session;
}

Branch Session::fresh_branch(const std::string& name) const {
  Branch branch;
  branch.name = name;
  branch.scenario = base_;
  branch.state = initial_;
  branch.trajectory = {initial_.tension};
  branch.rng = initial_rng_;
  return branch;
}

std::optional<Branch> Session::replay_current(std::uint64_t run, std::string& error) {
  const std::vector<std::string> history = current().history;
  Branch branch;
  branch.name = current().name;
  branch.scenario = base_;
  branch.rng = Rng::for_run(setup_.seed, run);
  branch.state = geosim::initial_state(base_, branch.rng);
  branch.trajectory = {branch.state.tension};
  if (auto failed = replay(branch, history)) {
    error = *failed;
    return std::nullopt;
  }
  return branch;
}

std::optional<std::string> Session::replay(Branch& branch, const std::vector<std::string>& history, std::size_t from,
                                           const std::function<void(std::size_t, const Branch&)>& done) {
  struct Replaying {  // set for this replay, restored however it ends
    bool& flag;
    bool was;
    ~Replaying() { flag = was; }
  } replaying{replaying_, replaying_};
  replaying_ = true;
  for (std::size_t k = from; k < history.size(); ++k) {
    const ParsedCommand parsed = parse_session_command(history[k]);
    if (!parsed.command) return fmt::format("command {} {}: {}", k + 1, quote_word(history[k]), parsed.error);
    if (!records_history(parsed.command->kind))
      return fmt::format("command {} {} is not a step, inject or move", k + 1, quote_word(history[k]));
    const CommandResult result = run(branch, *parsed.command);
    if (!result.ok) return fmt::format("command {} {}: {}", k + 1, quote_word(history[k]), result.message);
    if (done) done(k + 1, branch);
  }
  return std::nullopt;
}

CommandResult Session::apply(const SessionCommand& command) {
  if (!records_history(command.kind)) return {false, "only step, inject and move change a branch"};
  CommandResult result = run(branches_[current_], command);
  Branch& b = branches_[current_];
  if (!result.ok && !b.state.error.empty()) {  // a step stopped part-way: back to before the command
    Branch rebuilt = fresh_branch(b.name);
    rebuilt.parent = b.parent;
    rebuilt.forked_at = b.forked_at;
    rebuilt.forked_commands = b.forked_commands;
    if (!replay(rebuilt, b.history)) b = std::move(rebuilt);
  }
  return result;
}

namespace {
/// The memory (bytes) of the event records branch `b` keeps: every change its fired events and
/// its journal hold (an inject's in both), and the most its pending injects will add there.
std::size_t record_memory(const Branch& b) {
  std::size_t changes = 0;
  for (const AppliedEvent& applied : b.fired) changes += applied.changes.size();
  for (const JournalEntry& entry : b.journal) changes += entry.changes.size();
  for (std::size_t e : b.pending.scenario_events) changes += 2 * event_change_bound(b.scenario.events[e]);
  for (const Event& event : b.pending.adhoc_events) changes += 2 * event_change_bound(event);
  return changes * kChangeRecordBytes;  // as a run counts them: the after-action page's tree holds each
}
}  // namespace

std::size_t Session::kept_history(const Branch* except) const {
  std::size_t bytes = 0;
  for (const Branch& b : branches_) {
    if (&b != except) bytes += run_history_memory(b.scenario, int(b.trajectory.size()) - 1);
    if (&b == running_) {  // changing under the command: counted as it is now
      bytes += record_memory(b);
      continue;
    }
    if (b.records_counted_at != b.revision) {
      b.records_bytes = record_memory(b);
      b.records_counted_at = b.revision;
    }
    bytes += b.records_bytes;
  }
  return bytes;
}

std::string Session::inject_memory_error(const std::string& what, const Event& event) const {
  const std::size_t after = kept_history() + 2 * event_change_bound(event) * kChangeRecordBytes;
  return after > setup_.memory_budget ? session_memory_error(what, after) : std::string();
}

std::string Session::session_memory_error(const std::string& what, std::size_t bytes) const {
  // in GiB, or MiB below 1 GiB (a limit of 2 GiB reads as "2.0 GiB", 0.15 GiB as "153.6 MiB")
  auto size = [](std::size_t b) {
    return b >= (std::size_t(1) << 30) ? fmt::format("{:.1f} GiB", double(b) / double(std::size_t(1) << 30))
                                       : fmt::format("{:.1f} MiB", double(b) / double(std::size_t(1) << 20));
  };
  return fmt::format(
      "{}: the session's {} branch{} would keep {} of tensions and event records, more than its limit "
      "of {}: save it and write its report now; undo on any branch frees room",
      what, branches_.size(), branches_.size() == 1 ? "" : "es", size(bytes), size(setup_.memory_budget));
}

CommandResult Session::run(Branch& branch, const SessionCommand& command) {
  if (branch.history.size() >= kMaxBranchHistory)  // what a saved session can hold, so that it resumes
    return {false, fmt::format("branch '{}' holds {} commands, the most a saved session keeps: save it and write "
                               "its report now; undo frees room",
                               branch.name, kMaxBranchHistory)};
  CommandResult result;
  // Its records change under the command: not counted from the cache meanwhile, and counted
  // afresh after it (a new revision).
  struct Running {
    Session& session;
    Branch& branch;
    const Branch* before;
    ~Running() {
      ++branch.revision;
      session.running_ = before;
    }
  } running{*this, branch, running_};
  running_ = &branch;
  ++branch.revision;
  switch (command.kind) {
    case CommandKind::step:  // what it refuses is the count typed (the command, when none was)
      result = step(branch, command.count);
      if (!result.ok) result.at = command.argument_at;
      break;
    case CommandKind::inject_event:
      result = inject_event(branch, command);
      break;
    case CommandKind::inject_adhoc:
      result = inject_adhoc(branch, command);
      break;
    case CommandKind::move:
      result = move(branch, command);
      break;
    case CommandKind::roll:
      result = roll(branch, command);
      break;
    default:
      return {false, "not a step, inject or move"};
  }
  if (result.ok) branch.history.push_back(command.text);
  return result;
}

CommandResult Session::step(Branch& b, int count) const {
  const int left = b.scenario.steps - b.state.step;
  if (count > left)
    return {false, left == 0 ? fmt::format("the scenario ends at {}; there is no step after it",
                                           step_label(b.scenario, b.scenario.steps))
                             : fmt::format("only {} step{} left: the scenario ends at {}", left, left == 1 ? "" : "s",
                                           step_label(b.scenario, b.scenario.steps))};
  // the branch keeps every step's tensions: refuse up front what would not fit, keeping the session
  if (std::string error = run_request_error(b.scenario, int(b.trajectory.size()) - 1 + count,
                                            fmt::format("'step {}': this branch", count));
      !error.empty())
    return {false, error};
  // ... and every branch keeps its own: the session's whole history within the same budget
  const std::size_t after = kept_history(&b) + run_history_memory(b.scenario, int(b.trajectory.size()) - 1 + count);
  if (after > setup_.memory_budget) return {false, session_memory_error(fmt::format("'step {}'", count), after)};
  // What the events may record on the way, follow-ups firing an event again and again: the rest.
  std::size_t changes_left = (setup_.memory_budget - after) / kChangeRecordBytes;
  std::string fired;
  for (int k = 0; k < count; ++k) {
    const std::size_t before = b.fired.size();
    StepInputs inputs = k == 0 ? std::move(b.pending) : StepInputs{};
    inputs.max_changes = changes_left;
    StepResult result = advance(std::move(b.state), b.scenario, b.rng, inputs);
    b.state = std::move(result.state);
    for (AppliedEvent& applied : result.fired) {
      changes_left -= std::min(changes_left, applied.changes.size());
      b.fired.push_back(std::move(applied));
    }
    if (!b.state.error.empty()) return {false, b.state.error};  // apply() rebuilds the branch
    b.trajectory.push_back(b.state.tension);
    std::size_t injected = 0;
    std::vector<std::string> ids;
    for (std::size_t e = before; e < b.fired.size(); ++e) {
      const AppliedEvent& applied = b.fired[e];
      const bool dated = !applied.adhoc && applied.event < b.scenario.events.size() &&
                         b.scenario.events[applied.event].date &&
                         b.scenario.step_of_date(*b.scenario.events[applied.event].date) == applied.step;
      ids.push_back(applied.id + (applied.cause == "inject" ? " (inject)"
                                  : dated ? " (" + b.scenario.when_fired(applied.event, false, applied.step) + ")"
                                          : ""));
      if (applied.cause != "inject") continue;
      const std::size_t entry = injected < b.pending_event_entries.size()
                                    ? b.pending_event_entries[injected]
                                    : b.pending_adhoc_entries[injected - b.pending_event_entries.size()];
      b.journal[entry].fired = true;
      b.journal[entry].changes = applied.changes;
      ++injected;
    }
    if (k == 0) {
      b.pending = {};
      b.pending_event_entries.clear();
      b.pending_adhoc_entries.clear();
    }
    if (!ids.empty())
      fired += fmt::format("\n  step {} ({}): {}", b.state.step, b.scenario.step_dates(b.state.step), join(ids));
  }
  return {true, fmt::format("now at {} of {}{}", step_label(b.scenario, b.state.step), b.scenario.steps,
                            fired.empty() ? std::string() : "; events:" + fired)};
}

CommandResult Session::undo() {
  Branch& b = branches_[current_];
  if (b.history.empty()) return {false, fmt::format("nothing to undo on branch '{}'", b.name)};
  if (b.history.size() <= b.forked_commands)
    return {false, fmt::format("nothing to undo on branch '{}' since it was forked from '{}' at step {}; to take "
                               "back earlier commands, `switch {}`",
                               b.name, b.parent, b.forked_at, b.parent)};
  std::vector<std::string> history = b.history;
  const std::string last = history.back();
  history.pop_back();
  Branch rebuilt = fresh_branch(b.name);
  rebuilt.parent = b.parent;
  rebuilt.forked_at = b.forked_at;
  rebuilt.forked_commands = b.forked_commands;
  if (auto error = replay(rebuilt, history)) return {false, "cannot undo: " + *error};
  b = std::move(rebuilt);
  return {true, fmt::format("undid '{}'; now at {}", last, step_label(b.scenario, b.state.step))};
}

CommandResult Session::branch(const std::string& name, std::size_t name_at) {
  if (find_branch(name)) return {false, fmt::format("a branch named '{}' exists already", name), name_at};
  if (branches_.size() >= kMaxSessionBranches)  // what a saved session can hold
    return {false, fmt::format("the session has {} branches, the most a saved session keeps", kMaxSessionBranches)};
  const Branch& from = branches_[current_];  // the fork copies its history
  if (const std::size_t after =
          kept_history() + run_history_memory(from.scenario, int(from.trajectory.size()) - 1) + record_memory(from);
      after > setup_.memory_budget)
    return {false, session_memory_error(fmt::format("'branch {}'", name), after)};
  Branch fork = branches_[current_];
  fork.name = name;
  fork.parent = branches_[current_].name;
  fork.forked_at = fork.state.step;
  fork.forked_commands = fork.history.size();
  branches_.push_back(std::move(fork));
  current_ = branches_.size() - 1;
  return {true, fmt::format("forked '{}' from '{}' at {}; now on '{}'", name, branches_[current_].parent,
                            step_label(base_, branches_[current_].state.step), name)};
}

CommandResult Session::switch_to(const std::string& name, std::size_t name_at) {
  auto index = find_branch(name);
  if (!index) {
    std::vector<std::string> names;
    for (const auto& b : branches_) names.push_back(b.name);
    return {false, unknown_name("branch", name, names), name_at};
  }
  current_ = *index;
  return {true, fmt::format("on branch '{}' at {}", name, step_label(base_, current().state.step))};
}

std::optional<std::size_t> Session::find_branch(const std::string& name) const {
  for (std::size_t k = 0; k < branches_.size(); ++k)
    if (branches_[k].name == name) return k;
  return std::nullopt;
}

std::vector<BranchRecord> Session::records() const {
  std::vector<BranchRecord> out;
  for (const auto& b : branches_) out.push_back({b.name, b.parent, b.forked_at, b.forked_commands, b.history});
  return out;
}

std::string Session::saved_form() const {
  // Each field ends with a NUL, which no name or command holds (typed lines refuse controls).
  std::string form = branches_[current_].name + '\0';
  for (const auto& b : branches_) {
    form +=
        b.name + '\0' + b.parent + '\0' + std::to_string(b.forked_at) + '\0' + std::to_string(b.forked_commands) + '\0';
    for (const auto& command : b.history) form += command + '\0';
    form += '\n';
  }
  return form;
}

}  // namespace geosim
