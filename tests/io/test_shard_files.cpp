// A shard carries a fingerprint of the bytes of every file its scenario was read from (version
// 6) and the model revision of the geosim that made it (version 7), so that `ensemble merge` refuses shards of a
// scenario edited between them or since, even where the edit (a noise level, a relation, an event's effect) leaves the
// older fingerprint of ids, steps and indicators as it was (hostile report, 2026-12-03).
#include <gtest/gtest.h>
#include <geosim/core/ensemble.hpp>
#include <geosim/io/ensemble_shard.hpp>

#include <filesystem>

#include "support/builders.hpp"
#include "support/cli.hpp"

namespace geosim {
namespace {

namespace fs = std::filesystem;
using testing::slurp;
using testing::spit;
using testing::temp_dir;

Scenario noisy_pair() {
  Scenario s = testing::make_scenario({"AAA", "BBB"}, 0.3);
  s.parameters.noise = 0.05;
  s.steps = 3;
  Indicator ab;
  ab.id = "ab";
  ab.relations = {{0, 1}};
  s.indicators = {ab};
  return s;
}

// FNV-1a (64 bits) of "a" is 0xaf63dc4c8601ec8c (the published test vector); the fingerprint
// ends each file with the byte 0xff, so one file holding "a" gives that hash followed by 0xff.
TEST(ShardFiles, TheFingerprintIsFnv1aOfTheFilesBytes) {
  const auto dir = temp_dir("shard_files_fnv");
  spit(dir / "a.yaml", "a");
  Scenario s;
  s.files = {(dir / "a.yaml").string()};
  std::uint64_t expected = 0xaf63dc4c8601ec8cull;
  expected ^= 0xffu;
  expected *= 1099511628211ull;
  EXPECT_EQ(files_fingerprint(s.files), expected);
}

TEST(ShardFiles, TheFingerprintFollowsTheBytesNotThePaths) {
  const auto dir = temp_dir("shard_files_bytes");
  fs::create_directories(dir / "here");
  fs::create_directories(dir / "there");
  for (const char* folder : {"here", "there"}) {
    spit(dir / folder / "world.yaml", "parameters:\n  noise: 0.02\n");
    spit(dir / folder / "actors.yaml", "actors: []\n");
  }
  Scenario here, there;
  here.files = {(dir / "here" / "actors.yaml").string(), (dir / "here" / "world.yaml").string()};
  there.files = {(dir / "there" / "actors.yaml").string(), (dir / "there" / "world.yaml").string()};
  const std::uint64_t before = files_fingerprint(here.files);
  EXPECT_EQ(files_fingerprint(there.files), before) << "a copy elsewhere is the same scenario";
  spit(dir / "here" / "world.yaml", "parameters:\n  noise: 0.03\n");  // one byte of one file
  const std::uint64_t edited = files_fingerprint(here.files);
  EXPECT_NE(edited, before);
  spit(dir / "here" / "world.yaml", "parameters:\n  noise: 0.02\n");  // restored: the same again
  EXPECT_EQ(files_fingerprint(here.files), before);
  // The files' boundaries and order count: the same bytes split otherwise differ.
  std::swap(here.files[0], here.files[1]);
  EXPECT_NE(files_fingerprint(here.files), before);
  // A file gone counts as its error, the same each time, and unlike any file's bytes.
  fs::remove(dir / "there" / "world.yaml");
  const std::uint64_t gone = files_fingerprint(there.files);
  EXPECT_NE(gone, before);
  EXPECT_EQ(files_fingerprint(there.files), gone);
}

// Version 7 is version 6 with the model revision after the files' fingerprint; version 6 is
// version 5 with that fingerprint before the checksum. An origin of revision 0 (an older shard
// decoded) is written as version 6, one without a fingerprint as version 5, so that older files
// re-encode as they were.
TEST(ShardFiles, VersionSevenCarriesTheModelRevisionAndOlderVersionsStillRead) {
  EnsembleOptions options;
  options.runs = 70;
  const EnsemblePart made = run_ensemble_part(noisy_pair(), options, {}, 0, 1);
  ShardOrigin origin{"pair", {}, 7, 1, 2, {}, "", {"spillover=0"}, 0x0123456789abcdefull, 0x1122334455667788ull};
  const std::string bytes = encode_shard(made, origin);
  ASSERT_EQ(bytes.substr(0, 8), "GSSHARD7");
  ShardOrigin back;
  std::string error;
  const auto part = decode_shard(bytes, back, error);
  ASSERT_TRUE(part) << error;
  EXPECT_EQ(back, origin);
  EXPECT_EQ(encode_shard(*part, back), bytes) << "decoding loses nothing";
  // The fingerprint's and the revision's eight bytes each, little-endian, just before the checksum.
  EXPECT_EQ(bytes.substr(bytes.size() - 24, 16), std::string("\xef\xcd\xab\x89\x67\x45\x23\x01"
                                                             "\x88\x77\x66\x55\x44\x33\x22\x11",
                                                             16));
  // Version 6: the same without the revision's eight bytes, its checksum made anew; read as 0.
  ShardOrigin older = origin;
  older.model = 0;
  const std::string v6 = encode_shard(made, older);
  ASSERT_EQ(v6.substr(0, 8), "GSSHARD6");
  EXPECT_TRUE(v6.substr(8, v6.size() - 16) == bytes.substr(8, bytes.size() - 24));
  ShardOrigin sixth;
  ASSERT_TRUE(decode_shard(v6, sixth, error)) << error;
  EXPECT_EQ(sixth, older);
  // Version 5: without the fingerprint's eight bytes too.
  ShardOrigin without = older;
  without.files.reset();
  const std::string v5 = encode_shard(made, without);
  ASSERT_EQ(v5.substr(0, 8), "GSSHARD5");
  EXPECT_TRUE(v5.substr(8, v5.size() - 16) == bytes.substr(8, bytes.size() - 32));
  ShardOrigin fifth;
  ASSERT_TRUE(decode_shard(v5, fifth, error)) << error;
  EXPECT_FALSE(fifth.files.has_value());
  EXPECT_EQ(fifth.model, 0u);
  // A version 7 file cut before its revision, or a version 6 before its fingerprint (checksums
  // made right), is refused as truncated.
  for (const std::string& whole : {bytes, v6}) {
    std::string cut = whole.substr(0, whole.size() - 16);
    const std::uint64_t crc = shard_checksum(cut);
    for (int b = 0; b < 8; ++b) cut += char((crc >> (8 * b)) & 0xff);
    ShardOrigin o;
    EXPECT_FALSE(decode_shard(cut, o, error)) << whole.substr(0, 8);
    EXPECT_FALSE(error.empty());
  }
}

}  // namespace
}  // namespace geosim
