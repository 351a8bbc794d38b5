#include <geosim/core/dynamics.hpp>
#include <geosim/core/rng.hpp>
#include <geosim/core/run.hpp>
#include <geosim/core/state.hpp>
#include <geosim/core/step.hpp>

#include <gtest/gtest.h>

#include "support/dynamics_oracle.hpp"

#include <cmath>

#include "support/builders.hpp"

using namespace geosim;

namespace {

/// Two actors A (index 0) and B (1): restraint a, reactivity k; x = T_AB, y = T_BA.
/// Spillover 0 and noise 0 (make_scenario's defaults), no events.
struct Richardson {
  double a1, a2, k1, k2;
  double x0, b12, y0, b21;

  Scenario scenario() const {
    Scenario s = geosim::testing::make_scenario({"A", "B"});
    s.actors[0].restraint = a1;
    s.actors[0].reactivity = k1;
    s.actors[1].restraint = a2;
    s.actors[1].reactivity = k2;
    geosim::testing::set_relation(s, "A", "B", x0, b12);
    geosim::testing::set_relation(s, "B", "A", y0, b21);
    return s;
  }
  RunResult run(int steps) const { return run_scenario(scenario(), RunOptions{.steps = steps}); }
  // Richardson's constant terms: x' = x + k1 y - a1 x + g1, y' = y + k2 x - a2 y + g2.
  double g1() const { return a1 * b12 - k1 * b21; }
  double g2() const { return a2 * b21 - k2 * b12; }
  // Equilibrium of the linear system [a1 -k1; -k2 a2] (x*, y*) = (g1, g2), by Cramer's rule.
  double x_star() const { return (a2 * g1() + k1 * g2()) / (a1 * a2 - k1 * k2); }
  double y_star() const { return (k2 * g1() + a1 * g2()) / (a1 * a2 - k1 * k2); }
};

double x_of(const RunResult& r, int t) { return r.tension[std::size_t(t)](0, 1); }
double y_of(const RunResult& r, int t) { return r.tension[std::size_t(t)](1, 0); }

void expect_inside_bounds(const RunResult& r) {
  for (const auto& t : r.tension) {
    ASSERT_GT(t(0, 1), 0.0);
    ASSERT_LT(t(0, 1), 1.0);
    ASSERT_GT(t(1, 0), 0.0);
    ASSERT_LT(t(1, 0), 1.0);
  }
}

/// S_ij written straight from the definition, one term at a time.
Eigen::MatrixXd spillover_by_definition(const Eigen::MatrixXd& t, const Eigen::MatrixXd& w, double sigma) {
  const Eigen::Index n = t.rows();
  Eigen::MatrixXd s = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double row = 0.0;
    for (Eigen::Index k = 0; k < n; ++k)
      if (k != i) row += w(i, k);
    for (Eigen::Index j = 0; j < n; ++j) {
      if (i == j) continue;
      double sum = 0.0;
      for (Eigen::Index k = 0; k < n; ++k)
        if (k != i && k != j) sum += w(i, k) * (t(k, j) - t(i, j));
      s(i, j) = sigma * sum / std::max(1.0, row);
    }
  }
  return s;
}

}  // namespace

// ---------------------------------------------------------------- Richardson's arms race

TEST(Dynamics, SymmetricPairFollowsRichardsonClosedForm) {
  const double a = 0.1, k = 0.04;
  const Richardson m{a, a, k, k, 0.7, 0.4, 0.2, 0.3};
  const RunResult r = m.run(50);
  expect_inside_bounds(r);
  // Sums and differences decouple: s' = (1-a+k) s + (g1+g2), d' = (1-a-k) d + (g1-g2).
  const double s_star = (m.g1() + m.g2()) / (a - k), d_star = (m.g1() - m.g2()) / (a + k);
  const double s0 = m.x0 + m.y0, d0 = m.x0 - m.y0;
  for (int t = 0; t <= 50; ++t) {
    const double s = s_star + std::pow(1 - a + k, t) * (s0 - s_star);
    const double d = d_star + std::pow(1 - a - k, t) * (d0 - d_star);
    EXPECT_NEAR(x_of(r, t), (s + d) / 2, 1e-12) << "step " << t;
    EXPECT_NEAR(y_of(r, t), (s - d) / 2, 1e-12) << "step " << t;
  }
}

