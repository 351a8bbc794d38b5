#include "geosim/report/report.hpp"

#include "geosim/io/escape.hpp"
#include "geosim/io/number_text.hpp"
#include "geosim/tabletop/after_action.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <map>

namespace geosim {
namespace {

double at(const Eigen::MatrixXd& m, std::size_t i, std::size_t j) { return m(Eigen::Index(i), Eigen::Index(j)); }

}  // namespace

void write_indicators_csv(std::ostream& out, const Scenario& scenario, const RunResult& result) {
  out << "step,date";
  for (const auto& indicator : scenario.indicators) out << ',' << csv_field(indicator.id);
  out << '\n';
  for (std::size_t s = 0; s < result.indicators.size(); ++s) {
    out << s << ',' << format_date(scenario.date_of_step(int(s)));
    for (double v : result.indicators[s]) out << ',' << number6(v);
    out << '\n';
  }
}

nlohmann::json run_record(const Scenario& scenario, const RunResult& result, std::uint64_t seed, bool relations_too) {
  using nlohmann::json;
  const State& state = result.final_state;
  json record;
  record["scenario"] = {{"id", scenario.id}, {"title", scenario.title}, {"file", scenario.path}};
  record["seed"] = seed;
  record["policies"] = scenario.policies;
  if (!scenario.settings.empty()) record["settings"] = scenario.settings;  // --set NAME=VALUE
  record["start"] = format_date(scenario.start);
  record["step_days"] = scenario.step_days;
  record["steps"] = state.step;
  record["end"] = format_date(scenario.date_of_step(state.step));
  json relations = json::array();
  const std::size_t n = relations_too ? scenario.actor_count() : 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j && scenario.has_relation(i, j))
        relations.push_back({{"from", scenario.actors[i].id},
                             {"to", scenario.actors[j].id},
                             {"tension", at(state.tension, i, j)},
                             {"baseline", at(state.baseline, i, j)},
                             {"tie", at(state.tie, i, j)}});
  record["final"]["relations"] = relations;
  json indicators = json::object();
  for (std::size_t k = 0; k < scenario.indicators.size(); ++k)
    indicators[scenario.indicators[k].id] = {{"title", scenario.indicators[k].title},
                                             {"start", result.indicators.front()[k]},
                                             {"end", result.indicators.back()[k]}};
  record["final"]["indicators"] = indicators;
  json log = json::array();
  for (const AppliedEvent& applied : result.events) {
    json entry{{"step", applied.step},
               {"date", scenario.when_fired(applied.event, applied.adhoc, applied.step)},
               {"event", applied.id},
               {"cause", applied.cause}};
    if (!applied.adhoc && applied.event < scenario.events.size()) {
      const Event& event = scenario.events[applied.event];
      entry["title"] = event.title;
      entry["source"] = {{"file", event.source.file}, {"quote", event.source.quote}};
      if (!event.policy.empty()) entry["policy"] = event.policy;
    }
    json changes = json::array();
    for (const RelationChange& c : applied.changes)
      changes.push_back({{"from", scenario.actors[c.from].id},
                         {"to", scenario.actors[c.to].id},
                         {"tension", c.tension},
                         {"baseline", c.baseline},
                         {"tie", c.tie}});
    entry["changes"] = changes;
    log.push_back(entry);
  }
  record["events"] = log;
  return record;
}

std::string settings_clause(const std::vector<std::string>& settings) {
  return settings.empty() ? std::string() : ", set: " + terminal_text(fmt::format("{}", fmt::join(settings, ", ")));
}

std::string run_summary(const Scenario& scenario, const RunResult& result, std::uint64_t seed) {
  std::string out;
  const State& state = result.final_state;
  out += fmt::format("{}\n", terminal_text(scenario.title.empty() ? scenario.id : scenario.title));
  out += fmt::format("{} step{} of {} day{}, {} to {}, seed {}{}{}\n\n", state.step, state.step == 1 ? "" : "s",
                     scenario.step_days, scenario.step_days == 1 ? "" : "s", format_date(scenario.start),
                     format_date(scenario.date_of_step(state.step)), seed,
                     scenario.policies.empty() ? std::string()
                                               : ", policies: " + fmt::format("{}", fmt::join(scenario.policies, ", ")),
                     settings_clause(scenario.settings));
  out += scenario.indicators.empty() ? "Indicators: none declared\n" : "Indicators (start -> end):\n";
  std::size_t width = 0;
  for (const auto& indicator : scenario.indicators) width = std::max(width, terminal_text(indicator.title).size());
  for (std::size_t k = 0; k < scenario.indicators.size(); ++k) {
    const double a = result.indicators.front()[k], b = result.indicators.back()[k];
    const char* arrow = b > a + 0.005 ? "up" : b < a - 0.005 ? "down" : "flat";
    out += fmt::format("  {:<{}}  {:.3f} -> {:.3f}  ({}, {})\n", terminal_text(scenario.indicators[k].title), width, a,
                       b, signed_change(b - a), arrow);
  }
  // Relations that moved most, each direction on its own.
  const std::size_t n = scenario.actor_count();
  std::vector<std::tuple<double, std::size_t, std::size_t>> moves;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j) {
        const double d = at(result.tension.back(), i, j) - at(result.tension.front(), i, j);
        moves.emplace_back(-std::abs(d), i, j);
      }
  std::sort(moves.begin(), moves.end());
  out += "\nRelations that moved most (tension start -> end):\n";
  if (moves.empty() || -std::get<0>(moves.front()) < 1e-4)  // a settled world with nothing set off
    out += "  none moved by 0.0001 or more\n";
  for (std::size_t k = 0; k < moves.size() && k < 5; ++k) {
    auto [neg, i, j] = moves[k];
    if (-neg < 1e-4) break;
    out += fmt::format("  {} -> {}  {:.3f} -> {:.3f}  ({})\n", scenario.actors[i].id, scenario.actors[j].id,
                       at(result.tension.front(), i, j), at(result.tension.back(), i, j),
                       signed_change(at(result.tension.back(), i, j) - at(result.tension.front(), i, j)));
    // Credited: the events that pushed the way it moved (by their tension change, or by their
    // baseline change when they left tension alone); those that pushed against it are not "by".
    const double moved = at(result.tension.back(), i, j) - at(result.tension.front(), i, j);
    std::vector<std::pair<double, std::string>> pushes;
    for (const AppliedEvent& applied : result.events)
      for (const RelationChange& c : applied.changes)
        if (c.from == i && c.to == j && (c.tension != 0.0 ? c.tension : c.baseline) * moved > 0.0)
          pushes.emplace_back(-std::abs(c.tension) - std::abs(c.baseline),
                              fmt::format("step {} {}: {}", applied.step, applied.id, change_parts(c, ", ")));
    std::stable_sort(pushes.begin(), pushes.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    for (std::size_t p = 0; p < pushes.size() && p < 3; ++p) out += "      by " + pushes[p].second + "\n";
    if (pushes.empty())
      out += "      by no event directly: relaxation toward its baseline, spillover and reciprocity\n";
  }
  out += fmt::format("\n{} events applied.\n", result.events.size());
  return out;
}

}  // namespace geosim
