#include "geosim/io/observed_series.hpp"

#include <charconv>
#include <fmt/format.h>
#include <limits>
#include <string_view>

#include "geosim/core/date.hpp"
#include "geosim/core/diagnostic.hpp"
#include "geosim/io/input_file.hpp"

namespace geosim {
namespace {

constexpr std::size_t kMaxErrors = 20;
constexpr std::string_view kHeader = "step,date,from,to,tension";

}  // namespace

ObservedSeries parse_observed_series(const std::string& text, const std::string& name, const Scenario& scenario,
                                     std::vector<Diagnostic>& errors) {
  ObservedSeries series;
  const std::size_t n = series.actors = scenario.actor_count();
  auto error = [&](int line, std::size_t column, std::string message) {
    if (errors.size() < kMaxErrors) errors.push_back({name, line, int(column), std::move(message)});
  };
  std::size_t pos = 0;
  int line = 0;
  bool header = false;
  while (pos < text.size() && errors.size() < kMaxErrors) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view row(text.data() + pos, end - pos);
    pos = end + 1;
    ++line;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (row.empty()) continue;
    if (!header) {
      if (row != kHeader) {
        error(line, 1, fmt::format("expected the header '{}', found {}", kHeader, quote_word(std::string(row))));
        return series;
      }
      header = true;
      continue;
    }
    std::string_view field[5];
    std::size_t start[5] = {0, 0, 0, 0, 0};
    std::size_t count = 0, at = 0;
    for (;;) {
      const std::size_t comma = row.find(',', at);
      if (count < 5) {
        start[count] = at;
        field[count] = row.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
      }
      ++count;
      if (comma == std::string_view::npos) break;
      at = comma + 1;
    }
    if (count != 5) {
      error(line, 1, fmt::format("expected 5 fields (step,date,from,to,tension), found {}", count));
      continue;
    }
    int step = -1;
    {
      const auto [p, ec] = std::from_chars(field[0].data(), field[0].data() + field[0].size(), step);
      if (ec != std::errc() || p != field[0].data() + field[0].size() || step < 0 || step > kMaxObservedStep) {
        error(line, start[0] + 1, fmt::format("expected a step from 0 to {}, found {}", kMaxObservedStep, quote_word(std::string(field[0]))));
        continue;
      }
    }
    if (!parse_date(field[1])) {
      error(line, start[1] + 1, fmt::format("expected a date YYYY-MM-DD, found {}", quote_word(std::string(field[1]))));
      continue;
    }
    auto actor = [&](int k) -> std::optional<std::size_t> {
      auto index = scenario.find_actor(std::string(field[k]));
      if (!index)
        error(line, start[k] + 1, fmt::format("unknown actor {} (not in the scenario)", quote_word(std::string(field[k]))));
      return index;
    };
    const auto from = actor(2);
    if (!from) continue;
    const auto to = actor(3);
    if (!to) continue;
    if (*from == *to) {
      error(line, start[3] + 1, fmt::format("expected two different actors, found {} twice", quote_word(std::string(field[2]))));
      continue;
    }
    double value = 0.0;
    {
      const auto [p, ec] = std::from_chars(field[4].data(), field[4].data() + field[4].size(), value);
      if (ec != std::errc() || p != field[4].data() + field[4].size() || !(value >= 0.0 && value <= 1.0)) {
        error(line, start[4] + 1, fmt::format("expected a tension in [0, 1], found {}", quote_word(std::string(field[4]))));
        continue;
      }
    }
    if (step > series.last_step || series.dates.empty()) {
      const std::size_t steps = std::size_t(std::max(step, series.last_step)) + 1;
      if (steps * n * n > kMaxObservedCells) {
        error(line, start[0] + 1, fmt::format("a series to step {} of {} actors is more than {} values (the limit)",
                                              step, n, kMaxObservedCells));
        return series;
      }
      series.last_step = int(steps) - 1;
      series.dates.resize(steps);
      series.tension.resize(steps * n * n, std::numeric_limits<double>::quiet_NaN());
    }
    std::string& date = series.dates[std::size_t(step)];
    if (date.empty()) {
      date = std::string(field[1]);
    } else if (date != field[1]) {
      error(line, start[1] + 1, fmt::format("step {} was dated {} on an earlier line, here {}", step, date, field[1]));
      continue;
    }
    double& cell = series.tension[(std::size_t(step) * n + *from) * n + *to];
    if (!std::isnan(cell)) {
      error(line, start[2] + 1, fmt::format("a second row for {} -> {} at step {}", field[2], field[3], step));
      continue;
    }
    cell = value;
    ++series.observations;
  }
  if (!header && errors.empty()) error(1, 1, fmt::format("expected the header '{}', found an empty file", kHeader));
  else if (header && series.observations == 0 && errors.empty()) error(line, 1, "expected at least one observation, found none");
  return series;
}

ObservedSeries read_observed_series(const std::string& path, const Scenario& scenario,
                                    std::vector<Diagnostic>& errors) {
  const InputText input = read_input_file(path, kMaxObservedBytes);
  if (!input.text) {
    errors.push_back({path, 0, 0, input.error});
    return {};
  }
  return parse_observed_series(*input.text, path, scenario, errors);
}

int observed_step(const ObservedSeries& series, const std::string& text) {
  int step = -1;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), step);
  if (ec == std::errc() && p == text.data() + text.size()) return step >= 0 && step <= series.last_step ? step : -1;
  for (std::size_t s = 0; s < series.dates.size(); ++s)
    if (!text.empty() && series.dates[s] == text) return int(s);
  return -1;
}

}  // namespace geosim
