// GzipReader: a file's bytes as they are, or decompressed to the end of every gzip member; what
// zlib's gzread dropped silently (a corrupt second member, bytes appended after the data) is an
// error. Checked against the texts compressed (support/event_fixtures.hpp's gzip, one zlib call).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <geosim/io/gzip_reader.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/cli.hpp"
#include "support/event_fixtures.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;

struct Read {
  std::string text, error;
};

/// Everything GzipReader gives for a file holding `bytes`, read `piece` bytes at a time.
Read read_all(const std::string& bytes, std::size_t piece = 4096) {
  const fs::path file = testing::temp_dir("gzip_reader") / "f";
  std::ofstream(file, std::ios::binary) << bytes;
  const int fd = ::open(file.c_str(), O_RDONLY);
  Read r;
  {
    GzipReader reader(fd);
    std::string buffer(piece, '\0');
    for (long long got; (got = reader.read(buffer.data(), piece)) != 0;) {
      if (got < 0) {
        r.error = reader.error();
        break;
      }
      r.text.append(buffer.data(), std::size_t(got));
    }
  }
  ::close(fd);
  fs::remove_all(file.parent_path());
  return r;
}

std::string lines(int n, const std::string& word) {
  std::string text;
  for (int k = 0; k < n; ++k) text += word + std::to_string(k) + "\tsome text of a row\n";
  return text;
}

TEST(GzipReader, PlainBytesAreReadAsTheyAre) {
  for (const std::string& text : {std::string(), std::string("x"), std::string("\x1f"), lines(20000, "plain")}) {
    const Read r = read_all(text, 7);
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(r.text, text);
  }
}

TEST(GzipReader, OneMemberOrSeveralAreReadWhole) {
  const std::string a = lines(30000, "a"), b = lines(5, "b");
  EXPECT_EQ(read_all(testing::gzip(a)).text, a);
  EXPECT_EQ(read_all(testing::gzip(a) + testing::gzip(b), 1).text, a + b);  // `cat a.gz b.gz`, a byte at a time
  EXPECT_EQ(read_all(testing::gzip("") + testing::gzip(b)).text, b);
}

TEST(GzipReader, WhatGzreadDroppedIsAnError) {
  const std::string a = lines(10, "a"), b = lines(10, "b");
  std::string second = testing::gzip(b);
  second[0] = 'X';  // the second member corrupt at its first byte: gzread gave the first only
  Read r = read_all(testing::gzip(a) + second);
  EXPECT_EQ(r.error,
            "corrupt or truncated gzip data (bytes after the last complete member that start no other member)");
  EXPECT_EQ(r.text, a);
  r = read_all(testing::gzip(a) + "junk appended\n");
  EXPECT_NE(r.error.find("bytes after the last complete member"), std::string::npos) << r.error;
  r = read_all(testing::gzip(a) + "\x1f");
  EXPECT_NE(r.error.find("bytes after the last complete member"), std::string::npos) << r.error;
  const std::string whole = testing::gzip(a);
  r = read_all(whole.substr(0, whole.size() - 5));  // cut in its trailer
  EXPECT_EQ(r.error, "corrupt or truncated gzip data (the file ends inside a gzip member)");
  std::string crc = whole;
  crc[crc.size() - 8] = char(crc[crc.size() - 8] ^ 1);  // the CRC-32 of the trailer
  r = read_all(crc);
  EXPECT_EQ(r.error, "corrupt or truncated gzip data (incorrect data check)");
}

}  // namespace
}  // namespace geosim
