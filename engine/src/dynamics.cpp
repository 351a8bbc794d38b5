#include "geosim/dynamics.hpp"

#include <algorithm>
#include <vector>

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
  // sum_{k != i,j} W_ik (T_kj - T_ij) = sum_{k != i,j} W_ik T_kj - (rowsum_i - W_ij) T_ij.
  // Ties are sparse (an actor has a few allies, not n), so the first sum runs over each row's
  // non-zero ties only, in ascending k: O(n * ties) instead of a dense O(n^3) product, and the
  // order of the additions is fixed by the data, not by a BLAS kernel's blocking.
  const Eigen::Index n = tension.rows();
  std::vector<Eigen::Index> first(std::size_t(n) + 1, 0);
  std::vector<Eigen::Index> partner;
  std::vector<double> weight;
  Eigen::VectorXd scale(n), row_sum(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double sum = 0.0;
    for (Eigen::Index k = 0; k < n; ++k) {
      if (k == i || tie(i, k) == 0.0) continue;
      partner.push_back(k);
      weight.push_back(tie(i, k));
      sum += tie(i, k);
    }
    first[std::size_t(i) + 1] = Eigen::Index(partner.size());
    row_sum(i) = sum;
    scale(i) = sigma / std::max(1.0, sum);
  }
  Eigen::MatrixXd result(n, n);
  for (Eigen::Index j = 0; j < n; ++j) {  // column by column: Eigen stores columns contiguously
    for (Eigen::Index i = 0; i < n; ++i) {
      if (i == j) {
        result(i, j) = 0.0;
        continue;
      }
      double through = 0.0;
      for (Eigen::Index p = first[std::size_t(i)]; p < first[std::size_t(i) + 1]; ++p)
        if (partner[std::size_t(p)] != j) through += weight[std::size_t(p)] * tension(partner[std::size_t(p)], j);
      result(i, j) = scale(i) * (through - (row_sum(i) - tie(i, j)) * tension(i, j));
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
