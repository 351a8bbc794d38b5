#pragma once
/// \file
/// The simulation's random numbers: xoshiro256** with our own distributions, so
/// that the same seed gives the same numbers with every compiler and library.

#include <array>
#include <cstdint>

namespace geosim {

/// A seeded pseudo-random generator (xoshiro256**, Blackman & Vigna 2018).
/// Passed explicitly to whatever needs randomness; there is no global generator.
class Rng {
 public:
  /// Seeds the four state words from `seed` with SplitMix64.
  explicit Rng(std::uint64_t seed = 0);

  /// The stream of run `run` of an experiment seeded with `seed`: independent of
  /// how runs are scheduled across threads.
  static Rng for_run(std::uint64_t seed, std::uint64_t run);

  /// The next 64 random bits.
  std::uint64_t next();
  /// Uniform in [0, 1), with 53 random bits.
  double uniform();
  /// Uniform integer in [lo, hi] (inclusive); requires lo <= hi.
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi);
  /// Standard normal deviate (Marsaglia polar method, our own implementation).
  double normal();
  /// True with probability p.
  bool bernoulli(double p);

 private:
  std::array<std::uint64_t, 4> state_{};
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace geosim
