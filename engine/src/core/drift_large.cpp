#include "drift_large.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "pack.hpp"

#if defined(__SSE2__) || defined(__x86_64__)
#include <immintrin.h>
#endif

namespace geosim::detail {
namespace {

/// Columns per super-block: the spillover's sums for kWide columns advance together, and each row
/// of a transposed array is read or written kWide values (four cache lines) at a time.
constexpr Eigen::Index kWide = 32;

/// Rows ahead whose cache lines are asked for before they are used.
constexpr Eigen::Index kAhead = 4;

/// Asks for the cache line holding byte `byte` of `p` (a hint: no effect on results).
inline void prefetch(const double* p, std::size_t byte, bool write) {
  const char* at = reinterpret_cast<const char*>(p) + byte;
  if (write)
    __builtin_prefetch(at, 1);
  else
    __builtin_prefetch(at, 0);
}

/// One element of the step: the spillover
///   S_ij = scale_i (sum_ij - ((rowsum_i - W_ij) [- lost_ij]) T_ij)
/// (spillover_impl's expression), then ((T_ij + r_i (B_ij - T_ij)) + k_i answer_ij) + S_ij
/// [+ N_ij] (drift_sum's), bounded: the packs of the kernel compute the same, lane by lane.
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

/// The tied pairs (i leans on j, W_ij != 0) of columns j0 .. j0 + w - 1, which the loops took with
/// W_ij = 0: the same element with its W_ij (the tie structure's column j lists them).
template <bool Masked, bool Noisy>
void patch_ties(const LargeDrift& d, Eigen::Index j0, Eigen::Index w, const double* sums, const double* lost) {
  const Eigen::Index n = d.n;
  const TieStructure& ties = *d.ties;
  for (Eigen::Index c = 0; c < w; ++c) {
    const Eigen::Index j = j0 + c;
    for (Eigen::Index p = ties.first[std::size_t(j)]; p < ties.first[std::size_t(j) + 1]; ++p) {
      const Eigen::Index i = ties.leaner[std::size_t(p)];
      if (Masked && d.absent[std::size_t(i * n + j)] != 0) continue;  // stays 0
      const std::size_t at = std::size_t(j + i * n);
      const double v = element<Masked>(d.tt[at], d.bt[at], d.t[at] - d.b[at], sums[i * kWide + c],
                                       Masked ? lost[i * kWide + c] : 0.0, ties.row_sum[i],
                                       ties.weight[std::size_t(p)], ties.scale[i], d.restraint[i], d.reactivity[i],
                                       Noisy ? d.noise + i + j * n : nullptr);
      d.next_tt[at] = v;
      d.next[i + j * n] = v;
    }
  }
}

/// The last super-block, narrower than kWide (n not a multiple of it), element by element: the
/// same sums and the same elements as the kernel's packs.
template <bool Masked, bool Noisy>
void block_scalar(const LargeDrift& d, Eigen::Index j0, double* sums, double* lost) {
  const Eigen::Index n = d.n, w = n - j0;
  const TieStructure& ties = *d.ties;
  auto is_absent = [&](Eigen::Index a, Eigen::Index b) { return Masked && d.absent[std::size_t(a * n + b)] != 0; };
  std::fill_n(sums, n * kWide, 0.0);
  if constexpr (Masked) std::fill_n(lost, n * kWide, 0.0);
  for (Eigen::Index k = 0; k < n; ++k)
    for (Eigen::Index p = ties.first[std::size_t(k)]; p < ties.first[std::size_t(k) + 1]; ++p)
      for (Eigen::Index c = 0; c < w; ++c) {
        const Eigen::Index j = j0 + c;
        const bool gone = k != j && is_absent(k, j);
        const double weight = ties.weight[std::size_t(p)];
        sums[ties.leaner[std::size_t(p)] * kWide + c] += weight * (k == j || gone ? 0.0 : d.tt[j + k * n]);
        if constexpr (Masked) lost[ties.leaner[std::size_t(p)] * kWide + c] += weight * (gone ? 1.0 : 0.0);
      }
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index c = 0; c < w; ++c) {
      const Eigen::Index j = j0 + c;
      const std::size_t at = std::size_t(j + i * n);
      const double v = i == j || is_absent(i, j)
                           ? 0.0
                           : element<Masked>(d.tt[at], d.bt[at], d.t[at] - d.b[at], sums[i * kWide + c],
                                             Masked ? lost[i * kWide + c] : 0.0, ties.row_sum[i], 0.0, ties.scale[i],
                                             d.restraint[i], d.reactivity[i], Noisy ? d.noise + i + j * n : nullptr);
      d.next_tt[at] = v;
      d.next[i + j * n] = v;
    }
  patch_ties<Masked, Noisy>(d, j0, w, sums, lost);
}

#if defined(__SSE2__)
/// SSE2: two doubles an operation (x86-64's baseline).
namespace sse2 {
using Vec = __m128d;  // +, -, * element-wise (GCC's and Clang's vector types)
constexpr int kLanes = 2;
inline Vec load(const double* p) { return _mm_loadu_pd(p); }
inline void store(double* p, Vec v) { _mm_storeu_pd(p, v); }
inline Vec broadcast(double x) { return _mm_set1_pd(x); }
inline Vec bounded(Vec x) { return _mm_min_pd(_mm_set1_pd(1.0), _mm_max_pd(_mm_setzero_pd(), x)); }
#include "drift_large_kernel.hpp"
}  // namespace sse2
#else
namespace sse2 {  // elsewhere: one double at a time, the same loops
using Vec = double;
constexpr int kLanes = 1;
inline Vec load(const double* p) { return *p; }
inline void store(double* p, Vec v) { *p = v; }
inline Vec broadcast(double x) { return x; }
inline Vec bounded(Vec x) { return pack::bounded(x); }
#include "drift_large_kernel.hpp"
}  // namespace sse2
#endif

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define GEOSIM_DRIFT_AVX2 1
/// AVX2: four doubles an operation, compiled for AVX2 without FMA and used only where the
/// processor has it; the same element-wise operations, so the same bits.
#pragma GCC push_options
#pragma GCC target("avx2")
namespace avx2 {
using Vec = __m256d;
constexpr int kLanes = 4;
inline Vec load(const double* p) { return _mm256_loadu_pd(p); }
inline void store(double* p, Vec v) { _mm256_storeu_pd(p, v); }
inline Vec broadcast(double x) { return _mm256_set1_pd(x); }
inline Vec bounded(Vec x) { return _mm256_min_pd(_mm256_set1_pd(1.0), _mm256_max_pd(_mm256_setzero_pd(), x)); }
#include "drift_large_kernel.hpp"
}  // namespace avx2
#pragma GCC pop_options
#endif

}  // namespace

