#include "geosim/dynamics.hpp"

#include <algorithm>

namespace geosim {

Eigen::MatrixXd relaxation(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& baseline,
                           const Eigen::VectorXd& restraint) {
  Eigen::MatrixXd result = restraint.asDiagonal() * (baseline - tension);
  result.diagonal().setZero();
  return result;
}

Eigen::MatrixXd reciprocity(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& baseline,
                            const Eigen::VectorXd& reactivity) {
  Eigen::MatrixXd result = reactivity.asDiagonal() * (tension - baseline).transpose();
  result.diagonal().setZero();
  return result;
}

Eigen::MatrixXd spillover(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie,
                          double sigma) {
  // sum_{k != i,j} W_ik (T_kj - T_ij) = (W T)_ij - W_ij T_jj - (rowsum_i - W_ij) T_ij,
  // with T_jj = 0 and W_ii = 0 (the diagonal is never a relation).
  Eigen::MatrixXd w = tie;
  w.diagonal().setZero();
  Eigen::MatrixXd t = tension;
  t.diagonal().setZero();
  const Eigen::VectorXd row_sum = w.rowwise().sum();
  Eigen::MatrixXd result = w * t;
  const Eigen::Index n = t.rows();
  for (Eigen::Index i = 0; i < n; ++i) {
    const double scale = sigma / std::max(1.0, row_sum(i));
    for (Eigen::Index j = 0; j < n; ++j) {
      result(i, j) = i == j ? 0.0 : scale * (result(i, j) - (row_sum(i) - w(i, j)) * t(i, j));
    }
  }
  return result;
}

double spillover_through(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie, double sigma,
                         Eigen::Index i, Eigen::Index j, Eigen::Index k) {
  if (k == i || k == j || i == j) return 0.0;
  double row_sum = 0.0;
  for (Eigen::Index m = 0; m < tie.cols(); ++m)
    if (m != i) row_sum += tie(i, m);
  return sigma * tie(i, k) * (tension(k, j) - tension(i, j)) / std::max(1.0, row_sum);
}

}  // namespace geosim
