// A team's policy move in a tabletop session: the policy is loaded on top of the branch's
// scenario, its `adjust` changes apply to the current state at once, and its events join the
// branch's scenario from the next step on.
#include <fmt/format.h>
#include <algorithm>
#include <filesystem>
#include <map>

#include "geosim/core/control_chars.hpp"
#include "geosim/core/diagnostic.hpp"
#include "geosim/core/step.hpp"
#include "geosim/io/catalog.hpp"
#include "geosim/io/input_file.hpp"
#include "geosim/io/loader.hpp"
#include "geosim/tabletop/session.hpp"
#include "geosim/tabletop/session_file.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;

/// Adds `delta` keeping the value in [0,1]; returns the change made.
double bounded_add(double& value, double delta) {
  const double before = value;
  value = std::clamp(value + delta, 0.0, 1.0);
  return value - before;
}

/// The policy's adjustments (its `adjust` effects, those of `after` beyond `before`'s), applied
/// now to the current state: each directed pair once per effect, kept in [0,1] from the value it
/// has now. One change per relation, in the order first changed.
std::vector<RelationChange> apply_adjustments(const Scenario& before, const Scenario& after, State& state) {
  std::vector<RelationChange> changes;
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> where;  // each pair's change in `changes`
  for (std::size_t k = before.adjustments.size(); k < after.adjustments.size(); ++k) {
    const Effect& effect = after.adjustments[k];
    auto size = [](const std::optional<Magnitude>& m) { return m ? m->mean : 0.0; };
    for (const auto& pair : directed_pairs(effect)) {
      const std::size_t i = pair.first, j = pair.second;
      const auto [at, fresh] = where.try_emplace(pair, changes.size());  // a pair's change, found in log n
      if (fresh) changes.push_back(RelationChange{i, j, 0.0, 0.0, 0.0});
      RelationChange* it = &changes[at->second];
      const auto r = Eigen::Index(i), c = Eigen::Index(j);
      it->tension += bounded_add(state.tension(r, c), size(effect.tension));
      it->baseline += bounded_add(state.baseline(r, c), size(effect.baseline));
      it->tie += bounded_add(state.tie(r, c), size(effect.tie));
    }
  }
  std::erase_if(changes, [](const RelationChange& c) { return c.tension == 0.0 && c.baseline == 0.0 && c.tie == 0.0; });
  return changes;
}

/// Moves an event whose time has passed to the next step; cuts a window to start then.
/// Returns the step drawn for a window event (from the stream keyed on the event's id and the
/// step of the move), or -1.
int reschedule(Event& event, int now, const Rng& rng) {
  if (event.timing == Timing::at_step && event.step <= now) event.step = now + 1;
  if (event.timing != Timing::window) return -1;
  if (event.window_last <= now) {
    event.timing = Timing::at_step;
    event.step = now + 1;
    return -1;
  }
  event.window_first = std::max(event.window_first, now + 1);
  return static_cast<int>(rng.stream(RngPurpose::reschedule, rng_name_key(event.id), std::uint64_t(now))
                              .uniform_int(event.window_first, event.window_last));
}

/// A policy's title from its file, shipped or the facilitator's own; `fallback` without one.
std::string policy_title(const std::string& path, const std::string& fallback) {
  const auto entry = policy_entry(path);
  return entry && !entry->title.empty() ? entry->title : fallback;
}

}  // namespace

const Scenario* Session::load_with(const std::vector<std::string>& extra, std::string& error) {
  if (extra.empty()) return &base_;
  if (auto found = loaded_.find(extra); found != loaded_.end()) return &found->second;
  LoadOptions options;
  options.repeated_policy_ids = true;  // as the session's start (a saved session still resumes)
  options.policies = policy_files_;
  options.policies.insert(options.policies.end(), extra.begin(), extra.end());
  options.settings = setup_.settings;
  LoadResult result = load_scenario(scenario_file_, options);
  if (!result.ok()) {
    for (const auto& d : result.errors) error += (error.empty() ? "" : "\n") + format_diagnostic(d);
    return nullptr;
  }
  checksums_[extra.back()] = file_checksum(extra.back());
  return &loaded_.emplace(extra, std::move(*result.scenario)).first->second;
}

