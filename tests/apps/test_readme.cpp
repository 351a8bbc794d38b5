// The outputs the README and the commands' pages show (docs/commands.md, docs/ensembles.md) are
// what the commands print at this commit: each block introduced as "Real output of `geosim ...`"
// (and `geosim list`'s, and the piped `geosim play` transcript) is run in a working folder that
// holds a copy of scenarios/, and its lines must be lines the command printed, in that order.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli.hpp"
#include "support/doc_commands.hpp"

namespace {
namespace fs = std::filesystem;
using namespace geosim::testing;

// The "Real output of `geosim ...`" blocks of one page (and `geosim list`'s, and the piped
// `geosim play` transcript), run in `w`'s folder in order: each must exit 0 and print the lines
// shown, in this order. Returns how many were checked.
int check_shown_outputs(const std::string& file, const Workspace& w) {
  const std::string text = slurp(fs::path(GEOSIM_SOURCE_DIR) / file);
  EXPECT_FALSE(text.empty()) << file;
  std::vector<std::string> doc;
  {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) doc.push_back(l);
  }
  const std::regex introduced(R"((?:Real output of |^)`(geosim [^`]+)`(?: \(abridged\))?(?::| shows what ships:)\s*$)");
  const std::string binary = std::string("'") + GEOSIM_BINARY + "'";
  int checked = 0;
  for (const Block& b : fenced_blocks(text)) {
    std::size_t k = static_cast<std::size_t>(b.first_line) - 2;  // the opening fence's index
    while (k > 0 && trim(doc[k - 1]).empty()) --k;
    const std::string before = k > 0 ? doc[k - 1] : "";
    std::string command;
    std::vector<std::string> shown = b.lines;
    std::smatch m;
    if (std::regex_search(before, m, introduced)) {
      command = m[1];
    } else if (!b.lines.empty() && b.lines[0].rfind("$ ", 0) == 0) {  // `$ A \` continued on the next lines
      std::size_t i = 0;
      command = b.lines[0].substr(2);
      while (!command.empty() && command.back() == '\\' && ++i < b.lines.size())
        command.pop_back(), command += trim(b.lines[i]);
      shown.assign(b.lines.begin() + static_cast<std::ptrdiff_t>(std::min(i + 1, b.lines.size())), b.lines.end());
      for (std::size_t at = 0; (at = command.find("| geosim ", at)) != std::string::npos;)
        command.replace(at + 2, 6, binary);
    } else {
      continue;
    }
    const Result r = run_in(w.dir, w.io, command);
    EXPECT_EQ(r.code, 0) << file << ":" << b.first_line << ": `" << command << "`\n" << r.err;
    EXPECT_EQ(lines_not_printed(shown, r), "") << file << ":" << b.first_line << ": `" << command
                                               << "` did not print these lines the page shows, in this order\n"
                                               << "--- stdout (end):\n"
                                               << tail(r.out);
    ++checked;
  }
  return checked;
}

// Every output the README and the commands' pages show is what the command prints at this
// commit, as for the docs' blocks above; the pages in the order they were written, in one folder.
TEST(Readme, EveryOutputShownIsWhatTheCommandPrints) {
  const Workspace w("readme");
  EXPECT_GE(check_shown_outputs("README.md", w), 2) << "README.md shows the output of list and run";
  EXPECT_GE(check_shown_outputs("docs/commands.md", w), 1) << "docs/commands.md shows play's";
  EXPECT_GE(check_shown_outputs("docs/ensembles.md", w), 4)
      << "docs/ensembles.md shows the output of ensemble, analyze, explain and matrix";
  w.keep_or_remove(HasFailure());
}

}  // namespace
