#include "drift_large.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "pack.hpp"

namespace geosim::detail {
namespace {

/// Columns per block: the spillover's sums for eight columns advance together, and a row's eight
/// values in the transposed arrays are one cache line.
constexpr Eigen::Index kBlock = 8;

/// Eight doubles as one value (GCC's and Clang's vector extension): +, -, * and the comparisons
/// are the element-wise IEEE operations, compiled as four SSE2 or two AVX operations. No fused
/// multiply-add: the library builds with -ffp-contract=off, and the wide variant below targets
/// AVX2 without FMA.
using Lanes = double __attribute__((vector_size(kBlock * sizeof(double))));

/// The first `w` of eight doubles at `p`, the others +0.
[[gnu::always_inline]] inline void load(Lanes& v, const double* p, Eigen::Index w) {
  if (w == kBlock) {
    std::memcpy(&v, p, sizeof v);
  } else {
    v = Lanes{};
    std::memcpy(&v, p, std::size_t(w) * sizeof(double));
  }
}

[[gnu::always_inline]] inline void store(double* p, const Lanes& v, Eigen::Index w) {
  std::memcpy(p, &v, std::size_t(w) * sizeof(double));
}

/// One element of the step, as the lanes compute it: the spillover
///   S_ij = scale_i (sum_ij - ((rowsum_i - W_ij) [- lost_ij]) T_ij)
/// (spillover_impl's expression), then ((T_ij + r_i (B_ij - T_ij)) + k_i answer_ij) + S_ij
/// [+ N_ij] (drift_sum's), bounded. For the few tied pairs (W_ij != 0) after the lanes.
template <bool Masked>
double element(double t, double b, double answer, double sum, double lost, double row_sum, double tie,
               double scale, double restraint, double reactivity, const double* noise) {
  double rest = row_sum - tie;
  if constexpr (Masked) rest = rest - lost;
  const double spill = scale * (sum - rest * t);
  double v = t + restraint * (b - t) + reactivity * answer + spill;
  if (noise) v = v + *noise;
  return pack::bounded(v);
}

/// Columns j0 .. j0 + w - 1 of the new tension (and rows of its transpose). `sums`, `lost`: n x 8
/// scratch, row-major.
template <bool Masked, bool Noisy>
[[gnu::always_inline]] inline void drift_block(const LargeDrift& d, Eigen::Index j0, double* sums, double* lost) {
  const Eigen::Index n = d.n, w = std::min(kBlock, n - j0);
  const TieStructure& ties = *d.ties;
  const Eigen::Index* first = ties.first.data();
  const Eigen::Index* leaner = ties.leaner.data();
  const double* weight = ties.weight.data();
  const double* row_sum = ties.row_sum.data();
  const double* scale = ties.scale.data();
  const unsigned char* absent = d.absent;
  std::fill_n(sums, n * kBlock, 0.0);
  if constexpr (Masked) std::fill_n(lost, n * kBlock, 0.0);

  // The sums sum_k W_ik T_kj over the ties, for the block's eight columns at once, as
  // spillover_impl takes them: ascending k, from +0; T_kj taken as 0 for k == j and (Masked)
  // where k–j has no relation; lanes past the last column add +0. Row k of the block's columns is
  // eight contiguous values of the transposed tension.
  for (Eigen::Index k = 0; k < n; ++k) {
    if (first[k] == first[k + 1]) continue;  // nobody leans on k
    Lanes t_k;
    load(t_k, d.tt + j0 + k * n, w);
    if (k >= j0 && k < j0 + w) t_k[k - j0] = 0.0;
    [[maybe_unused]] Lanes gone{};  // Masked: 1 where k–j has no relation
    if constexpr (Masked)
      for (Eigen::Index c = 0; c < w; ++c)
        if (k != j0 + c && absent[std::size_t(k * n + j0 + c)] != 0) t_k[c] = 0.0, gone[c] = 1.0;
    for (Eigen::Index p = first[k]; p < first[k + 1]; ++p) {
      double* s = sums + leaner[p] * kBlock;
      Lanes sum;
      std::memcpy(&sum, s, sizeof sum);
      sum = sum + weight[p] * t_k;
      std::memcpy(s, &sum, sizeof sum);
      if constexpr (Masked) {
        double* l = lost + leaner[p] * kBlock;
        std::memcpy(&sum, l, sizeof sum);
        sum = sum + weight[p] * gone;
        std::memcpy(l, &sum, sizeof sum);
      }
    }
  }

  // Row by row, the block's eight elements at once, as if no tie joined i and j (W_ij = 0:
  // rowsum_i - W_ij is rowsum_i bit for bit); the tied pairs are redone below.
  const Lanes zero{}, one = zero + 1.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::size_t row = std::size_t(j0 + i * n);  // (i, j0) in the transposed arrays
    Lanes sum, t, b, t_ji, b_ji;
    std::memcpy(&sum, sums + i * kBlock, sizeof sum);
    load(t, d.tt + row, w);
    load(b, d.bt + row, w);
    load(t_ji, d.t + row, w);  // T_ji = t[j + i n]
    load(b_ji, d.b + row, w);
    const Lanes answer = t_ji - b_ji;
    Lanes rest = zero + row_sum[i];
    if constexpr (Masked) {
      Lanes l;
      std::memcpy(&l, lost + i * kBlock, sizeof l);
      rest = rest - l;
    }
    const Lanes spill = scale[i] * (sum - rest * t);
    Lanes v = t + d.restraint[i] * (b - t) + d.reactivity[i] * answer + spill;
    if constexpr (Noisy) {
      Lanes z{};
      for (Eigen::Index c = 0; c < w; ++c) z[c] = d.noise[i + (j0 + c) * n];
      v = v + z;
    }
    v = v < zero ? zero : v;  // std::max(v, 0.0)
    v = one < v ? one : v;    // std::min(v, 1.0)
    if (i >= j0 && i < j0 + w) v[i - j0] = 0.0;
    if constexpr (Masked)
      for (Eigen::Index c = 0; c < w; ++c)
        if (absent[std::size_t(i * n + j0 + c)] != 0) v[c] = 0.0;
    store(d.next_tt + row, v, w);
    for (Eigen::Index c = 0; c < w; ++c) d.next[i + (j0 + c) * n] = v[c];
  }