CommandResult Session::move(Branch& b, const SessionCommand& command) {
  const int now = b.state.step;
  if (now >= b.scenario.steps) return {false, fmt::format("the scenario has ended at step {}; no more moves", now)};
  if (!command.team.empty() && !b.scenario.find_actor(command.team)) {
    std::vector<std::string> ids;
    for (const Actor& a : b.scenario.actors) ids.push_back(a.id);
    const std::string guess = closest_match(command.team, ids);
    return {false,
            guess.empty() ? fmt::format("unknown team {}: expected an actor id of the scenario, like {}",
                                        quote_word(command.team), ids.empty() ? std::string("SGP") : ids.front())
                          : fmt::format("unknown team {}{}", quote_word(command.team), did_you_mean(guess)),
            command.team_at};
  }
  auto pinned =
      std::find_if(moved_.begin(), moved_.end(), [&](const MovedPolicy& m) { return m.name == command.argument; });
  auto path =
      pinned != moved_.end() ? std::optional<std::string>(pinned->file) : resolve_policy(command.argument, dir_);
  if (pinned != moved_.end() && !checksums_.count(pinned->file)) {  // not read yet in this session: check it
    const std::string now = file_checksum(pinned->file);
    if (now != pinned->checksum)
      return {false, fmt::format("the policy file '{}' (moved in as '{}') {} since it was first moved in; moving "
                                 "it again would not repeat that move: restore the file, or start a new session",
                                 pinned->file, command.argument, now.empty() ? "cannot be read" : "has changed")};
  }
  if (!path) {
    return {false, unknown_catalog_name("policy", command.argument, list_policies(dir_), "shipped policies"),
            command.argument_at};
  }
  // What a saved session keeps of a move (its name and file, once), within what resuming reads.
  if (command.argument.size() > kMaxSessionText || path->size() > kMaxSessionText)
    return {false, fmt::format("a policy's name and file may be at most {} bytes each (a saved session keeps them)",
                               kMaxSessionText)};
  if (!valid_utf8(*path))  // a session file could not record it
    return {false, fmt::format("the policy's path {} is not UTF-8 text, which a saved session cannot record: rename "
                               "its folder, or give it through a link whose path is",
                               quote_word(*path))};
  if (pinned == moved_.end() && moved_.size() >= kMaxSessionPolicyFiles)
    return {false, fmt::format("the session has moved {} policy files in, the most a saved session keeps",
                               kMaxSessionPolicyFiles)};
  for (const auto& files : {policy_files_, b.moves})
    if (is_one_of_files(*path, files))
      return {false, fmt::format("policy '{}' is already in play on branch '{}'", command.argument, b.name)};
  std::vector<std::string> extra = b.moves;
  std::string error;
  const Scenario* before = load_with(extra, error);
  extra.push_back(*path);
  const Scenario* after = before ? load_with(extra, error) : nullptr;
  if (!after)  // the loader's problems follow, one line each with its own file:line:col
    return {false, fmt::format("policy '{}' does not load on this branch:\n{}", command.argument, error),
            command.argument_at};

  const std::string id = after->policies.empty() ? command.argument : after->policies.back();
  // Each policy applies once, as `run` and `--policy` have it: another file of the same id would
  // add its adjustments a second time.
  if (!replaying_ && std::count(after->policies.begin(), after->policies.end(), id) > 1)
    return {false,
            fmt::format("policy '{}' is already in play on branch '{}' ({} has the same id): each policy applies once",
                        id, b.name, quote_word(command.argument)),
            command.argument_at};
  // A team plays only its own actor's policy (a policy's `by:`); with no team named, its actor's.
  const std::string by = after->policy_players.empty() ? "" : after->policy_players.back();
  if (!by.empty() && !command.team.empty() && command.team != by)
    return {false,
            fmt::format("'{}' is {}'s move (its 'by: {}'), not {}'s: `move {} {}`, or another team's own policy", id,
                        by, by, command.team, by, command.argument),
            command.team_at};
  JournalEntry entry{JournalEntry::Kind::move,
                     now,
                     now,
                     true,
                     id,
                     policy_title(*path, id),
                     command.text,
                     "",
                     apply_adjustments(*before, *after, b.state),
                     {},
                     command.team.empty() ? by : command.team,
                     command.rationale};
  for (std::size_t k = 0; k < b.scenario.actors.size(); ++k) {
    b.scenario.actors[k].restraint = after->actors[k].restraint;
    b.scenario.actors[k].reactivity = after->actors[k].reactivity;
  }
  b.scenario.parameters = after->parameters;
  b.scenario.before_policies = after->before_policies;  // the world's own values, under every policy in play
  b.scenario.policies = after->policies;
  b.scenario.policy_players = after->policy_players;
  b.scenario.files = after->files;
  for (std::size_t e = before->events.size(); e < after->events.size(); ++e) {
    Event event = after->events[e];
    b.state.window_step.push_back(reschedule(event, now, b.rng));
    entry.events.push_back(b.scenario.events.size());
    b.scenario.events.push_back(std::move(event));
  }
  b.moves.push_back(*path);
  b.trajectory.back() = b.state.tension;  // this step as play leaves it: with the adjustments made now
  if (pinned == moved_.end()) moved_.push_back({command.argument, *path, checksums_[*path]});
  std::string message = fmt::format("'{}' is in play: {} adjustment{} now, {} event{} from step {}", id,
                                    entry.changes.size(), entry.changes.size() == 1 ? "" : "s", entry.events.size(),
                                    entry.events.size() == 1 ? "" : "s", now + 1);
  b.journal.push_back(std::move(entry));
  return {true, message};
}

}  // namespace geosim
