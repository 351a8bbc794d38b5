#include "geosim/scenario.hpp"

namespace geosim {

std::optional<std::size_t> Scenario::find_actor(const std::string& actor_id) const {
  for (std::size_t i = 0; i < actors.size(); ++i)
    if (actors[i].id == actor_id) return i;
  return std::nullopt;
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

}  // namespace geosim
