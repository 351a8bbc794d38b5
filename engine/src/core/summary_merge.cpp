#include "summary_merge.hpp"

#include <algorithm>
#include <limits>

#include "pack.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define GEOSIM_MERGE_AVX2 1
#endif

namespace geosim::detail {
namespace {

/// One column, a value at a time. From both ends at once, so that two independent chains of
/// comparisons advance together: the front takes the smallest values in the order of a stable
/// merge (ties to the left), the back the largest (of equal values, the right's go last), while
/// neither can run out of either side; the middle is merged from the front alone. Without
/// branches on the data: they would be mispredicted half the time.
void merge_scalar(const double* a, std::size_t na, const double* b, std::size_t nb, double* o) {
  const std::size_t total = na + nb, both = std::min({na, nb, total / 2});
  std::size_t i = 0, k = 0, ia = na, kb = nb;  // front: next of a and b; back: one past the last left
  for (std::size_t t = 0; t < both; ++t) {
    const double x = a[i], y = b[k];
    const bool from_left = x <= y;
    o[t] = from_left ? x : y;
    i += from_left;
    k += !from_left;
    const double p = a[ia - 1], q = b[kb - 1];
    const bool from_right = q >= p;
    o[total - 1 - t] = from_right ? q : p;
    kb -= from_right;
    ia -= !from_right;
  }
  o += both;
  while (i < ia && k < kb) {
    const bool from_left = a[i] <= b[k];
    *o++ = from_left ? a[i] : b[k];
    i += from_left;
    k += !from_left;
  }
  o = std::copy(a + i, a + ia, o);
  std::copy(b + k, b + kb, o);
}

#if GEOSIM_MERGE_AVX2
/// A bitonic sequence of four sorted ascending: the half-cleaner at distance 2, then at 1.
__attribute__((target("avx2"))) inline __m256d sort_bitonic(__m256d v) {
  __m256d s = _mm256_permute2f128_pd(v, v, 0x01);  // v2 v3 v0 v1
  v = _mm256_blend_pd(_mm256_min_pd(v, s), _mm256_max_pd(v, s), 0b1100);
  s = _mm256_permute_pd(v, 0b0101);  // v1 v0 v3 v2
  return _mm256_blend_pd(_mm256_min_pd(v, s), _mm256_max_pd(v, s), 0b1010);
}

/// One column's merge as a state: the four largest values seen and not yet written (`high`),
/// the next unread of each side.
struct Merge {
  const double *a, *a_end, *b, *b_end;
  double* o;
  __m256d high;
};

__attribute__((target("avx2"))) inline Merge start(const double* a, std::size_t na, const double* b, std::size_t nb,
                                                   double* o) {
  Merge m{a, a + na, b, b + nb, o, _mm256_loadu_pd(b)};
  m.b += 4;
  return m;
}

/// Four values of the side whose next value is the smaller (any side when that one is done)
/// merged with `high`: the lower four are the next four of the output (every value not yet read
/// is at least the larger of the two sides' next values, so at least these four), the upper
/// four the new `high`.
/// Writes four merged values, or with kHalve the first and third of them.
template <bool kHalve>
__attribute__((target("avx2"))) inline void put(double*& o, __m256d v) {
  if constexpr (kHalve) {
    _mm_storeu_pd(o, _mm256_castpd256_pd128(_mm256_permute4x64_pd(v, 0b1000)));
    o += 2;
  } else {
    _mm256_storeu_pd(o, v);
    o += 4;
  }
}

template <bool kHalve>
__attribute__((target("avx2"))) inline void step(Merge& m) {
  static constexpr double kDone = std::numeric_limits<double>::infinity();  // a finished side's next value
  const double a_next = *(m.a != m.a_end ? m.a : &kDone), b_next = *(m.b != m.b_end ? m.b : &kDone);
  const bool take_a = m.b == m.b_end || (m.a != m.a_end && a_next <= b_next);  // not a branch: selects
  const __m256d x = _mm256_loadu_pd(take_a ? m.a : m.b);
  m.a += take_a ? 4 : 0;
  m.b += take_a ? 0 : 4;
  const __m256d y = _mm256_permute4x64_pd(m.high, 0x1B);  // reversed: x then y is bitonic
  put<kHalve>(m.o, sort_bitonic(_mm256_min_pd(x, y)));
  m.high = sort_bitonic(_mm256_max_pd(x, y));
}

/// Every column, kAtOnce at a time (their chains of dependent steps overlap), then the rest one
/// by one; na and nb multiples of four, at least four. kHalve: only the merged values at even
/// positions are written ((na + nb) / 2 a column).
template <bool kHalve>
__attribute__((target("avx2"))) void merge_avx2(const double* a, std::size_t na, const double* b, std::size_t nb,
                                                std::size_t columns, double* out) {
  constexpr std::size_t kAtOnce = kMergeColumnsAtOnce;
  const std::size_t steps = (na + nb) / 4 - 1, total = (na + nb) / (kHalve ? 2 : 1);
  std::size_t c = 0;
  for (; c + kAtOnce <= columns; c += kAtOnce) {
    Merge m[kAtOnce];
    for (std::size_t q = 0; q < kAtOnce; ++q)
      m[q] = start(a + (c + q) * na, na, b + (c + q) * nb, nb, out + (c + q) * total);
    for (std::size_t s = 0; s < steps; ++s)
      for (std::size_t q = 0; q < kAtOnce; ++q) step<kHalve>(m[q]);
    for (std::size_t q = 0; q < kAtOnce; ++q) put<kHalve>(m[q].o, m[q].high);
  }
  for (; c < columns; ++c) {
    Merge m = start(a + c * na, na, b + c * nb, nb, out + c * total);
    for (std::size_t s = 0; s < steps; ++s) step<kHalve>(m);
    put<kHalve>(m.o, m.high);
  }
}
#endif

}  // namespace

void merge_columns(const double* a, std::size_t na, const double* b, std::size_t nb, std::size_t columns, double* out,
                   bool scalar) {
#if GEOSIM_MERGE_AVX2
  if (!scalar && na >= 4 && nb >= 4 && na % 4 == 0 && nb % 4 == 0 && pack::has_avx2())
    return merge_avx2<false>(a, na, b, nb, columns, out);
#endif
  for (std::size_t c = 0; c < columns; ++c) merge_scalar(a + c * na, na, b + c * nb, nb, out + c * (na + nb));
}

bool merge_columns_halved(const double* a, const double* b, std::size_t n, std::size_t columns, double* out) {
#if GEOSIM_MERGE_AVX2
  if (n >= 4 && n % 4 == 0 && pack::has_avx2()) {
    merge_avx2<true>(a, n, b, n, columns, out);
    return true;
  }
#endif
  (void)a, (void)b, (void)n, (void)columns, (void)out;
  return false;
}

}  // namespace geosim::detail
