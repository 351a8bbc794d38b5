#include "leaf_sort.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "pack.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define GEOSIM_LEAF_AVX2 1
#endif

namespace geosim::detail {
namespace {

/// Batcher's odd-even merge sort of kLeafSortMaxRuns (a power of two) inputs, its comparators
/// (a < b) in the order they apply. For fewer inputs, those past them count as +infinity, so a
/// comparator reaching past the inputs leaves everything as it is and is skipped.
const std::vector<std::pair<int, int>>& network() {
  static const std::vector<std::pair<int, int>> pairs = [] {
    std::vector<std::pair<int, int>> out;
    const int n = int(kLeafSortMaxRuns);
    for (int p = 1; p < n; p <<= 1)
      for (int k = p; k >= 1; k >>= 1)
        for (int j = k % p; j + k < n; j += 2 * k)
          for (int i = 0; i < std::min(k, n - j - k); ++i)
            if ((i + j) / (2 * p) == (i + j + k) / (2 * p)) out.emplace_back(i + j, i + j + k);
    return out;
  }();
  return pairs;
}

/// Columns taken together: a tile of this many columns of every row stays in the L1 cache
/// while the whole network runs over it.
constexpr std::size_t kTile = 32;

void sort_sse2(double* rows, std::size_t runs, std::size_t columns) {
  for (std::size_t c0 = 0; c0 < columns; c0 += kTile) {
    const std::size_t width = std::min(kTile, columns - c0), paired = width - width % pack::kLanes;
    for (const auto& [a, b] : network()) {
      if (std::size_t(b) >= runs) continue;
      double *x = rows + std::size_t(a) * columns + c0, *y = rows + std::size_t(b) * columns + c0;
      std::size_t c = 0;
      for (; c < paired; c += pack::kLanes) {
        const pack::Pack u = pack::load(x + c), v = pack::load(y + c);
        pack::store(x + c, pack::min(u, v));
        pack::store(y + c, pack::max(u, v));
      }
      for (; c < width; ++c) {
        const double u = x[c], v = y[c];
        x[c] = std::min(u, v);
        y[c] = std::max(u, v);
      }
    }
  }
}

#if GEOSIM_LEAF_AVX2
__attribute__((target("avx2"))) void sort_avx2(double* rows, std::size_t runs, std::size_t columns) {
  for (std::size_t c0 = 0; c0 < columns; c0 += kTile) {
    const std::size_t width = std::min(kTile, columns - c0), quads = width - width % 4;
    for (const auto& [a, b] : network()) {
      if (std::size_t(b) >= runs) continue;
      double *x = rows + std::size_t(a) * columns + c0, *y = rows + std::size_t(b) * columns + c0;
      std::size_t c = 0;
      for (; c < quads; c += 4) {
        const __m256d u = _mm256_loadu_pd(x + c), v = _mm256_loadu_pd(y + c);
        _mm256_storeu_pd(x + c, _mm256_min_pd(u, v));
        _mm256_storeu_pd(y + c, _mm256_max_pd(u, v));
      }
      for (; c < width; ++c) {
        const double u = x[c], v = y[c];
        x[c] = std::min(u, v);
        y[c] = std::max(u, v);
      }
    }
  }
}

/// Four runs by four columns at a time: column block outermost, so that each output column is
/// written in order (a run's values are far apart in `rows`, a column's contiguous in `out`).
__attribute__((target("avx2"))) void transpose_avx2(const double* rows, std::size_t runs, std::size_t columns,
                                                    double* out) {
  const std::size_t run_quads = runs - runs % 4, column_quads = columns - columns % 4;
  for (std::size_t c = 0; c < column_quads; c += 4) {
    for (std::size_t r = 0; r < run_quads; r += 4) {
      const double* x = rows + r * columns + c;
      const __m256d a = _mm256_loadu_pd(x), b = _mm256_loadu_pd(x + columns), e = _mm256_loadu_pd(x + 2 * columns),
                    f = _mm256_loadu_pd(x + 3 * columns);
      const __m256d ab0 = _mm256_unpacklo_pd(a, b), ab1 = _mm256_unpackhi_pd(a, b);  // a0 b0 a2 b2, a1 b1 a3 b3
      const __m256d ef0 = _mm256_unpacklo_pd(e, f), ef1 = _mm256_unpackhi_pd(e, f);
      double* y = out + c * runs + r;
      _mm256_storeu_pd(y, _mm256_permute2f128_pd(ab0, ef0, 0x20));
      _mm256_storeu_pd(y + runs, _mm256_permute2f128_pd(ab1, ef1, 0x20));
      _mm256_storeu_pd(y + 2 * runs, _mm256_permute2f128_pd(ab0, ef0, 0x31));
      _mm256_storeu_pd(y + 3 * runs, _mm256_permute2f128_pd(ab1, ef1, 0x31));
    }
    for (std::size_t r = run_quads; r < runs; ++r)
      for (std::size_t q = c; q < c + 4; ++q) out[q * runs + r] = rows[r * columns + q];
  }
  for (std::size_t c = column_quads; c < columns; ++c)
    for (std::size_t r = 0; r < runs; ++r) out[c * runs + r] = rows[r * columns + c];
}
#endif

}  // namespace

void transpose_rows(const double* rows, std::size_t runs, std::size_t columns, double* out, bool scalar) {
#if GEOSIM_LEAF_AVX2
  if (!scalar && pack::has_avx2()) return transpose_avx2(rows, runs, columns, out);
#endif
  (void)scalar;
  for (std::size_t r = 0; r < runs; ++r)
    for (std::size_t c = 0; c < columns; ++c) out[c * runs + r] = rows[r * columns + c];
}

void sort_columns(double* rows, std::size_t runs, std::size_t columns, bool sse2) {
#if GEOSIM_LEAF_AVX2
  if (!sse2 && pack::has_avx2()) return sort_avx2(rows, runs, columns);
#endif
  sort_sse2(rows, runs, columns);
}

}  // namespace geosim::detail
