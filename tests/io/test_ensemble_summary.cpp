// Ensembles in bounded memory (ensemble_partial.hpp): the summaries' compaction by hand, the
// percentiles against exact ones computed independently (run by run with run_scenario), byte
// identity for any thread count and any sharding, shard files as untrusted input.
#include <gtest/gtest.h>

#include <geosim/core/ensemble.hpp>
#include <geosim/core/ensemble_merge.hpp>
#include <geosim/core/ensemble_partial.hpp>
#include <geosim/core/run.hpp>
#include <geosim/io/ensemble_shard.hpp>
#include <limits>

#include <algorithm>
#include <cstring>

#include "support/builders.hpp"

namespace geosim {
namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

using testing::noisy_pair;

/// The exact values of indicator k at step s over runs 0..runs-1, each run by run_scenario.
std::vector<std::vector<double>> exact_columns(const Scenario& s, int runs, std::uint64_t seed) {
  std::vector<std::vector<double>> columns(std::size_t(s.steps + 1) * s.indicators.size());
  for (int r = 0; r < runs; ++r) {
    const RunResult run = run_scenario(s, RunOptions{seed, std::uint64_t(r), -1});
    for (int step = 0; step <= s.steps; ++step)
      for (std::size_t k = 0; k < s.indicators.size(); ++k)
        columns[std::size_t(step) * s.indicators.size() + k].push_back(run.indicators[std::size_t(step)][k]);
  }
  for (auto& c : columns) std::sort(c.begin(), c.end());
  return columns;
}

void expect_identical(const EnsembleResult& a, const EnsembleResult& b, const std::string& what) {
  ASSERT_EQ(a.error, b.error) << what;
  ASSERT_EQ(a.bands.size(), b.bands.size()) << what;
  for (std::size_t i = 0; i < a.bands.size(); ++i)
    for (std::size_t j = 0; j < a.bands[i].p.size(); ++j)
      ASSERT_TRUE(same_bits(a.bands[i].p[j], b.bands[i].p[j])) << what << ": band " << i << " p" << j;
  ASSERT_EQ(a.mean.size(), b.mean.size()) << what;
  for (std::size_t i = 0; i < a.mean.size(); ++i) ASSERT_TRUE(same_bits(a.mean[i], b.mean[i])) << what << " mean " << i;
  ASSERT_EQ(a.thresholds.size(), b.thresholds.size()) << what;
  for (std::size_t i = 0; i < a.thresholds.size(); ++i) {
    EXPECT_EQ(a.thresholds[i].crossed_runs, b.thresholds[i].crossed_runs) << what;
    EXPECT_EQ(a.thresholds[i].median_first_step, b.thresholds[i].median_first_step) << what;
  }
  EXPECT_EQ(a.resemblance_share, b.resemblance_share) << what;
}

TEST(QuantileSummary, WeightsSplitTheRunsEvenly) {
  // 5 runs in 2 values: floor(1*5/2) - 0 = 2, then 5 - 2 = 3; a full summary weighs 1 each.
  EXPECT_EQ(summary_weight(5, 2, 0), 2);
  EXPECT_EQ(summary_weight(5, 2, 1), 3);
  EXPECT_EQ(summary_weight(7, 7, 3), 1);
}

TEST(QuantileSummary, CompactionKeepsTheMiddleOfEachPairByHand) {
  // Two exact nodes of 2048 runs: the even numbers 0..4094 and the odd ones 1..4095. Merged,
  // 0..4095 with weight 1; compacted to 2048 values of weight 2, value j stands for ranks
  // 2j and 2j + 1 and is taken at rank 2j + (2 - 1) / 2 = 2j: the value 2j.
  EnsembleNode left, right;
  left.runs = right.runs = left.size = right.size = kQuantileCapacity;
  left.sum = {1.0};
  right.sum = {2.0};
  right.index = 1;
  for (int i = 0; i < kQuantileCapacity; ++i) {
    left.values.push_back(2.0 * i);
    right.values.push_back(2.0 * i + 1);
  }
  const EnsembleNode parent = combine_nodes(left, right);
  EXPECT_EQ(parent.level, 1);
  EXPECT_EQ(parent.index, 0);
  EXPECT_EQ(parent.runs, 2 * kQuantileCapacity);
  ASSERT_EQ(parent.size, kQuantileCapacity);
  EXPECT_EQ(parent.sum, std::vector<double>{3.0});
  for (int j = 0; j < kQuantileCapacity; ++j) ASSERT_EQ(parent.values[std::size_t(j)], 2.0 * j) << j;
  // Under the capacity nothing is dropped: 3 + 2 values merge into all 5.
  EnsembleNode a, b;
  a.runs = a.size = 3;
  a.values = {1, 4, 9};
  a.sum = {14};
  b.runs = b.size = 2;
  b.values = {2, 4};
  b.sum = {6};
  b.index = 1;
  EXPECT_EQ(combine_nodes(a, b).values, (SummaryValues{1, 2, 4, 4, 9}));
}

TEST(QuantileSummary, RankErrorIsZeroTo4032RunsAndUnderAQuarterPercentToAMillion) {
  EXPECT_EQ(ensemble_rank_error(1), 0);
  EXPECT_EQ(ensemble_rank_error(4032), 0);  // 63 chunks: no node holds more than 2048 runs
  // 100,000 runs: 1,563 chunks, floor(log2) = 10, 5 compacting levels: 5 * (100000/4096 + 0.5)
  EXPECT_EQ(ensemble_rank_error(100000), 125);
  // 1,000,000 runs: 15,625 chunks, floor(log2) = 13, 8 levels: 8 * (1e6/4096 + 0.5) = 1957.1
  EXPECT_EQ(ensemble_rank_error(1000000), 1958);
}

TEST(EnsembleSummary, ExactTo4032RunsAgainstTheRunsOneByOne) {
  const Scenario s = noisy_pair(4);
  EnsembleOptions options;
  options.runs = 4032;
  options.seed = 5;
  options.threads = 2;
  const EnsembleResult e = run_ensemble(s, options);
  ASSERT_EQ(e.error, "");
  const auto exact = exact_columns(s, options.runs, options.seed);
  for (std::size_t c = 0; c < exact.size(); ++c) {
    for (std::size_t p = 0; p < kEnsemblePercentiles.size(); ++p)
      EXPECT_EQ(e.bands[c].p[p], percentile_type7(exact[c], kEnsemblePercentiles[p])) << c << " p" << p;
    double sum = 0.0;
    for (double v : exact[c]) sum += v;
    EXPECT_NEAR(e.mean[c], sum / options.runs, 1e-12) << c;
  }
}

TEST(EnsembleSummary, PercentilesOf100000RunsAreWithinTheDocumentedRankError) {
  const Scenario s = noisy_pair(3);
  EnsembleOptions options;
  options.runs = 100000;
  options.seed = 9;
  options.threads = 2;
  const EnsembleResult e = run_ensemble(s, options);
  ASSERT_EQ(e.error, "");
  const auto exact = exact_columns(s, options.runs, options.seed);
  const std::int64_t error = ensemble_rank_error(options.runs);
  ASSERT_GT(error, 0);
  const auto n = std::int64_t(options.runs);
  int differs = 0;
  for (std::size_t c = 0; c < exact.size(); ++c)
    for (std::size_t p = 0; p < kEnsemblePercentiles.size(); ++p) {
      const double h = double(n - 1) * kEnsemblePercentiles[p] / 100.0;
      const auto lo = std::int64_t(std::floor(h)), hi = std::int64_t(std::ceil(h));
      const double low = exact[c][std::size_t(std::max<std::int64_t>(0, lo - error))];
      const double high = exact[c][std::size_t(std::min(n - 1, hi + error))];
      const double v = e.bands[c].p[p];
      EXPECT_GE(v, low) << "column " << c << " p" << kEnsemblePercentiles[p];
      EXPECT_LE(v, high) << "column " << c << " p" << kEnsemblePercentiles[p];
      if (v != percentile_type7(exact[c], kEnsemblePercentiles[p])) ++differs;
    }
  EXPECT_GT(differs, 0) << "beyond 4,032 runs the summary is compacted, not exact";
}

TEST(EnsembleSummary, IdenticalForAnyThreadCountAndAnySharding) {
  Scenario s = noisy_pair(6);
  EnsembleOptions options;
  options.runs = 5000;  // 79 chunks: a compacted node of 64 chunks and a ragged end
  options.seed = 3;
  options.parameter_sd = 0.1;
  const std::vector<EnsembleReference> refs{{"low", {0.2, 0.2}}, {"high", {0.6, 0.6}}};
  options.threads = 1;
  const EnsembleResult one = run_ensemble(s, options, refs);
  ASSERT_EQ(one.error, "");
  for (int threads : {2, 3}) {
    options.threads = threads;
    expect_identical(one, run_ensemble(s, options, refs), std::to_string(threads) + " threads");
  }
  const std::int64_t chunks = ensemble_chunks(options.runs);
  for (int shards : {2, 3, 7, 100}) {
    std::vector<EnsemblePart> parts;
    for (int k = shards - 1; k >= 0; --k) {  // handed over in reverse: order does not matter
      const auto [first, end] = shard_chunks(chunks, k, shards);
      options.threads = 1 + k % 2;
      // each shard through its file's bytes, as `ensemble merge` reads it
      const std::string bytes = encode_shard(run_ensemble_part(s, options, refs, first, end), ShardOrigin{});
      ShardOrigin origin;
      std::string error;
      auto part = decode_shard(bytes, origin, error);
      ASSERT_TRUE(part) << error;
      parts.push_back(std::move(*part));
    }
    expect_identical(one, finish_ensemble(s, std::move(parts)), std::to_string(shards) + " shards");
  }
}

TEST(EnsembleSummary, TheNodesLeftAreTheBinaryDecompositionOfTheChunks) {
  // 5000 runs = 79 chunks = 64 + 8 + 4 + 2 + 1: five nodes, of levels 6, 3, 2, 1, 0, in order.
  EnsembleOptions options;
  options.runs = 5000;
  options.threads = 3;
  const EnsemblePart part = run_ensemble_part(noisy_pair(1), options, {}, 0, 79);
  ASSERT_EQ(part.nodes.size(), 5u);
  const int levels[] = {6, 3, 2, 1, 0};
  const std::int64_t runs[] = {4096, 512, 256, 128, 5000 - 78 * 64};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(part.nodes[i].level, levels[i]) << i;
    EXPECT_EQ(part.nodes[i].runs, runs[i]) << i;
    EXPECT_EQ(part.nodes[i].size, std::min<std::int64_t>(runs[i], kQuantileCapacity)) << i;
  }
}

