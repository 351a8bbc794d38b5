#pragma once
/// \file
/// The policy matrix: options (rows) against scenarios (columns), each cell an ensemble scored
/// by the score its scenarios define in YAML (`score:`, a weighted sum of indicators, lower or
/// higher better); then the regret of each option in each scenario, computed run by run
/// against the best option there on paired runs (same run index and seed), each option's
/// worst case and maximum regret, and the most robust option (minimax regret).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "geosim/core/paired.hpp"
#include "geosim/core/scenario.hpp"

namespace geosim {

/// "lower", "higher" or "neither": the word for a direction in tables and formulas.
const char* better_name(Better b);

/// The score of one outcome: sum of weight * values[term.index] over the score's terms, where
/// `values` holds one value per indicator of the scenario the score was loaded with.
double score_value(const Score& score, const std::vector<double>& values);

/// The score as a formula, e.g. "1 * asean_cohesion - 1 * korean_risk (higher is better)".
std::string score_formula(const Score& score);

/// True when two scores are the same weighted sum (same indicator ids, weights and direction).
bool same_score(const Score& a, const Score& b);

/// One option in one scenario.
struct MatrixCell {
  /// Each score term's indicator at the end, mean over runs, in the order of Score::terms.
  std::vector<double> terms;
  /// Each run's score at the end, by run index (run r of every cell uses the same seed).
  std::vector<double> run_scores;
  double score = 0.0;  ///< expected score: the mean of run_scores, summed in run order
  /// Runs whose drawn values held a baseline at 0 or 1 (EnsembleResult::held_runs): they drift
  /// where nothing happens.
  std::int64_t held_runs = 0;
};

/// The cell of scenario `scenario` (indicators as loaded) from each run's end indicators
/// (`end[run * indicators + k]`, as EnsembleResult::end).
MatrixCell make_cell(const Score& score, const std::vector<double>& end, std::size_t indicators);

/// Options (rows) against scenarios (columns).
struct PolicyMatrix {
  Score score;                         ///< the score every column defines
  std::vector<std::string> options;    ///< row labels, e.g. "no-action", "quiet-diplomacy"
  std::vector<std::string> scenarios;  ///< column labels
  /// Per column: its weight when averaging over scenarios (Scenario::weight), > 0. Empty = all 1.
  std::vector<double> weights;
  std::vector<MatrixCell> cells;  ///< [row * scenarios.size() + column]
  int runs = 0;                   ///< runs per cell
  std::uint64_t seed = 0;
  /// Per column: the steps its runs take, the end the values are at. Empty = not recorded.
  std::vector<int> steps;
  double parameter_sd = 0.0;  ///< sd of each run's drawn restraint and reactivity (log scale); 0 = as written
  /// --set NAME=VALUE, the same in every cell, as Scenario::settings records them; none by default.
  std::vector<std::string> settings;
  double score_at(std::size_t row, std::size_t column) const { return cells[row * scenarios.size() + column].score; }
};

/// What the matrix advises. "Better" follows the score's direction; ties go to the earlier row.
struct MatrixDecision {
  std::vector<std::size_t> best;         ///< per column: the option with the best expected score
  std::vector<double> best_in_scenario;  ///< per column: that option's expected score
  /// [row * columns + column]: run by run, how much worse this option scores than the column's
  /// best option in the same run (best minus this when higher is better, this minus best when
  /// lower is better): its mean is the regret, >= 0; the interval and the share of runs in which
  /// the best option does better show how sure that is. The best option's own regret is 0.
  std::vector<PairedSummary> regret;
  std::vector<double> worst_case;      ///< per row: its worst expected score over the scenarios
  std::vector<double> max_regret;      ///< per row: its largest mean regret over the scenarios
  std::vector<double> expected_score;  ///< per row: its expected scores averaged with the weights
  std::size_t robust = 0;              ///< the row with the smallest maximum regret (minimax regret)
  std::size_t maximin = 0;             ///< the row with the best worst case (maximin)
  std::size_t best_expected = 0;       ///< the row with the best weighted expected score
  /// The other rows exactly as good as the chosen one (in option order, none when it stands
  /// alone): the first of a tie is chosen only because it is listed first, which the outputs say.
  std::vector<std::size_t> robust_ties, maximin_ties, best_expected_ties;
  std::vector<std::vector<std::size_t>> best_ties;  ///< per column: the options tied with `best`
};

/// Decides on a matrix whose cells all have the same number of run scores (>= 1).
MatrixDecision decide(const PolicyMatrix& matrix);

}  // namespace geosim
