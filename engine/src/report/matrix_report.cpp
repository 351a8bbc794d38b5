// The policy matrix for a reader: the terminal table, matrix.csv and matrix.json.
#include "geosim/report/matrix_report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "geosim/io/escape.hpp"
#include "geosim/io/number_text.hpp"
#include "geosim/report/ensemble_report.hpp"
#include "geosim/report/report.hpp"

namespace geosim {
namespace {

std::string plain(const std::string& text) { return terminal_text(text); }

bool contains(const std::vector<std::size_t>& rows, std::size_t r) {
  return std::find(rows.begin(), rows.end(), r) != rows.end();
}

/// The chosen row's name, then ", tied with A, B" for the rows tied with it (`options` already made
/// plain); a name is quoted whole ("a, b") where a comma or quote in it would blur where it ends.
std::string chosen_text(const std::vector<std::string>& options, std::size_t chosen,
                        const std::vector<std::size_t>& tied) {
  if (tied.empty()) return options[chosen];
  auto name = [&](std::size_t r) {
    if (options[r].find_first_of(",'\"") == std::string::npos) return options[r];
    std::string quoted = "\"";  // whole, its quotes and backslashes escaped as in a C string
    for (char ch : options[r]) quoted += ch == '"' || ch == '\\' ? std::string{'\\', ch} : std::string(1, ch);
    return quoted + '"';
  };
  std::vector<std::string> those;
  for (std::size_t r : tied) those.push_back(name(r));
  return fmt::format("{}, tied with {}", name(chosen), fmt::join(those, ", "));
}

nlohmann::json names(const std::vector<std::string>& options, const std::vector<std::size_t>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t r : rows) out.push_back(options[r]);
  return out;
}

}  // namespace

namespace {
/// " of 52 steps" when every column's runs take as many, " of 52, 30 steps" (column by column) when not.
std::string steps_clause(const std::vector<int>& steps) {
  if (steps.empty()) return "";
  if (std::all_of(steps.begin(), steps.end(), [&](int n) { return n == steps.front(); }))
    return fmt::format(" of {} step{}", steps.front(), steps.front() == 1 ? "" : "s");
  return fmt::format(" of {} steps", fmt::join(steps, ", "));
}
}  // namespace