TEST(EnsembleSummary, PartsThatDoNotCoverTheRunsOnceAreRefused) {
  const Scenario s = noisy_pair(2);
  EnsembleOptions options;
  options.runs = 300;  // 5 chunks
  auto part = [&](std::int64_t first, std::int64_t end) { return run_ensemble_part(s, options, {}, first, end); };
  EXPECT_EQ(finish_ensemble(s, {part(0, 2), part(3, 5)}).error, "chunks 2 to 2 (runs from 128) are missing");
  EXPECT_EQ(finish_ensemble(s, {part(0, 3), part(2, 5)}).error, "chunk 2 is covered twice");
  EXPECT_EQ(finish_ensemble(s, {part(0, 4)}).error, "chunks 4 to 4 (runs from 256) are missing");
  options.seed = 2;
  EXPECT_NE(finish_ensemble(s, {part(0, 2), run_ensemble_part(s, EnsembleOptions{}, {}, 2, 5)}).error, "");
  EXPECT_EQ(finish_ensemble(s, {part(0, 2), part(2, 5)}).error, "");
}

// Each error says which part (as passed, in any order) it is about, so that a merge names that
// shard's file: the part after a gap (the last one for a gap at the end), the one covering a
// chunk twice, the one of another ensemble, the one whose run failed; none without an error.
TEST(EnsembleSummary, AnErrorNamesThePartItIsAbout) {
  const Scenario s = noisy_pair(2);
  EnsembleOptions options;
  options.runs = 300;  // 5 chunks
  auto part = [&](std::int64_t first, std::int64_t end) { return run_ensemble_part(s, options, {}, first, end); };
  EXPECT_EQ(finish_ensemble(s, {part(3, 5), part(0, 2)}).error_part, 0);  // chunk 2 missing before it
  EXPECT_EQ(finish_ensemble(s, {part(2, 5), part(0, 3)}).error_part, 0);  // chunk 2 twice
  EXPECT_EQ(finish_ensemble(s, {part(2, 4), part(0, 2)}).error_part, 0);  // chunk 4 missing at the end
  EXPECT_EQ(finish_ensemble(s, {part(0, 2), part(2, 5), part(5, 5)}).error_part, -1);
  EnsembleOptions other = options;
  other.seed = 9;
  EXPECT_EQ(finish_ensemble(s, {part(2, 5), run_ensemble_part(s, other, {}, 0, 2)}).error_part, 0)
      << "the first in chunk order is the yardstick: the other one differs";
  EnsemblePart failed = part(2, 5);
  failed.failed_run = 130;
  failed.error = "run 130: a tension out of range";
  const EnsembleResult result = finish_ensemble(s, {part(0, 2), std::move(failed)});
  EXPECT_EQ(result.error, "run 130: a tension out of range");
  EXPECT_EQ(result.error_part, 1);
}