void drift_large(const LargeDrift& d) {
  thread_local std::vector<double> sums, lost;  // kept per thread: no allocation per step
  sums.resize(std::size_t(d.n * kWide));
  if (d.absent) lost.resize(std::size_t(d.n * kWide));
#ifdef GEOSIM_DRIFT_AVX2
  if (d.wide && __builtin_cpu_supports("avx2")) {
    avx2::all_blocks(d, sums.data(), lost.data());
    return;
  }
#endif
  sse2::all_blocks(d, sums.data(), lost.data());
}

void transpose_into(Eigen::MatrixXd& out, const Eigen::MatrixXd& in, bool zero, const unsigned char* absent) {
  const Eigen::Index n = in.rows(), tile = 32;
  out.resize(in.cols(), n);
  for (Eigen::Index j0 = 0; j0 < in.cols(); j0 += tile)
    for (Eigen::Index i0 = 0; i0 < n; i0 += tile)
      for (Eigen::Index j = j0; j < std::min(in.cols(), j0 + tile); ++j)
        for (Eigen::Index i = i0; i < std::min(n, i0 + tile); ++i) out(j, i) = in(i, j);
  if (!zero) return;
  for (Eigen::Index i = 0; i < std::min(n, in.cols()); ++i) out(i, i) = 0.0;
  if (absent)
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = 0; j < n; ++j)
        if (absent[std::size_t(i * n + j)] != 0) out(j, i) = 0.0;
}

}  // namespace geosim::detail
