// shell_word: a path or name in a command shown to copy and paste reads back, in bash, as the
// same bytes, and shows on a terminal as it is (nothing terminal_text would replace).
#include <gtest/gtest.h>
#include <geosim/io/escape.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

namespace geosim {
namespace {

/// What bash makes of `word` as one argument: the bytes `printf %s WORD` prints.
std::string as_bash_reads(const std::string& word) {
  const auto dir = std::filesystem::temp_directory_path() / ("geosim_shell_word_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream script(dir / "s.sh", std::ios::binary);
    script << "printf %s " << word << " > " << (dir / "out").string() << "\n";
  }
  const int status = std::system(("bash " + (dir / "s.sh").string()).c_str());
  EXPECT_EQ(status, 0) << word;
  std::ifstream in(dir / "out", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  std::filesystem::remove_all(dir);
  return text.str();
}

TEST(ShellWord, EveryKindOfNameReadsBackAsTheSameBytes) {
  const std::string names[] = {"session.json",
                               "it's here.json",
                               "a b\\c",
                               "\xE2\x80\xAE"
                               "evil.json",  // a right-to-left override
                               "esc\x1b[31mred",
                               "two\nlines",
                               "not utf-8 \xff\xfe",
                               "$HOME `id` \"q\" *",
                               "-",
                               "\xC3\xA9t\xC3\xA9"};
  for (const std::string& name : names) {
    const std::string word = shell_word(name);
    EXPECT_EQ(as_bash_reads(word), name) << word;
    EXPECT_EQ(terminal_text(word), word) << "shown on a terminal as it is: " << word;
    EXPECT_EQ(word.find('\n'), std::string::npos);
  }
}

TEST(ShellWord, APlainNameStaysAsItIs) {
  EXPECT_EQ(shell_word("out/realignment+runs=200/report.html"), "out/realignment+runs=200/report.html");
  EXPECT_EQ(shell_word("restraint.VNM=0.3"), "restraint.VNM=0.3");
  EXPECT_EQ(shell_word(""), "''");
  EXPECT_EQ(shell_word("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_word("\xE2\x80\xAE"
                       "x"),
            "$'\\xe2\\x80\\xaex'");
}

}  // namespace
}  // namespace geosim
