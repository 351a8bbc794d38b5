#pragma once
/// \file
/// The policy matrix for a reader: the terminal table, matrix.csv and matrix.json.

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "geosim/analysis/policy_matrix.hpp"

namespace geosim {

/// The table of scores with worst case, maximum regret and weighted expected score per
/// option, then the regret of each option in each scenario with its paired interval, and the
/// robust option.
std::string matrix_table(const PolicyMatrix& matrix, const MatrixDecision& decision);

/// The cells whose runs held a baseline at 0 or 1 for their drawn values (MatrixCell::held_runs),
/// each with its count, as a paragraph; "" when none did.
std::string matrix_held_runs_text(const PolicyMatrix& matrix);

/// Long format: `option,scenario,<term indicator ids...>,score,regret,regret_low,regret_high,
/// regret_share,held_runs` (names quoted as CSV requires).
void write_matrix_csv(std::ostream& out, const PolicyMatrix& matrix, const MatrixDecision& decision);

/// Everything as JSON: settings, score, cells, per-option summaries, robust option.
nlohmann::json matrix_record(const PolicyMatrix& matrix, const MatrixDecision& decision);

}  // namespace geosim
