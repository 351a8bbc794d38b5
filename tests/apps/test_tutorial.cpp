// The classroom documents run as written: every `$ ` line of every ```console block of
// docs/tutorial.md and docs/facilitator.md is run, in order, with /bin/sh in a fresh folder that
// holds a copy of scenarios/ (as a student's or facilitator's working folder would), `geosim`
// being the built binary. A line ending in `# expect: exit N` must exit with N and print the line
// that follows it in the block on stderr; every other line must exit with 0, and the lines shown
// after it in the block (up to the next `$ ` line) must be lines it printed, in that order and
// next to each other except where a line of only `...` stands for lines left out, so that the
// output a document shows is the program's at this commit.
//
// A fenced block right after an HTML comment `<!-- file: NAME -->` is written to NAME in that
// folder before the commands run (the facilitator's exercise script). The exercise script is
// also played on its own, and its after-action reports and saved session are checked.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "geosim/report/html_report.hpp"

#include "support/cli.hpp"

namespace {
namespace fs = std::filesystem;
using geosim::testing::slurp;
using geosim::testing::temp_dir;

// ---------------------------------------------------------------------------------------------
// Reading the Markdown

struct Block {
  std::string info;                // what follows ``` on the opening line, e.g. "console"
  std::string file;                // NAME of a preceding <!-- file: NAME --> marker, or ""
  int first_line = 0;              // line number (1-based) of the first line inside the block
  std::vector<std::string> lines;  // the lines inside the block
};

std::vector<Block> fenced_blocks(const std::string& text) {
  std::vector<Block> blocks;
  std::istringstream in(text);
  std::string line;
  std::string marker;
  const std::regex file_marker(R"(^\s*<!--\s*file:\s*(\S+)\s*-->\s*$)");
  bool inside = false;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!inside) {
      std::smatch m;
      if (std::regex_match(line, m, file_marker)) {
        marker = m[1];
      } else if (line.rfind("```", 0) == 0) {
        inside = true;
        Block b;
        b.info = line.substr(3);
        b.file = marker;
        b.first_line = number + 1;
        blocks.push_back(b);
        marker.clear();
      } else if (!line.empty()) {
        marker.clear();  // a marker applies to the very next block only
      }
    } else if (line.rfind("```", 0) == 0) {
      inside = false;
    } else {
      blocks.back().lines.push_back(line);
    }
  }
  return blocks;
}

bool is_console(const Block& b) { return b.info == "console" || b.info.rfind("console ", 0) == 0; }