TEST(Dynamics, AsymmetricPairFollowsRichardsonEigenSolution) {
  const Richardson m{0.08, 0.12, 0.05, 0.03, 0.8, 0.45, 0.1, 0.25};
  const RunResult r = m.run(50);
  expect_inside_bounds(r);
  // Deviation u = (x - x*, y - y*) obeys u' = M u, M = [m11 m12; m21 m22].
  const double m11 = 1 - m.a1, m12 = m.k1, m21 = m.k2, m22 = 1 - m.a2;
  const double half_trace = (m11 + m22) / 2;
  const double root = std::sqrt((m11 - m22) * (m11 - m22) / 4 + m12 * m21);
  const double l1 = half_trace + root, l2 = half_trace - root;
  // Eigenvectors v = (m12, l - m11); u0 = c1 v1 + c2 v2.
  const double ux = m.x0 - m.x_star(), uy = m.y0 - m.y_star();
  const double p = ux / m12;  // c1 + c2
  const double c1 = (uy - p * (l2 - m11)) / (l1 - l2), c2 = p - c1;
  for (int t = 0; t <= 50; ++t) {
    const double e1 = c1 * std::pow(l1, t), e2 = c2 * std::pow(l2, t);
    EXPECT_NEAR(x_of(r, t), m.x_star() + (e1 + e2) * m12, 1e-12) << "step " << t;
    EXPECT_NEAR(y_of(r, t), m.y_star() + e1 * (l1 - m11) + e2 * (l2 - m11), 1e-12) << "step " << t;
  }
}

TEST(Dynamics, UnstableSymmetricPairRunsAwayToOne) {
  const Richardson m{0.02, 0.02, 0.06, 0.06, 0.35, 0.3, 0.35, 0.3};  // k^2 > a^2
  const RunResult r = m.run(300);
  EXPECT_EQ(x_of(r, 300), 1.0);
  EXPECT_EQ(y_of(r, 300), 1.0);
}

TEST(Dynamics, UnstableSymmetricPairRunsAwayToZero) {
  const Richardson m{0.02, 0.02, 0.06, 0.06, 0.45, 0.5, 0.45, 0.5};
  const RunResult r = m.run(300);
  EXPECT_EQ(x_of(r, 300), 0.0);
  EXPECT_EQ(y_of(r, 300), 0.0);
}

TEST(Dynamics, UnstableAsymmetricPairRunsAway) {
  const Richardson m{0.02, 0.05, 0.08, 0.03, 0.32, 0.3, 0.32, 0.3};  // k1 k2 = .0024 > a1 a2 = .001
  const RunResult r = m.run(2000);
  // The more reactive side hits the bound and stays there; the other then settles where its own
  // line y' = y with x pinned at 1 puts it: y = B21 + k2 (1 - B12) / a2 = 0.3 + 0.03 * 0.7 / 0.05.
  EXPECT_EQ(x_of(r, 2000), 1.0);
  EXPECT_NEAR(y_of(r, 2000), 0.72, 1e-9);
  for (int t = 1; t <= 2000; ++t) ASSERT_GE(x_of(r, t), x_of(r, t - 1)) << "step " << t;
}

TEST(Dynamics, StablePairSettlesAtEquilibrium) {
  const Richardson m{0.08, 0.12, 0.05, 0.03, 0.8, 0.45, 0.1, 0.25};  // .0015 < .0096
  const RunResult r = m.run(600);
  EXPECT_NEAR(x_of(r, 600), m.x_star(), 1e-9);
  EXPECT_NEAR(y_of(r, 600), m.y_star(), 1e-9);
  // The equilibrium of the linear system is the baseline itself.
  EXPECT_NEAR(m.x_star(), m.b12, 1e-12);
  EXPECT_NEAR(m.y_star(), m.b21, 1e-12);
}

TEST(Dynamics, StableWhenReactivityBelowRestraintEvenIfOneSideIsReactive) {
  const Richardson m{0.1, 0.1, 0.15, 0.05, 0.9, 0.3, 0.9, 0.3};  // .0075 < .01
  const RunResult r = m.run(2000);
  EXPECT_NEAR(x_of(r, 2000), 0.3, 1e-9);
  EXPECT_NEAR(y_of(r, 2000), 0.3, 1e-9);
}

// ---------------------------------------------------------------- relaxation

TEST(Dynamics, RelaxationClosesShareOfGapEachStep) {
  const double r0 = 0.1, b = 0.2, t0 = 0.9;
  const Richardson m{r0, 0.3, 0.0, 0.0, t0, b, 0.6, 0.6};
  const RunResult r = m.run(50);
  for (int t = 0; t <= 50; ++t) {
    EXPECT_NEAR(x_of(r, t) - b, std::pow(1 - r0, t) * (t0 - b), 1e-12) << "step " << t;
    EXPECT_EQ(y_of(r, t), 0.6);  // at its baseline, nothing moves it
  }
}

