// The hostile corpus: files under tests/data/hostile/ that a careless or malicious author could
// hand to `geosim validate`, each with the one line it must answer (tests/data/hostile/
// expected.txt), plus files too big to commit, generated here. Every case must finish with that
// exact line and its exit code: no crash, no hang, no memory blow-up, no second line.

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "support/cli.hpp"

namespace {
namespace fs = std::filesystem;
using geosim::testing::Output;
using geosim::testing::run_cli;

struct Case {
  std::string file;
  int code = 0;
  std::string line;  ///< stderr when the code is not 0, else stdout
};

std::vector<Case> expected_cases() {
  std::vector<Case> cases;
  std::ifstream in(fs::path(GEOSIM_TEST_DATA) / "hostile" / "expected.txt");
  std::string text;
  while (std::getline(in, text)) {
    if (text.empty() || text[0] == '#') continue;
    const auto tab1 = text.find('\t'), tab2 = text.find('\t', tab1 + 1);
    if (tab1 == std::string::npos || tab2 == std::string::npos) {
      ADD_FAILURE() << "expected.txt: not FILE<TAB>CODE<TAB>LINE: " << text;
      continue;
    }
    cases.push_back({text.substr(0, tab1), std::stoi(text.substr(tab1 + 1, tab2 - tab1 - 1)), text.substr(tab2 + 1)});
  }
  return cases;
}

// Runs `geosim validate FILE` in `dir`, so that messages name the file as typed.
void expect_answer(const fs::path& dir, const Case& c) {
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  const Output o = run_cli("validate '" + c.file + "'");
  fs::current_path(before);
  EXPECT_EQ(o.code, c.code) << c.file << "\nstderr: " << o.err;
  const std::string& answer = c.code == 0 ? o.out : o.err;
  EXPECT_EQ(answer, c.line + "\n") << c.file;
  if (c.code != 0) {
    EXPECT_EQ(o.out, "") << c.file;
  }
}

TEST(Hostile, EveryFileOfTheCorpusHasItsExpectedLine) {
  const std::vector<Case> cases = expected_cases();
  std::set<std::string> listed;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    listed.insert(c.file);
    expect_answer(fs::path(GEOSIM_TEST_DATA) / "hostile", c);
  }
  // A file added to the corpus without its expected line would never be checked.
  for (const auto& entry : fs::directory_iterator(fs::path(GEOSIM_TEST_DATA) / "hostile")) {
    const std::string name = entry.path().filename().string();
    if (name != "expected.txt") {
      EXPECT_TRUE(listed.count(name)) << name << " has no line in expected.txt";
    }
  }
  EXPECT_GE(cases.size(), 20u);
}

void write(const fs::path& path, const std::string& head, std::size_t repeat, const std::string& body,
           const std::string& tail = "") {
  std::ofstream out(path, std::ios::binary);
  out << head;
  for (std::size_t i = 0; i < repeat; ++i) out << body;
  out << tail;
}

const char* kHead = "scenario:\n  id: big\n  title: Big\n  start: 2025-08-01\n  steps: 10\n";

TEST(Hostile, HundredMegabyteFileIsRefusedBeforeItIsRead) {
  const fs::path dir = geosim::testing::temp_dir("hostile_100mb");
  write(dir / "huge.yaml", kHead, 100 << 10, "# " + std::string(1021, 'x') + "\n");
  ASSERT_EQ(fs::file_size(dir / "huge.yaml"), std::uintmax_t(100 << 20) + std::strlen(kHead));
  expect_answer(dir, {"huge.yaml", 1, "huge.yaml: error: expected a file of at most 4 MiB, found 104857665 bytes"});
  // Included, it is said at the include that names it.
  write(dir / "includer.yaml", "include: [huge.yaml]\n", 1, kHead, "actors:\n  - {id: AAA}\n  - {id: BBB}\n");
  expect_answer(dir, {"includer.yaml", 1,
                      "includer.yaml:1:11: error: include 'huge.yaml': expected a file of at most 4 MiB, found "
                      "104857665 bytes"});
  fs::remove_all(dir);
}

TEST(Hostile, MultiMegabyteStringIsRefused) {
  // Within the file size limit, but one title of 3 MB: nobody's title, and every report and
  // terminal line would carry it.
  const fs::path dir = geosim::testing::temp_dir("hostile_string");
  write(dir / "long_string.yaml", "scenario:\n  id: big\n  title: |\n", 3000, "    " + std::string(1000, 'y') + "\n",
        "  start: 2025-08-01\n  steps: 10\n");
  expect_answer(dir, {"long_string.yaml", 1,
                      "long_string.yaml:3:10: error: expected the scenario title of at most 300 bytes, "
                      "found 3003000"});
  fs::remove_all(dir);
}

// The line limit counts a line's bytes, not its line break: a line of exactly the limit is
// taken with LF and with CR LF alike, and one byte more is refused with either.
TEST(Hostile, TheLineLimitIsTheSameWithCrLf) {
  const fs::path dir = geosim::testing::temp_dir("hostile_crlf_line");
  for (const std::string eol : {"\n", "\r\n"}) {
    const std::string head = "scenario:" + eol + "  id: big" + eol + "  title: Big" + eol + "  start: 2025-08-01" +
                             eol + "  steps: 10" + eol + "actors:" + eol + "  - {id: AAA}" + eol + "  - {id: BBB}" +
                             eol;
    const std::string prefix = "# ";
    write(dir / "at.yaml", head, 1, prefix + std::string(16384 - prefix.size(), 'x') + eol);
    write(dir / "past.yaml", head, 1, prefix + std::string(16385 - prefix.size(), 'x') + eol);
    expect_answer(dir, {"at.yaml", 0, "at.yaml: ok"});
    expect_answer(dir,
                  {"past.yaml", 1, "past.yaml:9:1: error: expected lines of at most 16384 bytes, found a longer one"});
  }
  fs::remove_all(dir);
}

}  // namespace