TEST(EnsembleSummary, PerRunSeriesArriveInRunOrderAndAreTheRuns) {
  const Scenario s = noisy_pair(3);
  EnsembleOptions options;
  options.runs = 300;
  options.seed = 4;
  options.threads = 3;
  std::vector<int> firsts;
  std::vector<double> series;
  options.per_run = [&](int first, int count, const double* values) {
    firsts.push_back(first);
    series.insert(series.end(), values, values + std::size_t(count) * 4 * 2);
  };
  ASSERT_EQ(run_ensemble(s, options).error, "");
  EXPECT_EQ(firsts, (std::vector<int>{0, 64, 128, 192, 256}));
  ASSERT_EQ(series.size(), std::size_t(300 * 4 * 2));
  for (int r : {0, 77, 299}) {
    const RunResult run = run_scenario(s, RunOptions{4, std::uint64_t(r), -1});
    for (int step = 0; step <= 3; ++step)
      for (std::size_t k = 0; k < 2; ++k)
        EXPECT_EQ(series[(std::size_t(r) * 4 + std::size_t(step)) * 2 + k], run.indicators[std::size_t(step)][k]);
  }
}

TEST(EnsembleShardFile, EveryTruncationAndACorruptedValueAreRefused) {
  const Scenario s = noisy_pair(2);
  EnsembleOptions options;
  options.runs = 130;
  const ShardOrigin origin{"pair", {"calm"}, 42, 2, 3, {}, "", {}, {}};
  const std::string bytes = encode_shard(run_ensemble_part(s, options, {}, 1, 3), origin);
  ShardOrigin back;
  std::string error;
  const auto part = decode_shard(bytes, back, error);
  ASSERT_TRUE(part) << error;
  EXPECT_EQ(back.scenario, "pair");
  EXPECT_EQ(back.policies, std::vector<std::string>{"calm"});
  EXPECT_EQ(back.fingerprint, 42u);
  EXPECT_EQ(back.shard, 2);
  EXPECT_EQ(encode_shard(*part, back), bytes) << "decoding loses nothing";
  for (std::size_t cut = 0; cut < bytes.size(); cut += 7) {
    ShardOrigin o;
    std::string e;
    EXPECT_FALSE(decode_shard(std::string_view(bytes).substr(0, cut), o, e)) << cut;
    EXPECT_FALSE(e.empty());
  }
  // Any flipped bit is refused by the checksum, as damage.
  ShardOrigin o;
  for (std::size_t at : {std::size_t(9), bytes.size() / 2, bytes.size() - 20, bytes.size() - 1}) {
    std::string flipped = bytes;
    flipped[at] = char(flipped[at] ^ 0x10);
    EXPECT_FALSE(decode_shard(flipped, o, error)) << at;
    EXPECT_EQ(error,
              "damaged or cut short (its checksum does not match its bytes): write it again with the same "
              "`ensemble --shard K/N` command");
  }
  // A file written whole with a checksum of its own, but values no ensemble makes (a tension's
  // indicator is in [0, 1], its sum over the runs in [0, runs]): refused, not merged into a
  // percentile of -5 or a mean of NaN.
  for (const double bad : {-5.0, 1.5, std::numeric_limits<double>::quiet_NaN()}) {
    EnsemblePart values = *part, sums = *part;
    values.nodes.front().values[0] = bad;
    EXPECT_FALSE(decode_shard(encode_shard(values, back), o, error)) << bad;
    EXPECT_EQ(error, "a summary whose values are not in [0, 1] and ascending");
    sums.nodes.front().sum[0] = bad * double(sums.nodes.front().runs);
    EXPECT_FALSE(decode_shard(encode_shard(sums, back), o, error)) << bad;
    EXPECT_EQ(error, "a summary whose sums are not of values in [0, 1]");
  }
  // Without a checksum (version 3, nor the held runs' count of version 5), the values are still
  // checked: the last column's last two values (before the 36 bytes of ranges, note and
  // settings), out of order.
  std::string v3 = "GSSHARD3" + bytes.substr(8, bytes.size() - 24);
  ASSERT_TRUE(decode_shard(v3, o, error)) << error;
  const std::size_t last = v3.size() - 36 - 8;
  ASSERT_NE(v3.substr(last - 8, 8), v3.substr(last, 8)) << "two different values to swap";
  std::swap_ranges(v3.begin() + std::ptrdiff_t(last - 8), v3.begin() + std::ptrdiff_t(last),
                   v3.begin() + std::ptrdiff_t(last));
  EXPECT_FALSE(decode_shard(v3, o, error));
  EXPECT_EQ(error, "a summary whose values are not in [0, 1] and ascending");
  // Without the checksum, the reader's own bounds refuse every cut, read whole or skimmed.
  const std::string whole_v3 = "GSSHARD3" + bytes.substr(8, bytes.size() - 24);
  for (std::size_t cut = 0; cut < whole_v3.size(); cut += 7)
    for (bool keep_nodes : {true, false}) {
      std::string e;
      EXPECT_FALSE(decode_shard(std::string_view(whole_v3).substr(0, cut), o, e, keep_nodes)) << cut;
      EXPECT_FALSE(e.empty()) << cut;
    }
  // Cut short inside its counts, a version 3 file says so.
  EXPECT_FALSE(decode_shard(std::string_view(v3).substr(0, 200), o, error));
  EXPECT_EQ(error.substr(0, 21), "truncated or corrupt ");
  EXPECT_FALSE(decode_shard("GSSHARD1" + std::string(8, '\xff'), o, error));
}

