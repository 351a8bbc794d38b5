#include "geosim/policy_matrix.hpp"

#include "geosim/escape.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <limits>

namespace geosim {
namespace {

std::optional<double> value_of(const Scenario& scenario, const std::vector<double>& values,
                               const std::string& id, std::string& missing) {
  for (std::size_t k = 0; k < scenario.indicators.size() && k < values.size(); ++k)
    if (scenario.indicators[k].id == id) return values[k];
  missing = id;
  return std::nullopt;
}

std::string number(double v) { return fmt::format("{:.6f}", v); }

}  // namespace

std::optional<MatrixCell> score_outcome(const Scenario& scenario, const std::vector<double>& values,
                                        const SingaporeUtility& utility, std::string& missing) {
  MatrixCell cell;
  auto cohesion = value_of(scenario, values, utility.cohesion, missing);
  auto risk = value_of(scenario, values, utility.risk, missing);
  if (!cohesion || !risk) return std::nullopt;
  cell.cohesion = *cohesion;
  cell.risk = *risk;
  double sum = 0.0;
  for (const auto& id : utility.tensions) {
    auto t = value_of(scenario, values, id, missing);
    if (!t) return std::nullopt;
    cell.tensions.push_back(*t);
    sum += *t;
  }
  const double mean = utility.tensions.empty() ? 0.0 : sum / double(utility.tensions.size());
  cell.score = cell.cohesion - cell.risk - mean;
  return cell;
}

MatrixDecision decide(const std::vector<double>& scores, std::size_t rows, std::size_t columns) {
  MatrixDecision d;
  d.best_in_scenario.assign(columns, -std::numeric_limits<double>::infinity());
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < columns; ++c)
      d.best_in_scenario[c] = std::max(d.best_in_scenario[c], scores[r * columns + c]);
  d.regret.assign(rows * columns, 0.0);
  d.worst_case.assign(rows, std::numeric_limits<double>::infinity());
  d.max_regret.assign(rows, 0.0);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < columns; ++c) {
      const double score = scores[r * columns + c];
      d.regret[r * columns + c] = d.best_in_scenario[c] - score;
      d.worst_case[r] = std::min(d.worst_case[r], score);
      d.max_regret[r] = std::max(d.max_regret[r], d.regret[r * columns + c]);
    }
  for (std::size_t r = 1; r < rows; ++r) {
    if (d.max_regret[r] < d.max_regret[d.robust]) d.robust = r;
    if (d.worst_case[r] > d.worst_case[d.maximin]) d.maximin = r;
  }
  return d;
}

MatrixDecision decide(const PolicyMatrix& matrix) {
  std::vector<double> scores;
  for (const auto& cell : matrix.cells) scores.push_back(cell.score);
  return decide(scores, matrix.options.size(), matrix.scenarios.size());
}

