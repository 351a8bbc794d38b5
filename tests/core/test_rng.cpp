#include <geosim/core/rng.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <vector>

using geosim::Rng;

namespace {

std::vector<std::uint64_t> draws(Rng rng, int n) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(rng.next());
  return out;
}

}  // namespace

TEST(Rng, SameSeedGivesSameSequence) {
  EXPECT_EQ(draws(Rng(7), 100), draws(Rng(7), 100));
  EXPECT_NE(draws(Rng(7), 100), draws(Rng(8), 100));
}

// The published SplitMix64 reference (Vigna, splitmix64.c) started at 0: its first outputs.
TEST(Rng, GoldenSplitMix64FromZero) {
  const std::uint64_t expected[] = {0xe220a8397b1dcdafULL, 0x6e789e6aa1b965f4ULL, 0x06c45d188009454fULL,
                                    0xf88bb8a8724c81ecULL, 0x1b39896a51a8749bULL};
  Rng rng(0);
  for (std::uint64_t e : expected) EXPECT_EQ(rng.next(), e);
}

// Produced once by an independent Python reimplementation of SplitMix64 (arbitrary-precision
// ints masked to 64 bits): (next() >> 11) * 2^-53 for the first three outputs from 42.
TEST(Rng, GoldenUniformFrom42) {
  Rng rng(42);
  EXPECT_EQ(rng.uniform(), 0.7415648787718233);
  EXPECT_EQ(rng.uniform(), 0.1599103928769201);
  EXPECT_EQ(rng.uniform(), 0.27860113025513866);
}

// The ziggurat's deviates against the normal distribution function (std::erfc, independent of
// our code): a chi-square test over 40 equiprobable-ish bins of 400,000 draws, tails included,
// and the tail beyond the ziggurat's base (|z| > 3.4426, where the slow path draws).
TEST(Rng, NormalFollowsTheNormalDistributionFunction) {
  Rng rng(11);
  const int n = 400000, bins = 40;
  std::vector<double> edges;  // -4, -3.8, ..., 4 and the two tails
  for (int b = 0; b <= bins; ++b) edges.push_back(-4.0 + 8.0 * b / bins);
  std::vector<int> counts(std::size_t(bins) + 2, 0);
  int beyond_base = 0;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    beyond_base += std::abs(z) > 3.442619855899;
    const auto at = std::upper_bound(edges.begin(), edges.end(), z) - edges.begin();
    ++counts[std::size_t(at)];
  }
  auto phi = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
  double chi2 = 0.0;
  int cells = 0;
  for (std::size_t c = 0; c < counts.size(); ++c) {
    const double lo = c == 0 ? -INFINITY : edges[c - 1], hi = c == counts.size() - 1 ? INFINITY : edges[c];
    const double expected = n * (phi(hi) - phi(lo));
    if (expected < 5) continue;
    chi2 += (counts[c] - expected) * (counts[c] - expected) / expected;
    ++cells;
  }
  // about 39 degrees of freedom: P(chi2 > 80) < 1e-4.
  EXPECT_LT(chi2, 80.0) << cells << " cells";
  const double tail = 2.0 * phi(-3.442619855899) * n;  // about 230
  EXPECT_NEAR(beyond_base, tail, 5.0 * std::sqrt(tail));
}

// Distance in units in the last place between two finite positive doubles.
static std::uint64_t ulps(double a, double b) {
  std::uint64_t x = 0, y = 0;
  std::memcpy(&x, &a, sizeof x);
  std::memcpy(&y, &b, sizeof y);
  return x > y ? x - y : y - x;
}

// Our logarithm against the C library's (an independent implementation, nearly always
// correctly rounded): within 1 ulp everywhere the polar method uses it, (0, 1), and beyond.
TEST(Rng, OwnLogIsWithinOneUlpOfTheLibrary) {
  Rng rng(9);
  std::uint64_t worst = 0;
  for (int i = 0; i < 200000; ++i) {
    const double x = rng.uniform() + 0x1.0p-60;
    worst = std::max(worst, ulps(geosim::rng_log(x), std::log(x)));
    const double wide = std::ldexp(0.5 + rng.uniform(), int(rng.uniform_int(-1060, 1000)));
    worst = std::max(worst, ulps(std::abs(geosim::rng_log(wide)), std::abs(std::log(wide))));
  }
  EXPECT_LE(worst, 1u);
  EXPECT_EQ(geosim::rng_log(1.0), 0.0);
  EXPECT_EQ(geosim::rng_log(2.0), 0x1.62e42fefa39efp-1);  // ln 2 correctly rounded
  EXPECT_EQ(geosim::rng_log(0.5), -0x1.62e42fefa39efp-1);
  EXPECT_TRUE(std::isnan(geosim::rng_log(0.0)));
  EXPECT_TRUE(std::isnan(geosim::rng_log(-1.0)));
}

// Our exponential likewise, over the range where e^x is a normal number.
TEST(Rng, OwnExpIsWithinOneUlpOfTheLibrary) {
  Rng rng(10);
  std::uint64_t worst = 0;
  for (int i = 0; i < 200000; ++i) {
    const double wide = (2.0 * rng.uniform() - 1.0) * 700.0, narrow = (2.0 * rng.uniform() - 1.0) * 3.0;
    worst =
        std::max({worst, ulps(geosim::rng_exp(wide), std::exp(wide)), ulps(geosim::rng_exp(narrow), std::exp(narrow))});
  }
  EXPECT_LE(worst, 1u);
  EXPECT_EQ(geosim::rng_exp(0.0), 1.0);
  EXPECT_EQ(geosim::rng_exp(-800.0), 0.0);
  EXPECT_TRUE(std::isinf(geosim::rng_exp(800.0)));
  EXPECT_TRUE(std::isnan(geosim::rng_exp(std::nan(""))));
}