TEST(EnsembleShardFile, TheRangesOfVaryTravelWithTheShard) {
  const Scenario s = noisy_pair(2);
  EnsembleOptions options;
  options.runs = 70;
  const ShardOrigin origin{"pair", {}, 7, 1, 2, {"restraint=0.02..0.1", "spillover=0..0.2"}, "", {}, {}};
  const std::string bytes = encode_shard(run_ensemble_part(s, options, {}, 0, 1), origin);
  ShardOrigin back;
  std::string error;
  const auto part = decode_shard(bytes, back, error);
  ASSERT_TRUE(part) << error;
  EXPECT_EQ(back.vary, origin.vary);
  EXPECT_EQ(encode_shard(*part, back), bytes);
  const std::string without = encode_shard(*part, ShardOrigin{"pair", {}, 7, 1, 2, {}, "", {}, {}});
  for (std::size_t cut = without.size() + 1; cut < bytes.size(); ++cut) {  // inside the ranges
    ShardOrigin o;
    EXPECT_FALSE(decode_shard(std::string_view(bytes).substr(0, cut), o, error)) << cut;
  }
}

TEST(EnsembleShardFile, TheNoteAndSettingsTravelWithTheShardAndOlderVersionsStillRead) {
  const Scenario s = noisy_pair(2);
  EnsembleOptions options;
  options.runs = 70;
  const std::string note = "resemblance not computed: 'x' lacks some of pair's indicators";
  ShardOrigin origin{"pair", {}, 7, 1, 2, {}, note, {}, {}};
  origin.settings = {"restraint.A=0.1", "spillover=0"};
  const EnsemblePart made = run_ensemble_part(s, options, {}, 0, 1);
  const std::string bytes = encode_shard(made, origin);
  ASSERT_EQ(bytes.substr(0, 8), "GSSHARD5");
  ShardOrigin back;
  std::string error;
  const auto part = decode_shard(bytes, back, error);
  ASSERT_TRUE(part) << error;
  EXPECT_EQ(back.note, note);
  EXPECT_EQ(back.settings, origin.settings);
  EXPECT_EQ(encode_shard(*part, back), bytes) << "decoding loses nothing";
  // A version 4 file, as the binaries before the held runs' count wrote it: version 5 without
  // the count, with the CRC-32 of what is left. It decodes to the same part (no runs held).
  std::string v4 = "GSSHARD4" + bytes.substr(8, bytes.size() - 24);
  const std::uint64_t crc = shard_checksum(v4);
  for (int b = 0; b < 8; ++b) v4 += char((crc >> (8 * b)) & 0xff);
  ShardOrigin fourth;
  const auto v4_part = decode_shard(v4, fourth, error);
  ASSERT_TRUE(v4_part) << error;
  EXPECT_EQ(v4_part->held_runs, 0);
  EXPECT_FALSE(v4_part->held_counted) << "not counted: unknown, not none";
  EXPECT_TRUE(part->held_counted);
  EXPECT_EQ(encode_shard(*v4_part, fourth), bytes);
  // A version 3 file, as the binaries before the checksum wrote it: version 4 without the
  // checksum at the end. It decodes to the same part.
  const std::string v3 = "GSSHARD3" + bytes.substr(8, bytes.size() - 24);
  ShardOrigin third;
  const auto v3_part = decode_shard(v3, third, error);
  ASSERT_TRUE(v3_part) << error;
  EXPECT_EQ(third.settings, origin.settings);
  EXPECT_EQ(encode_shard(*v3_part, third), bytes);
  // A version 2 file, as the binaries before --set on ensembles wrote it: version 3 without
  // the settings count at the end. It decodes to the same part, without settings.
  const std::string no_settings(8, '\0');
  const std::string plain = encode_shard(made, ShardOrigin{"pair", {}, 7, 1, 2, {}, "", {}, {}});
  ASSERT_EQ(plain.substr(plain.size() - 24, 8), no_settings);
  const std::string v2 = "GSSHARD2" + plain.substr(8, plain.size() - 32);
  ShardOrigin older;
  const auto v2_part = decode_shard(v2, older, error);
  ASSERT_TRUE(v2_part) << error;
  EXPECT_TRUE(older.settings.empty());
  EXPECT_EQ(encode_shard(*v2_part, older), plain);
  // A version 1 file, as the earlier binaries wrote it: "GSSHARD1", the nodes, no ranges
  // section without ranges and no note. It decodes to the same part, without a note.
  const std::string tail = std::string("VARY") + std::string(8, '\0') + std::string(8, '\0') + no_settings;
  ASSERT_EQ(plain.substr(plain.size() - 16 - tail.size(), tail.size()), tail);
  const std::string v1 = "GSSHARD1" + plain.substr(8, plain.size() - 8 - tail.size() - 16);
  ShardOrigin old;
  const auto old_part = decode_shard(v1, old, error);
  ASSERT_TRUE(old_part) << error;
  EXPECT_EQ(old.note, "");
  EXPECT_EQ(encode_shard(*old_part, old), plain);
  // Version 3 without its ranges, note and settings is a truncated file, said so; so is one
  // cut inside its settings.
  EXPECT_FALSE(decode_shard("GSSHARD3" + v1.substr(8), old, error));
  EXPECT_EQ(error, "truncated (its ranges, note and settings are missing)");
  EXPECT_FALSE(decode_shard(std::string_view(bytes).substr(0, bytes.size() - 3), old, error));
  EXPECT_FALSE(decode_shard("GSSHARD8" + v1.substr(8), old, error));
  EXPECT_EQ(error,
            "not a geosim shard file (it does not start with GSSHARD7, or GSSHARD6, GSSHARD5, GSSHARD4, GSSHARD3, "
            "GSSHARD2 or GSSHARD1 of older versions)");
}

