#include "geosim/core/scenario.hpp"

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
