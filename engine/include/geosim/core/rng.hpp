#pragma once
/// \file
/// The simulation's random numbers: common random numbers keyed by what they are for.
///
/// Every random number of a run is drawn from a stream whose key is made of the run's key
/// (seed, run index), a purpose (RngPurpose) and the stable names of what it is for: the event
/// id, the parent's and the follow-up's ids, an effect's position within its event, the pair of
/// actor ids, the step. No key contains an index that shifts when an actor, an event or a
/// policy is added, and no stream is shared by two purposes, so adding a policy, an unrelated
/// event or actor, or a facilitator's inject changes no other draw (docs/model.md, "Random
/// numbers").
///
/// A stream is SplitMix64 (Steele, Lea & Flood 2014) started at its key: the i-th output is
/// mix(key + i * golden gamma), a counter-based generator, so a stream costs nothing to open.
/// The distributions are our own, built from IEEE 754 basic operations only (+, -, *, / and
/// sqrt, all correctly rounded) and our own logarithm and exponential (rng_log, rng_exp), never
/// the C library's: the
/// same seed gives bit-identical numbers with every compiler and library that implements
/// binary64 arithmetic with round-to-nearest, without extended precision (x86-64 SSE2, AArch64)
/// and without contracting a*b+c into a fused multiply-add (rng.cpp turns contraction off
/// itself for GCC and Clang; other compilers need their equivalent of -ffp-contract=off).

#include <cstdint>
#include <string_view>

namespace geosim {

/// What a stream is for: part of every stream's key, so two purposes never share numbers.
enum class RngPurpose : std::uint64_t {
  window = 1,      ///< a window event's step: (event id)
  fire = 2,        ///< whether a due event fires: (due key)
  effect = 3,      ///< an effect's uncertain size: (due key, effect position, field)
  follow_up = 4,   ///< whether a follow-up is scheduled: (parent's due key, follow-up id, ordinal)
  noise = 5,       ///< tension noise: (step, pair of actor ids)
  reschedule = 6,  ///< a moved window event's new step in `play`: (event id, step of the move)
  parameters = 7,  ///< an ensemble run's parameter jitter: (actor id)
  roll = 8,        ///< a facilitator's `roll EVENT` in `play`: (event id, step, ordinal of the roll there)
  vary = 9,        ///< an ensemble's Latin hypercube over `--vary` ranges: (parameter name, part)
};

/// A 64-bit key of a name (FNV-1a over its bytes, then mixed): the same on every platform.
std::uint64_t rng_name_key(std::string_view name);

/// `key` with `part` mixed in (a bijection of `part` for a fixed `key`, then SplitMix64's mix).
std::uint64_t rng_mix_key(std::uint64_t key, std::uint64_t part);

/// Natural logarithm of x > 0 (fdlibm's algorithm, within 1 ulp), from IEEE basic operations
/// only: the same bits everywhere, unlike std::log. x <= 0 or NaN gives NaN; +inf gives +inf.
double rng_log(double x);

/// e^x (fdlibm's algorithm, within 1 ulp) from IEEE basic operations only, like rng_log; gives
/// 0 below -708 and +inf above 709 (where e^x is subnormal or overflows). For draws that need it
/// (an ensemble's lognormal parameter jitter).
double rng_exp(double x);

/// One keyed stream of random numbers (see the file comment). Open it, draw what the purpose
/// needs, drop it; never keep it across purposes.
class RngStream {
 public:
  explicit RngStream(std::uint64_t key) : state_(key) {}

  /// The next 64 random bits.
  std::uint64_t next();
  /// Uniform in [0, 1), with 53 random bits.
  double uniform();
  /// Uniform integer in [lo, hi] (inclusive); requires lo <= hi.
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi);
  /// Uniform in (0, 1): never 0, for a logarithm.
  double open_uniform();
  /// Standard normal deviate: the ziggurat method (Marsaglia & Tsang 2000, Doornik 2005), one
  /// 64-bit draw in about 98.8 % of calls; its tables and rare tail and wedge tests use rng_log
  /// and rng_exp.
  double normal();
  /// True with probability p.
  bool bernoulli(double p);

 private:
  std::uint64_t state_;
};

/// The random numbers of one run: a key from which the run's keyed streams are opened.
/// Passed explicitly to whatever needs randomness; there is no global generator. The engine
/// receives it as `const Rng&`, so it can only open keyed streams, in any order; the
/// sequential draws (next, uniform, ...) are for tests and tools that want one plain stream.
class Rng {
 public:
  /// A run keyed directly by `key` (Rng::for_run(seed, 0) is the usual way to get one).
  explicit Rng(std::uint64_t key = 0) : key_(key), sequential_(key) {}

  /// Run `run` of an experiment seeded with `seed`: independent of how runs are scheduled
  /// across threads, and run r of two experiments with the same seed draws the same numbers
  /// for the same purposes (common random numbers).
  static Rng for_run(std::uint64_t seed, std::uint64_t run);

  /// This run's key.
  std::uint64_t key() const { return key_; }

  /// The key of the stream for `purpose` named by `parts` (in order).
  template <typename... Parts>
  std::uint64_t key_for(RngPurpose purpose, Parts... parts) const {
    std::uint64_t k = rng_mix_key(key_, static_cast<std::uint64_t>(purpose));
    ((k = rng_mix_key(k, static_cast<std::uint64_t>(parts))), ...);
    return k;
  }

  /// The stream for `purpose` named by `parts`.
  template <typename... Parts>
  RngStream stream(RngPurpose purpose, Parts... parts) const {
    return RngStream(key_for(purpose, parts...));
  }

  /// Sequential draws from the plain stream RngStream(key()), for tests and tools.
  std::uint64_t next() { return sequential_.next(); }
  double uniform() { return sequential_.uniform(); }
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi) { return sequential_.uniform_int(lo, hi); }
  double normal() { return sequential_.normal(); }
  bool bernoulli(double p) { return sequential_.bernoulli(p); }

 private:
  std::uint64_t key_ = 0;
  RngStream sequential_;
};

}  // namespace geosim