// The count of runs that held a baseline travels with a shard, and a count past the shard's own
// runs is refused (the bytes re-checksummed, so the count itself is what is refused).
TEST(EnsembleShardFile, TheHeldRunsCountTravelsAndIsBounded) {
  const Scenario s = noisy_pair(2);
  EnsembleOptions options;
  options.runs = 70;
  EnsemblePart made = run_ensemble_part(s, options, {}, 0, 1);
  made.held_runs = 17;
  const ShardOrigin origin{"pair", {}, 7, 1, 2, {}, "", {}, {}};
  const std::string bytes = encode_shard(made, origin);
  ShardOrigin back;
  std::string error;
  const auto part = decode_shard(bytes, back, error);
  ASSERT_TRUE(part) << error;
  EXPECT_EQ(part->held_runs, 17);
  // Merged with a part of an earlier version, the count is a lower bound, and said to be.
  EnsembleMerge merge;
  EnsemblePart counted = *part, uncounted = run_ensemble_part(s, options, {}, 1, 2);
  uncounted.held_counted = false;
  ASSERT_EQ(merge.add(std::move(counted)), "");
  ASSERT_EQ(merge.add(std::move(uncounted)), "");
  const EnsembleResult merged = merge.finish(s);
  ASSERT_EQ(merged.error, "");
  EXPECT_EQ(merged.held_runs, 17);
  EXPECT_FALSE(merged.held_counted);
  made.held_runs = 65;  // the first chunk holds 64 runs
  EXPECT_FALSE(decode_shard(encode_shard(made, origin), back, error));
  EXPECT_EQ(error, "a count of held runs out of its runs");
  made.held_runs = -1;
  EXPECT_FALSE(decode_shard(encode_shard(made, origin), back, error));
}

