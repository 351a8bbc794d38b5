#include "drift_large.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "pack.hpp"

#if defined(__SSE2__) || defined(__x86_64__)
#include <immintrin.h>
#endif
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace geosim::detail {
namespace {

/// Columns per block (up to kWideUpTo actors): a row's spillover sums for kWide columns advance
/// together (in registers, 32 at a time with AVX2, 16 with SSE2); each row's T_ji - B_ji is read
/// kWide values (eight cache lines) at a time.
constexpr Eigen::Index kWide = 64;

/// Above this many actors, blocks of kWide / 2 columns: a slab of 64 columns of T and B (1 KiB
/// an actor) would fill much of a core's L2, where the spillover reads its partners' rows at
/// random (with 2 MiB pages, bench/step-passes.md, sixth pass: 32 columns about 10 % faster at 1,000
/// and 2,000 actors).
constexpr Eigen::Index kWideUpTo = 500;

/// Rows ahead whose cache lines are asked for before they are used.
constexpr Eigen::Index kAhead = 4;

/// Above kWideUpTo actors, rows ahead whose cache lines are also asked for into L2 only
/// (prefetcht2): the reciprocity's pieces, a column apart, were waiting on memory (perf at 2,000
/// actors: the prefetches and the last line's loads about half of the block's samples); asking
/// for them into L2 earlier keeps more lines in flight. bench/step-passes.md, seventh pass: at 2,000
/// actors under load between no gain and 1.5x (to be confirmed idle); at 1,000 none beyond the
/// noise. 0: no such hints.
constexpr Eigen::Index kFarAhead = 12;

/// Whether the new tension is written around the caches (put_rows): from kHugeArray doubles (a
/// world too large for a core's caches, whose new tension is read again only at the next step),
/// when every column starts a cache line (n a multiple of 8 and the array 64-byte aligned, as
/// EIGEN_MAX_ALIGN_BYTES makes it: engine/CMakeLists.txt), so that each piece written is one
/// whole line. Where a bench measured it: bench/step-passes.md, eleventh pass.
bool streams(const LargeDrift& d) {
  return std::size_t(d.n * d.n) >= kHugeArray && d.n % 8 == 0 && reinterpret_cast<std::uintptr_t>(d.next) % 64 == 0;
}

/// Rows ahead whose cache lines take_columns asks for in each of its sixteen streams (eight lines
/// ahead): sixteen streams are more than the hardware prefetcher follows well (bench/step-passes.md,
/// eleventh pass: about 7 % of the step at 2,000 actors; none at 200 or 1,000).
constexpr Eigen::Index kColumnAhead = 64;

/// Asks for the cache line holding byte `byte` of `p`, to be read soon (a hint: no effect on
/// results).
inline void prefetch(const double* p, std::size_t byte) {
  __builtin_prefetch(reinterpret_cast<const char*>(p) + byte, 0);
}

/// The same into L2 only (locality 1: prefetcht2 on x86).
inline void prefetch_l2(const double* p, std::size_t byte) {
  __builtin_prefetch(reinterpret_cast<const char*>(p) + byte, 0, 1);
}

/// One element of the step: the spillover
///   S_ij = scale_i (sum_ij - ((rowsum_i - W_ij) [- lost_ij]) T_ij)
/// (spillover_impl's expression), then ((T_ij + r_i (B_ij - T_ij)) + k_i answer_ij) + S_ij
/// [+ N_ij] (drift_sum's), bounded: the packs of the kernel compute the same, lane by lane.
template <bool Masked>
double element(double t, double b, double answer, double sum, double lost, double row_sum, double tie, double scale,
               double restraint, double reactivity, const double* noise) {
  double rest = row_sum - tie;
  if constexpr (Masked) rest = rest - lost;
  const double spill = scale * (sum - rest * t);
  double v = t + restraint * (b - t) + reactivity * answer + spill;
  if (noise) v = v + *noise;
  return pack::bounded(v);
}

/// A thread's scratch for one block of columns J = j0 .. j0 + W - 1, each n x W and row-major
/// (row k's W values together, 64-byte aligned): `t` holds T_kj (+0 on the diagonal and for
/// absent pairs: the terms the spillover's sums skip), `b` holds B_kj, `gone` (with absent
/// pairs) 1 where k != j and k-j has no relation, else 0.
struct Slab {
  double* t = nullptr;
  double* b = nullptr;
  double* gone = nullptr;
};

/// SSE2's two doubles an operation (x86-64's baseline; one double elsewhere): pack.hpp's packs.
namespace sse2 {
using Vec = pack::Pack;
constexpr int kLanes = pack::kLanes;
using pack::bounded;
using pack::broadcast;
using pack::load;
using pack::store;
/// d[r ds + c] = s[c ss + r] for r, c < kLanes: a square of kLanes x kLanes transposed; with
/// `Stream`, written around the caches (non-temporal stores; `d` and `d + ds` 16-byte aligned).
template <bool Stream = false>
inline void transpose(const double* s, Eigen::Index ss, double* d, Eigen::Index ds) {
#if defined(__SSE2__)
  const __m128d a = _mm_loadu_pd(s), b = _mm_loadu_pd(s + ss);
  const auto put = [](double* to, __m128d v) { Stream ? _mm_stream_pd(to, v) : _mm_storeu_pd(to, v); };
  put(d, _mm_unpacklo_pd(a, b));
  put(d + ds, _mm_unpackhi_pd(a, b));
#else
  (void)ss, (void)ds;
  *d = *s;
#endif
}
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
using pack::avx2::bounded;
/// As sse2::transpose, four by four (with `Stream`: `d` .. `d + 3 ds` 32-byte aligned).
template <bool Stream = false>
inline void transpose(const double* s, Eigen::Index ss, double* d, Eigen::Index ds) {
  const Vec v0 = load(s), v1 = load(s + ss), v2 = load(s + 2 * ss), v3 = load(s + 3 * ss);
  const Vec t0 = _mm256_unpacklo_pd(v0, v1), t1 = _mm256_unpackhi_pd(v0, v1);
  const Vec t2 = _mm256_unpacklo_pd(v2, v3), t3 = _mm256_unpackhi_pd(v2, v3);
  const auto put = [](double* to, Vec v) { Stream ? _mm256_stream_pd(to, v) : store(to, v); };
  put(d, _mm256_permute2f128_pd(t0, t2, 0x20));
  put(d + ds, _mm256_permute2f128_pd(t1, t3, 0x20));
  put(d + 2 * ds, _mm256_permute2f128_pd(t0, t2, 0x31));
  put(d + 3 * ds, _mm256_permute2f128_pd(t1, t3, 0x31));
}
#include "drift_large_kernel.hpp"
}  // namespace avx2
#pragma GCC pop_options
#endif

}  // namespace

/// The widest block's columns for n actors.
Eigen::Index widest(Eigen::Index n) { return n <= kWideUpTo ? kWide : kWide / 2; }

std::size_t slab_doubles(Eigen::Index n, bool absent) { return std::size_t(n * widest(n)) * (absent ? 3 : 2) + 8; }

void ask_huge_pages(std::array<const double*, 4>& asked, const double* p, std::size_t count) {
  if (!p || std::find(asked.begin(), asked.end(), p) != asked.end()) return;
  std::rotate(asked.begin(), asked.end() - 1, asked.end());
  asked[0] = p;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  const long size = sysconf(_SC_PAGESIZE);
  if (size <= 0) return;
  const auto page = std::uintptr_t(size);
  const auto from = (reinterpret_cast<std::uintptr_t>(p) + page - 1) / page * page;
  const auto to = reinterpret_cast<std::uintptr_t>(p + count) / page * page;
  if (to <= from) return;
  void* start = reinterpret_cast<void*>(from);
  madvise(start, to - from, MADV_HUGEPAGE);  // the pages faulted from now on
  constexpr int kCollapse = 25;              // MADV_COLLAPSE (Linux 6.1 on): the pages there already
  madvise(start, to - from, kCollapse);
#else
  (void)count;
#endif
}

void drift_large(const LargeDrift& d) {
  std::vector<double>& scratch = *d.slab;
  const std::size_t each = std::size_t(d.n * widest(d.n));
  scratch.resize(slab_doubles(d.n, d.absent != nullptr));
  Slab slab;
  slab.t = scratch.data() + (8 - reinterpret_cast<std::uintptr_t>(scratch.data()) / sizeof(double) % 8) % 8;
  slab.b = slab.t + each;
  if (d.absent) slab.gone = slab.b + each;
#ifdef GEOSIM_DRIFT_AVX2
  if (d.wide && pack::has_avx2())
    avx2::all_blocks(d, slab);
  else
#endif
    sse2::all_blocks(d, slab);
#if defined(__SSE2__)
  _mm_sfence();  // the streamed stores seen before anything reads the new tension (another thread too)
#endif
}

}  // namespace geosim::detail
