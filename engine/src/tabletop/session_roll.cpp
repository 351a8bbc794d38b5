// `roll EVENT_ID [P]`: a facilitator's chance inject (session.hpp). The draw comes from the
// session's keyed stream RngPurpose::roll, keyed on the event id, the step and how many rolls
// of that event came before at that step, so the same history draws the same numbers: `undo`
// and resuming a saved session replay a roll exactly, and a roll changes no other draw.
#include <fmt/format.h>
#include <algorithm>

#include "geosim/tabletop/session.hpp"

namespace geosim {

CommandResult Session::roll(Branch& b, const SessionCommand& command) const {
  if (b.state.step >= b.scenario.steps)
    return {false, fmt::format("the scenario has ended at step {}; nothing more can fire", b.state.step)};
  const auto index = b.scenario.find_event(command.argument);
  if (!index) return unknown_event(b, command);
  const Event& event = b.scenario.events[*index];
  const double odds = command.odds.value_or(event.probability);
  const auto ordinal = std::count_if(b.journal.begin(), b.journal.end(), [&](const JournalEntry& j) {
    return j.kind == JournalEntry::Kind::roll && j.made_at == b.state.step && j.id == event.id;
  });
  const double draw =
      b.rng.stream(RngPurpose::roll, rng_name_key(event.id), std::uint64_t(b.state.step), std::uint64_t(ordinal))
          .uniform();
  const bool happens = draw < odds;
  const std::string outcome =
      fmt::format("rolled {:.3f} against odds {:.3f}: {}", draw, odds, happens ? "it happens" : "it does not happen");
  if (!happens) {
    b.journal.push_back({JournalEntry::Kind::roll,
                         b.state.step,
                         b.state.step,
                         false,
                         event.id,
                         event.title,
                         command.text,
                         outcome,
                         {},
                         {},
                         command.team,
                         command.rationale});
    return {true, fmt::format("'{}' {}", event.id, outcome)};
  }
  SessionCommand inject = command;
  inject.kind = CommandKind::inject_event;
  CommandResult result = inject_event(b, inject);
  if (!result.ok) return result;
  JournalEntry& entry = b.journal.back();
  entry.kind = JournalEntry::Kind::roll;
  entry.note = entry.note.empty() ? outcome : outcome + "; " + entry.note;
  return {true, fmt::format("'{}' {}\n{}", event.id, outcome, result.message)};
}

}  // namespace geosim
