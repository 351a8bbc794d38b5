#include "geosim/io/observed_series.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <limits>
#include <string_view>
#include <vector>

#include "geosim/core/date.hpp"
#include "geosim/core/diagnostic.hpp"
#include "geosim/io/input_file.hpp"
#include "geosim/io/text_position.hpp"

namespace geosim {
namespace {

/// The date `days` after `from`, as a message gives it: past the last date a series may carry
/// (9999-12-31), said so rather than printed as a year no reader takes.
std::string expected_date(Date from, long long days) {
  const long long last = parse_date("9999-12-31")->days;
  return from.days + days > last ? std::string("after 9999-12-31") : format_date(add_days(from, int(days)));
}

/// The days a step of a series without a scenario's step (kSeriesOwnSteps): the length that
/// most of its gaps between consecutive dated steps give (a gap of d days over s steps gives d /
/// s, when whole and positive), of equal counts the one given first; 0 when no gap gives one.
/// So a series whose first gap is the odd one is told so there, not at the next.
int series_step_days(const std::vector<std::string>& dates) {
  std::vector<std::pair<long long, int>> votes;  // (days a step, gaps giving it), in the order first given
  for (std::size_t s = 0, before = 0; s < dates.size(); ++s) {
    if (dates[s].empty()) continue;
    if (s > 0 && !dates[before].empty() && before < s) {
      const auto from = parse_date(dates[before]), to = parse_date(dates[s]);
      const long long gap = from && to ? (long long)to->days - from->days : 0;
      const auto steps = (long long)(s - before);
      if (gap > 0 && gap % steps == 0) {
        auto it = std::find_if(votes.begin(), votes.end(), [&](const auto& v) { return v.first == gap / steps; });
        if (it == votes.end())
          votes.emplace_back(gap / steps, 1);
        else
          ++it->second;
      }
    }
    before = s;
  }
  std::pair<long long, int> best{0, 0};
  for (const auto& v : votes)
    if (v.second > best.second) best = v;
  return best.first > std::numeric_limits<int>::max() ? 0 : int(best.first);
}

constexpr std::size_t kMaxErrors = 20;
constexpr std::string_view kHeader = "step,date,from,to,tension";
constexpr const char* kColumns[] = {"step", "date", "from", "to", "tension"};

/// A row's fields as RFC 4180 has them (a spreadsheet or pandas may quote any field: "VNM",
/// "a ""b"""): each unquoted, with its 0-based column in the row. Empty with `error` set when a
/// quoted field is not closed or is followed by more than a comma.
struct Fields {
  std::vector<std::string> text;
  std::vector<std::size_t> column;
  std::string error;
  std::size_t error_column = 0;
};

Fields split_row(std::string_view row) {
  Fields f;
  std::size_t at = 0;
  for (;;) {
    f.column.push_back(at);
    std::string field;
    if (at < row.size() && row[at] == '"') {
      std::size_t k = at + 1;
      for (;; ++k) {
        if (k >= row.size()) {
          f.error = "expected a closing quote in this field, found the end of the line";
          f.error_column = at;
          return f;
        }
        if (row[k] == '"') {
          if (k + 1 < row.size() && row[k + 1] == '"')
            field += row[++k];
          else
            break;
        } else {
          field += row[k];
        }
      }
      at = k + 1;  // after the closing quote: a comma or the end
      if (at < row.size() && row[at] != ',') {
        f.error = "expected a comma after a quoted field, found more text";
        f.error_column = at;
        return f;
      }
    } else {
      const std::size_t comma = std::min(row.find(',', at), row.size());
      field = std::string(row.substr(at, comma - at));
      at = comma;
    }
    f.text.push_back(std::move(field));
    if (at >= row.size()) return f;
    ++at;  // the comma
  }
}

}  // namespace

ObservedSeries parse_observed_series(const std::string& text, const std::string& name, const Scenario& scenario,
                                     std::vector<Diagnostic>& errors, int step_days) {
  ObservedSeries series;
  const std::size_t n = series.actors = scenario.actor_count();
  std::string_view row_text;  // the row being read: a column given in bytes is said in characters
  auto error = [&](int line, std::size_t column, std::string message) {
    if (column > 0) column = std::size_t(text_position(row_text, column - 1).column);
    if (errors.size() < kMaxErrors) errors.push_back({name, line, int(column), std::move(message)});
  };
  std::size_t pos = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // a UTF-8 byte order mark (Excel writes one)
  int line = 0;
  bool header = false;
  std::vector<std::pair<int, std::size_t>> dated_at;  // [step]: where its date was first written
  while (pos < text.size() && errors.size() < kMaxErrors) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view row(text.data() + pos, end - pos);
    pos = end + 1;
    ++line;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    row_text = row;
    if (row.empty()) continue;
    const Fields fields = split_row(row);
    if (!fields.error.empty()) {
      error(line, fields.error_column + 1, fields.error);
      if (!header) return series;
      continue;
    }
    if (!header) {
      const bool named =
          fields.text.size() == 5 && std::equal(fields.text.begin(), fields.text.end(), std::begin(kColumns));
      if (!named) {
        error(line, 1, fmt::format("expected the header '{}', found {}", kHeader, quote_word(std::string(row))));
        return series;
      }
      header = true;
      continue;
    }
    if (fields.text.size() != 5) {
      error(line, 1, fmt::format("expected 5 fields (step,date,from,to,tension), found {}", fields.text.size()));
      continue;
    }
    const std::vector<std::string>& field = fields.text;
    const std::vector<std::size_t>& start = fields.column;
    int step = -1;
    {
      const auto [p, ec] = std::from_chars(field[0].data(), field[0].data() + field[0].size(), step);
      if (ec != std::errc() || p != field[0].data() + field[0].size() || step < 0 || step > kMaxObservedStep) {
        error(line, start[0] + 1,
              fmt::format("expected a step from 0 to {}, found {}", kMaxObservedStep, quote_word(field[0])));
        continue;
      }
    }
    if (!parse_date(field[1])) {
      error(line, start[1] + 1, fmt::format("expected a date YYYY-MM-DD, found {}", quote_word(field[1])));
      continue;
    }
    auto actor = [&](int k) -> std::optional<std::size_t> {
      auto index = scenario.find_actor(field[k]);
      if (!index)
        error(line, start[k] + 1, fmt::format("unknown actor {} (not in the scenario)", quote_word(field[k])));
      return index;
    };
    const auto from = actor(2);
    if (!from) continue;
    const auto to = actor(3);
    if (!to) continue;
    if (*from == *to) {
      error(line, start[3] + 1, fmt::format("expected two different actors, found {} twice", quote_word(field[2])));
      continue;
    }
    if (!scenario.has_relation(*from, *to)) {
      if (series.absent_rows++ == 0) series.first_absent = field[2] + " -> " + field[3];
      continue;
    }
    double value = 0.0;
    {
      const auto [p, ec] = std::from_chars(field[4].data(), field[4].data() + field[4].size(), value);
      if (ec != std::errc() || p != field[4].data() + field[4].size() || !(value >= 0.0 && value <= 1.0)) {
        error(line, start[4] + 1, fmt::format("expected a tension in [0, 1], found {}", quote_word(field[4])));
        continue;
      }
    }
    if (step > series.last_step || series.dates.empty()) {
      const std::size_t steps = std::size_t(std::max(step, series.last_step)) + 1;
      if (steps * n * n > kMaxObservedCells) {
        error(line, start[0] + 1,
              fmt::format("a series to step {} of {} actors is more than {} values (the limit)", step, n,
                          kMaxObservedCells));
        return series;
      }
      series.last_step = int(steps) - 1;
      series.dates.resize(steps);
      dated_at.resize(steps);
      series.tension.resize(steps * n * n, std::numeric_limits<double>::quiet_NaN());
    }
    std::string& date = series.dates[std::size_t(step)];
    if (date.empty()) {
      date = std::string(field[1]);
      dated_at[std::size_t(step)] = {line, start[1] + 1};
    } else if (date != field[1]) {
      error(line, start[1] + 1,
            fmt::format("step {} was dated {} on line {}, here {}: one of the two dates is wrong", step, date,
                        dated_at[std::size_t(step)].first, field[1]));
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
  // The series' steps are the model's: consecutive dated steps lie their steps' days apart (a
  // series ingested with another --step-days would be fitted as if each of its steps were one of
  // the scenario's: a restraint per month read as one per week). So the dates also rise with the
  // steps, and a window of dates never runs backwards.
  const bool own = step_days == kSeriesOwnSteps;
  int per_step = own ? 0 : step_days == kScenarioSteps ? scenario.step_days : step_days;
  if (own && errors.empty()) per_step = series_step_days(series.dates);
  for (std::size_t s = 0, before = 0; s < series.dates.size() && errors.empty(); ++s) {
    if (series.dates[s].empty()) continue;
    if (s > 0 && !series.dates[before].empty() && before < s) {
      const Date from = *parse_date(series.dates[before]), to = *parse_date(series.dates[s]);
      const long long gap = (long long)to.days - from.days, steps = (long long)(s - before);
      const std::string head =
          fmt::format("step {} is dated {}, {} after step {}'s {}", s, series.dates[s],
                      gap > 0 ? fmt::format("{} day{}", gap, gap == 1 ? "" : "s") : std::string("not"), before,
                      series.dates[before]);
      const std::string fix =
          own ? "a series' steps are all of one whole number of days"
              : fmt::format("a series' steps must be the scenario's (geosim ingest --step-days {})", per_step);
      if (gap <= 0)
        error(dated_at[s].first, dated_at[s].second, head + ": a series' dates rise with its steps");
      else if (per_step == 0)  // no gap of the series is a whole number of days a step
        error(dated_at[s].first, dated_at[s].second, fmt::format("{}, for {} steps: {}", head, steps, fix));
      else if (gap != steps * per_step)
        error(dated_at[s].first, dated_at[s].second,
              fmt::format("{}; with {} {}-day steps it is {}: {}", head, own ? "the series'" : "the scenario's",
                          per_step, expected_date(from, steps * per_step), fix));
    }
    before = s;
  }
  if (errors.empty()) series.step_days = per_step;
  if (!header && errors.empty())
    error(1, 1, fmt::format("expected the header '{}', found an empty file", kHeader));
  else if (header && series.observations == 0 && errors.empty())
    error(line, 1, "expected at least one observation, found none");
  return series;
}

ObservedSeries read_observed_series(const std::string& path, const Scenario& scenario, std::vector<Diagnostic>& errors,
                                    int step_days) {
  const InputText input = read_input_file(path, kMaxObservedBytes);
  if (!input.text) {
    errors.push_back({path, 0, 0, input.error});
    return {};
  }
  return parse_observed_series(*input.text, path, scenario, errors, step_days);
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