// Keys: the purpose and every part (in order) change the stream; the same key, the same stream.
TEST(Rng, KeyedStreamsDependOnPurposeAndEveryPart) {
  const Rng run = Rng::for_run(1, 0);
  using geosim::RngPurpose;
  const std::uint64_t a = geosim::rng_name_key("VNM"), b = geosim::rng_name_key("USA");
  std::set<std::uint64_t> keys{run.key_for(RngPurpose::noise, 3, a, b),
                               run.key_for(RngPurpose::noise, 3, b, a),
                               run.key_for(RngPurpose::noise, 4, a, b),
                               run.key_for(RngPurpose::fire, 3, a, b),
                               Rng::for_run(1, 1).key_for(RngPurpose::noise, 3, a, b),
                               Rng::for_run(2, 0).key_for(RngPurpose::noise, 3, a, b)};
  EXPECT_EQ(keys.size(), 6u);
  EXPECT_EQ(run.key_for(RngPurpose::noise, 3, a, b), Rng::for_run(1, 0).key_for(RngPurpose::noise, 3, a, b));
  EXPECT_EQ(draws(Rng(run.key_for(RngPurpose::window, a)), 4).front(), run.stream(RngPurpose::window, a).next());
  EXPECT_NE(geosim::rng_name_key("ab"), geosim::rng_name_key("ba"));
  EXPECT_NE(geosim::rng_name_key(""), geosim::rng_name_key(std::string(1, '\0')));
}

TEST(Rng, RunStreamsAreReproducibleAndDistinct) {
  std::set<std::vector<std::uint64_t>> seen;
  for (std::uint64_t r = 0; r < 50; ++r) {
    const auto a = draws(Rng::for_run(123, r), 8);
    EXPECT_EQ(a, draws(Rng::for_run(123, r), 8));
    seen.insert(a);
  }
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_NE(draws(Rng::for_run(123, 0), 8), draws(Rng::for_run(124, 0), 8));
}

TEST(Rng, UniformIsInHalfOpenUnitInterval) {
  Rng rng(1);
  double lo = 1.0, hi = 0.0, sum = 0.0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
  }
  EXPECT_LT(lo, 1e-3);
  EXPECT_GT(hi, 1.0 - 1e-3);
  EXPECT_NEAR(sum / n, 0.5, 0.01);
}

TEST(Rng, UniformIntCoversRangeWithoutBias) {
  Rng rng(2);
  const std::int64_t lo = -3, hi = 6;  // 10 bins
  std::vector<int> counts(10, 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const std::int64_t x = rng.uniform_int(lo, hi);
    ASSERT_GE(x, lo);
    ASSERT_LE(x, hi);
    ++counts[std::size_t(x - lo)];
  }
  const double expected = n / 10.0;
  double chi2 = 0.0;
  for (int c : counts) {
    EXPECT_GT(c, 0);
    chi2 += (c - expected) * (c - expected) / expected;
  }
  // 9 degrees of freedom: P(chi2 > 27.9) ~ 0.001.
  EXPECT_LT(chi2, 27.9);
}

TEST(Rng, UniformIntSingleValueAndWideRanges) {
  Rng rng(3);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(rng.uniform_int(5, 5), 5);
  // A span that does not divide 2^64 (3 * 2^62): the top bin must not be favoured.
  const std::int64_t hi = std::int64_t(3) << 61;  // [0, 3*2^61] has 3*2^61+1 values
  int upper_third = 0;
  const int n = 30000;
  for (int i = 0; i < n; ++i) {
    const std::int64_t x = rng.uniform_int(0, hi);
    ASSERT_GE(x, 0);
    ASSERT_LE(x, hi);
    if (x >= (std::int64_t(2) << 61)) ++upper_third;
  }
  EXPECT_NEAR(upper_third / double(n), 1.0 / 3.0, 0.02);
}

TEST(Rng, NormalHasMeanZeroAndUnitSd) {
  Rng rng(4);
  const int n = 100000;
  double sum = 0.0, sum2 = 0.0;
  int beyond2 = 0;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    sum += z;
    sum2 += z * z;
    if (std::abs(z) > 2.0) ++beyond2;
  }
  const double mean = sum / n;
  const double sd = std::sqrt(sum2 / n - mean * mean);
  EXPECT_NEAR(mean, 0.0, 0.02);
  EXPECT_NEAR(sd, 1.0, 0.02);
  EXPECT_NEAR(beyond2 / double(n), 0.0455, 0.005);  // two-sided 2-sigma tail
}

TEST(Rng, BernoulliExtremesAndRate) {
  Rng rng(5);
  int hits = 0;
  for (int i = 0; i < 10000; ++i) {
    EXPECT_FALSE(rng.bernoulli(0.0));
    EXPECT_TRUE(rng.bernoulli(1.0));
    hits += rng.bernoulli(0.3);
  }
  EXPECT_NEAR(hits / 10000.0, 0.3, 0.03);
}
