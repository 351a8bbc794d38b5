#include <geosim/core/indicator.hpp>

#include <gtest/gtest.h>

#include "support/builders.hpp"

using namespace geosim;

namespace {

/// Actors A, B, C and the organisation ORG with members A, B, C; D outside.
Scenario org_scenario() {
  Scenario s = geosim::testing::make_scenario({"A", "B", "C", "ORG", "D"});
  s.actors[3].kind = ActorKind::organization;
  s.actors[3].members = {0, 1, 2};
  return s;
}

Eigen::MatrixXd tensions() {
  Eigen::MatrixXd t(5, 5);
  //        A     B     C     ORG   D
  t << 0.0, 0.2, 0.4, 0.1, 0.9,  // A
      0.3, 0.0, 0.5, 0.2, 0.9,   // B
      0.6, 0.7, 0.0, 0.3, 0.9,   // C
      0.1, 0.1, 0.4, 0.0, 0.9,   // ORG
      0.9, 0.9, 0.9, 0.9, 0.0;   // D
  return t;
}

Indicator relations_indicator(IndicatorKind kind, std::vector<std::pair<std::size_t, std::size_t>> relations) {
  Indicator ind;
  ind.id = "x";
  ind.kind = kind;
  ind.relations = std::move(relations);
  return ind;
}

}  // namespace

TEST(Indicator, MeanOfListedDirectedRelations) {
  const Scenario s = org_scenario();
  // (A,B)=0.2, (B,A)=0.3, (C,A)=0.6 -> 1.1 / 3.
  EXPECT_NEAR(evaluate_indicator(relations_indicator(IndicatorKind::mean, {{0, 1}, {1, 0}, {2, 0}}), s, tensions()),
              1.1 / 3.0, 1e-15);
}

TEST(Indicator, MaxOfListedDirectedRelations) {
  const Scenario s = org_scenario();
  EXPECT_DOUBLE_EQ(evaluate_indicator(relations_indicator(IndicatorKind::max, {{0, 1}, {2, 1}, {1, 2}}), s, tensions()),
                   0.7);
  // Relations outside the list (D's 0.9) do not count.
  EXPECT_DOUBLE_EQ(evaluate_indicator(relations_indicator(IndicatorKind::max, {{0, 1}}), s, tensions()), 0.2);
}

TEST(Indicator, CohesionOfThreeMemberOrganisation) {
  const Scenario s = org_scenario();
  Indicator ind;
  ind.id = "cohesion";
  ind.kind = IndicatorKind::cohesion;
  ind.organization = 3;
  // Member pairs (6): AB .2, AC .4, BA .3, BC .5, CA .6, CB .7 -> 2.7
  // Member->ORG (3): .1 .2 .3 -> 0.6;  ORG->member (3): .1 .1 .4 -> 0.6
  // 12 relations summing to 3.9: cohesion = 1 - 3.9/12 = 0.675. D is ignored.
  EXPECT_NEAR(evaluate_indicator(ind, s, tensions()), 0.675, 1e-15);
}

TEST(Indicator, EvaluateIndicatorsKeepsDeclarationOrder) {
  Scenario s = org_scenario();
  s.indicators.push_back(relations_indicator(IndicatorKind::max, {{0, 4}}));
  Indicator coh;
  coh.kind = IndicatorKind::cohesion;
  coh.organization = 3;
  s.indicators.push_back(coh);
  s.indicators.push_back(relations_indicator(IndicatorKind::mean, {{0, 1}, {1, 0}}));
  const auto values = evaluate_indicators(s, tensions());
  ASSERT_EQ(values.size(), 3u);
  EXPECT_DOUBLE_EQ(values[0], 0.9);
  EXPECT_NEAR(values[1], 0.675, 1e-15);
  EXPECT_NEAR(values[2], 0.25, 1e-15);
}
