// Stability of the drift: the iterative (Spectra) solver against the dense one, and absent
// relations, which are not variables of the drift.
#include <geosim/analysis/analysis.hpp>
#include <geosim/core/dynamics.hpp>
#include <geosim/core/rng.hpp>
#include <geosim/core/run.hpp>
#include <geosim/report/analysis_report.hpp>

#include <gtest/gtest.h>
#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <complex>

#include "support/builders.hpp"

using namespace geosim;

// ---------------------------------------------------------------- the iterative solver

namespace {

/// Random actors and ties (some row sums of the ties above 1), and the dense oracle: every
/// eigenvalue of I + J from the dense Jacobian, by modulus, largest first.
struct DriftCase {
  Eigen::VectorXd r, k;
  Eigen::MatrixXd tie;
  double sigma = 0.3;
  explicit DriftCase(Eigen::Index n, std::uint64_t seed) : r(n), k(n) {
    Rng rng(seed);
    tie = geosim::testing::random_relations(rng, n) * 0.5;
    for (Eigen::Index i = 0; i < n; ++i) r(i) = 0.02 + 0.1 * rng.uniform(), k(i) = 0.1 * rng.uniform();
  }
  std::vector<double> dense_moduli() const {
    const Eigen::MatrixXd j = drift_jacobian(r, k, tie, sigma);
    const Eigen::MatrixXd step = Eigen::MatrixXd::Identity(j.rows(), j.cols()) + j;
    const Eigen::VectorXcd values = Eigen::EigenSolver<Eigen::MatrixXd>(step).eigenvalues();
    std::vector<double> moduli;
    for (Eigen::Index q = 0; q < values.size(); ++q) moduli.push_back(std::abs(values(q)));
    std::sort(moduli.rbegin(), moduli.rend());
    return moduli;
  }
};

}  // namespace

TEST(Analysis, IterativeLeadingEigenvaluesMatchTheDenseSolver) {
  for (Eigen::Index n : {4, 5, 7, 9}) {
    const DriftCase c(n, std::uint64_t(n) * 17);
    const std::vector<double> dense = c.dense_moduli();
    const LeadingEigen leading = leading_drift_eigen(c.r, c.k, c.tie, c.sigma, 6);
    ASSERT_TRUE(leading.converged) << n;
    std::vector<double> moduli;
    for (Eigen::Index q = 0; q < leading.values.size(); ++q) moduli.push_back(std::abs(leading.values(q)));
    std::sort(moduli.rbegin(), moduli.rend());
    ASSERT_EQ(moduli.size(), 6u) << n;
    for (std::size_t q = 0; q < moduli.size(); ++q)
      EXPECT_NEAR(moduli[q], dense[q], 1e-9) << "n " << n << ", mode " << q;
    // Each is an eigenpair of the dense matrix: ||(I + J) v - lambda v|| small.
    const Eigen::MatrixXd j = drift_jacobian(c.r, c.k, c.tie, c.sigma);
    const Eigen::MatrixXcd step = (Eigen::MatrixXd::Identity(j.rows(), j.cols()) + j).cast<std::complex<double>>();
    for (Eigen::Index q = 0; q < leading.values.size(); ++q) {
      const Eigen::VectorXcd v = leading.vectors.col(q);
      EXPECT_LT((step * v - leading.values(q) * v).norm(), 1e-8 * v.norm()) << "n " << n << ", mode " << q;
    }
  }
}

TEST(Analysis, StabilityBeyondTheDenseLimitUsesTheIterativeSolverAndAgrees) {
  const DriftCase c(13, 99);  // 156 relations > kDenseStabilityLimit
  ASSERT_GT(13 * 12, kDenseStabilityLimit);
  const Stability st = stability(c.r, c.k, c.tie, c.sigma, 3);
  const std::vector<double> dense = c.dense_moduli();
  EXPECT_TRUE(st.converged);
  EXPECT_EQ(st.eigenvalues.size(), 4u);  // modes + 1, not all 156
  EXPECT_NEAR(st.spectral_radius, dense[0], 1e-9);
  EXPECT_EQ(st.settles, dense[0] < 1.0);
  ASSERT_FALSE(st.slowest.empty());
  EXPECT_NEAR(st.slowest[0].modulus, dense[0], 1e-9);
  for (std::size_t q = 0; q < st.eigenvalues.size(); ++q) EXPECT_NEAR(std::abs(st.eigenvalues[q]), dense[q], 1e-9) << q;
}

