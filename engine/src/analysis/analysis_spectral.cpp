// Influence (eigenvector centrality of the ties) and stability (eigenvalues of the drift).
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 at -O3 reports a false -Wuse-after-free inside Eigen's aligned_free when Spectra's
// solver is inlined here (a known family of GCC 12 false positives); it is not in our code.
#pragma GCC diagnostic ignored "-Wuse-after-free"
#endif
#include <Spectra/GenEigsSolver.h>
#include <Eigen/Eigenvalues>
#include <Eigen/SparseCore>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "geosim/analysis/analysis.hpp"

namespace geosim {
namespace {

constexpr int kMaxIterations = 10000;
constexpr double kTolerance = 1e-12;

Eigen::MatrixXd off_diagonal(const Eigen::MatrixXd& m) {
  Eigen::MatrixXd out = m;
  out.diagonal().setZero();
  return out;
}

double half_life(double modulus) {
  if (modulus <= 0.0 || std::abs(modulus - 1.0) <= kNeutralModulus) return 0.0;
  return std::log(modulus < 1.0 ? 0.5 : 2.0) / std::log(modulus);
}

/// Indices of the eigenvalues, largest modulus first (then larger real part, then imaginary).
std::vector<Eigen::Index> by_modulus(const Eigen::VectorXcd& values) {
  std::vector<Eigen::Index> order(std::size_t(values.size()));
  std::iota(order.begin(), order.end(), Eigen::Index(0));
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
    const double ma = std::abs(values(a)), mb = std::abs(values(b));
    if (ma != mb) return ma > mb;
    if (values(a).real() != values(b).real()) return values(a).real() > values(b).real();
    return values(a).imag() > values(b).imag();
  });
  return order;
}

/// The relations that are variables of the drift: every off-diagonal (i, j) but the absent
/// ones (Scenario::absent: held at 0 by the step, so not variables), row-major; and each
/// pair's position among them (-1 for absent and the diagonal).
struct Relations {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  std::vector<Eigen::Index> position;  // n*n
  Relations(std::size_t n, const std::vector<unsigned char>& absent) : position(n * n, -1) {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        if (i != j && (absent.empty() || absent[i * n + j] == 0)) {
          position[i * n + j] = Eigen::Index(pairs.size());
          pairs.emplace_back(i, j);
        }
  }
  bool present(std::size_t i, std::size_t j, std::size_t n) const { return position[i * n + j] >= 0; }
};

/// y = (I + J) x without forming J (see drift_jacobian for its entries): with X the n*n
/// matrix of x (zero diagonal, zero at absent pairs) and G_im = sigma W_im / d_i,
///   Y_ij = X_ij - r_i X_ij + k_i X_ji + (G X)_ij - (sum_m G_im - G_ij - L_ij) X_ij,
/// L_ij = sum of G_im over the partners m whose pair m-j is absent (they drop out of the
/// spillover, as in the step's masked spillover). Only present pairs are variables.
/// Costs O(ties * n + n^2) per product instead of O(n^4); Spectra's Arnoldi solver calls it.
class DriftStep {
 public:
  using Scalar = double;
  DriftStep(const Eigen::VectorXd& restraint, const Eigen::VectorXd& reactivity, const Eigen::MatrixXd& tie,
            double sigma, const Relations& relations, const std::vector<unsigned char>& absent)
      : n_(tie.rows()),
        r_(restraint),
        k_(reactivity),
        g_(off_diagonal(tie)),
        x_(n_, n_),
        y_(n_, n_),
        relations_(relations) {
    for (Eigen::Index i = 0; i < n_; ++i) g_.row(i) *= sigma / std::max(1.0, g_.row(i).sum());
    g_sum_ = g_.rowwise().sum();
    sparse_g_ = g_.sparseView();
    lost_ = Eigen::MatrixXd::Zero(n_, n_);
    if (!absent.empty()) {
      Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n_, n_);
      for (Eigen::Index m = 0; m < n_; ++m)
        for (Eigen::Index j = 0; j < n_; ++j)
          if (m != j && absent[std::size_t(m * n_ + j)] != 0) a(m, j) = 1.0;
      lost_.noalias() = sparse_g_ * a;
    }
    x_.setZero();
  }
  Eigen::Index rows() const { return Eigen::Index(relations_.pairs.size()); }
  Eigen::Index cols() const { return rows(); }
  void perform_op(const double* in, double* out) const {
    const auto& pairs = relations_.pairs;
    for (std::size_t p = 0; p < pairs.size(); ++p)
      x_(Eigen::Index(pairs[p].first), Eigen::Index(pairs[p].second)) = in[p];
    y_.noalias() = sparse_g_ * x_;
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      const auto a = Eigen::Index(pairs[p].first), b = Eigen::Index(pairs[p].second);
      out[p] = x_(a, b) * (1.0 - r_(a) - g_sum_(a) + g_(a, b) + lost_(a, b)) + k_(a) * x_(b, a) + y_(a, b);
    }
  }

 private:
  Eigen::Index n_;
  Eigen::VectorXd r_, k_;
  Eigen::MatrixXd g_;
  Eigen::VectorXd g_sum_;
  Eigen::MatrixXd lost_;
  Eigen::SparseMatrix<double, Eigen::RowMajor> sparse_g_;
  mutable Eigen::MatrixXd x_, y_;
  const Relations& relations_;
};