  // The tied pairs (i leans on j): the same element with its W_ij.
  for (Eigen::Index c = 0; c < w; ++c) {
    const Eigen::Index j = j0 + c;
    for (Eigen::Index p = first[j]; p < first[j + 1]; ++p) {
      const Eigen::Index i = leaner[p];
      if (Masked && absent[std::size_t(i * n + j)] != 0) continue;  // stays 0
      const std::size_t at = std::size_t(j + i * n);
      const double v = element<Masked>(d.tt[at], d.bt[at], d.t[at] - d.b[at], sums[i * kBlock + c],
                                       Masked ? lost[i * kBlock + c] : 0.0, row_sum[i], weight[p], scale[i],
                                       d.restraint[i], d.reactivity[i], Noisy ? d.noise + i + j * n : nullptr);
      d.next_tt[at] = v;
      d.next[i + j * n] = v;
    }
  }
}

template <bool Masked, bool Noisy>
[[gnu::always_inline]] inline void drift_blocks(const LargeDrift& d, double* sums, double* lost) {
  for (Eigen::Index j0 = 0; j0 < d.n; j0 += kBlock) drift_block<Masked, Noisy>(d, j0, sums, lost);
}

#define GEOSIM_DRIFT_VARIANTS                                                \
  if (d.absent)                                                              \
    d.noise ? drift_blocks<true, true>(d, sums, lost) : drift_blocks<true, false>(d, sums, lost); \
  else                                                                       \
    d.noise ? drift_blocks<false, true>(d, sums, lost) : drift_blocks<false, false>(d, sums, lost);

void drift_portable(const LargeDrift& d, double* sums, double* lost) { GEOSIM_DRIFT_VARIANTS }

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define GEOSIM_DRIFT_AVX2 1
/// The same loops compiled for AVX2 (four doubles an operation instead of two; no FMA), used
/// when the processor has it: the same element-wise operations, so the same bits.
__attribute__((target("avx2"))) void drift_avx2(const LargeDrift& d, double* sums, double* lost) {
  GEOSIM_DRIFT_VARIANTS
}
#endif
#undef GEOSIM_DRIFT_VARIANTS

}  // namespace

void drift_large(const LargeDrift& d) {
  thread_local std::vector<double> sums, lost;  // kept per thread: no allocation per step
  sums.resize(std::size_t(d.n * kBlock));
  if (d.absent) lost.resize(std::size_t(d.n * kBlock));
#ifdef GEOSIM_DRIFT_AVX2
  if (d.wide && __builtin_cpu_supports("avx2")) {
    drift_avx2(d, sums.data(), lost.data());
    return;
  }
#endif
  drift_portable(d, sums.data(), lost.data());
}

void transpose_into(Eigen::MatrixXd& out, const Eigen::MatrixXd& in) {
  const Eigen::Index n = in.rows(), tile = 32;
  out.resize(in.cols(), n);
  for (Eigen::Index j0 = 0; j0 < in.cols(); j0 += tile)
    for (Eigen::Index i0 = 0; i0 < n; i0 += tile)
      for (Eigen::Index j = j0; j < std::min(in.cols(), j0 + tile); ++j)
        for (Eigen::Index i = i0; i < std::min(n, i0 + tile); ++i) out(j, i) = in(i, j);
}

}  // namespace geosim::detail
