#include "geosim/core/dynamics.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "pack.hpp"

namespace geosim {

Eigen::MatrixXd spillover(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie, double sigma,
                          const std::vector<unsigned char>& absent) {
  Eigen::MatrixXd result;
  spillover_into(result, tension, tie, sigma, absent);
  return result;
}

void build_tie_structure(TieStructure& ties, const Eigen::MatrixXd& tie, double sigma) {
  const Eigen::Index n = tie.rows();
  ties.first.assign(std::size_t(n) + 1, 0);
  ties.leaner.clear();
  ties.weight.clear();
  ties.row_sum.setZero(n);
  for (Eigen::Index k = 0; k < n; ++k) {
    const double* column = tie.data() + k * n;
    for (Eigen::Index i0 = 0; i0 < n; i0 += 8) {
      // Eight at a time past the zeros (most ties are: a few partners an actor): four compares
      // and one branch for eight values, where one value at a time took a branch each.
      if (i0 + 8 <= n && pack::none_of_eight(column + i0)) continue;
      for (Eigen::Index i = i0; i < std::min(i0 + 8, n); ++i)
        if (i != k && column[i] != 0.0) {
          ties.leaner.push_back(i);
          ties.weight.push_back(column[i]);
          ties.row_sum(i) += column[i];
        }
    }
    ties.first[std::size_t(k) + 1] = Eigen::Index(ties.leaner.size());
  }
  ties.scale = sigma / ties.row_sum.max(1.0);
  if (n < kSmallWorld) {  // rows padded with zeros to whole packs (pack.hpp)
    const Eigen::Index padded = pack::padded_rows(n);
    ties.dense.setZero(padded, n);
    ties.dense.topRows(n) = tie;
    ties.dense.diagonal().setZero();
  } else {
    ties.dense.resize(0, 0);
  }
  ties.row_first.assign(n >= kSmallWorld ? std::size_t(n) + 1 : 0, 0);
  ties.partner.resize(n >= kSmallWorld ? ties.leaner.size() : 0);
  ties.row_weight.resize(ties.partner.size());
  if (n >= kSmallWorld) {  // the columns' lists by row: a counting sort, ascending k within a row
    for (Eigen::Index i : ties.leaner) ++ties.row_first[std::size_t(i) + 1];
    for (std::size_t i = 0; i < std::size_t(n); ++i) ties.row_first[i + 1] += ties.row_first[i];
    std::vector<Eigen::Index> at(ties.row_first.begin(), ties.row_first.end() - 1);
    for (Eigen::Index k = 0; k < n; ++k)
      for (Eigen::Index p = ties.first[std::size_t(k)]; p < ties.first[std::size_t(k) + 1]; ++p) {
        const auto q = std::size_t(at[std::size_t(ties.leaner[std::size_t(p)])]++);
        ties.partner[q] = k;
        ties.row_weight[q] = ties.weight[std::size_t(p)];
      }
  }
}

namespace {

/// spillover_into's body; `Masked`: skip the partners k whose pair k–j has no relation, and give
/// a pair without a relation no spillover. A template so that the common unmasked step pays
/// nothing for the mask.
template <bool Masked>
void spillover_impl(Eigen::MatrixXd& result, const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie,
                    const TieStructure& ties, const unsigned char* absent, SpilloverScratch& scratch) {
  // sum_{k != i,j} W_ik (T_kj - T_ij) = sum_{k != i,j} W_ik T_kj - (rowsum_i - W_ij) T_ij.
  // Ties are sparse (an actor has a few allies, not n), so the first sum runs over the
  // non-zero ties only: O(n * ties) instead of a dense O(n^3) product. Each sum adds its terms
  // in ascending k, an order fixed by the data, not by a BLAS kernel's blocking.
  // Masked: the k with k–j absent drop out of both sums, so rowsum_i loses sum_{k: k-j absent} W_ik.
  const Eigen::Index n = tension.rows();
  // The caller's, kept from call to call: at 7 actors the allocations would cost a third of it.
  std::vector<double>&block = scratch.sums, &missing = scratch.lost, &rows = scratch.rows, &gones = scratch.gone;
  const Eigen::Index* first = ties.first.data();
  const Eigen::Index* leaner = ties.leaner.data();
  const double* weight = ties.weight.data();
  const Eigen::ArrayXd& row_sum = ties.row_sum;
  const Eigen::ArrayXd& scale = ties.scale;
  // The sums for a block of kBlock columns at once, row-major in `block`, so that kBlock
  // independent sums advance together. T_kj for k == j counts as 0 (the sum skips k == j):
  // every term is >= +0 (ties and tensions are bounded to [0, 1]), and adding +0 leaves a
  // sum that started at +0 bit for bit unchanged (so does a last, narrower block's padding).
  constexpr Eigen::Index kBlock = 8;
  block.resize(std::size_t(n * kBlock));
  rows.resize(std::size_t(n * kBlock));
  if constexpr (Masked) missing.resize(std::size_t(n * kBlock)), gones.resize(std::size_t(n * kBlock));
  result.resize(n, n);
  auto is_absent = [&](Eigen::Index a, Eigen::Index b) { return absent[std::size_t(a * n + b)] != 0; };
  for (Eigen::Index j0 = 0; j0 < n; j0 += kBlock) {
    const Eigen::Index width = std::min(kBlock, n - j0);
    std::fill_n(block.begin(), n * kBlock, 0.0);
    if constexpr (Masked) std::fill_n(missing.begin(), n * kBlock, 0.0);
    // The block's columns of T row by row (rows[k * kBlock + c] = T_k,j0+c, 0 where k == j0 + c
    // and, Masked, where k–j0+c has no relation), copied before the sums read them: loading a
    // pair of values just stored one by one would stall on every partner.
    std::fill_n(rows.begin(), n * kBlock, 0.0);
    if constexpr (Masked) std::fill_n(gones.begin(), n * kBlock, 0.0);
    for (Eigen::Index c = 0; c < width; ++c)
      for (Eigen::Index k = 0; k < n; ++k) {
        double& t = rows[std::size_t(k * kBlock + c)];
        t = k == j0 + c ? 0.0 : tension(k, j0 + c);
        if constexpr (Masked)
          if (k != j0 + c && is_absent(k, j0 + c)) t = 0.0, gones[std::size_t(k * kBlock + c)] = 1.0;
      }
    for (Eigen::Index k = 0; k < n; ++k) {     // ascending k: each sum adds in that order
      if (first[k] == first[k + 1]) continue;  // nobody leans on k
      double t_k[kBlock];                      // in registers: the sums below cannot alias it
      std::copy_n(&rows[std::size_t(k * kBlock)], kBlock, t_k);
      [[maybe_unused]] double gone[kBlock];  // Masked: 1 where k–j has no relation
      if constexpr (Masked) std::copy_n(&gones[std::size_t(k * kBlock)], kBlock, gone);
      for (Eigen::Index p = first[k]; p < first[k + 1]; ++p) {
        double* sums = &block[std::size_t(leaner[p] * kBlock)];
        const double w = weight[p];
        for (Eigen::Index c = 0; c < kBlock; ++c) sums[c] += w * t_k[c];
        if constexpr (Masked) {
          double* lost = &missing[std::size_t(leaner[p] * kBlock)];
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
          result(i, j) =
              i != j && is_absent(i, j) ? 0.0 : scale(i) * (sums[c] - (row_sum(i) - tie(i, j) - lost) * tension(i, j));
        } else {
          result(i, j) = scale(i) * (sums[c] - (row_sum(i) - tie(i, j)) * tension(i, j));
        }
      }
    }
    for (Eigen::Index c = 0; c < width; ++c) result(j0 + c, j0 + c) = 0.0;
  }
}

/// The same sums for a few actors, a column at a time over every partner k in ascending order,
/// vectorised across the rows i: the terms spillover_impl skips (a zero tie; k == j; Masked, k–j
/// absent) are zeros here (W_ik = 0, or T_kj taken as 0), and adding a zero to a sum that
/// started at +0 leaves it bit for bit unchanged. So the same bits, without the mostly empty
/// blocks of eight columns a world of nine actors would need. N is the number of actors, known
/// when compiled (one instance per size under kSmallWorld), so that the sums stay in registers
/// and the loops unroll.
template <int N, bool Masked>
void spillover_small(double* out, const double* tension, const double* tie, const TieStructure& ties,
                     const unsigned char* absent) {
  constexpr Eigen::Index n = N;
  constexpr int packs = (N + pack::kLanes - 1) / pack::kLanes;
  constexpr Eigen::Index padded = pack::padded_rows(N);  // ties.dense's rows
  const double* w = ties.dense.data();                   // column-major: W_ik = w[k * padded + i]
  const double* row_sum = ties.row_sum.data();
  const double* scale = ties.scale.data();
  for (Eigen::Index j = 0; j < n; ++j) {
    const double* t = tension + j * n;  // T_kj = t[k]
    pack::Pack sums[packs], lost[packs];
    for (int p = 0; p < packs; ++p) sums[p] = lost[p] = pack::broadcast(0.0);
    for (Eigen::Index k = 0; k < n; ++k) {  // ascending k: each sum adds in that order
      const bool gone = k == j || (Masked && absent[std::size_t(k * n + j)] != 0);
      const pack::Pack t_kj = pack::broadcast(gone ? 0.0 : t[k]);
      const double* w_k = w + k * padded;
      for (int p = 0; p < packs; ++p) sums[p] = sums[p] + pack::load(w_k + p * pack::kLanes) * t_kj;
      if constexpr (Masked) {
        const pack::Pack g = pack::broadcast(k != j && gone ? 1.0 : 0.0);
        for (int p = 0; p < packs; ++p) lost[p] = lost[p] + pack::load(w_k + p * pack::kLanes) * g;
      }
    }
    double s[packs * pack::kLanes], l[packs * pack::kLanes];
    for (int p = 0; p < packs; ++p) {
      pack::store(s + p * pack::kLanes, sums[p]);
      pack::store(l + p * pack::kLanes, lost[p]);
    }
    const double* tie_j = tie + j * n;
    double* o = out + j * n;
    for (Eigen::Index i = 0; i < n; ++i) {
      if constexpr (Masked) {
        o[i] = absent[std::size_t(i * n + j)] != 0 ? 0.0 : scale[i] * (s[i] - (row_sum[i] - tie_j[i] - l[i]) * t[i]);
      } else {
        o[i] = scale[i] * (s[i] - (row_sum[i] - tie_j[i]) * t[i]);
      }
    }
    o[j] = 0.0;
  }
}

using SmallSpillover = void (*)(double*, const double*, const double*, const TieStructure&, const unsigned char*);

/// spillover_small<n, Masked> for n = 0 .. kSmallWorld - 1 (n = 0: nothing to do).
template <bool Masked, int... Ns>
constexpr std::array<SmallSpillover, sizeof...(Ns)> small_spillovers(std::integer_sequence<int, Ns...>) {
  return {(Ns == 0 ? SmallSpillover(nullptr) : &spillover_small<(Ns == 0 ? 1 : Ns), Masked>)...};
}

}  // namespace

void spillover_into(Eigen::MatrixXd& result, const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie,
                    const TieStructure& ties, const std::vector<unsigned char>& absent) {
  SpilloverScratch scratch;
  spillover_into(result, tension, tie, ties, absent, scratch);
}

void spillover_into(Eigen::MatrixXd& result, const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie,
                    const TieStructure& ties, const std::vector<unsigned char>& absent, SpilloverScratch& scratch) {
  const Eigen::Index n = tension.rows();
  if (n < kSmallWorld && ties.dense.cols() == n) {
    static constexpr auto plain = small_spillovers<false>(std::make_integer_sequence<int, int(kSmallWorld)>());
    static constexpr auto masked = small_spillovers<true>(std::make_integer_sequence<int, int(kSmallWorld)>());
    result.resize(n, n);
    if (n > 0)
      (absent.empty() ? plain : masked)[std::size_t(n)](result.data(), tension.data(), tie.data(), ties,
                                                        absent.empty() ? nullptr : absent.data());
    return;
  }
  if (absent.empty())
    spillover_impl<false>(result, tension, tie, ties, nullptr, scratch);
  else
    spillover_impl<true>(result, tension, tie, ties, absent.data(), scratch);
}

void spillover_into(Eigen::MatrixXd& result, const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie, double sigma,
                    const std::vector<unsigned char>& absent) {
  TieStructure ties;
  build_tie_structure(ties, tie, sigma);
  spillover_into(result, tension, tie, ties, absent);
}

double spillover_through(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie, double sigma, Eigen::Index i,
                         Eigen::Index j, Eigen::Index k, const std::vector<unsigned char>& absent) {
  if (k == i || k == j || i == j) return 0.0;
  const auto n = tension.rows();
  if (!absent.empty() && (absent[std::size_t(i * n + j)] != 0 || absent[std::size_t(k * n + j)] != 0)) return 0.0;
  double row_sum = 0.0;
  for (Eigen::Index m = 0; m < tie.cols(); ++m)
    if (m != i) row_sum += tie(i, m);
  return sigma * tie(i, k) * (tension(k, j) - tension(i, j)) / std::max(1.0, row_sum);
}

}  // namespace geosim