TEST(Dynamics, RelaxationUsesRestraintOfTheFromActor) {
  Eigen::MatrixXd t(2, 2), b(2, 2);
  t << 0, 0.8, 0.1, 0;
  b << 0, 0.3, 0.5, 0;
  const Eigen::MatrixXd r = oracle::relaxation(t, b, Eigen::Vector2d(0.1, 0.2));
  EXPECT_NEAR(r(0, 1), 0.1 * (0.3 - 0.8), 1e-15);
  EXPECT_NEAR(r(1, 0), 0.2 * (0.5 - 0.1), 1e-15);
  EXPECT_EQ(r(0, 0), 0.0);
  EXPECT_EQ(r(1, 1), 0.0);
}

// ---------------------------------------------------------------- reciprocity

TEST(Dynamics, ExcessHostilityIsAnsweredInKind) {
  // B's tension toward A is 0.2 above its baseline; A (reactivity 0.05) answers with 0.01.
  const Richardson m{0.0, 0.0, 0.05, 0.0, 0.3, 0.3, 0.5, 0.3};
  const RunResult r = m.run(1);
  EXPECT_NEAR(x_of(r, 1), 0.3 + 0.05 * 0.2, 1e-15);
  EXPECT_EQ(y_of(r, 1), 0.5);  // B has reactivity 0 and restraint 0
}

TEST(Dynamics, FriendlinessBelowBaselineIsAnsweredInKind) {
  const Richardson m{0.0, 0.0, 0.05, 0.0, 0.3, 0.3, 0.1, 0.3};
  const RunResult r = m.run(1);
  EXPECT_NEAR(x_of(r, 1), 0.3 - 0.05 * 0.2, 1e-15);
}

TEST(Dynamics, ReciprocityReadsTheReverseRelation) {
  Rng rng(11);
  const Eigen::MatrixXd t = geosim::testing::random_relations(rng, 4), b = geosim::testing::random_relations(rng, 4);
  const Eigen::Vector4d k(0.1, 0.2, 0.3, 0.4);
  const Eigen::MatrixXd rec = oracle::reciprocity(t, b, k);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) EXPECT_NEAR(rec(i, j), i == j ? 0.0 : k(i) * (t(j, i) - b(j, i)), 1e-15);
}

// ---------------------------------------------------------------- spillover

namespace {
/// I (0) tied only to K (2); J (1) the third party. Restraint and reactivity 0, sigma 0.1.
double spillover_step(double t_kj) {
  Scenario s = geosim::testing::make_scenario({"I", "J", "K"});
  for (auto& a : s.actors) a.restraint = a.reactivity = 0.0;
  s.parameters.spillover = 0.1;
  geosim::testing::set_relation(s, "I", "K", 0.3, 0.3, 1.0);
  geosim::testing::set_relation(s, "K", "J", t_kj, t_kj);
  return run_scenario(s, RunOptions{.steps = 1}).tension[1](0, 1);
}
}  // namespace

TEST(Dynamics, PartnersEnemyBecomesMyEnemy) { EXPECT_NEAR(spillover_step(0.9), 0.3 + 0.1 * (0.9 - 0.3), 1e-15); }

TEST(Dynamics, PartnersFriendBecomesMyFriend) { EXPECT_NEAR(spillover_step(0.1), 0.3 + 0.1 * (0.1 - 0.3), 1e-15); }

TEST(Dynamics, SpilloverMatchesHandComputedFourActorExample) {
  // I=0, J=1, K=2, L=3. Ties of I: to J 0.2, to K 0.6, to L 0.8 (row sum 1.6).
  Eigen::MatrixXd t = Eigen::MatrixXd::Constant(4, 4, 0.5), w = Eigen::MatrixXd::Constant(4, 4, 0.3);
  t.diagonal().setZero();
  w.diagonal().setZero();
  w(0, 1) = 0.2, w(0, 2) = 0.6, w(0, 3) = 0.8;
  t(0, 1) = 0.4, t(2, 1) = 0.9, t(3, 1) = 0.1;
  const double sigma = 0.2;
  // S_IJ = 0.2 * (0.6 (0.9 - 0.4) + 0.8 (0.1 - 0.4)) / 1.6 = 0.2 * 0.06 / 1.6 = 0.0075;
  // the tie to J itself counts in the denominator only.
  const Eigen::MatrixXd s = spillover(t, w, sigma);
  EXPECT_NEAR(s(0, 1), 0.0075, 1e-15);
  EXPECT_NEAR(spillover_through(t, w, sigma, 0, 1, 2), 0.0375, 1e-15);
  EXPECT_NEAR(spillover_through(t, w, sigma, 0, 1, 3), -0.03, 1e-15);
  EXPECT_EQ(spillover_through(t, w, sigma, 0, 1, 1), 0.0);
  EXPECT_EQ(spillover_through(t, w, sigma, 0, 1, 0), 0.0);
}

