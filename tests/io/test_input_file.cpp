// Untrusted input files (io/input_file.hpp): the whole of a regular file, its bytes exactly,
// whatever the buffer it is read into held before; nothing from a directory or over the limit.
#include <gtest/gtest.h>
#include <geosim/io/input_file.hpp>

#include <fstream>
#include <string>

#include "support/cli.hpp"

namespace geosim {
namespace {

void write(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST(InputFile, AReusedBufferHoldsExactlyTheFileAfterwards) {
  const auto dir = testing::temp_dir("input_file");
  const std::string big(100000, 'x'), small = std::string("a\0b\nc", 5);
  write(dir / "big", big);
  write(dir / "small", small);
  write(dir / "empty", "");
  InputText text = read_input_file((dir / "big").string());
  ASSERT_TRUE(text.text) << text.error;
  EXPECT_EQ(*text.text, big);
  std::string buffer = std::move(*text.text);  // 100,000 bytes of 'x', then a smaller file into it
  text = read_input_file((dir / "small").string(), kMaxInputFileBytes, std::move(buffer));
  ASSERT_TRUE(text.text) << text.error;
  EXPECT_EQ(*text.text, small);
  text = read_input_file((dir / "empty").string(), kMaxInputFileBytes, std::move(*text.text));
  ASSERT_TRUE(text.text) << text.error;
  EXPECT_EQ(*text.text, "");
}

TEST(InputFile, ADirectoryOrAFileOverTheLimitIsRefused) {
  const auto dir = testing::temp_dir("input_file_refused");
  write(dir / "eleven", "eleven byte");
  EXPECT_EQ(read_input_file((dir / "eleven").string(), 10).error, "expected a file of at most 0 MiB, found 11 bytes");
  EXPECT_TRUE(read_input_file((dir / "eleven").string(), 11).text);
  EXPECT_EQ(read_input_file(dir.string()).error, "expected a regular file, found a folder");
  EXPECT_EQ(read_input_file("/dev/null").error, "expected a regular file, found a device");
  EXPECT_EQ(non_file_at("/dev/null"), "a device");
  EXPECT_EQ(non_file_at((dir / "eleven").string()), "");
  EXPECT_EQ(non_file_at((dir / "none").string()), "");
  EXPECT_EQ(read_input_file((dir / "none").string()).error, "cannot open file: no such file");
}

}  // namespace
}  // namespace geosim
