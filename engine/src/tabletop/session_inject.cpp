// inject EVENT_ID and inject adhoc (session.hpp): an event of the branch's scenario brought
// forward to the next step, or one typed on the command line, each within the session's memory.
#include <fmt/format.h>
#include <algorithm>
#include <tuple>

#include "geosim/core/diagnostic.hpp"
#include "geosim/io/catalog.hpp"
#include "geosim/io/loader.hpp"
#include "geosim/tabletop/session.hpp"
#include "geosim/tabletop/session_view.hpp"

namespace geosim {
namespace {

/// "step 10 (2025-10-03 to 2025-10-09)": the days an event fires within, as `step` lists them.
std::string firing_label(const Scenario& s, int step) { return fmt::format("step {} ({})", step, s.step_dates(step)); }

/// One actor or members(ORG), resolved against the scenario; "" error when found.
std::string resolve_actor_set(const Scenario& s, const std::string& name, ActorSet& out) {
  std::vector<std::string> ids, orgs;
  for (const auto& a : s.actors) {
    ids.push_back(a.id);
    if (a.kind == ActorKind::organization) orgs.push_back(a.id);
  }
  if (name.rfind("members(", 0) == 0 && name.size() > 9 && name.back() == ')') {
    const std::string org = name.substr(8, name.size() - 9);
    auto index = s.find_actor(org);
    if (!index || s.actors[*index].kind != ActorKind::organization)
      return fmt::format("unknown organization '{}' in '{}' (organizations: {})", org, name, name_list(orgs));
    out = ActorSet{s.actors[*index].members, name};
    return "";
  }
  auto index = s.find_actor(name);
  if (!index) {
    const std::string guess = closest_match(name, ids);
    return fmt::format("unknown actor '{}'{} (actors: {})", name, did_you_mean(guess), name_list(ids));
  }
  out = ActorSet{{*index}, name};
  return "";
}

}  // namespace

CommandResult Session::unknown_event(const Branch& b, const SessionCommand& command) const {
  // An event a shipped policy brings: said so, with the move that brings it in. Each policy's
  // events are read once a session, and only the first kPolicyHintFiles policies (a folder of
  // thousands would take minutes: no hint then).
  const std::vector<CatalogEntry> policies = list_policies(dir_);
  for (std::size_t k = 0; k < policies.size() && k < kPolicyHintFiles; ++k) {
    const CatalogEntry& policy = policies[k];
    auto known = policy_events_.find(policy.path);
    if (known == policy_events_.end()) {
      std::vector<std::string> brought;
      LoadOptions options;
      options.policies = {policy.path};
      const LoadResult with = load_scenario(scenario_file_, options);
      if (with.ok())
        for (const Event& e : with.scenario->events)
          if (!base_.find_event(e.id)) brought.push_back(e.id);
      known = policy_events_.emplace(policy.path, std::move(brought)).first;
    }
    if (std::find(known->second.begin(), known->second.end(), command.argument) != known->second.end())
      return {false,
              fmt::format("event {} comes with the policy {}, not moved in on branch '{}': `move {}` brings its "
                          "events in",
                          quote_word(command.argument), quote_word(policy.name), b.name, policy.name),
              command.argument_at};
  }
  std::vector<std::string> ids;
  for (const auto& e : b.scenario.events) ids.push_back(e.id);
  const std::string message = unknown_name("event", command.argument, ids);  // ends in '?' or ')'
  return {false, message + (message.back() == '?' ? " Type `events` to list them." : "; type `events` to list them"),
          command.argument_at};
}

CommandResult Session::inject_event(Branch& b, const SessionCommand& command) const {
  if (b.state.step >= b.scenario.steps)
    return {false,
            fmt::format("the scenario has ended at {}; nothing more can fire", step_label(b.scenario, b.state.step))};
  auto index = b.scenario.find_event(command.argument);
  if (!index) return unknown_event(b, command);
  // What its firing records, within the session's memory (a bloc against a bloc is many relations)
  if (std::string error =
          inject_memory_error(fmt::format("'inject {}'", b.scenario.events[*index].id), b.scenario.events[*index]);
      !error.empty())
    return {false, error};
  // An event still scheduled ahead is brought forward: it fires at the next step instead.
  Event& event = b.scenario.events[*index];
  const Timing own = *index < base_.events.size() ? base_.events[*index].timing : event.timing;
  std::string note;
  if (own == Timing::never) {
    // It comes only as a follow-up: injected, it stands in for its next one, which does not fire.
    note = "its next follow-up, if one comes, will not fire again";
    b.state.preempted.push_back(*index);
  } else if (event.timing == Timing::at_step && event.step > b.state.step) {
    note = fmt::format("brought forward from step {}", event.step);
    event.timing = Timing::never;  // `step` keeps the date it had, for `events`
  } else if (event.timing == Timing::window && b.state.window_step[*index] > b.state.step) {
    note = fmt::format("brought forward from its window, steps {}-{}", event.window_first, event.window_last);
    b.state.window_step[*index] = -1;
  }
  JournalEntry entry{JournalEntry::Kind::inject,
                     b.state.step,
                     b.state.step + 1,
                     false,
                     event.id,
                     event.title,
                     command.text,
                     note,
                     {},
                     {},
                     command.team,
                     command.rationale};
  const auto already = std::count(b.pending.scenario_events.begin(), b.pending.scenario_events.end(), *index);
  b.pending.scenario_events.push_back(*index);
  b.pending_event_entries.push_back(b.journal.size());
  b.journal.push_back(std::move(entry));
  return {true, fmt::format("'{}' will fire in {}{}{}", event.id, firing_label(b.scenario, b.state.step + 1),
                            note.empty() ? "" : " (" + note + ")",
                            already == 0 ? ""
                                         : fmt::format("\nwarning: '{}' is now injected {} times for this step and "
                                                       "will fire {} times; `undo` takes the last inject back",
                                                       event.id, already + 1, already + 1))};
}

CommandResult Session::inject_adhoc(Branch& b, const SessionCommand& command) const {
  if (b.state.step >= b.scenario.steps)
    return {false,
            fmt::format("the scenario has ended at {}; nothing more can fire", step_label(b.scenario, b.state.step))};
  const std::size_t count = std::count_if(b.journal.begin(), b.journal.end(),
                                          [](const JournalEntry& e) { return e.kind == JournalEntry::Kind::adhoc; });
  Event event;
  event.id = fmt::format("adhoc-{}", count + 1);
  event.title = command.adhoc.title;
  for (const AdhocEffect& typed : command.adhoc.effects) {
    Effect effect;
    effect.both_directions = typed.both_directions;
    for (auto [name, set, at] :
         {std::tuple{&typed.from, &effect.from, typed.from_at}, std::tuple{&typed.to, &effect.to, typed.to_at}})
      if (std::string error = resolve_actor_set(b.scenario, *name, *set); !error.empty()) return {false, error, at};
    if (effect.from.actors.size() == 1 && effect.from.actors == effect.to.actors)
      return {false, fmt::format("expected two different actors, found '{}' on both sides", typed.from), typed.to_at};
    for (std::size_t a : effect.from.actors)
      for (std::size_t c : effect.to.actors)
        if (a != c && !b.scenario.has_relation(a, c))
          return {false,
                  fmt::format("expected pairs with a relation, found {}–{}, which has none (absent)",
                              b.scenario.actors[a].id, b.scenario.actors[c].id),
                  typed.from_at};
    auto size = [](const std::optional<double>& v) -> std::optional<Magnitude> {
      if (!v) return std::nullopt;
      return Magnitude{*v, 0.0};
    };
    effect.tension = size(typed.tension);
    effect.baseline = size(typed.baseline);
    effect.tie = size(typed.tie);
    event.effects.push_back(std::move(effect));
  }
  // What its firing records, within the session's memory (a bloc against a bloc is many relations)
  if (std::string error = inject_memory_error(fmt::format("'inject adhoc \"{}\"'", event.title), event); !error.empty())
    return {false, error};
  JournalEntry entry{JournalEntry::Kind::adhoc,
                     b.state.step,
                     b.state.step + 1,
                     false,
                     event.id,
                     event.title,
                     command.text,
                     "",
                     {},
                     {},
                     command.team,
                     command.rationale};
  b.pending.adhoc_events.push_back(std::move(event));
  b.pending_adhoc_entries.push_back(b.journal.size());
  b.journal.push_back(std::move(entry));
  return {true, fmt::format("'{}' ({}) will fire in {}", command.adhoc.title, b.journal.back().id,
                            firing_label(b.scenario, b.state.step + 1))};
}

}  // namespace geosim
