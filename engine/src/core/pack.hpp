#pragma once
/// \file
/// A few doubles handled as one (SSE2's two on x86-64, one elsewhere), for the step's loops over
/// independent outputs. Every operation is the element-wise IEEE one (no fused multiply-add:
/// the targets build with -ffp-contract=off), so a loop over packs gives the same bits as the
/// same loop over doubles.

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace geosim::pack {

#if defined(__SSE2__)
using Pack = __m128d;  // +, -, * are the element-wise operations (GCC's and Clang's vector types)
inline constexpr int kLanes = 2;
inline Pack load(const double* p) { return _mm_loadu_pd(p); }
inline void store(double* p, Pack v) { _mm_storeu_pd(p, v); }
inline Pack broadcast(double x) { return _mm_set1_pd(x); }
/// Lane by lane, the smaller / the larger (of two that compare equal, v for both).
inline Pack min(Pack u, Pack v) { return _mm_min_pd(u, v); }
inline Pack max(Pack u, Pack v) { return _mm_max_pd(u, v); }
/// The first lane from `p`, the second 0 (the last pack of an odd number of elements: reads
/// nothing past them).
inline Pack load_first(const double* p) { return _mm_load_sd(p); }
/// Stores the first lane only.
inline void store_first(double* p, Pack v) { _mm_store_sd(p, v); }
/// min(max(x, 0), 1) as std::min(std::max(x, 0.0), 1.0) gives it, lane by lane (argument order
/// as std::max's and std::min's: a -0 stays -0).
inline Pack bounded(Pack x) { return _mm_min_pd(_mm_set1_pd(1.0), _mm_max_pd(_mm_setzero_pd(), x)); }
/// Whether none of p[0] .. p[7] is != 0 (as `x != 0.0`: -0 counts as zero, NaN does not).
inline bool none_of_eight(const double* p) {
  const Pack z = _mm_setzero_pd();
  const Pack any = _mm_or_pd(_mm_or_pd(_mm_cmpneq_pd(load(p), z), _mm_cmpneq_pd(load(p + 2), z)),
                             _mm_or_pd(_mm_cmpneq_pd(load(p + 4), z), _mm_cmpneq_pd(load(p + 6), z)));
  return _mm_movemask_pd(any) == 0;
}
#else
using Pack = double;
inline constexpr int kLanes = 1;
inline Pack load(const double* p) { return *p; }
inline void store(double* p, Pack v) { *p = v; }
inline Pack broadcast(double x) { return x; }
inline Pack min(Pack u, Pack v) { return u < v ? u : v; }
inline Pack max(Pack u, Pack v) { return u > v ? u : v; }
inline Pack load_first(const double* p) { return *p; }
inline bool none_of_eight(const double* p) {
  return std::none_of(p, p + 8, [](double x) { return x != 0.0; });
}
inline void store_first(double* p, Pack v) { *p = v; }
#endif

/// The rows of a small world's dense tie matrix (TieStructure::dense) are padded with zeros to
/// a multiple of this: the widest pack the step may use (AVX2's four doubles, chosen at run time).
inline constexpr int kDenseRows = 4;
constexpr long padded_rows(long n) { return (n + kDenseRows - 1) / kDenseRows * kDenseRows; }

/// min(max(x, 0), 1) for one double (the bound of the packs above, lane by lane).
inline double bounded(double x) { return std::min(std::max(x, 0.0), 1.0); }

#if defined(__x86_64__) && defined(__GNUC__)
/// AVX2's four doubles, for the loops compiled with target("avx2") (taken only when has_avx2()).
namespace avx2 {
/// bounded() four lanes at a time (the same argument order, so the same bits).
__attribute__((target("avx2"))) inline __m256d bounded(__m256d x) {
  return _mm256_min_pd(_mm256_set1_pd(1.0), _mm256_max_pd(_mm256_setzero_pd(), x));
}
}  // namespace avx2
#endif

/// Whether the processor (and its operating system) runs AVX2 code. The step's and the leaves'
/// loops compiled for AVX2 (target("avx2"): four doubles an operation, never FMA, so the bits of
/// the packs above) are taken only then; the one place that asks.
inline bool has_avx2() {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
#else
  return false;
#endif
}

}  // namespace geosim::pack
