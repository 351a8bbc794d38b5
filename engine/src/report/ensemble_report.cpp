#include "geosim/report/ensemble_report.hpp"

#include "geosim/io/escape.hpp"
#include "geosim/io/number_text.hpp"
#include "geosim/report/report.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <optional>

#include "geosim/core/paired.hpp"

namespace geosim {
namespace {

const char* direction_name(ThresholdDirection d) { return d == ThresholdDirection::above ? "above" : "below"; }

std::string first_step_text(const Scenario& scenario, int step) {
  if (step < 0) return "not by half the runs";
  return fmt::format("step {} ({})", step, format_date(scenario.date_of_step(step)));
}

/// Index of the indicator with `id` in `scenario`, or -1.
int find_indicator(const Scenario& scenario, const std::string& id) {
  for (std::size_t k = 0; k < scenario.indicators.size(); ++k)
    if (scenario.indicators[k].id == id) return int(k);
  return -1;
}

/// "0.315 [0.301, 0.330]": median and 5-95 % band.
std::string band_text(const PercentileBand& b) {
  return fmt::format("{:.3f} [{:.3f}, {:.3f}]", b.p50(), b.p5(), b.p95());
}

/// Rows of a table, left column padded to the widest, the others right-aligned; every cell as
/// terminal text (titles and column names come from users' files).
std::string aligned(std::vector<std::vector<std::string>> rows) {
  for (auto& row : rows)
    for (auto& cell : row) cell = terminal_text(cell);
  std::vector<std::size_t> width;
  auto length = [](const std::string& s) {  // characters, not bytes (titles hold en dashes)
    return std::size_t(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  };
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], length(row[c]));
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line = " ";
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - length(row[c]), ' ');
      line += c == 0 ? " " + row[c] + pad : "  " + pad + row[c];
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

/// A column's heading: its label, or its scenario's id.
const std::string& column_name(const ComparedEnsemble& c) { return c.label.empty() ? c.scenario->id : c.label; }

/// The paired effect of column `c` against `reference` on the indicator `id`, if both have it.
std::optional<PairedSummary> paired_effect(const ComparedEnsemble& c, const ComparedEnsemble& reference,
                                           const std::string& id) {
  const int k = find_indicator(*c.scenario, id), k_ref = find_indicator(*reference.scenario, id);
  if (k < 0 || k_ref < 0) return std::nullopt;
  return paired_end_effect(*c.result, std::size_t(k), *reference.result, std::size_t(k_ref));
}

std::string threshold_label(const Scenario& scenario, const ThresholdResult& t) {
  return fmt::format("{} {} {:.2f}", scenario.indicators[t.indicator].title, direction_name(t.direction), t.threshold);
}

}  // namespace

void write_ensemble_csv(std::ostream& out, const Scenario& scenario, const EnsembleResult& result) {
  out << "indicator,step,date,p5,p25,p50,p75,p95\n";
  for (std::size_t k = 0; k < result.indicator_count; ++k)
    for (int s = 0; s <= result.steps; ++s) {
      const PercentileBand& b = result.band(s, k);
      out << fmt::format("{},{},{},{},{},{},{},{}\n", csv_field(scenario.indicators[k].id), s,
                         format_date(scenario.date_of_step(s)), number6(b.p5()), number6(b.p25()), number6(b.p50()),
                         number6(b.p75()), number6(b.p95()));
    }
}

void write_thresholds_csv(std::ostream& out, const Scenario& scenario, const EnsembleResult& result) {
  out << "indicator,direction,threshold,probability,crossed_runs,median_first_step,median_first_date\n";
  for (const ThresholdResult& t : result.thresholds) {
    const bool half = t.median_first_step >= 0;
    out << fmt::format("{},{},{},{},{},{},{}\n", csv_field(scenario.indicators[t.indicator].id),
                       direction_name(t.direction), number6(t.threshold), number6(t.probability), t.crossed_runs,
                       half ? std::to_string(t.median_first_step) : "",
                       half ? format_date(scenario.date_of_step(t.median_first_step)) : "");
  }
}

