// Influence (eigenvector centrality of the ties) and stability (eigenvalues of the drift).
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "geosim/analysis.hpp"

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
  if (modulus <= 0.0 || modulus == 1.0) return 0.0;
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

/// The (at most 3) relations with the largest components of an eigenvector.
std::vector<std::pair<std::size_t, std::size_t>> main_relations(const Eigen::VectorXcd& vector, std::size_t n) {
  std::vector<std::pair<double, std::size_t>> parts;
  for (Eigen::Index p = 0; p < vector.size(); ++p) parts.emplace_back(std::abs(vector(p)), std::size_t(p));
  std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::pair<std::size_t, std::size_t>> relations;
  for (std::size_t k = 0; k < parts.size() && k < 3; ++k) {
    const std::size_t i = parts[k].second / (n - 1), r = parts[k].second % (n - 1);
    relations.emplace_back(i, r < i ? r : r + 1);
  }
  return relations;
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

std::size_t relation_index(std::size_t i, std::size_t j, std::size_t n) {
  return i * (n - 1) + (j < i ? j : j - 1);
}

Eigen::MatrixXd drift_jacobian(const Eigen::VectorXd& restraint, const Eigen::VectorXd& reactivity,
                               const Eigen::MatrixXd& tie, double sigma) {
  const std::size_t n = std::size_t(tie.rows());
  const Eigen::MatrixXd w = off_diagonal(tie);
  const auto size = Eigen::Index(n < 2 ? 0 : n * (n - 1));
  Eigen::MatrixXd jacobian = Eigen::MatrixXd::Zero(size, size);
  for (std::size_t i = 0; i < n; ++i) {
    const auto ii = Eigen::Index(i);
    const double scale = sigma / std::max(1.0, w.row(ii).sum());
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      const auto p = Eigen::Index(relation_index(i, j, n));
      jacobian(p, p) -= restraint(ii);                                        // relaxation
      jacobian(p, Eigen::Index(relation_index(j, i, n))) += reactivity(ii);  // reciprocity
      for (std::size_t m = 0; m < n; ++m) {                                  // spillover
        if (m == i || m == j) continue;
        const double g = scale * w(ii, Eigen::Index(m));
        jacobian(p, Eigen::Index(relation_index(m, j, n))) += g;
        jacobian(p, p) -= g;
      }
    }
  }
  return jacobian;
}

Stability stability(const Eigen::VectorXd& restraint, const Eigen::VectorXd& reactivity,
                    const Eigen::MatrixXd& tie, double sigma, std::size_t modes) {
  Stability result;
  result.jacobian = drift_jacobian(restraint, reactivity, tie, sigma);
  const Eigen::Index size = result.jacobian.rows();
  if (size == 0) return result;
  const std::size_t n = std::size_t(tie.rows());
  const Eigen::MatrixXd step = Eigen::MatrixXd::Identity(size, size) + result.jacobian;
  Eigen::EigenSolver<Eigen::MatrixXd> solver(step);
  const Eigen::VectorXcd values = solver.eigenvalues();
  for (Eigen::Index k : by_modulus(values)) {
    result.eigenvalues.push_back(values(k));
    // A complex pair is one mode: list it once, by the member with positive imaginary part.
    if (result.slowest.size() >= modes || values(k).imag() < -1e-12) continue;
    const double modulus = std::abs(values(k));
    result.slowest.push_back({values(k), modulus, half_life(modulus), main_relations(solver.eigenvectors().col(k), n)});
  }
  result.spectral_radius = std::abs(result.eigenvalues.front());
  result.settles = result.spectral_radius < 1.0;
  return result;
}

}  // namespace geosim
