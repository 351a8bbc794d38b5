#include "geosim/core/rng.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <limits>

// The numbers must not depend on whether the compiler fuses a*b+c: turn contraction off here
// whatever the build's flags (the project also builds with -ffp-contract=off).
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace geosim {
namespace {

constexpr std::uint64_t kGamma = 0x9e3779b97f4a7c15ULL;  // SplitMix64's increment

/// SplitMix64's output function (Stafford's "Mix13" variant), a bijection of 64-bit words.
std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::uint64_t rng_name_key(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return mix64(h ^ name.size());
}

std::uint64_t rng_mix_key(std::uint64_t key, std::uint64_t part) {
  return mix64(key ^ (part * 0xd1342543de82ef95ULL + kGamma));
}

double rng_log(double x) {
  // fdlibm e_log.c (Sun Microsystems, 1993: "Permission to use, copy, modify, and distribute
  // this software is freely granted, provided that this notice is preserved."), rewritten:
  // x = 2^k * (1 + f) with sqrt(2)/2 < 1 + f < sqrt(2); log(1 + f) = f - s*(f - R) with
  // s = f / (2 + f) and R a minimax polynomial in s^2; k*ln2 split in two for exactness.
  constexpr double ln2_hi = 6.93147180369123816490e-01;  // 0x3fe62e42fee00000
  constexpr double ln2_lo = 1.90821492927058770002e-10;  // 0x3dea39ef35793c76
  constexpr double two54 = 1.80143985094819840000e+16;
  constexpr double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
                   Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                   Lg7 = 1.479819860511658591e-01;
  if (!(x > 0.0)) return std::numeric_limits<double>::quiet_NaN();  // also NaN
  if (x == std::numeric_limits<double>::infinity()) return x;
  std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
  auto hx = static_cast<std::int32_t>(bits >> 32);
  std::int32_t k = 0;
  if (hx < 0x00100000) {  // subnormal: scale into the normal range
    k -= 54;
    x *= two54;
    bits = std::bit_cast<std::uint64_t>(x);
    hx = static_cast<std::int32_t>(bits >> 32);
  }
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const std::int32_t i = (hx + 0x95f64) & 0x100000;
  // normalise x (or x/2) into [sqrt(2)/2, sqrt(2))
  bits = (std::uint64_t(std::uint32_t(hx | (i ^ 0x3ff00000))) << 32) | (bits & 0xffffffffULL);
  x = std::bit_cast<double>(bits);
  k += i >> 20;
  const double f = x - 1.0;
  const double dk = static_cast<double>(k);
  if ((0x000fffff & (2 + hx)) < 3) {  // |f| < 2^-20
    if (f == 0.0) return k == 0 ? 0.0 : dk * ln2_hi + dk * ln2_lo;
    const double r = f * f * (0.5 - 0.33333333333333333 * f);
    return k == 0 ? f - r : dk * ln2_hi - ((r - dk * ln2_lo) - f);
  }
  const double s = f / (2.0 + f);
  const double z = s * s;
  const double w = z * z;
  const double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  const double r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const double hfsq = 0.5 * f * f;
    return k == 0 ? f - (hfsq - s * (hfsq + r)) : dk * ln2_hi - ((hfsq - (s * (hfsq + r) + dk * ln2_lo)) - f);
  }
  return k == 0 ? f - s * (f - r) : dk * ln2_hi - ((s * (f - r) - dk * ln2_lo) - f);
}

double rng_exp(double x) {
  // fdlibm e_exp.c (same notice as above), rewritten: x = k*ln2 + r with |r| <= ln2/2, k*ln2
  // split in two for exactness, exp(r) = 1 + r + r*c/(2 - c) with c from a minimax polynomial
  // in r^2, then scaled by 2^k through the exponent bits.
  constexpr double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
  constexpr double inv_ln2 = 1.44269504088896338700e+00;
  constexpr double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03, P3 = 6.61375632143793436117e-05,
                   P4 = -1.65339022054652515390e-06, P5 = 4.13813679705723846039e-08;
  if (x != x) return x;  // NaN
  if (x > 709.0) return std::numeric_limits<double>::infinity();
  if (x < -708.0) return 0.0;
  if (x > -0x1.0p-28 && x < 0x1.0p-28) return 1.0 + x;
  double hi = x, lo = 0.0;
  int k = 0;
  if (x > 0.5 * ln2_hi || x < -0.5 * ln2_hi) {
    k = static_cast<int>(inv_ln2 * x + (x < 0.0 ? -0.5 : 0.5));  // nearest integer to x/ln2
    const double dk = static_cast<double>(k);
    hi = x - dk * ln2_hi;  // exact
    lo = dk * ln2_lo;
  }
  const double r = hi - lo;
  const double t = r * r;
  const double c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
  // y * 2^k, in two steps so that neither factor leaves the normal range (|k| <= 1022).
  const int k1 = k / 2, k2 = k - k1;
  const double s1 = std::bit_cast<double>(std::uint64_t(1023 + k1) << 52);
  const double s2 = std::bit_cast<double>(std::uint64_t(1023 + k2) << 52);
  return y * s1 * s2;
}

std::uint64_t RngStream::next() { return mix64(state_ += kGamma); }

double RngStream::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

std::int64_t RngStream::uniform_int(std::int64_t lo, std::int64_t hi) {
  // Unsigned arithmetic: the span of a wide range does not fit in a signed integer.
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
  if (span == 0) return static_cast<std::int64_t>(next());  // full 64-bit range
  // Rejection sampling removes modulo bias.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;
  std::uint64_t x = next();
  while (x >= limit) x = next();
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + x % span);
}