TEST(Analysis, ASpectralRadiusOfExactlyOnePersists) {
  // No restraint, no reactivity, no spillover: I + J = I, every eigenvalue exactly 1. A
  // disturbance neither fades nor grows: no half-life, no doubling time.
  Scenario s = geosim::testing::make_scenario({"A", "B", "C"});
  for (auto& a : s.actors) a.restraint = a.reactivity = 0.0;
  Rng rng(1);
  const Analysis a = analyze(s, initial_state(s, rng));
  EXPECT_EQ(a.stability.spectral_radius, 1.0);
  EXPECT_TRUE(a.stability.persists);
  EXPECT_FALSE(a.stability.settles);
  EXPECT_EQ(a.stability.slowest[0].half_life, 0.0);
  const std::string text = analysis_summary(s, a);
  EXPECT_NE(text.find("spectral radius 1.0000: persists (a disturbance neither fades nor grows)"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("doubles in"), std::string::npos) << text;
  EXPECT_EQ(text.find("spirals"), std::string::npos) << text;
}

TEST(Analysis, StabilityIsSkippedWhenNotAsked) {
  Scenario s = geosim::testing::make_scenario({"A", "B", "C"});
  Rng rng(1);
  AnalysisOptions options;
  options.stability = false;
  const Analysis a = analyze(s, initial_state(s, rng), options);
  EXPECT_TRUE(a.stability.eigenvalues.empty());
  EXPECT_EQ(a.brokers.size(), 3u);
}

// ---------------------------------------------------------------- absent relations

namespace {

/// Absent pairs (symmetric) for an n-actor world: every pair with (i + 2j) % 5 == 0.
std::vector<unsigned char> some_absent(std::size_t n) {
  std::vector<unsigned char> absent(n * n, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j)
      if ((i + 2 * j) % 5 == 0) absent[i * n + j] = absent[j * n + i] = 1;
  return absent;
}

}  // namespace

TEST(Analysis, AbsentPairsAreNotVariablesOfTheDrift) {
  // J x is the linear drift of X (zero at absent pairs): relaxation, reciprocity and the
  // step's masked spillover, read at the present pairs only.
  const Eigen::Index n = 6;
  const DriftCase c(n, 5);
  const std::vector<unsigned char> absent = some_absent(std::size_t(n));
  std::size_t present = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) present += i != j && !absent[std::size_t(i * n + j)];
  ASSERT_LT(present, std::size_t(n * (n - 1)));
  const Eigen::MatrixXd jac = drift_jacobian(c.r, c.k, c.tie, c.sigma, absent);
  ASSERT_EQ(jac.rows(), Eigen::Index(present));
  Rng rng(3);
  Eigen::MatrixXd x = geosim::testing::random_relations(rng, n);
  Eigen::VectorXd v = Eigen::VectorXd::Zero(Eigen::Index(present));
  Eigen::Index p = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) {
      if (i == j) continue;
      if (absent[std::size_t(i * n + j)])
        x(i, j) = 0.0;
      else
        v(p++) = x(i, j);
    }
  const Eigen::VectorXd jv = jac * v;
  const Eigen::MatrixXd s = spillover(x, c.tie, c.sigma, absent);
  p = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) {
      if (i == j || absent[std::size_t(i * n + j)]) continue;
      EXPECT_NEAR(jv(p++), -c.r(i) * x(i, j) + c.k(i) * x(j, i) + s(i, j), 1e-12) << i << "->" << j;
    }
}

TEST(Analysis, IterativeSolverWithAbsentPairsAgreesWithTheDenseOne) {
  const DriftCase c(13, 7);
  const std::vector<unsigned char> absent = some_absent(13);
  const Eigen::MatrixXd j = drift_jacobian(c.r, c.k, c.tie, c.sigma, absent);
  ASSERT_GT(j.rows(), kDenseStabilityLimit);
  const Eigen::MatrixXd step = Eigen::MatrixXd::Identity(j.rows(), j.cols()) + j;
  const Eigen::VectorXcd values = Eigen::EigenSolver<Eigen::MatrixXd>(step).eigenvalues();
  std::vector<double> dense;
  for (Eigen::Index q = 0; q < values.size(); ++q) dense.push_back(std::abs(values(q)));
  std::sort(dense.rbegin(), dense.rend());
  const Stability st = stability(c.r, c.k, c.tie, c.sigma, 3, absent);
  EXPECT_TRUE(st.converged);
  for (std::size_t q = 0; q < st.eigenvalues.size(); ++q) EXPECT_NEAR(std::abs(st.eigenvalues[q]), dense[q], 1e-9) << q;
  for (const StabilityMode& mode : st.slowest)
    for (const auto& [from, to] : mode.relations) EXPECT_FALSE(absent[from * 13 + to]) << from << "->" << to;
}