std::string matrix_table(const PolicyMatrix& matrix, const MatrixDecision& decision) {
  const std::size_t columns = matrix.scenarios.size();
  std::vector<std::string> options, scenarios;
  for (const auto& o : matrix.options) options.push_back(plain(o));
  for (const auto& s : matrix.scenarios) scenarios.push_back(plain(s));
  std::size_t label = std::string("option").size();
  for (const auto& o : options) label = std::max(label, o.size());
  std::vector<std::size_t> width;  // per scenario column, at least a number's width
  for (const auto& s : scenarios) width.push_back(std::max<std::size_t>(s.size(), 7));
  const std::size_t summary = std::string("max regret").size();
  bool weighted = false;
  for (double w : matrix.weights) weighted = weighted || w != 1.0;
  std::string out = fmt::format(
      "{} = {}\nExpected values at the end ({} run{} per cell{}, seed {}{}{}; run r of every cell "
      "uses the same seed and run index)\n\n",
      plain(matrix.score.title), plain(score_formula(matrix.score)), matrix.runs, matrix.runs == 1 ? "" : "s",
      steps_clause(matrix.steps), matrix.seed, settings_clause(matrix.settings),
      matrix.parameter_sd > 0 ? fmt::format(", parameter sd {}", matrix.parameter_sd) : "");
  out += fmt::format("  {:<{}}", "option", label);
  for (std::size_t c = 0; c < columns; ++c) out += fmt::format("  {:>{}}", scenarios[c], width[c]);
  out += fmt::format("  {:>{}}  {:>{}}  {:>{}}\n", "worst case", summary, "max regret", summary,
                     weighted ? "weighted" : "mean", summary);
  for (std::size_t r = 0; r < options.size(); ++r) {
    out += fmt::format("  {:<{}}", options[r], label);
    for (std::size_t c = 0; c < columns; ++c) out += fmt::format("  {:>{}.4f}", matrix.score_at(r, c), width[c]);
    out += fmt::format("  {:>{}.4f}  {:>{}.4f}  {:>{}.4f}{}\n", decision.worst_case[r], summary, decision.max_regret[r],
                       summary, decision.expected_score[r], summary,
                       r == decision.robust || contains(decision.robust_ties, r)
                           ? decision.robust_ties.empty() ? "  <- robust" : "  <- robust (tied)"
                           : "");
  }
  if (weighted) {
    out += fmt::format("  {:<{}}", "weight", label);
    for (std::size_t c = 0; c < columns; ++c)
      out += fmt::format("  {:>{}.4g}", c < matrix.weights.size() ? matrix.weights[c] : 1.0, width[c]);
    out += "\n";
  }
  out +=
      "\nRegret: how much worse than the best option in that scenario, run by run on paired runs\n"
      "(mean, 5th to 95th percentile, share of runs in which the best option did better):\n\n";
  for (std::size_t c = 0; c < columns; ++c) {
    out +=
        fmt::format("  {} (best: {})\n", scenarios[c], chosen_text(options, decision.best[c], decision.best_ties[c]));
    for (std::size_t r = 0; r < options.size(); ++r) {
      if (r == decision.best[c]) continue;
      const PairedSummary& g = decision.regret[r * columns + c];
      const double share = g.mean > 0.0 ? g.sign_agreement : 0.0;
      out += fmt::format("    {:<{}}  {:.4f}  [{:.4f}, {:.4f}]  {:>3.0f} %\n", options[r], label, g.mean, g.low, g.high,
                         100.0 * share);
    }
  }
  out += "\n";
  out += fmt::format("Most robust option (smallest maximum regret): {} (max regret {:.4f})\n",
                     chosen_text(options, decision.robust, decision.robust_ties), decision.max_regret[decision.robust]);
  out +=
      fmt::format("Best worst case (maximin): {} (worst case {:.4f})\n",
                  chosen_text(options, decision.maximin, decision.maximin_ties), decision.worst_case[decision.maximin]);
  out += fmt::format("Best {} expected score: {} ({:.4f})\n", weighted ? "weighted" : "mean",
                     chosen_text(options, decision.best_expected, decision.best_expected_ties),
                     decision.expected_score[decision.best_expected]);
  const bool best_tied = std::any_of(decision.best_ties.begin(), decision.best_ties.end(),
                                     [](const std::vector<std::size_t>& tied) { return !tied.empty(); });
  if (best_tied || !decision.robust_ties.empty() || !decision.maximin_ties.empty() ||
      !decision.best_expected_ties.empty())
    out += "Options tied exactly score alike here: the one named first is first in --policies, not better.\n";
  return out;
}

std::string matrix_held_runs_text(const PolicyMatrix& matrix) {
  std::vector<std::string> cells;
  const std::size_t columns = matrix.scenarios.size();
  for (std::size_t i = 0; i < matrix.cells.size() && columns > 0; ++i)
    if (matrix.cells[i].held_runs > 0)
      cells.push_back(fmt::format("{} in {}: {} of {}", plain(matrix.options[i / columns]),
                                  plain(matrix.scenarios[i % columns]), matrix.cells[i].held_runs, matrix.runs));
  if (cells.empty()) return "";
  return fmt::format(
      "\nRuns in which {}, so that they drift where nothing happens (docs/model.md, \"Parameter ranges\"): "
      "{}.\n",
      kHeldRunsMeaning, fmt::join(cells, "; "));
}

