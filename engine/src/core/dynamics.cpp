#include "geosim/core/dynamics.hpp"

#include <algorithm>
#include <vector>

namespace geosim {

Eigen::MatrixXd spillover(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie,
                          double sigma, const std::vector<unsigned char>& absent) {
  Eigen::MatrixXd result;
  spillover_into(result, tension, tie, sigma, absent);
  return result;
}

namespace {

/// spillover_into's body; `Masked`: skip the partners k whose pair k–j has no relation, and give
/// a pair without a relation no spillover. A template so that the common unmasked step pays
/// nothing for the mask.
template <bool Masked>
void spillover_impl(Eigen::MatrixXd& result, const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie,
                    double sigma, const unsigned char* absent) {
  // sum_{k != i,j} W_ik (T_kj - T_ij) = sum_{k != i,j} W_ik T_kj - (rowsum_i - W_ij) T_ij.
  // Ties are sparse (an actor has a few allies, not n), so the first sum runs over the
  // non-zero ties only: O(n * ties) instead of a dense O(n^3) product. Each sum adds its terms
  // in ascending k, an order fixed by the data, not by a BLAS kernel's blocking.
  // Masked: the k with k–j absent drop out of both sums, so rowsum_i loses sum_{k: k-j absent} W_ik.
  const Eigen::Index n = tension.rows();
  // The ties column by column (who leans on actor k, and how much), as Eigen stores them.
  // Kept per thread from call to call: at 7 actors the allocations would cost a third of it.
  thread_local std::vector<Eigen::Index> first, leaner;
  thread_local std::vector<double> weight, block, missing;
  first.assign(std::size_t(n) + 1, 0);
  leaner.clear();
  weight.clear();
  Eigen::ArrayXd row_sum = Eigen::ArrayXd::Zero(n);
  for (Eigen::Index k = 0; k < n; ++k) {
    for (Eigen::Index i = 0; i < n; ++i)
      if (i != k && tie(i, k) != 0.0) {
        leaner.push_back(i);
        weight.push_back(tie(i, k));
        row_sum(i) += tie(i, k);
      }
    first[std::size_t(k) + 1] = Eigen::Index(leaner.size());
  }
  const Eigen::ArrayXd scale = sigma / row_sum.max(1.0);
  // The sums for a block of kBlock columns at once, row-major in `block`, so that kBlock
  // independent sums advance together. T_kj for k == j counts as 0 (the sum skips k == j):
  // every term is >= +0 (ties and tensions are bounded to [0, 1]), and adding +0 leaves a
  // sum that started at +0 bit for bit unchanged.
  constexpr Eigen::Index kBlock = 8;
  block.resize(std::size_t(n * kBlock));
  if constexpr (Masked) missing.resize(std::size_t(n * kBlock));
  result.resize(n, n);
  auto is_absent = [&](Eigen::Index a, Eigen::Index b) { return absent[std::size_t(a * n + b)] != 0; };
  for (Eigen::Index j0 = 0; j0 < n; j0 += kBlock) {
    const Eigen::Index width = std::min(kBlock, n - j0);
    std::fill(block.begin(), block.end(), 0.0);
    if constexpr (Masked) std::fill(missing.begin(), missing.end(), 0.0);
    for (Eigen::Index k = 0; k < n; ++k) {  // ascending k: each sum adds in that order
      double t_k[kBlock] = {};
      double gone[kBlock] = {};  // Masked: 1 where k–j has no relation
      for (Eigen::Index c = 0; c < width; ++c) {
        t_k[c] = k == j0 + c ? 0.0 : tension(k, j0 + c);
        if constexpr (Masked)
          if (k != j0 + c && is_absent(k, j0 + c)) t_k[c] = 0.0, gone[c] = 1.0;
      }
      for (Eigen::Index p = first[std::size_t(k)]; p < first[std::size_t(k) + 1]; ++p) {
        double* sums = &block[std::size_t(leaner[std::size_t(p)] * kBlock)];
        const double w = weight[std::size_t(p)];
        for (Eigen::Index c = 0; c < kBlock; ++c) sums[c] += w * t_k[c];
        if constexpr (Masked) {
          double* lost = &missing[std::size_t(leaner[std::size_t(p)] * kBlock)];
          for (Eigen::Index c = 0; c < kBlock; ++c) lost[c] += w * gone[c];
        }
      }
    }
    for (Eigen::Index i = 0; i < n; ++i) {  // row by row: the block's sums are stored so
      const double* sums = &block[std::size_t(i * kBlock)];
      for (Eigen::Index c = 0; c < width; ++c) {
        const Eigen::Index j = j0 + c;
        if constexpr (Masked) {
          const double lost = missing[std::size_t(i * kBlock + c)];
          result(i, j) = i != j && is_absent(i, j)
                             ? 0.0
                             : scale(i) * (sums[c] - (row_sum(i) - tie(i, j) - lost) * tension(i, j));
        } else {
          result(i, j) = scale(i) * (sums[c] - (row_sum(i) - tie(i, j)) * tension(i, j));
        }
      }
    }
    for (Eigen::Index c = 0; c < width; ++c) result(j0 + c, j0 + c) = 0.0;
  }
}

}  // namespace

void spillover_into(Eigen::MatrixXd& result, const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie,
                    double sigma, const std::vector<unsigned char>& absent) {
  if (absent.empty())
    spillover_impl<false>(result, tension, tie, sigma, nullptr);
  else
    spillover_impl<true>(result, tension, tie, sigma, absent.data());
}

double spillover_through(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie, double sigma,
                         Eigen::Index i, Eigen::Index j, Eigen::Index k,
                         const std::vector<unsigned char>& absent) {
  if (k == i || k == j || i == j) return 0.0;
  const auto n = tension.rows();
  if (!absent.empty() && (absent[std::size_t(i * n + j)] != 0 || absent[std::size_t(k * n + j)] != 0))
    return 0.0;
  double row_sum = 0.0;
  for (Eigen::Index m = 0; m < tie.cols(); ++m)
    if (m != i) row_sum += tie(i, m);
  return sigma * tie(i, k) * (tension(k, j) - tension(i, j)) / std::max(1.0, row_sum);
}

}  // namespace geosim