nlohmann::json ensemble_record(const Scenario& scenario, const EnsembleResult& result,
                               const std::vector<ParameterRange>& vary) {
  using nlohmann::json;
  json record;
  record["scenario"] = {{"id", scenario.id}, {"title", scenario.title}};
  record["policies"] = scenario.policies;
  if (!scenario.settings.empty()) record["settings"] = scenario.settings;  // --set NAME=VALUE, as in run.json
  record["runs"] = result.runs;
  record["seed"] = result.seed;
  record["steps"] = result.steps;
  record["start"] = format_date(scenario.start);
  record["end"] = format_date(scenario.date_of_step(result.steps));
  record["parameter_sd"] = result.parameter_sd;
  json ranges = json::array();
  for (const ParameterRange& range : vary)
    ranges.push_back({{"parameter", range.parameter.name}, {"low", range.low}, {"high", range.high}});
  record["vary"] = ranges;
  json end = json::object();
  for (std::size_t k = 0; k < result.indicator_count; ++k) {
    const PercentileBand& b = result.band(result.steps, k);
    end[scenario.indicators[k].id] = {{"title", scenario.indicators[k].title},
                                      {"p5", b.p5()},
                                      {"p25", b.p25()},
                                      {"p50", b.p50()},
                                      {"p75", b.p75()},
                                      {"p95", b.p95()},
                                      {"mean", result.mean_at(result.steps, k)}};
  }
  record["end_percentiles"] = end;
  json thresholds = json::array();
  for (const ThresholdResult& t : result.thresholds) {
    json entry{{"indicator", scenario.indicators[t.indicator].id},
               {"direction", direction_name(t.direction)},
               {"threshold", t.threshold},
               {"probability", t.probability},
               {"crossed_runs", t.crossed_runs}};
    entry["median_first_step"] = t.median_first_step >= 0 ? json(t.median_first_step) : json(nullptr);
    thresholds.push_back(entry);
  }
  record["thresholds"] = thresholds;
  json resemblance = json::object();
  for (std::size_t i = 0; i < result.reference_names.size(); ++i)
    resemblance[result.reference_names[i]] = result.resemblance_share[i];
  record["resemblance"] = resemblance;
  record["held_runs"] = result.held_runs;  // runs whose settled world held a baseline at 0 or 1
  if (!result.held_counted && (result.parameter_sd > 0.0 || !vary.empty()))  // a lower bound: old shards did not count
    record["held_runs_counted"] = false;
  return record;
}

std::string held_runs_text(const EnsembleResult& result) {
  if (result.held_runs <= 0) return "";
  return fmt::format(
      "In {}{} of {} runs {}: those runs drift where nothing happens (docs/model.md, \"Parameter "
      "ranges\").{}\n",
      result.held_counted ? "" : "at least ", result.held_runs, result.runs, kHeldRunsMeaning,
      result.held_counted ? "" : " Shards of an earlier geosim did not count them.");
}

std::string held_runs_text(const std::vector<ComparedEnsemble>& compared) {
  std::string out;
  for (const ComparedEnsemble& c : compared)
    if (const std::string text = held_runs_text(*c.result); !text.empty())
      out += terminal_text(column_name(c)) + ": " + text;
  return out;
}

std::string ensemble_summary(const Scenario& scenario, const EnsembleResult& result) {
  std::string out = fmt::format("{}\n", terminal_text(scenario.title.empty() ? scenario.id : scenario.title));
  out += fmt::format("{} run{} of {} step{}, {} to {}, seed {}{}{}{}\n", result.runs, result.runs == 1 ? "" : "s",
                     result.steps, result.steps == 1 ? "" : "s", format_date(scenario.start),
                     format_date(scenario.date_of_step(result.steps)), result.seed,
                     scenario.policies.empty() ? "" : fmt::format(", policies: {}", fmt::join(scenario.policies, ", ")),
                     settings_clause(scenario.settings),
                     result.parameter_sd > 0 ? fmt::format(", parameter sd {}", result.parameter_sd) : "");
  out += held_runs_text(result);
  out += "\nIndicators at the end (median [5% .. 95%]):\n";
  std::vector<std::vector<std::string>> rows;
  for (std::size_t k = 0; k < result.indicator_count; ++k)
    rows.push_back({scenario.indicators[k].title, band_text(result.band(result.steps, k))});
  out += aligned(rows);
  if (!result.thresholds.empty()) {
    out += "\nThresholds (share of runs crossing at any step; first step by which half the runs have):\n";
    rows.clear();
    for (const ThresholdResult& t : result.thresholds)
      rows.push_back({threshold_label(scenario, t), fmt::format("{:.1f}%", 100 * t.probability),
                      first_step_text(scenario, t.median_first_step)});
    out += aligned(rows);
  }
  if (!result.reference_names.empty()) {
    out += "\nEnd state most resembles (share of runs, nearest document scenario):\n";
    rows.clear();
    for (std::size_t i = 0; i < result.reference_names.size(); ++i)
      rows.push_back({result.reference_names[i], fmt::format("{:.1f}%", 100 * result.resemblance_share[i])});
    out += aligned(rows);
  }
  return out;
}