void write_matrix_csv(std::ostream& out, const PolicyMatrix& matrix, const MatrixDecision& decision) {
  out << "option,scenario";
  for (const auto& term : matrix.score.terms) out << ',' << csv_field(term.indicator);
  out << ",score,regret,regret_low,regret_high,regret_share,held_runs\n";
  const std::size_t columns = matrix.scenarios.size();
  for (std::size_t r = 0; r < matrix.options.size(); ++r)
    for (std::size_t c = 0; c < columns; ++c) {
      const MatrixCell& cell = matrix.cells[r * columns + c];
      const PairedSummary& g = decision.regret[r * columns + c];
      out << csv_field(matrix.options[r]) << ',' << csv_field(matrix.scenarios[c]);
      for (double t : cell.terms) out << ',' << number6(t);
      out << fmt::format(",{},{},{},{},{},{}\n", number6(cell.score), number6(g.mean), number6(g.low), number6(g.high),
                         number6(g.mean > 0.0 ? g.sign_agreement : 0.0), cell.held_runs);
    }
}

nlohmann::json matrix_record(const PolicyMatrix& matrix, const MatrixDecision& decision) {
  using nlohmann::json;
  json record;
  record["runs"] = matrix.runs;
  record["seed"] = matrix.seed;
  record["steps"] = matrix.steps;  // per scenario, in their order
  record["parameter_sd"] = matrix.parameter_sd;
  if (!matrix.settings.empty()) record["settings"] = matrix.settings;  // --set NAME=VALUE, as in run.json
  json terms = json::array();
  for (const auto& term : matrix.score.terms) terms.push_back({{"indicator", term.indicator}, {"weight", term.weight}});
  record["score"] = {{"title", matrix.score.title},
                     {"better", better_name(matrix.score.better)},
                     {"terms", terms},
                     {"formula", score_formula(matrix.score)}};
  record["options"] = matrix.options;
  record["scenarios"] = matrix.scenarios;
  std::vector<double> weights;
  for (std::size_t c = 0; c < matrix.scenarios.size(); ++c)
    weights.push_back(c < matrix.weights.size() ? matrix.weights[c] : 1.0);
  record["weights"] = weights;
  const std::size_t columns = matrix.scenarios.size();
  json cells = json::array();
  for (std::size_t r = 0; r < matrix.options.size(); ++r)
    for (std::size_t c = 0; c < columns; ++c) {
      const MatrixCell& cell = matrix.cells[r * columns + c];
      const PairedSummary& g = decision.regret[r * columns + c];
      json values = json::object();
      for (std::size_t t = 0; t < matrix.score.terms.size(); ++t)
        values[matrix.score.terms[t].indicator] = cell.terms[t];
      cells.push_back(
          {{"option", matrix.options[r]},
           {"scenario", matrix.scenarios[c]},
           {"indicators", values},
           {"score", cell.score},
           {"held_runs", cell.held_runs},
           {"regret",
            {{"mean", g.mean}, {"low", g.low}, {"high", g.high}, {"share", g.mean > 0.0 ? g.sign_agreement : 0.0}}}});
    }
  record["cells"] = cells;
  json options = json::array();
  for (std::size_t r = 0; r < matrix.options.size(); ++r)
    options.push_back({{"option", matrix.options[r]},
                       {"worst_case", decision.worst_case[r]},
                       {"max_regret", decision.max_regret[r]},
                       {"expected_score", decision.expected_score[r]}});
  record["by_option"] = options;
  json best = json::array();
  for (std::size_t c = 0; c < columns; ++c)
    best.push_back({{"scenario", matrix.scenarios[c]},
                    {"option", matrix.options[decision.best[c]]},
                    {"tied", names(matrix.options, decision.best_ties[c])},
                    {"score", decision.best_in_scenario[c]}});
  record["best_in_scenario"] = best;
  record["robust"] = matrix.options[decision.robust];
  record["robust_tied"] = names(matrix.options, decision.robust_ties);
  record["maximin"] = matrix.options[decision.maximin];
  record["maximin_tied"] = names(matrix.options, decision.maximin_ties);
  record["best_expected"] = matrix.options[decision.best_expected];
  record["best_expected_tied"] = names(matrix.options, decision.best_expected_ties);
  return record;
}

}  // namespace geosim
