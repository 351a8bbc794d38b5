// The one gzip writer (geosim/io/gzip.hpp): what it writes is gzip that zlib's inflate reads back
// to the text, the same bytes as one zlib deflate call over the whole text however the text is
// cut, the bytes that `run --gzip` and `ensemble --per-run F.gz` write, and a compression failure
// reported with zlib's reason, leaving no file.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <zlib.h>
#include <geosim/io/gzip.hpp>

#include <filesystem>

#include "support/cli.hpp"
#include "support/event_fixtures.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;
using testing::run_cli;
using testing::slurp;
using testing::temp_dir;

/// The reference: `text` deflated by zlib in one call (the whole input, Z_FINISH, room for all
/// of the output), with a gzip header of no name and time 0.
std::string zlib_one_call(const std::string& text, int level) { return testing::gzip(text, level); }

/// zlib's gunzip of `packed` ("<corrupt>" if it is not one whole gzip stream).
std::string gunzip(const std::string& packed) {
  std::string back;
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  z.avail_in = uInt(packed.size());
  char buffer[1 << 14];
  int status = Z_OK;
  while (status == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    status = inflate(&z, Z_NO_FLUSH);
    back.append(buffer, sizeof buffer - z.avail_out);
  }
  const bool whole = status == Z_STREAM_END && z.avail_in == 0;
  inflateEnd(&z);
  return whole ? back : "<corrupt>";
}

/// `text` as one piece through gzip_pieces, the path `run --gzip` takes: its bytes, or "" with
/// the reason in `error`.
std::string through_pieces(const std::string& text, int level, std::string& error) {
  std::string out;
  error = gzip_pieces([&](const OutputSink& write) { return write(text) ? std::string() : std::string("sink"); },
                      level)([&out](std::string_view piece) {
    out += piece;
    return true;
  });
  return error.empty() ? out : std::string();
}

std::string sample_text() {
  std::string text;
  for (int k = 0; k < 200000; ++k) text += fmt::format("{},row,{:.6f}\n", k, k * 0.001);
  return text;  // about 4 MB: more than one 256 KiB output piece at either level
}

TEST(Gzip, RoundTripsThroughZlibAndMatchesOneZlibCallHoweverTheTextIsCut) {
  const std::string text = sample_text();
  for (const int level : {1, 6}) {
    const std::string expected = zlib_one_call(text, level);
    ASSERT_EQ(gunzip(expected), text);
    for (const std::size_t step : {std::size_t(1), std::size_t(4093), std::size_t(1) << 20, text.size()}) {
      if (step == 1 && level == 6) continue;  // one byte a call: slow, and level 1 already covers it
      std::string packed;
      int pieces_out = 0;
      GzipWriter gz(level, [&](std::string_view piece) {
        EXPECT_LE(piece.size(), std::size_t(1) << 18);
        packed += piece;
        ++pieces_out;
        return true;
      });
      for (std::size_t at = 0; at < text.size(); at += step) {
        ASSERT_TRUE(gz.write(std::string_view(text).substr(at, step)));
        ASSERT_TRUE(gz.write({}));
      }
      ASSERT_TRUE(gz.finish());
      EXPECT_EQ(gz.error(), "");
      EXPECT_EQ(packed, expected) << "level " << level << ", pieces of " << step;
      EXPECT_GT(pieces_out, 1);
    }
    std::string error;
    EXPECT_EQ(through_pieces(text, level, error), expected);
    EXPECT_EQ(error, "");
  }
  // No text at all: still one whole (empty) gzip stream.
  std::string error;
  const std::string empty = through_pieces("", 1, error);
  EXPECT_EQ(empty, zlib_one_call("", 1));
  EXPECT_EQ(gunzip(empty), "");
  EXPECT_EQ(empty.substr(0, 2), "\x1f\x8b");
}

TEST(Gzip, PiecesGiveTheSameBytesAsTheWholeText) {
  const std::string text = sample_text();
  const OutputPieces pieces = [&](const OutputSink& write) {
    for (std::size_t at = 0; at < text.size(); at += 9999)
      if (!write(std::string_view(text).substr(at, 9999))) break;
    return std::string();
  };
  std::string streamed;
  EXPECT_EQ(gzip_pieces(pieces, 1)([&](std::string_view piece) {
              streamed += piece;
              return true;
            }),
            "");
  EXPECT_EQ(streamed, zlib_one_call(text, 1));
}

TEST(Gzip, ACompressionFailureGivesZlibsReasonAndASinkFailureStops) {
  // Level 42 does not exist: zlib refuses to start ("stream error").
  std::string error;
  EXPECT_EQ(through_pieces("text", 42, error), "");
  EXPECT_EQ(error, "gzip compression failed: stream error");
  GzipWriter bad(42, [](std::string_view) { return true; });
  EXPECT_FALSE(bad.write("text"));
  EXPECT_FALSE(bad.finish());
  EXPECT_EQ(bad.error(), "gzip compression failed: stream error");
  // The sink fails: every call fails, and the reason is the sink's owner's to give.
  int calls = 0;
  GzipWriter gz(1, [&](std::string_view) { return ++calls < 2; });
  const std::string text = sample_text();
  EXPECT_FALSE(gz.write(text));
  EXPECT_FALSE(gz.write("more"));
  EXPECT_FALSE(gz.finish());
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(gz.error(), "");
  // Writing after the end is a failure, not a second stream.
  GzipWriter done(1, [](std::string_view) { return true; });
  EXPECT_TRUE(done.finish());
  EXPECT_FALSE(done.write("late"));
  EXPECT_NE(done.error(), "");
}

TEST(Gzip, AFailureInsideAFilesPiecesIsReportedWithItsReasonAndLeavesNoFile) {
  const fs::path dir = temp_dir("gzip_fail");
  OutputFile file{"t.csv.gz", "",
                  gzip_pieces(
                      [](const OutputSink& write) {
                        write("a,b\n");
                        return std::string();
                      },
                      42)};
  const std::string error = write_output_files(dir, {file, {"other.txt", "x"}});
  EXPECT_EQ(error,
            fmt::format("cannot write '{}': gzip compression failed: stream error", (dir / "t.csv.gz").string()));
  EXPECT_TRUE(fs::is_empty(dir)) << "no file, no temporary";
  fs::remove_all(dir);
}

TEST(GzipCli, RunAndEnsembleWriteZlibsBytesOfTheirPlainText) {
  const fs::path dir = temp_dir("gzip_cli");
  const std::string d = dir.string();
  ASSERT_EQ(run_cli("run baseline --out " + d + "/plain").code, 0);
  ASSERT_EQ(run_cli("run baseline --gzip --out " + d + "/gz").code, 0);
  const std::string tension = slurp(dir / "plain" / "tension.csv");
  ASSERT_GT(tension.size(), 1000u);
  EXPECT_EQ(slurp(dir / "gz" / "tension.csv.gz"), zlib_one_call(tension, 1)) << "run --gzip: level 1";
  ASSERT_EQ(run_cli("ensemble baseline --runs 40 --per-run " + d + "/F.csv --out " + d + "/e1").code, 0);
  ASSERT_EQ(run_cli("ensemble baseline --runs 40 --per-run " + d + "/F.csv.gz --out " + d + "/e2").code, 0);
  const std::string per_run = slurp(dir / "F.csv");
  ASSERT_GT(per_run.size(), 1000u);
  EXPECT_EQ(slurp(dir / "F.csv.gz"), zlib_one_call(per_run, 6)) << "ensemble --per-run F.gz: level 6";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace geosim