TEST(Dynamics, SpilloverWithWeakTiesIsNotRenormalised) {
  // Row sum 0.5 < 1: the denominator is 1, so weak ties give a proportionally weak pull.
  Eigen::MatrixXd t = Eigen::MatrixXd::Constant(3, 3, 0.3), w = Eigen::MatrixXd::Zero(3, 3);
  t.diagonal().setZero();
  w(0, 2) = 0.5;
  t(2, 1) = 0.9;
  EXPECT_NEAR(spillover(t, w, 0.1)(0, 1), 0.1 * 0.5 * (0.9 - 0.3), 1e-15);
}

TEST(Dynamics, SpilloverMatrixMatchesDefinitionAndSumOfShares) {
  Rng rng(7);
  for (int trial = 0; trial < 5; ++trial) {
    const Eigen::Index n = 5;
    const Eigen::MatrixXd t = geosim::testing::random_relations(rng, n);
    const Eigen::MatrixXd w = geosim::testing::random_relations(rng, n) * (trial % 2 ? 1.0 : 0.3);
    const double sigma = 0.05 + 0.1 * trial;
    const Eigen::MatrixXd s = spillover(t, w, sigma);
    const Eigen::MatrixXd ref = spillover_by_definition(t, w, sigma);
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = 0; j < n; ++j) {
        EXPECT_NEAR(s(i, j), ref(i, j), 1e-14);
        double shares = 0.0;
        for (Eigen::Index k = 0; k < n; ++k) shares += spillover_through(t, w, sigma, i, j, k);
        EXPECT_NEAR(shares, s(i, j), 1e-14);
      }
  }
}

// ---------------------------------------------------------------- bounds

TEST(Dynamics, TensionStaysInUnitIntervalUnderShocksAndNoise) {
  Scenario s = geosim::testing::make_scenario({"A", "B", "C"}, 0.5, 0.4);
  s.steps = 60;
  s.parameters.noise = 0.5;
  s.parameters.spillover = 0.5;
  for (auto& a : s.actors) a.reactivity = 0.9;
  for (int step = 1; step <= 60; ++step)
    s.events.push_back(geosim::testing::make_event(s, "shock-" + std::to_string(step), step, step % 3 ? "A" : "B",
                                                   step % 2 ? "C" : "A", step % 2 ? 5.0 : -5.0));
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const RunResult r = run_scenario(s, RunOptions{.seed = seed});
    ASSERT_EQ(r.tension.size(), 61u);
    for (const auto& t : r.tension) {
      EXPECT_GE(t.minCoeff(), 0.0);
      EXPECT_LE(t.maxCoeff(), 1.0);
      EXPECT_TRUE(t.diagonal().isZero(0.0));
    }
  }
}

// The spillover's sums bit for bit as their definition adds them: for each (i, j), the terms
// W_ik T_kj over the partners k != i, j with a non-zero tie (and, with absent pairs, a relation
// k–j) in ascending k, from +0. Worlds of 9 actors (the dense small-world path), 16 (the
// first with blocks of eight columns) and 21 (a partial block), with and without absent pairs.
TEST(Dynamics, SpilloverAddsItsTermsInAscendingPartnerOrder) {
  for (Eigen::Index n : {9, 16, 21}) {
    Rng rng{std::uint64_t(n)};
    Eigen::MatrixXd t = geosim::testing::random_relations(rng, n), w = Eigen::MatrixXd::Zero(n, n);
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index k = 0; k < n; ++k)
        if (i != k && rng.uniform() < 0.4) w(i, k) = rng.uniform();
    for (bool masked : {false, true}) {
      std::vector<unsigned char> absent;
      if (masked) {
        absent.assign(std::size_t(n * n), 0);
        for (Eigen::Index a = 0; a + 3 < n; a += 4)
          absent[std::size_t(a * n + a + 3)] = absent[std::size_t((a + 3) * n + a)] = 1;
      }
      auto gone = [&](Eigen::Index a, Eigen::Index b) { return masked && absent[std::size_t(a * n + b)] != 0; };
      const double sigma = 0.3;
      const Eigen::MatrixXd s = spillover(t, w, sigma, absent);
      for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j) {
          if (i == j || gone(i, j)) {
            EXPECT_EQ(s(i, j), 0.0);
            continue;
          }
          double row = 0.0, sum = 0.0, lost = 0.0;
          for (Eigen::Index k = 0; k < n; ++k) row += k != i && w(i, k) != 0.0 ? w(i, k) : 0.0;
          for (Eigen::Index k = 0; k < n; ++k) {
            if (k == i || k == j || w(i, k) == 0.0) continue;
            if (gone(k, j))
              lost += w(i, k);
            else
              sum += w(i, k) * t(k, j);
          }
          const double expected = sigma / std::max(1.0, row) * (sum - (row - w(i, j) - lost) * t(i, j));
          ASSERT_EQ(s(i, j), expected) << "n " << n << (masked ? " with" : " without") << " absent pairs, " << i
                                       << " -> " << j;
        }
    }
  }
}