struct Command {
  std::string text;                // the command, without `$ ` and without the expect comment
  int line = 0;                    // its line in the document
  int expect_code = 0;             // the exit code it must end with
  std::string expect_err;          // with expect_code != 0: text its stderr must contain
  std::vector<std::string> shown;  // with expect_code == 0: the output lines shown under it
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

/// Every `$ ` line of the console blocks, in order. Problems (an expect without its error line)
/// are added to `problems`.
std::vector<Command> console_commands(const std::vector<Block>& blocks, const std::string& doc,
                                      std::vector<std::string>& problems) {
  std::vector<Command> commands;
  const std::regex expect(R"(^(.*?)\s+#\s*expect:\s*exit\s+(\d+)\s*$)");
  for (const Block& b : blocks) {
    if (!is_console(b)) continue;
    for (std::size_t i = 0; i < b.lines.size(); ++i) {
      const std::string& l = b.lines[i];
      if (l.rfind("$ ", 0) != 0) continue;
      Command c;
      c.line = b.first_line + static_cast<int>(i);
      c.text = l.substr(2);
      std::smatch m;
      if (std::regex_match(c.text, m, expect)) {
        const std::string command = m[1], code = m[2];  // m points into c.text: copy first
        c.text = command;
        c.expect_code = std::stoi(code);
        if (i + 1 < b.lines.size() && b.lines[i + 1].rfind("$ ", 0) != 0 && !trim(b.lines[i + 1]).empty())
          c.expect_err = trim(b.lines[i + 1]);
        else
          problems.push_back(doc + ":" + std::to_string(c.line) + ": `" + c.text +
                             "` expects a failure but the next line of the block is not the expected error");
      }
      c.text = trim(c.text);
      if (c.expect_code == 0)
        for (std::size_t j = i + 1; j < b.lines.size() && b.lines[j].rfind("$ ", 0) != 0; ++j)
          c.shown.push_back(b.lines[j]);
      commands.push_back(c);
    }
  }
  return commands;
}

std::string first_word(const std::string& command) { return command.substr(0, command.find(' ')); }

// ---------------------------------------------------------------------------------------------
// Running commands

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

/// Runs `command` with /bin/sh in `dir`, a leading `geosim` replaced by the built binary, stdin
/// from `input`, with no $GEOSIM_SCENARIOS (so ./scenarios is used, as by a student).
Result run_in(const fs::path& dir, const fs::path& io, std::string command, const std::string& input = "") {
  if (command == "geosim" || command.rfind("geosim ", 0) == 0)
    command = std::string("'") + GEOSIM_BINARY + "'" + command.substr(6);
  std::ofstream(io / "command.sh") << command << "\n";
  std::ofstream(io / "stdin.txt") << input;
  const std::string shell = "cd '" + dir.string() + "' && unset GEOSIM_SCENARIOS GEOSIM_JS_DIR && /bin/sh '" +
                            (io / "command.sh").string() + "' <'" + (io / "stdin.txt").string() + "' >'" +
                            (io / "stdout").string() + "' 2>'" + (io / "stderr").string() + "'";
  const int status = std::system(shell.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(io / "stdout"), slurp(io / "stderr")};
}

std::string tail(const std::string& s, std::size_t n = 3000) {
  return s.size() <= n ? s : "..." + s.substr(s.size() - n);
}

/// What of `shown` the command's output (stdout, then stderr) does not have: "" when every run of
/// shown lines between lines of only `...` (which stand for lines left out) is a run of printed
/// lines, in the same order, each compared without trailing blanks; else the first run that is not.
std::string lines_not_printed(const std::vector<std::string>& shown, const Result& r) {
  const auto rstrip = [](const std::string& l) { return l.substr(0, l.find_last_not_of(" \t\r") + 1); };
  std::vector<std::string> printed;
  {
    std::istringstream lines(r.out + r.err);
    for (std::string l; std::getline(lines, l);) printed.push_back(rstrip(l));
  }
  std::vector<std::vector<std::string>> runs(1);
  for (const std::string& l : shown)
    if (trim(l) == "...")
      runs.emplace_back();
    else
      runs.back().push_back(rstrip(l));
  std::size_t from = 0;
  for (auto run : runs) {
    while (!run.empty() && run.front().empty()) run.erase(run.begin());
    while (!run.empty() && run.back().empty()) run.pop_back();
    if (run.empty()) continue;
    const auto at =
        std::search(printed.begin() + static_cast<std::ptrdiff_t>(from), printed.end(), run.begin(), run.end());
    if (at == printed.end()) {
      std::string text;
      for (const std::string& l : run) text += l + "\n";
      return text;
    }
    from = static_cast<std::size_t>(at - printed.begin()) + run.size();
  }
  return "";
}

/// A working folder with a copy of scenarios/, and a separate folder for the runner's own files.
struct Workspace {
  fs::path dir;
  fs::path io;
  explicit Workspace(const std::string& name) : dir(temp_dir(name)), io(temp_dir(name + "_io")) {
    fs::copy(GEOSIM_SCENARIOS_DIR, dir / "scenarios", fs::copy_options::recursive);
  }
  void keep_or_remove(bool failed) const {
    if (failed) {
      std::cerr << "kept the working folder for inspection: " << dir << "\n";
      return;
    }
    fs::remove_all(dir);
    fs::remove_all(io);
  }
};

std::string read_doc(const std::string& name) { return slurp(fs::path(GEOSIM_SOURCE_DIR) / "docs" / name); }

/// Writes every `<!-- file: NAME -->` block into the workspace.
void write_marked_files(const std::vector<Block>& blocks, const fs::path& dir) {
  for (const Block& b : blocks) {
    if (b.file.empty()) continue;
    std::ofstream out(dir / b.file);
    for (const std::string& l : b.lines) out << l << "\n";
  }
}

/// Runs the commands in order, stopping at the first one that does not do what the document says.
void run_document(const std::string& doc, const std::vector<Command>& commands, const Workspace& w) {
  static const std::set<std::string> allowed = {"geosim", "cp", "mkdir", "sed", "cat"};
  for (const Command& c : commands) {
    ASSERT_TRUE(allowed.count(first_word(c.text)))
        << doc << ":" << c.line << ": `" << c.text << "`: only geosim, cp, mkdir, sed -i and cat are used in the docs";
    const Result r = run_in(w.dir, w.io, c.text);
    ASSERT_EQ(r.code, c.expect_code) << doc << ":" << c.line << ": `" << c.text << "` exited with " << r.code
                                     << ", the document expects " << c.expect_code << "\n--- stderr:\n"
                                     << r.err << "--- stdout (end):\n"
                                     << tail(r.out);
    EXPECT_EQ(lines_not_printed(c.shown, r), "") << doc << ":" << c.line + 1 << ": `" << c.text
                                                 << "` did not print these lines the document shows, in this order\n"
                                                 << "--- stdout (end):\n"
                                                 << tail(r.out) << "--- stderr:\n"
                                                 << r.err;
    if (c.expect_code != 0) {
      ASSERT_NE(r.err.find(c.expect_err), std::string::npos)
          << doc << ":" << c.line << ": `" << c.text << "` did not print the error the document shows\n--- expected:\n"
          << c.expect_err << "\n--- stderr:\n"
          << r.err;
    }
  }
}

bool has_command(const std::vector<Command>& commands, const std::string& pattern, int code = 0) {
  const std::regex re(pattern);
  for (const Command& c : commands)
    if (c.expect_code == code && std::regex_search(c.text, re)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// The tutorial

TEST(Tutorial, EveryCommandRunsAsShown) {
  const std::string doc = "docs/tutorial.md";
  const std::string text = read_doc("tutorial.md");
  ASSERT_FALSE(text.empty()) << "cannot read " << GEOSIM_SOURCE_DIR << "/" << doc;
  std::vector<std::string> problems;
  const auto blocks = fenced_blocks(text);
  const auto commands = console_commands(blocks, doc, problems);
  for (const auto& p : problems) ADD_FAILURE() << p;

  // What the tutorial promises a student.
  for (const char* scenario : {"symbolic-visit", "expanded-cooperation", "intermediary", "realignment"})
    EXPECT_TRUE(has_command(commands, std::string("^geosim run ") + scenario + "( |$)"))
        << doc << " runs scenario " << scenario;
  EXPECT_TRUE(has_command(commands, "^geosim compare .*symbolic-visit") &&
              has_command(commands, "^geosim compare .*expanded-cooperation") &&
              has_command(commands, "^geosim compare .*intermediary") &&
              has_command(commands, "^geosim compare .*realignment"))
      << doc << " compares the four scenarios";
  EXPECT_TRUE(has_command(commands, "^geosim report .*--out ")) << doc << " writes an HTML report";
  EXPECT_TRUE(has_command(commands, "^cp ")) << doc << " copies a scenario";
  EXPECT_TRUE(has_command(commands, "^sed -i ")) << doc << " changes an event";
  EXPECT_TRUE(has_command(commands, "^geosim validate ", 0)) << doc << " validates a file that passes";
  bool failing_validate = false;
  for (const Command& c : commands)
    if (c.text.rfind("geosim validate ", 0) == 0 && c.expect_code != 0 &&
        c.expect_err.find("error:") != std::string::npos)
      failing_validate = true;
  EXPECT_TRUE(failing_validate) << doc << " shows a validate that fails, with its error line";
  EXPECT_TRUE(has_command(commands, "^geosim explain ")) << doc << " explains a change";
  EXPECT_TRUE(has_command(commands, "^geosim calibrate .*--train .*--test ")) << doc << " calibrates and backtests";
  if (HasFailure()) return;

  const Workspace w("tutorial");
  write_marked_files(blocks, w.dir);
  run_document(doc, commands, w);
  w.keep_or_remove(HasFailure());
}

// ---------------------------------------------------------------------------------------------
// The facilitator's guide

TEST(Facilitator, EveryCommandRunsAsShown) {
  const std::string doc = "docs/facilitator.md";
  const std::string text = read_doc("facilitator.md");
  ASSERT_FALSE(text.empty()) << "cannot read " << GEOSIM_SOURCE_DIR << "/" << doc;
  std::vector<std::string> problems;
  const auto blocks = fenced_blocks(text);
  const auto commands = console_commands(blocks, doc, problems);
  for (const auto& p : problems) ADD_FAILURE() << p;
  EXPECT_TRUE(has_command(commands, "^geosim play realignment .*--script exercise\\.txt"))
      << doc << " runs the exercise script";
  EXPECT_TRUE(has_command(commands, "^geosim play --resume ")) << doc << " resumes a saved session";
  EXPECT_TRUE(has_command(commands, "^geosim report realignment ")) << doc << " prints handouts from a report";
  if (HasFailure()) return;

  const Workspace w("facilitator");
  write_marked_files(blocks, w.dir);
  run_document(doc, commands, w);
  w.keep_or_remove(HasFailure());
}

// ---------------------------------------------------------------------------------------------
// The outputs of the README and the commands' pages

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

// What the after-action record of a branch must show: the injects and moves typed on it (and on
// its parents before the fork), as the test can tell from the script.
struct Entry {
  std::string kind;  // "step", "inject", "adhoc", "move"
  std::string what;  // event id, ad-hoc title or policy
};

TEST(Facilitator, ExerciseScriptPlaysReportsAndResumes) {
  const std::string doc = "docs/facilitator.md";
  const auto blocks = fenced_blocks(read_doc("facilitator.md"));
  const Block* script = nullptr;
  for (const Block& b : blocks)
    if (b.file == "exercise.txt") script = &b;
  ASSERT_NE(script, nullptr) << doc << " has no block marked <!-- file: exercise.txt -->";

  // Follow the branches of the script to know what each report and the saved session must hold.
  std::map<std::string, std::vector<Entry>> branches{{"main", {}}};
  std::string current = "main";
  std::vector<std::pair<std::string, std::vector<Entry>>> reports;  // file, entries of its branch
  std::string saved;
  std::string saved_branch;  // the branch current at the last save: a resumed session starts there
  int injects = 0;
  const std::regex adhoc(R"re(^inject adhoc "([^"]*)")re");
  for (const std::string& raw : script->lines) {
    const std::string l = trim(raw);
    if (l.empty() || l[0] == '#') continue;
    std::istringstream words(l);
    std::string verb, arg;
    words >> verb >> arg;
    std::smatch m;
    if (verb == "branch") {
      branches[arg] = branches[current];
      current = arg;
    } else if (verb == "switch") {
      current = arg;
    } else if (verb == "step") {
      branches[current].push_back({"step", ""});
    } else if (std::regex_search(l, m, adhoc)) {
      branches[current].push_back({"adhoc", m[1]});
      ++injects;
    } else if (verb == "inject") {
      branches[current].push_back({"inject", arg});
      ++injects;
    } else if (verb == "move") {
      branches[current].push_back({"move", arg});
    } else if (verb == "undo") {
      if (!branches[current].empty()) branches[current].pop_back();
    } else if (verb == "report") {
      reports.emplace_back(arg, branches[current]);
    } else if (verb == "save") {
      saved = arg;
      saved_branch = current;
    }
  }
  EXPECT_GE(injects, 3) << "the example exercise has several injects";
  EXPECT_GE(branches.size(), 3u) << "the example exercise forks two what-if branches";
  ASSERT_FALSE(saved.empty()) << "the example exercise saves the session";
  bool html = false;
  for (const auto& r : reports) html = html || (r.first.size() > 5 && r.first.substr(r.first.size() - 5) == ".html");
  ASSERT_TRUE(html) << "the example exercise writes an HTML after-action report";

  const Workspace w("exercise");
  write_marked_files(blocks, w.dir);
  const Result played = run_in(w.dir, w.io, "geosim play realignment --script exercise.txt");
  ASSERT_EQ(played.code, 0) << "`geosim play realignment --script exercise.txt` (" << doc << ":" << script->first_line
                            << ") exited with " << played.code << "\n--- stderr:\n"
                            << played.err << "--- stdout (end):\n"
                            << tail(played.out);
  EXPECT_EQ(played.err, "") << "the exercise script runs without a warning";

  for (const auto& [file, entries] : reports) {
    const std::string report = slurp(w.dir / file);
    ASSERT_FALSE(report.empty()) << "`report " << file << "` wrote nothing";
    const bool is_html = file.size() > 5 && file.substr(file.size() - 5) == ".html";
    if (is_html) {
      EXPECT_EQ(report.rfind("<!DOCTYPE html>", 0), 0u) << file;
      EXPECT_NE(report.find("<h2>After-action log</h2>"), std::string::npos) << file << " has an after-action log";
    } else {
      EXPECT_NE(report.find("# After-action record"), std::string::npos) << file;
    }
    for (const Entry& e : entries) {
      if (e.kind == "step") continue;
      const std::string shown = is_html ? geosim::html_escape(e.what) : e.what;
      EXPECT_NE(report.find(shown), std::string::npos) << file << " records the " << e.kind << " '" << e.what << "'";
    }
  }

  const Result resumed = run_in(w.dir, w.io, "geosim play --resume " + saved, "branches\nlog\n");
  ASSERT_EQ(resumed.code, 0) << "`geosim play --resume " << saved << "` exited with " << resumed.code
                             << "\n--- stderr:\n"
                             << resumed.err;
  for (const auto& [name, entries] : branches) {
    const std::regex listed("\n[* ] " + name + " +step \\d+");
    EXPECT_TRUE(std::regex_search(resumed.out, listed)) << "the resumed session lists branch '" << name << "'\n"
                                                        << resumed.out;
  }
  for (const Entry& e : branches[saved_branch]) {
    if (e.kind == "step") continue;
    EXPECT_NE(resumed.out.find(e.what), std::string::npos)
        << "the resumed branch '" << saved_branch << "' logs '" << e.what << "'\n"
        << resumed.out;
  }
  w.keep_or_remove(HasFailure());
}

}  // namespace
