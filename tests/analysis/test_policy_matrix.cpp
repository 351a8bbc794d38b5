// The policy matrix: a score defined as data, regret on paired runs, worst cases and the
// robust choice, on tables worked out by hand.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <geosim/analysis/policy_matrix.hpp>
#include <geosim/io/loader.hpp>
#include <geosim/report/matrix_report.hpp>

#include <sstream>

namespace geosim {
namespace {

/// A matrix of options x scenarios whose cells hold the given per-run scores.
PolicyMatrix matrix_of(const std::vector<std::vector<double>>& runs, std::size_t rows, std::size_t columns,
                       Better better) {
  PolicyMatrix m;
  m.score.better = better;
  m.score.terms = {{"x", 0, 1.0}};
  for (std::size_t r = 0; r < rows; ++r) m.options.push_back(std::string(1, char('A' + r)));
  for (std::size_t c = 0; c < columns; ++c) m.scenarios.push_back("s" + std::to_string(c + 1));
  for (const auto& scores : runs) {
    MatrixCell cell;
    for (double s : scores) cell.run_scores.push_back(s), cell.score += s / double(scores.size());
    cell.terms = {cell.score};
    m.cells.push_back(cell);
  }
  m.runs = int(runs.front().size());
  return m;
}

// Options A, B against scenarios s1, s2, three paired runs each (run r of every cell shares
// its seed and run index):
//          s1 runs            mean      s2 runs          mean
//   A     0.10 0.20 0.30    0.2000     0.5 0.4 0.6      0.5   <- best in s2
//   B     0.15 0.15 0.35    0.2167     0.3 0.4 0.5      0.4   <- best in s1
// Regret of A in s1, run by run: B - A = 0.05, -0.05, 0.05: mean 1/60 = 0.016667; sorted
// (-0.05, 0.05, 0.05), type-7 5th percentile at h = 0.1: -0.05 + 0.1 * 0.1 = -0.04; 95th at
// h = 1.9: 0.05; B did better in 2 of 3 runs.
// Regret of B in s2: A - B = 0.2, 0.0, 0.1: mean 0.1; sorted (0, 0.1, 0.2): 5th 0.01, 95th 0.19;
// A did better in 2 of 3 runs.
// Max regret: A 0.016667, B 0.1: A is robust. Worst case: A 0.2, B 0.2167: B is the maximin.
const std::vector<std::vector<double>> kRuns{{0.10, 0.20, 0.30},
                                             {0.5, 0.4, 0.6},  // A in s1, s2
                                             {0.15, 0.15, 0.35},
                                             {0.3, 0.4, 0.5}};  // B in s1, s2

TEST(PolicyMatrix, RegretIsPairedRunByRunAgainstTheBestOptionOfEachScenario) {
  const MatrixDecision d = decide(matrix_of(kRuns, 2, 2, Better::higher));
  EXPECT_EQ(d.best, (std::vector<std::size_t>{1, 0}));
  EXPECT_NEAR(d.best_in_scenario[0], 0.65 / 3, 1e-12);
  EXPECT_NEAR(d.best_in_scenario[1], 0.5, 1e-12);
  const PairedSummary& a1 = d.regret[0 * 2 + 0];
  EXPECT_NEAR(a1.mean, 1.0 / 60, 1e-12);
  EXPECT_NEAR(a1.low, -0.04, 1e-12);
  EXPECT_NEAR(a1.high, 0.05, 1e-12);
  EXPECT_NEAR(a1.sign_agreement, 2.0 / 3, 1e-12);
  const PairedSummary& b2 = d.regret[1 * 2 + 1];
  EXPECT_NEAR(b2.mean, 0.1, 1e-12);
  EXPECT_NEAR(b2.low, 0.01, 1e-12);
  EXPECT_NEAR(b2.high, 0.19, 1e-12);
  EXPECT_NEAR(b2.sign_agreement, 2.0 / 3, 1e-12);
  EXPECT_EQ(d.regret[0 * 2 + 1].mean, 0.0) << "the best option has no regret";
  EXPECT_EQ(d.regret[1 * 2 + 0].mean, 0.0);
  EXPECT_NE(a1.mean, b2.mean) << "regret differs between scenarios where the effects do";
  EXPECT_NEAR(d.max_regret[0], 1.0 / 60, 1e-12);
  EXPECT_NEAR(d.max_regret[1], 0.1, 1e-12);
  EXPECT_EQ(d.robust, 0u);
  EXPECT_NEAR(d.worst_case[0], 0.2, 1e-12);
  EXPECT_NEAR(d.worst_case[1], 0.65 / 3, 1e-12);
  EXPECT_EQ(d.maximin, 1u);
}

TEST(PolicyMatrix, LowerIsBetterTurnsBestWorstAndRegretAround) {
  // Lower better: A is best in s1 (0.2 < 0.2167), B in s2 (0.4 < 0.5).
  // Regret of B in s1: B - A = 0.05, -0.05, 0.05: mean 1/60. Regret of A in s2: A - B = 0.2, 0,
  // 0.1: mean 0.1. Worst case = highest score: A 0.5, B 0.4: B; robust: B (1/60 < 0.1).
  const MatrixDecision d = decide(matrix_of(kRuns, 2, 2, Better::lower));
  EXPECT_EQ(d.best, (std::vector<std::size_t>{0, 1}));
  EXPECT_NEAR(d.regret[1 * 2 + 0].mean, 1.0 / 60, 1e-12);
  EXPECT_NEAR(d.regret[0 * 2 + 1].mean, 0.1, 1e-12);
  EXPECT_NEAR(d.worst_case[0], 0.5, 1e-12);
  EXPECT_NEAR(d.worst_case[1], 0.4, 1e-12);
  EXPECT_EQ(d.maximin, 1u);
  EXPECT_EQ(d.robust, 1u);
}

TEST(PolicyMatrix, ScenarioWeightsAverageTheExpectedScores) {
  // Weights 3 (s1) and 1 (s2): A (3 * 0.2 + 0.5) / 4 = 0.275; B (3 * 0.65 / 3 + 0.4) / 4 = 0.5875 / 2.
  PolicyMatrix m = matrix_of(kRuns, 2, 2, Better::higher);
  m.weights = {3.0, 1.0};
  const MatrixDecision d = decide(m);
  EXPECT_NEAR(d.expected_score[0], 0.275, 1e-12);
  EXPECT_NEAR(d.expected_score[1], (0.65 + 0.4) / 4, 1e-12);
  EXPECT_EQ(d.best_expected, 0u);
  m.weights = {1.0, 0.0001};  // s1 nearly alone: B (0.2167) beats A (0.2)
  EXPECT_EQ(decide(m).best_expected, 1u);
}

// Options that score exactly alike are tied: the earlier is named, and every output says the
// other is as good (an analyst would otherwise read the order of --policies as a verdict).
TEST(PolicyMatrix, TiesGoToTheEarlierOptionAndAreSaid) {
  PolicyMatrix m = matrix_of({{0.2}, {0.3}, {0.2}, {0.3}, {0.1}, {0.3}}, 3, 2, Better::higher);
  const MatrixDecision d = decide(m);
  EXPECT_EQ(d.robust, 0u);
  EXPECT_EQ(d.maximin, 0u);
  EXPECT_EQ(d.best, (std::vector<std::size_t>{0, 0}));
  EXPECT_EQ(d.max_regret[0], 0.0);
  EXPECT_EQ(d.robust_ties, (std::vector<std::size_t>{1}));
  EXPECT_EQ(d.maximin_ties, (std::vector<std::size_t>{1}));
  EXPECT_EQ(d.best_expected_ties, (std::vector<std::size_t>{1}));
  // s1: A and B 0.2, C 0.1; s2: all three 0.3.
  EXPECT_EQ(d.best_ties, (std::vector<std::vector<std::size_t>>{{1}, {1, 2}}));
  const std::string table = matrix_table(m, d);
  for (const char* said : {"Most robust option (smallest maximum regret): A, tied with B (max regret 0.0000)",
                           "Best worst case (maximin): A, tied with B (worst case 0.2000)",
                           "Best mean expected score: A, tied with B (0.2500)", "s1 (best: A, tied with B)",
                           "s2 (best: A, tied with B, C)", "not better.\n"})
    EXPECT_NE(table.find(said), std::string::npos) << said << "\n" << table;
  EXPECT_EQ(std::count(table.begin(), table.end(), '<'), 2) << "A and B marked, C not:\n" << table;
  const auto json = matrix_record(m, d);
  EXPECT_EQ(json["robust_tied"], nlohmann::json::array({"B"}));
  EXPECT_EQ(json["best_in_scenario"][1]["tied"], nlohmann::json::array({"B", "C"}));
  // A tie within one scenario alone is said too: A and B tie in s2, A is best in s1 and overall.
  PolicyMatrix one = matrix_of({{0.3}, {0.3}, {0.2}, {0.3}}, 2, 2, Better::higher);
  const std::string one_table = matrix_table(one, decide(one));
  EXPECT_NE(one_table.find("s2 (best: A, tied with B)"), std::string::npos) << one_table;
  EXPECT_NE(one_table.find("Most robust option (smallest maximum regret): A (max"), std::string::npos) << one_table;
  EXPECT_NE(one_table.find("not better.\n"), std::string::npos) << one_table;
  // A name with a comma is quoted where it is listed with others, not alone.
  m.options = {"A, first", "B", "C \"the\" " + std::string(100, 'c')};
  const std::string quoted = matrix_table(m, d);
  EXPECT_NE(quoted.find("s2 (best: \"A, first\", tied with B, \"C \\\"the\\\" " + std::string(100, 'c') + "\")"),
            std::string::npos)
      << "whole, however long:\n"
      << quoted;
  EXPECT_NE(quoted.find("\n  A, first "), std::string::npos) << "in the table's rows as it is:\n" << quoted;
  // Alone, nothing is said.
  const MatrixDecision alone = decide(matrix_of(kRuns, 2, 2, Better::higher));
  EXPECT_TRUE(alone.robust_ties.empty() && alone.maximin_ties.empty() && alone.best_expected_ties.empty());
  EXPECT_EQ(matrix_table(matrix_of(kRuns, 2, 2, Better::higher), alone).find("tied"), std::string::npos);
}

TEST(PolicyMatrix, CellScoresEachRunAsTheWeightedSumOfItsIndicators) {
  // Indicators (b, a); score = 2 a - b. Run 0: a 0.3, b 0.1: 0.5. Run 1: a 0.5, b 0.2: 0.8.
  Score score;
  score.terms = {{"a", 1, 2.0}, {"b", 0, -1.0}};
  const MatrixCell cell = make_cell(score, {0.1, 0.3, 0.2, 0.5}, 2);
  ASSERT_EQ(cell.run_scores.size(), 2u);
  EXPECT_NEAR(cell.run_scores[0], 0.5, 1e-12);
  EXPECT_NEAR(cell.run_scores[1], 0.8, 1e-12);
  EXPECT_NEAR(cell.score, 0.65, 1e-12);
  EXPECT_NEAR(cell.terms[0], 0.4, 1e-12);
  EXPECT_NEAR(cell.terms[1], 0.15, 1e-12);
  EXPECT_EQ(score_formula(score), "2 * a - 1 * b (higher is better)");
}

TEST(PolicyMatrix, ScoreIsReadFromTheScenarioYaml) {
  const std::string head =
      "scenario: {id: t, title: T, start: 2025-01-01, steps: 2, weight: 2.5}\n"
      "actors: [{id: AAA}, {id: BBB}]\n"
      "indicators:\n"
      "  - {id: ab, kind: mean, relations: [[AAA, BBB]]}\n"
      "  - {id: good, kind: mean, better: higher, relations: [[AAA, BBB]]}\n";
  LoadResult ok = load_scenario_text(head +
                                         "score:\n  better: lower\n  terms:\n    - {indicator: ab, weight: 2}\n"
                                         "    - {indicator: good, weight: -0.5}\n",
                                     "t.yaml");
  ASSERT_TRUE(ok.ok()) << (ok.errors.empty() ? "" : ok.errors.front().message);
  ASSERT_TRUE(ok.scenario->score);
  EXPECT_EQ(ok.scenario->score->better, Better::lower);
  ASSERT_EQ(ok.scenario->score->terms.size(), 2u);
  EXPECT_EQ(ok.scenario->score->terms[1].index, 1u);
  EXPECT_EQ(ok.scenario->score->terms[1].weight, -0.5);
  EXPECT_EQ(ok.scenario->weight, 2.5);
  EXPECT_EQ(ok.scenario->indicators[0].better, Better::lower) << "a tension: lower by default";
  EXPECT_EQ(ok.scenario->indicators[1].better, Better::higher);
  LoadResult bad = load_scenario_text(head + "score:\n  terms:\n    - {indicator: korean_risk, weight: 1}\n", "t.yaml");
  ASSERT_FALSE(bad.errors.empty());
  EXPECT_EQ(bad.errors.front().line, 8);
  EXPECT_NE(bad.errors.front().message.find("unknown indicator 'korean_risk' in the score (indicators: ab, good)"),
            std::string::npos)
      << bad.errors.front().message;
  // Each bad term says what is wrong with it, once, and nothing is said of terms not there.
  LoadResult terms = load_scenario_text(head +
                                            "score:\n  terms:\n    - {indicator: ab, weight: 1e308}\n"
                                            "    - {indicator: zz, weight: x}\n",
                                        "t.yaml");
  std::vector<std::string> said;
  for (const Diagnostic& d : terms.errors) said.push_back(fmt::format("{}:{}: {}", d.line, d.column, d.message));
  EXPECT_EQ(said, (std::vector<std::string>{
                      "8:31: expected a weight in [-1000000, 1000000], found 1e308",
                      "9:19: unknown indicator 'zz' in the score (indicators: ab, good)",
                      "9:31: expected a weight as a number in [-1000000, 1000000], found 'x'",
                  }));
  LoadResult none = load_scenario_text(head + "score:\n  terms: []\n", "t.yaml");
  ASSERT_EQ(none.errors.size(), 1u);
  EXPECT_EQ(none.errors.front().message, "expected at least one term in the score, found none");
  LoadResult sideways =
      load_scenario_text(head + "score:\n  better: sideways\n  terms: [{indicator: ab, weight: 1}]\n", "t.yaml");
  ASSERT_FALSE(sideways.errors.empty());
  EXPECT_NE(sideways.errors.front().message.find("expected 'better' to be 'lower' or 'higher', found 'sideways'"),
            std::string::npos);
}

TEST(PolicyMatrix, TableCsvAndJsonNameTheRobustOptionAndEscapeNames) {
  PolicyMatrix m = matrix_of(kRuns, 2, 2, Better::higher);
  m.options = {"A", "B, \"the other\""};
  const MatrixDecision d = decide(m);
  const std::string table = matrix_table(m, d);
  EXPECT_NE(table.find("Most robust option (smallest maximum regret): A (max regret 0.0167)"), std::string::npos)
      << table;
  EXPECT_NE(table.find("s2 (best: A)"), std::string::npos) << table;
  std::ostringstream csv;
  write_matrix_csv(csv, m, d);
  const std::string text = csv.str();
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "option,scenario,x,score,regret,regret_low,regret_high,regret_share,held_runs");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1 + 4);
  EXPECT_NE(text.find("\n\"B, \"\"the other\"\"\",s2,0.400000,0.400000,0.100000,0.010000,0.190000,0.666667,0\n"),
            std::string::npos)
      << text;
  const auto json = matrix_record(m, d);
  EXPECT_EQ(json["robust"], "A");
  EXPECT_EQ(json["maximin"], "B, \"the other\"");
  EXPECT_EQ(json["score"]["better"], "higher");
}

}  // namespace
}  // namespace geosim
