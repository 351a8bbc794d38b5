#include "geosim/analysis/policy_matrix.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <limits>

namespace geosim {
const char* better_name(Better b) { return b == Better::lower ? "lower" : b == Better::higher ? "higher" : "neither"; }

double score_value(const Score& score, const std::vector<double>& values) {
  double sum = 0.0;
  for (const auto& term : score.terms)
    if (term.index < values.size()) sum += term.weight * values[term.index];
  return sum;
}

std::string score_formula(const Score& score) {
  std::string out;
  for (const auto& term : score.terms) {
    const double w = term.weight;
    if (out.empty())
      out += fmt::format("{}{:g} * {}", w < 0 ? "-" : "", std::abs(w), term.indicator);
    else
      out += fmt::format(" {} {:g} * {}", w < 0 ? "-" : "+", std::abs(w), term.indicator);
  }
  return fmt::format("{} ({} is better)", out, better_name(score.better));
}

bool same_score(const Score& a, const Score& b) {
  if (a.better != b.better || a.terms.size() != b.terms.size()) return false;
  for (std::size_t t = 0; t < a.terms.size(); ++t)
    if (a.terms[t].indicator != b.terms[t].indicator || a.terms[t].weight != b.terms[t].weight) return false;
  return true;
}

MatrixCell make_cell(const Score& score, const std::vector<double>& end, std::size_t indicators) {
  MatrixCell cell;
  cell.terms.assign(score.terms.size(), 0.0);
  const std::size_t runs = indicators == 0 ? 0 : end.size() / indicators;
  std::vector<double> values(indicators);
  cell.run_scores.reserve(runs);
  double sum = 0.0;
  for (std::size_t r = 0; r < runs; ++r) {
    std::copy(end.begin() + std::ptrdiff_t(r * indicators), end.begin() + std::ptrdiff_t((r + 1) * indicators),
              values.begin());
    const double s = score_value(score, values);
    cell.run_scores.push_back(s);
    sum += s;
    for (std::size_t t = 0; t < score.terms.size(); ++t)
      if (score.terms[t].index < indicators) cell.terms[t] += values[score.terms[t].index];
  }
  if (runs > 0) {
    cell.score = sum / double(runs);
    for (double& t : cell.terms) t /= double(runs);
  }
  return cell;
}

MatrixDecision decide(const PolicyMatrix& matrix) {
  const std::size_t rows = matrix.options.size(), columns = matrix.scenarios.size();
  const bool lower = matrix.score.better == Better::lower;
  // "a is better than b" in the score's direction
  auto better = [lower](double a, double b) { return lower ? a < b : a > b; };
  MatrixDecision d;
  d.best.assign(columns, 0);
  d.best_in_scenario.assign(columns, 0.0);
  for (std::size_t c = 0; c < columns; ++c) {
    for (std::size_t r = 1; r < rows; ++r)
      if (better(matrix.score_at(r, c), matrix.score_at(d.best[c], c))) d.best[c] = r;
    d.best_in_scenario[c] = rows > 0 ? matrix.score_at(d.best[c], c) : 0.0;
  }
  d.regret.assign(rows * columns, PairedSummary{});
  d.worst_case.assign(rows, 0.0);
  d.max_regret.assign(rows, 0.0);
  d.expected_score.assign(rows, 0.0);
  double weight_sum = 0.0;
  for (std::size_t c = 0; c < columns; ++c) weight_sum += c < matrix.weights.size() ? matrix.weights[c] : 1.0;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < columns; ++c) {
      const auto& mine = matrix.cells[r * columns + c].run_scores;
      const auto& best = matrix.cells[d.best[c] * columns + c].run_scores;
      // run by run: how much worse than the best option in the same run (paired)
      d.regret[r * columns + c] = lower ? paired_summary(mine, best) : paired_summary(best, mine);
      const double score = matrix.score_at(r, c);
      if (c == 0 || better(d.worst_case[r], score)) d.worst_case[r] = score;
      d.max_regret[r] = std::max(d.max_regret[r], d.regret[r * columns + c].mean);
      const double w = c < matrix.weights.size() ? matrix.weights[c] : 1.0;
      d.expected_score[r] += w * score / weight_sum;
    }
  }
  for (std::size_t r = 1; r < rows; ++r) {
    if (d.max_regret[r] < d.max_regret[d.robust]) d.robust = r;
    if (better(d.worst_case[r], d.worst_case[d.maximin])) d.maximin = r;
    if (better(d.expected_score[r], d.expected_score[d.best_expected])) d.best_expected = r;
  }
  auto ties = [rows](std::size_t chosen, auto value) {  // the other rows of exactly the chosen one's value
    std::vector<std::size_t> tied;
    for (std::size_t r = 0; r < rows; ++r)
      if (r != chosen && value(r) == value(chosen)) tied.push_back(r);
    return tied;
  };
  d.robust_ties = ties(d.robust, [&](std::size_t r) { return d.max_regret[r]; });
  d.maximin_ties = ties(d.maximin, [&](std::size_t r) { return d.worst_case[r]; });
  d.best_expected_ties = ties(d.best_expected, [&](std::size_t r) { return d.expected_score[r]; });
  for (std::size_t c = 0; c < columns; ++c)
    d.best_ties.push_back(ties(d.best[c], [&](std::size_t r) { return matrix.score_at(r, c); }));
  return d;
}

}  // namespace geosim
