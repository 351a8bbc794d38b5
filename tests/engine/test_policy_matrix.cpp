// The policy matrix: Singapore's score, regret, worst cases and the robust choice on tables
// computed by hand.
#include <geosim/policy_matrix.hpp>
#include <gtest/gtest.h>

#include <sstream>

namespace geosim {
namespace {

// Options A, B, C against scenarios s1, s2, s3:
//          s1    s2    s3   | worst | regret s1 s2 s3 | max regret
//   A     0.50  0.20  0.10  | 0.10  |  0.00 0.20 0.20  |  0.20   <- minimax regret
//   B     0.40  0.40  0.00  | 0.00  |  0.10 0.00 0.30  |  0.30
//   C     0.15  0.30  0.30  | 0.15  |  0.35 0.10 0.00  |  0.35   <- maximin
//   best  0.50  0.40  0.30
const std::vector<double> kScores{0.50, 0.20, 0.10, 0.40, 0.40, 0.00, 0.15, 0.30, 0.30};

TEST(PolicyMatrix, RegretWorstCaseAndRobustChoiceOnAHandMadeTable) {
  const MatrixDecision d = decide(kScores, 3, 3);
  const std::vector<double> best{0.5, 0.4, 0.3}, worst{0.1, 0.0, 0.15}, max_regret{0.2, 0.3, 0.35};
  const std::vector<double> regret{0.0, 0.2, 0.2, 0.1, 0.0, 0.3, 0.35, 0.1, 0.0};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(d.best_in_scenario[i], best[i], 1e-12) << i;
    EXPECT_NEAR(d.worst_case[i], worst[i], 1e-12) << i;
    EXPECT_NEAR(d.max_regret[i], max_regret[i], 1e-12) << i;
  }
  for (std::size_t i = 0; i < regret.size(); ++i) EXPECT_NEAR(d.regret[i], regret[i], 1e-12) << i;
  EXPECT_EQ(d.robust, 0u) << "A has the smallest maximum regret";
  EXPECT_EQ(d.maximin, 2u) << "C has the best worst case";
}

TEST(PolicyMatrix, TiesGoToTheEarlierOption) {
  const MatrixDecision d = decide({0.2, 0.3, 0.2, 0.3}, 2, 2);
  EXPECT_EQ(d.robust, 0u);
  EXPECT_EQ(d.maximin, 0u);
  EXPECT_EQ(d.max_regret[0], 0.0);
}

Scenario with_indicators(const std::vector<std::string>& ids) {
  Scenario s;
  for (const auto& id : ids) {
    Indicator i;
    i.id = id;
    s.indicators.push_back(i);
  }
  return s;
}

TEST(PolicyMatrix, ScoreIsCohesionMinusRiskMinusMeanOfSingaporesTensions) {
  const Scenario s = with_indicators({"vnm_usa", "asean_cohesion", "korean_risk", "sgp_usa", "sgp_chn", "vnm_sgp"});
  std::string missing;
  // 0.8 - 0.6 - (0.1 + 0.2 + 0.3) / 3 = 0.0
  auto cell = score_outcome(s, {0.9, 0.8, 0.6, 0.1, 0.2, 0.3}, SingaporeUtility{}, missing);
  ASSERT_TRUE(cell);
  EXPECT_NEAR(cell->score, 0.0, 1e-12);
  EXPECT_EQ(cell->cohesion, 0.8);
  EXPECT_EQ(cell->risk, 0.6);
  EXPECT_EQ(cell->tensions, (std::vector<double>{0.1, 0.2, 0.3}));
  auto lacking = score_outcome(with_indicators({"asean_cohesion", "korean_risk"}), {0.8, 0.6}, SingaporeUtility{}, missing);
  EXPECT_FALSE(lacking);
  EXPECT_EQ(missing, "sgp_usa");
}

TEST(PolicyMatrix, TableCsvAndJsonNameTheRobustOption) {
  PolicyMatrix m;
  m.options = {"A", "B", "C"};
  m.scenarios = {"s1", "s2", "s3"};
  m.runs = 10;
  for (double score : kScores) m.cells.push_back(MatrixCell{0.8, 0.6, {0.1, 0.2, 0.3}, score});
  const MatrixDecision d = decide(m);
  EXPECT_EQ(d.robust, 0u);
  const SingaporeUtility u;
  const std::string table = matrix_table(m, d, u);
  EXPECT_NE(table.find("Most robust option (smallest maximum regret): A"), std::string::npos) << table;
  EXPECT_NE(table.find("asean_cohesion - korean_risk - mean(sgp_usa, sgp_chn, vnm_sgp)"), std::string::npos);
  std::ostringstream csv;
  write_matrix_csv(csv, m, d, u);
  const std::string text = csv.str();
  EXPECT_EQ(text.substr(0, text.find('\n')), "option,scenario,asean_cohesion,korean_risk,sgp_usa,sgp_chn,vnm_sgp,score,regret");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1 + 9);
  const auto json = matrix_record(m, d, u);
  EXPECT_EQ(json["robust"], "A");
  EXPECT_EQ(json["maximin"], "C");
}

}  // namespace
}  // namespace geosim