// A scenario without indicators has no columns: its shards still encode, decode and merge.
TEST(EnsembleShardFile, AnEnsembleWithoutIndicatorsShardsAndMerges) {
  Scenario s = noisy_pair(2);
  s.indicators.clear();
  EnsembleOptions options;
  options.runs = 100;
  const std::string bytes =
      encode_shard(run_ensemble_part(s, options, {}, 0, 2), ShardOrigin{"pair", {}, 7, 1, 1, {}, "", {}, {}});
  ShardOrigin back;
  std::string error;
  auto part = decode_shard(bytes, back, error);
  ASSERT_TRUE(part) << error;
  std::vector<EnsemblePart> parts;
  parts.push_back(std::move(*part));
  const EnsembleResult result = finish_ensemble(s, std::move(parts));
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.runs, 100);
  EXPECT_TRUE(result.bands.empty());
}

TEST(EnsembleShardFile, TheChecksumIsZlibsCrc32) {
  // The published check value of the CRC-32 (ISO-HDLC) of "123456789", and of nothing.
  EXPECT_EQ(shard_checksum("123456789"), 0xCBF43926u);
  EXPECT_EQ(shard_checksum(""), 0u);
}

TEST(EnsembleShardFile, SkimmedItReadsTheSameHeaderWithoutTheNodes) {
  const Scenario s = noisy_pair(2);
  EnsembleOptions options;
  options.runs = 200;
  const EnsemblePart made = run_ensemble_part(s, options, {}, 1, 4);
  ASSERT_FALSE(made.nodes.empty());
  const std::string bytes =
      encode_shard(made, ShardOrigin{"pair", {}, 7, 2, 2, {"spillover=0..0.2"}, "n", {"x=1"}, {}});
  ShardOrigin whole_origin, skim_origin;
  std::string error;
  const auto whole = decode_shard(bytes, whole_origin, error);
  ASSERT_TRUE(whole) << error;
  const auto skim = decode_shard(bytes, skim_origin, error, false);
  ASSERT_TRUE(skim) << error;
  EXPECT_TRUE(skim->nodes.empty());
  EXPECT_EQ(skim->first_chunk, 1);
  EXPECT_EQ(skim->end_chunk, 4);
  EXPECT_EQ(skim->first_crossing, whole->first_crossing);
  EXPECT_EQ(skim_origin.vary, whole_origin.vary);
  EXPECT_EQ(skim_origin.note, "n");
  EXPECT_EQ(skim_origin.settings, whole_origin.settings);
}

}  // namespace
}  // namespace geosim
