#pragma once
/// \file
/// The policy matrix: Singapore's options (rows) against the document scenarios (columns),
/// each cell the expected outcome of an ensemble scored by what Singapore cares about, then
/// each option's worst case, its maximum regret and the most robust option (minimax regret).

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "geosim/scenario.hpp"

namespace geosim {

/// Which indicators Singapore's score reads (by id). The score of an outcome is
///     score = cohesion - risk - mean(tensions)
/// with every term in [0,1], so the score lies in [-2, 1]; higher is better.
struct SingaporeUtility {
  std::string cohesion = "asean_cohesion";  ///< ASEAN cohesion: higher is better
  std::string risk = "korean_risk";         ///< regional risk: lower is better
  /// Singapore's ties: tensions SGP-USA, SGP-CHN, SGP-VNM; lower is better.
  std::vector<std::string> tensions{"sgp_usa", "sgp_chn", "vnm_sgp"};
};

/// The expected outcome of one option in one scenario, as Singapore scores it.
struct MatrixCell {
  double cohesion = 0.0;         ///< expected value (mean over runs) at the end
  double risk = 0.0;             ///< likewise
  std::vector<double> tensions;  ///< likewise, in the order of SingaporeUtility::tensions
  double score = 0.0;            ///< cohesion - risk - mean(tensions)
};

/// Scores the indicator values `values` (one per indicator of `scenario`, e.g. means at the
/// end). nullopt, with the missing id in `missing`, when the scenario lacks an indicator.
std::optional<MatrixCell> score_outcome(const Scenario& scenario, const std::vector<double>& values,
                                        const SingaporeUtility& utility, std::string& missing);

/// Options (rows) against scenarios (columns).
struct PolicyMatrix {
  std::vector<std::string> options;    ///< row labels, e.g. "no action", "quiet-diplomacy"
  std::vector<std::string> scenarios;  ///< column labels
  std::vector<MatrixCell> cells;       ///< [row * scenarios.size() + column]
  int runs = 0;                        ///< runs per cell
  std::uint64_t seed = 0;
  double score(std::size_t row, std::size_t column) const {
    return cells[row * scenarios.size() + column].score;
  }
};

/// What the matrix advises. Ties go to the earlier row.
struct MatrixDecision {
  std::vector<double> best_in_scenario;  ///< per column: the best score of any option
  std::vector<double> regret;            ///< [row * columns + column]: best in column - score
  std::vector<double> worst_case;        ///< per row: its lowest score over the scenarios
  std::vector<double> max_regret;        ///< per row: its largest regret over the scenarios
  std::size_t robust = 0;   ///< the row with the smallest maximum regret (minimax regret)
  std::size_t maximin = 0;  ///< the row with the best worst case (maximin)
};

/// Regret, worst cases and the robust choice of a rows x columns score table
/// (`scores[row * columns + column]`, higher is better; rows, columns >= 1).
MatrixDecision decide(const std::vector<double>& scores, std::size_t rows, std::size_t columns);
/// The same for a matrix's scores.
MatrixDecision decide(const PolicyMatrix& matrix);

/// The table of scores with worst case and maximum regret per option, the robust option, and
/// the formula of the score.
std::string matrix_table(const PolicyMatrix& matrix, const MatrixDecision& decision,
                         const SingaporeUtility& utility);

/// Long format: `option,scenario,cohesion,risk,<tension ids...>,score,regret`.
void write_matrix_csv(std::ostream& out, const PolicyMatrix& matrix, const MatrixDecision& decision,
                      const SingaporeUtility& utility);

/// Everything as JSON: settings, cells, per-option worst case and maximum regret, robust option.
nlohmann::json matrix_record(const PolicyMatrix& matrix, const MatrixDecision& decision,
                             const SingaporeUtility& utility);

}  // namespace geosim
