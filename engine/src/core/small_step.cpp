#include "small_step.hpp"

#include <array>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "pack.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define GEOSIM_SMALL_AVX2 1
#endif

namespace geosim::detail {
namespace {

using pack::Pack;

/// Pack p of an array of N values: whole, or, for the last of an odd N, its first lane only
/// (the second 0), so that nothing past the N values is read.
template <int N>
Pack load_part(const double* x, int p) {
  if constexpr (N % pack::kLanes != 0)
    if (p == N / pack::kLanes) return pack::load_first(x + p * pack::kLanes);
  return pack::load(x + p * pack::kLanes);
}

template <int N>
void store_part(double* x, int p, Pack v) {
  if constexpr (N % pack::kLanes != 0)
    if (p == N / pack::kLanes) return pack::store_first(x + p * pack::kLanes, v);
  pack::store(x + p * pack::kLanes, v);
}

/// The fused loop for N actors (known when compiled: the sums stay in registers, the loops
/// unroll). Each element's arithmetic is that of spillover_small and drift_columns, term by term
/// and in the same order: the spillover's sum over every partner k ascending, the term of k == j
/// taken as W_ij * 0 as there.
template <int N>
void fused(const SmallDrift& d, const TieStructure& ties) {
  constexpr int packs = (N + pack::kLanes - 1) / pack::kLanes;
  constexpr Eigen::Index padded = pack::padded_rows(N);  // ties.dense's rows
  const double* w = ties.dense.data();                   // W_ik = w[k * padded + i]
  const double *scale = ties.scale.data(), *row_sum = ties.row_sum.data();
  for (int j = 0; j < N; ++j) {
    const std::size_t c = std::size_t(j) * N;
    const double* t = d.t + c;  // T_kj = t[k]
    Pack sums[packs];
    for (int p = 0; p < packs; ++p) sums[p] = pack::broadcast(0.0);
    for (int k = 0; k < N; ++k) {  // ascending k: each sum adds in that order
      const Pack t_kj = pack::broadcast(k == j ? 0.0 : t[k]);
      const double* w_k = w + k * padded;
      for (int p = 0; p < packs; ++p) sums[p] = sums[p] + pack::load(w_k + p * pack::kLanes) * t_kj;
    }
    const double *b = d.b + c, *tie = d.tie + c, *a = d.answer + c, *z = d.noise ? d.noise + c : nullptr;
    double* out = d.next + c;
    for (int p = 0; p < packs; ++p) {
      const Pack t_ij = load_part<N>(t, p), b_ij = load_part<N>(b, p);
      const Pack spill = load_part<N>(scale, p) * (sums[p] - (load_part<N>(row_sum, p) - load_part<N>(tie, p)) * t_ij);
      Pack x = t_ij + load_part<N>(d.restraint, p) * (b_ij - t_ij) +
               load_part<N>(d.reactivity, p) * load_part<N>(a, p) + spill;
      if (z) x = x + load_part<N>(z, p);
      store_part<N>(out, p, pack::bounded(x));
    }
    out[j] = 0.0;
    if (d.next_answer)  // the next step's answer, while this column is at hand: its row j
      for (int i = 0; i < N; ++i) d.next_answer[j + i * N] = out[i] - b[i];
  }
}

#if GEOSIM_SMALL_AVX2
/// The same loop four doubles at a time with AVX2, for a processor that has it (chosen at run
/// time): the same element-wise IEEE operations in the same order, and no fused multiply-add
/// (not enabled by target("avx2"), and the build compiles with -ffp-contract=off), so the same
/// bits. The last pack of a column of N values reads and writes its first N % 4 lanes only.
/// No masked loads or stores: a masked store does not forward to a load, and both are slower.
template <int N>
__attribute__((target("avx2"))) void fused_avx2(const SmallDrift& d, const TieStructure& ties) {
  constexpr int packs = (N + 3) / 4, tail = N % 4;
  constexpr Eigen::Index padded = pack::padded_rows(N);
  static_assert(padded >= packs * 4, "the dense ties hold whole packs of four");
  // The last pack's first `tail` lanes, the others 0 (nothing past the N values is read), by
  // plain loads: a masked load is slower.
  auto load = [&](const double* x, int p) __attribute__((target("avx2"))) {
    x += 4 * p;
    if (tail == 0 || p != packs - 1) return _mm256_loadu_pd(x);
    if constexpr (tail == 1) return _mm256_zextpd128_pd256(_mm_load_sd(x));
    if constexpr (tail == 2) return _mm256_zextpd128_pd256(_mm_loadu_pd(x));
    return _mm256_insertf128_pd(_mm256_zextpd128_pd256(_mm_loadu_pd(x)), _mm_load_sd(x + 2), 1);
  };
  // The last pack's first `tail` lanes (the others' values are never stored).
  auto store_tail = [&](double* x, __m256d v) __attribute__((target("avx2"))) {
    const __m128d lo = _mm256_castpd256_pd128(v);
    if constexpr (tail == 1) _mm_store_sd(x, lo);
    if constexpr (tail >= 2) _mm_storeu_pd(x, lo);
    if constexpr (tail == 3) _mm_store_sd(x + 2, _mm256_extractf128_pd(v, 1));
  };
  const double* w = ties.dense.data();
  const double *scale = ties.scale.data(), *row_sum = ties.row_sum.data();
  const __m256d zero = _mm256_setzero_pd();
  // Column j's drift from its spillover sums. The new column stays in registers for its answer
  // (row j of next_answer): reading it back from memory stalled (a masked store, as the last
  // pack's was, does not forward to a later load).
  auto finish = [&](int j, const __m256d* sums) __attribute__((target("avx2"))) {
    const std::size_t c = std::size_t(j) * N;
    const double *t = d.t + c, *b = d.b + c, *tie = d.tie + c, *a = d.answer + c;
    const double* z = d.noise ? d.noise + c : nullptr;
    double* out = d.next + c;
    __m256d xs[packs], bs[packs];
    for (int p = 0; p < packs; ++p) {
      const __m256d t_ij = load(t, p), b_ij = load(b, p);
      const __m256d spill = _mm256_mul_pd(
          load(scale, p), _mm256_sub_pd(sums[p], _mm256_mul_pd(_mm256_sub_pd(load(row_sum, p), load(tie, p)), t_ij)));
      __m256d x = _mm256_add_pd(
          _mm256_add_pd(_mm256_add_pd(t_ij, _mm256_mul_pd(load(d.restraint, p), _mm256_sub_pd(b_ij, t_ij))),
                        _mm256_mul_pd(load(d.reactivity, p), load(a, p))),
          spill);
      if (z) x = _mm256_add_pd(x, load(z, p));
      xs[p] = pack::avx2::bounded(x);
      bs[p] = b_ij;
      if (tail != 0 && p == packs - 1)
        store_tail(out + 4 * p, xs[p]);
      else
        _mm256_storeu_pd(out + 4 * p, xs[p]);
    }
    out[j] = 0.0;
    if (d.next_answer) {  // next_answer(j, i) = out[i] - b[i], the same subtraction from the registers
      double* row = d.next_answer + j;
      for (int p = 0; p < packs; ++p) {
        const __m256d v = _mm256_sub_pd(xs[p], bs[p]);
        const __m128d lo = _mm256_castpd256_pd128(v), hi = _mm256_extractf128_pd(v, 1);
        const int i = 4 * p;
        _mm_store_sd(row + std::size_t(i) * N, lo);
        if (i + 1 < N) _mm_storeh_pd(row + std::size_t(i + 1) * N, lo);
        if (i + 2 < N) _mm_store_sd(row + std::size_t(i + 2) * N, hi);
        if (i + 3 < N) _mm_storeh_pd(row + std::size_t(i + 3) * N, hi);
      }
      row[std::size_t(j) * N] = 0.0 - b[j];  // the diagonal's, from its 0 (written over the lane's above)
    }
  };
  // Columns C at a time (three, or two from 13 actors, where three columns' sums and their
  // broadcasts would not fit the 16 registers): their sums are independent chains of additions,
  // which the processor then overlaps (each sum still adds its terms in ascending k).
  auto columns = [&](int j, auto width) __attribute__((target("avx2"))) {
    constexpr int C = decltype(width)::value;
    __m256d s[C][packs];
    for (int c = 0; c < C; ++c)
      for (int p = 0; p < packs; ++p) s[c][p] = zero;
    for (int k = 0; k < N; ++k) {
      __m256d u[C];
      for (int c = 0; c < C; ++c)
        u[c] = _mm256_set1_pd(k == j + c ? 0.0 : d.t[std::size_t(j + c) * N + std::size_t(k)]);
      const double* w_k = w + k * padded;
      for (int p = 0; p < packs; ++p) {
        const __m256d w_ik = _mm256_loadu_pd(w_k + 4 * p);
        for (int c = 0; c < C; ++c) s[c][p] = _mm256_add_pd(s[c][p], _mm256_mul_pd(w_ik, u[c]));
      }
    }
    for (int c = 0; c < C; ++c) finish(j + c, s[c]);
  };
  constexpr int kColumns = packs <= 3 ? 3 : 2;
  int j = 0;
  for (; j + kColumns <= N; j += kColumns) columns(j, std::integral_constant<int, kColumns>());
  for (; j + 2 <= N; j += 2) columns(j, std::integral_constant<int, 2>());
  if (j < N) columns(j, std::integral_constant<int, 1>());
}
#endif

using Fused = void (*)(const SmallDrift&, const TieStructure&);

template <int... Ns>
constexpr std::array<Fused, sizeof...(Ns)> fused_loops(std::integer_sequence<int, Ns...>) {
  return {(Ns == 0 ? Fused(nullptr) : &fused<(Ns == 0 ? 1 : Ns)>)...};
}

#if GEOSIM_SMALL_AVX2
template <int... Ns>
constexpr std::array<Fused, sizeof...(Ns)> fused_avx2_loops(std::integer_sequence<int, Ns...>) {
  return {(Ns == 0 ? Fused(nullptr) : &fused_avx2<(Ns == 0 ? 1 : Ns)>)...};
}
#endif

}  // namespace

bool small_drift_has_avx2() {
#if GEOSIM_SMALL_AVX2
  return pack::has_avx2();
#else
  return false;
#endif
}

void small_drift(const SmallDrift& d, const TieStructure& ties, Eigen::Index n, SmallDriftWidth width) {
  if (n <= 0 || n >= kSmallWorld) return;
#if GEOSIM_SMALL_AVX2
  static constexpr auto wide = fused_avx2_loops(std::make_integer_sequence<int, int(kSmallWorld)>());
  if (width == SmallDriftWidth::best && small_drift_has_avx2()) return wide[std::size_t(n)](d, ties);
#endif
  static constexpr auto loops = fused_loops(std::make_integer_sequence<int, int(kSmallWorld)>());
  loops[std::size_t(n)](d, ties);
}

}  // namespace geosim::detail
