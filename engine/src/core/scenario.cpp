#include "geosim/core/scenario.hpp"

#include <algorithm>

namespace geosim {

namespace {

/// Whether actor a comes before actor b in actor_order: by id, then by index.
struct ActorBefore {
  const std::vector<Actor>& actors;
  bool operator()(std::size_t a, std::size_t b) const {
    const int c = actors[a].id.compare(actors[b].id);
    return c < 0 || (c == 0 && a < b);
  }
  bool operator()(std::size_t a, const std::string& id) const { return actors[a].id < id; }
};

}  // namespace

std::optional<std::size_t> Scenario::find_actor(const std::string& actor_id) const {
  if (actor_order.size() != actors.size()) {  // not indexed (actors changed directly)
    for (std::size_t i = 0; i < actors.size(); ++i)
      if (actors[i].id == actor_id) return i;
    return std::nullopt;
  }
  const auto it = std::lower_bound(actor_order.begin(), actor_order.end(), actor_id, ActorBefore{actors});
  if (it == actor_order.end() || actors[*it].id != actor_id) return std::nullopt;
  return *it;
}

void Scenario::add_actor(Actor actor) {
  if (actor_order.size() != actors.size()) index_actors();
  actors.push_back(std::move(actor));
  const std::size_t added = actors.size() - 1;
  actor_order.insert(std::upper_bound(actor_order.begin(), actor_order.end(), added, ActorBefore{actors}), added);
}

void Scenario::index_actors() {
  actor_order.resize(actors.size());
  for (std::size_t i = 0; i < actors.size(); ++i) actor_order[i] = i;
  std::sort(actor_order.begin(), actor_order.end(), ActorBefore{actors});
}

std::optional<std::size_t> Scenario::find_event(const std::string& event_id) const {
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i].id == event_id) return i;
  return std::nullopt;
}

int Scenario::step_of_date(Date date) const {
  const int days = date.days - start.days;
  // Floor division: dates before the start fall in steps <= 0.
  const int q = days >= 0 ? days / step_days : -((-days + step_days - 1) / step_days);
  return q + 1;
}

std::string Scenario::step_dates(int step) const {
  const Date first = add_days(start, (step - 1) * step_days), last = add_days(start, step * step_days - 1);
  return first == last ? format_date(first) : format_date(first) + " to " + format_date(last);
}

std::string Scenario::when_fired(std::size_t event, bool adhoc, int step) const {
  if (!adhoc && event < events.size() && events[event].date && step_of_date(*events[event].date) == step)
    return format_date(*events[event].date);
  return step_dates(step);
}

}  // namespace geosim