/// The (at most 3) relations with the largest components of an eigenvector.
std::vector<std::pair<std::size_t, std::size_t>> main_relations(const Eigen::VectorXcd& vector,
                                                                const Relations& relations) {
  std::vector<std::pair<double, std::size_t>> parts;
  for (Eigen::Index p = 0; p < vector.size(); ++p) parts.emplace_back(std::abs(vector(p)), std::size_t(p));
  std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t k = 0; k < parts.size() && k < 3; ++k) out.push_back(relations.pairs[parts[k].second]);
  return out;
}

}  // namespace

Influence influence(const Eigen::MatrixXd& tie) {
  const Eigen::MatrixXd w = off_diagonal(tie);
  const Eigen::Index n = w.rows();
  Influence result;
  if (n == 0) return result;
  Eigen::VectorXd x = Eigen::VectorXd::Constant(n, 1.0 / double(n));
  if (w.cwiseAbs().sum() > 0.0) {
    const Eigen::MatrixXd shifted = Eigen::MatrixXd::Identity(n, n) + w.transpose();
    while (result.iterations < kMaxIterations && !result.converged) {
      Eigen::VectorXd next = shifted * x;
      next /= next.sum();
      result.converged = (next - x).cwiseAbs().maxCoeff() < kTolerance;
      x = next;
      ++result.iterations;
    }
    result.eigenvalue = (w.transpose() * x).sum();  // W^T x = lambda x and x sums to 1
  } else {
    result.converged = true;
  }
  result.score.assign(x.data(), x.data() + n);
  return result;
}

std::size_t relation_index(std::size_t i, std::size_t j, std::size_t n) { return i * (n - 1) + (j < i ? j : j - 1); }

Eigen::MatrixXd drift_jacobian(const Eigen::VectorXd& restraint, const Eigen::VectorXd& reactivity,
                               const Eigen::MatrixXd& tie, double sigma, const std::vector<unsigned char>& absent) {
  const std::size_t n = std::size_t(tie.rows());
  const Eigen::MatrixXd w = off_diagonal(tie);
  const Relations relations(n, absent);
  const auto size = Eigen::Index(relations.pairs.size());
  Eigen::MatrixXd jacobian = Eigen::MatrixXd::Zero(size, size);
  for (const auto& [i, j] : relations.pairs) {
    const auto ii = Eigen::Index(i);
    const double scale = sigma / std::max(1.0, w.row(ii).sum());
    const Eigen::Index p = relations.position[i * n + j];
    jacobian(p, p) -= restraint(ii);                               // relaxation
    jacobian(p, relations.position[j * n + i]) += reactivity(ii);  // reciprocity (j-i is present too)
    for (std::size_t m = 0; m < n; ++m) {                          // spillover: partners m with a relation to j
      if (m == i || m == j || !relations.present(m, j, n)) continue;
      const double g = scale * w(ii, Eigen::Index(m));
      jacobian(p, relations.position[m * n + j]) += g;
      jacobian(p, p) -= g;
    }
  }
  return jacobian;
}