namespace {

/// The tables of the ziggurat method for normal deviates, 128 blocks (Marsaglia & Tsang 2000,
/// in Doornik's 2005 form "ZIGNOR", which draws the block and the abscissa from independent
/// bits). Computed once from rng_log, rng_exp and sqrt, so the same bits everywhere.
struct Ziggurat {
  static constexpr int kBlocks = 128;
  static constexpr double kR = 3.442619855899;       ///< where the tail starts
  static constexpr double kV = 9.91256303526217e-3;  ///< the area of each block
  std::array<double, kBlocks + 1> x{};               ///< block i spans [0, x[i]) (x[0]: the base with the tail)
  std::array<double, kBlocks> ratio{};               ///< x[i + 1] / x[i]: below it, inside the next block
  Ziggurat() {
    double f = rng_exp(-0.5 * kR * kR);
    x[0] = kV / f;
    x[1] = kR;
    x[kBlocks] = 0.0;
    for (int i = 2; i < kBlocks; ++i) {
      x[std::size_t(i)] = std::sqrt(-2.0 * rng_log(kV / x[std::size_t(i - 1)] + f));
      f = rng_exp(-0.5 * x[std::size_t(i)] * x[std::size_t(i)]);
    }
    for (std::size_t i = 0; i < std::size_t(kBlocks); ++i) ratio[i] = x[i + 1] / x[i];
  }
};

const Ziggurat& ziggurat() {
  static const Ziggurat tables;  // constant data, computed on first use (thread-safe)
  return tables;
}

}  // namespace

double RngStream::normal() {
  const Ziggurat& z = ziggurat();
  for (;;) {
    const std::uint64_t bits = next();
    const double u = 2.0 * (static_cast<double>(bits >> 11) * 0x1.0p-53) - 1.0;  // top 53 bits
    const auto i = static_cast<std::size_t>(bits & 0x7f);                        // low 7 bits
    if (std::abs(u) < z.ratio[i]) return u * z.x[i];                             // inside a block: ~98.8 % of draws
    if (i == 0) {                                                                // the tail beyond kR (Marsaglia 1964)
      double x = 0.0, y = 0.0;
      do {
        x = rng_log(open_uniform()) / Ziggurat::kR;
        y = rng_log(open_uniform());
      } while (-2.0 * y < x * x);
      return u < 0.0 ? x - Ziggurat::kR : Ziggurat::kR - x;
    }
    const double x = u * z.x[i];  // in a wedge: accept under the density
    const double f0 = rng_exp(-0.5 * (z.x[i] * z.x[i] - x * x));
    const double f1 = rng_exp(-0.5 * (z.x[i + 1] * z.x[i + 1] - x * x));
    if (f1 + uniform() * (f0 - f1) < 1.0) return x;
  }
}

double RngStream::open_uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

bool RngStream::bernoulli(double p) {
  if (p >= 1.0) return true;
  if (p <= 0.0) return false;
  return uniform() < p;
}

Rng Rng::for_run(std::uint64_t seed, std::uint64_t run) {
  return Rng(rng_mix_key(rng_mix_key(0x5851f42d4c957f2dULL, seed), run));
}

}  // namespace geosim