namespace {
/// Indicator ids of all compared scenarios, in order of first appearance, with a title.
std::vector<std::pair<std::string, std::string>> union_of_indicators(const std::vector<ComparedEnsemble>& compared) {
  std::vector<std::pair<std::string, std::string>> ids;
  for (const auto& c : compared)
    for (const auto& indicator : c.scenario->indicators)
      if (std::none_of(ids.begin(), ids.end(), [&](const auto& p) { return p.first == indicator.id; }))
        ids.emplace_back(indicator.id, indicator.title);
  return ids;
}
}  // namespace

std::string comparison_table(const std::vector<ComparedEnsemble>& compared) {
  if (compared.empty()) return "";
  const EnsembleResult& first = *compared.front().result;
  // --set is the same in every column (the comparison stays paired): said once.
  // The steps: the end every column's values are at (columns of different lengths each said).
  std::vector<int> steps;
  for (const auto& c : compared) steps.push_back(c.result->steps);
  const bool same = std::all_of(steps.begin(), steps.end(), [&](int n) { return n == steps.front(); });
  std::string out = fmt::format(
      "{} run{} each of {} step{}, seed {}{}{}, values at the end: median [5% .. 95%]\n\n", first.runs,
      first.runs == 1 ? "" : "s", same ? std::to_string(steps.front()) : fmt::format("{}", fmt::join(steps, ", ")),
      same && steps.front() == 1 ? "" : "s", first.seed, settings_clause(compared.front().scenario->settings),
      first.parameter_sd > 0 ? fmt::format(", parameter sd {}", first.parameter_sd) : "");
  std::vector<std::vector<std::string>> rows{{"indicator"}};
  for (const auto& c : compared) rows.front().push_back(column_name(c));
  for (const auto& [id, title] : union_of_indicators(compared)) {
    rows.push_back({title});
    for (const auto& c : compared) {
      const int k = find_indicator(*c.scenario, id);
      rows.back().push_back(k < 0 ? "-" : band_text(c.result->band(c.result->steps, std::size_t(k))));
    }
  }
  out += aligned(rows);
  // Thresholds, matched by indicator id, direction and value.
  rows = {{"threshold"}};
  for (const auto& c : compared) rows.front().push_back(column_name(c));
  std::vector<std::string> seen;
  for (const auto& c : compared)
    for (const ThresholdResult& t : c.result->thresholds) {
      const Indicator& indicator = c.scenario->indicators[t.indicator];
      const std::string key = fmt::format("{}|{}|{}", indicator.id, direction_name(t.direction), t.threshold);
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
      seen.push_back(key);
      rows.push_back({threshold_label(*c.scenario, t)});
      for (const auto& other : compared) {
        std::string cell = "-";
        for (const ThresholdResult& u : other.result->thresholds)
          if (other.scenario->indicators[u.indicator].id == indicator.id && u.direction == t.direction &&
              u.threshold == t.threshold)
            cell = fmt::format("{:.0f}%, {}", 100 * u.probability,
                               u.median_first_step < 0 ? "-" : fmt::format("step {}", u.median_first_step));
        rows.back().push_back(cell);
      }
    }
  if (rows.size() > 1) {
    out += "\nThresholds: share of runs crossing, first step by which half the runs have\n\n";
    out += aligned(rows);
  }
  return out;
}