LeadingEigen leading_drift_eigen(const Eigen::VectorXd& restraint, const Eigen::VectorXd& reactivity,
                                 const Eigen::MatrixXd& tie, double sigma, std::size_t count,
                                 const std::vector<unsigned char>& absent) {
  LeadingEigen out;
  const Relations relations(std::size_t(tie.rows()), absent);
  DriftStep op(restraint, reactivity, tie, sigma, relations, absent);
  const Eigen::Index size = op.rows();
  const auto nev = Eigen::Index(std::min<std::size_t>(count, std::size_t(std::max<Eigen::Index>(size - 2, 0))));
  if (nev < 1) return out;
  // Arnoldi with implicit restarts, to a relative accuracy of 1e-9 (shown: 4 decimals); a
  // larger subspace when it does not converge at first. The leading eigenvalues are often
  // clustered (actors with similar restraint): a small subspace restarted more often was the
  // fastest at 200 actors (20 vectors: 2 s, 40: 9 s).
  for (Eigen::Index ncv : {std::min(size, std::max<Eigen::Index>(2 * nev + 8, 20)),
                           std::min(size, std::max<Eigen::Index>(4 * nev + 8, 60))}) {
    if (ncv <= nev + 1) continue;
    Spectra::GenEigsSolver<DriftStep> solver(op, nev, ncv);
    solver.init();
    solver.compute(Spectra::SortRule::LargestMagn, 3000, 1e-9);
    out.converged = solver.info() == Spectra::CompInfo::Successful;
    out.values = solver.eigenvalues();
    out.vectors = solver.eigenvectors();
    if (out.converged) break;
  }
  return out;
}

Stability stability(const Eigen::VectorXd& restraint, const Eigen::VectorXd& reactivity, const Eigen::MatrixXd& tie,
                    double sigma, std::size_t modes, const std::vector<unsigned char>& absent) {
  Stability result;
  const Relations relations(std::size_t(tie.rows()), absent);
  const auto size = Eigen::Index(relations.pairs.size());
  if (size == 0) return result;
  Eigen::VectorXcd values;
  Eigen::MatrixXcd vectors;
  if (size <= kDenseStabilityLimit) {
    const Eigen::MatrixXd step =
        Eigen::MatrixXd::Identity(size, size) + drift_jacobian(restraint, reactivity, tie, sigma, absent);
    Eigen::EigenSolver<Eigen::MatrixXd> solver(step);
    values = solver.eigenvalues();
    vectors = solver.eigenvectors();
  } else {
    LeadingEigen leading =
        leading_drift_eigen(restraint, reactivity, tie, sigma, std::max<std::size_t>(modes, 1) + 1, absent);
    result.converged = leading.converged;
    values = std::move(leading.values);
    vectors = std::move(leading.vectors);
  }
  if (values.size() == 0) {
    result.converged = false;
    return result;
  }
  for (Eigen::Index k : by_modulus(values)) {
    result.eigenvalues.push_back(values(k));
    // A complex pair is one mode: list it once, by the member with positive imaginary part.
    if (result.slowest.size() >= modes || values(k).imag() < -1e-12) continue;
    const double modulus = std::abs(values(k));
    result.slowest.push_back({values(k), modulus, half_life(modulus), main_relations(vectors.col(k), relations)});
  }
  result.spectral_radius = std::abs(result.eigenvalues.front());
  result.persists = std::abs(result.spectral_radius - 1.0) <= kNeutralModulus;
  result.settles = !result.persists && result.spectral_radius < 1.0;
  return result;
}

}  // namespace geosim