std::string matrix_table(const PolicyMatrix& matrix, const MatrixDecision& decision,
                         const SingaporeUtility& utility) {
  const std::size_t columns = matrix.scenarios.size();
  std::size_t label = std::string("option").size();
  for (const auto& o : matrix.options) label = std::max(label, o.size());
  std::vector<std::size_t> width;  // per scenario column, at least a number's width
  for (const auto& s : matrix.scenarios) width.push_back(std::max<std::size_t>(s.size(), 7));
  const std::size_t summary = std::string("max regret").size();
  std::string out = fmt::format(
      "Singapore's score = {} - {} - mean({}), expected values at the end ({} runs per cell, seed {})\n\n",
      utility.cohesion, utility.risk, fmt::join(utility.tensions, ", "), matrix.runs, matrix.seed);
  out += fmt::format("  {:<{}}", "option", label);
  for (std::size_t c = 0; c < columns; ++c) out += fmt::format("  {:>{}}", matrix.scenarios[c], width[c]);
  out += fmt::format("  {:>{}}  {:>{}}\n", "worst case", summary, "max regret", summary);
  for (std::size_t r = 0; r < matrix.options.size(); ++r) {
    out += fmt::format("  {:<{}}", matrix.options[r], label);
    for (std::size_t c = 0; c < columns; ++c) out += fmt::format("  {:>{}.4f}", matrix.score(r, c), width[c]);
    out += fmt::format("  {:>{}.4f}  {:>{}.4f}{}\n", decision.worst_case[r], summary, decision.max_regret[r],
                       summary, r == decision.robust ? "  <- robust" : "");
  }
  out += fmt::format("  {:<{}}", "best", label);
  for (std::size_t c = 0; c < columns; ++c) out += fmt::format("  {:>{}.4f}", decision.best_in_scenario[c], width[c]);
  out += "\n\n";
  out += fmt::format("Most robust option (smallest maximum regret): {} (max regret {:.4f})\n",
                     matrix.options[decision.robust], decision.max_regret[decision.robust]);
  out += fmt::format("Best worst case (maximin): {} (worst case {:.4f})\n", matrix.options[decision.maximin],
                     decision.worst_case[decision.maximin]);
  return out;
}

void write_matrix_csv(std::ostream& out, const PolicyMatrix& matrix, const MatrixDecision& decision,
                      const SingaporeUtility& utility) {
  out << fmt::format("option,scenario,{},{}", csv_field(utility.cohesion), csv_field(utility.risk));
  for (const auto& id : utility.tensions) out << ',' << csv_field(id);
  out << ",score,regret\n";
  const std::size_t columns = matrix.scenarios.size();
  for (std::size_t r = 0; r < matrix.options.size(); ++r)
    for (std::size_t c = 0; c < columns; ++c) {
      const MatrixCell& cell = matrix.cells[r * columns + c];
      out << fmt::format("{},{},{},{}", csv_field(matrix.options[r]), csv_field(matrix.scenarios[c]), number(cell.cohesion),
                         number(cell.risk));
      for (double t : cell.tensions) out << ',' << number(t);
      out << fmt::format(",{},{}\n", number(cell.score), number(decision.regret[r * columns + c]));
    }
}

nlohmann::json matrix_record(const PolicyMatrix& matrix, const MatrixDecision& decision,
                             const SingaporeUtility& utility) {
  using nlohmann::json;
  json record;
  record["runs"] = matrix.runs;
  record["seed"] = matrix.seed;
  record["score"] = fmt::format("{} - {} - mean({})", utility.cohesion, utility.risk,
                                fmt::join(utility.tensions, ", "));
  record["options"] = matrix.options;
  record["scenarios"] = matrix.scenarios;
  const std::size_t columns = matrix.scenarios.size();
  json cells = json::array();
  for (std::size_t r = 0; r < matrix.options.size(); ++r)
    for (std::size_t c = 0; c < columns; ++c) {
      const MatrixCell& cell = matrix.cells[r * columns + c];
      json tensions = json::object();
      for (std::size_t t = 0; t < utility.tensions.size(); ++t) tensions[utility.tensions[t]] = cell.tensions[t];
      cells.push_back({{"option", matrix.options[r]}, {"scenario", matrix.scenarios[c]},
                       {utility.cohesion, cell.cohesion}, {utility.risk, cell.risk},
                       {"tensions", tensions}, {"score", cell.score},
                       {"regret", decision.regret[r * columns + c]}});
    }
  record["cells"] = cells;
  json options = json::array();
  for (std::size_t r = 0; r < matrix.options.size(); ++r)
    options.push_back({{"option", matrix.options[r]},
                       {"worst_case", decision.worst_case[r]},
                       {"max_regret", decision.max_regret[r]}});
  record["by_option"] = options;
  record["best_in_scenario"] = decision.best_in_scenario;
  record["robust"] = matrix.options[decision.robust];
  record["maximin"] = matrix.options[decision.maximin];
  return record;
}

}  // namespace geosim