std::string paired_comparison_table(const std::vector<ComparedEnsemble>& compared) {
  if (compared.size() < 2) return "";
  const ComparedEnsemble& reference = compared.front();
  std::string out = fmt::format(
      "Paired effects against {} (run r minus its run r: the same draws), at the end:\n"
      "mean [5% .. 95%] and the share of runs with the mean's sign\n\n",
      terminal_text(column_name(reference)));
  std::vector<std::vector<std::string>> rows{{"indicator"}};
  for (std::size_t c = 1; c < compared.size(); ++c) rows.front().push_back(column_name(compared[c]));
  std::vector<bool> paired(compared.size(), false);
  for (const auto& [id, title] : union_of_indicators(compared)) {
    rows.push_back({title});
    for (std::size_t c = 1; c < compared.size(); ++c) {
      const auto e = paired_effect(compared[c], reference, id);
      paired[c] = paired[c] || e.has_value();
      rows.back().push_back(e ? fmt::format("{:>7} [{:>7}, {:>7}] {:3.0f}%", signed_change(e->mean, 4),
                                            signed_change(e->low, 4), signed_change(e->high, 4),
                                            100 * e->sign_agreement)
                              : "-");
    }
  }
  out += aligned(rows);
  // A column of dashes alone would look like "no effect": say why there is nothing.
  for (std::size_t c = 1; c < compared.size(); ++c)
    if (!paired[c])
      out += fmt::format(
          "\nNote: {} has no indicator in common with {}, so no paired effect: compare scenarios "
          "of the same world (the same indicators), or policies on one scenario.\n",
          terminal_text(column_name(compared[c])), terminal_text(column_name(reference)));
  return out;
}

std::string paired_holds_text(const std::vector<ComparedEnsemble>& compared) {
  if (compared.size() < 2) return "";
  std::string out = fmt::format("Over the ranges, against {}:\n", terminal_text(column_name(compared.front())));
  for (std::size_t c = 1; c < compared.size(); ++c)
    for (const auto& [id, title] : union_of_indicators(compared))
      if (const auto e = paired_effect(compared[c], compared.front(), id))
        out += fmt::format("  {} {} {} ({}): holds in {:.0f} % of runs\n", terminal_text(column_name(compared[c])),
                           e->mean > 0.0   ? "raises"
                           : e->mean < 0.0 ? "lowers"
                                           : "leaves",
                           terminal_text(title), signed_change(e->mean, 4), 100 * e->sign_agreement);
  return out;
}

void write_paired_comparison_csv(std::ostream& out, const std::vector<ComparedEnsemble>& compared) {
  out << "column,reference,indicator,mean,p5,p95,sign_agreement\n";
  if (compared.size() < 2) return;
  const ComparedEnsemble& reference = compared.front();
  for (std::size_t c = 1; c < compared.size(); ++c)
    for (const Indicator& indicator : compared[c].scenario->indicators)
      if (const auto e = paired_effect(compared[c], reference, indicator.id))
        out << fmt::format("{},{},{},{},{},{},{}\n", csv_field(column_name(compared[c])),
                           csv_field(column_name(reference)), csv_field(indicator.id), number6(e->mean),
                           number6(e->low), number6(e->high), number6(e->sign_agreement));
}

void write_comparison_csv(std::ostream& out, const std::vector<ComparedEnsemble>& compared) {
  out << "scenario,indicator,p5,p25,p50,p75,p95,mean,runs,held_runs\n";
  for (const auto& c : compared) {
    // held_runs: left empty where it is not known (parts of an earlier geosim did not count it)
    const std::string held = c.result->held_counted ? std::to_string(c.result->held_runs) : "";
    for (std::size_t k = 0; k < c.result->indicator_count; ++k) {
      const PercentileBand& b = c.result->band(c.result->steps, k);
      out << fmt::format("{},{},{},{},{},{},{},{},{},{}\n", csv_field(column_name(c)),
                         csv_field(c.scenario->indicators[k].id), number6(b.p5()), number6(b.p25()), number6(b.p50()),
                         number6(b.p75()), number6(b.p95()), number6(c.result->mean_at(c.result->steps, k)),
                         c.result->runs, held);
    }
  }
}

void write_comparison_thresholds_csv(std::ostream& out, const std::vector<ComparedEnsemble>& compared) {
  out << "scenario,indicator,direction,threshold,probability,median_first_step\n";
  for (const auto& c : compared)
    for (const ThresholdResult& t : c.result->thresholds)
      out << fmt::format("{},{},{},{},{},{}\n", csv_field(column_name(c)),
                         csv_field(c.scenario->indicators[t.indicator].id), direction_name(t.direction),
                         number6(t.threshold), number6(t.probability),
                         t.median_first_step < 0 ? "" : std::to_string(t.median_first_step));
}

}  // namespace geosim
