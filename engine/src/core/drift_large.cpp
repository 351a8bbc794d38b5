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

/// Columns per super-block: a row's spillover sums for kWide columns advance together (in
/// registers, 32 at a time with AVX2, 16 with SSE2), and each row of a transposed array is read or written kWide values
/// (eight cache lines) at a time, so that a page of it is visited once per 64 elements, not per
/// element.
constexpr Eigen::Index kWide = 64;

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

/// SSE2's two doubles an operation (x86-64's baseline; one double elsewhere): pack.hpp's packs.
namespace sse2 {
using Vec = pack::Pack;
constexpr int kLanes = pack::kLanes;
using pack::bounded;
using pack::broadcast;
using pack::load;
using pack::store;
#include "drift_large_kernel.hpp"
}  // namespace sse2

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
  thread_local std::vector<double> gone;  // kept per thread: no allocation per step
  if (d.absent) gone.resize(std::size_t(d.n * kWide));
#ifdef GEOSIM_DRIFT_AVX2
  if (d.wide && pack::has_avx2()) {
    avx2::all_blocks(d, gone.data());
    return;
  }
#endif
  sse2::all_blocks(d, gone.data());
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
