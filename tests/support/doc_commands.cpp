#include "support/doc_commands.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>

#include "support/cli.hpp"

namespace geosim::testing {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Reading the Markdown

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

namespace {
bool is_console(const Block& b) { return b.info == "console" || b.info.rfind("console ", 0) == 0; }
}  // namespace

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

namespace {
std::string first_word(const std::string& command) { return command.substr(0, command.find(' ')); }
}  // namespace

// ---------------------------------------------------------------------------------------------
// Running commands

/// Runs `command` with /bin/sh in `dir`, a leading `geosim` replaced by the built binary, stdin
/// from `input`, with no $GEOSIM_SCENARIOS (so ./scenarios is used, as by a student).
Result run_in(const fs::path& dir, const fs::path& io, std::string command, const std::string& input) {
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

std::string tail(const std::string& s, std::size_t n) { return s.size() <= n ? s : "..." + s.substr(s.size() - n); }

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

Workspace::Workspace(const std::string& name) : dir(temp_dir(name)), io(temp_dir(name + "_io")) {
  fs::copy(GEOSIM_SCENARIOS_DIR, dir / "scenarios", fs::copy_options::recursive);
}

void Workspace::keep_or_remove(bool failed) const {
  if (failed) {
    std::cerr << "kept the working folder for inspection: " << dir << "\n";
    return;
  }
  fs::remove_all(dir);
  fs::remove_all(io);
}

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

bool has_command(const std::vector<Command>& commands, const std::string& pattern, int code) {
  const std::regex re(pattern);
  for (const Command& c : commands)
    if (c.expect_code == code && std::regex_search(c.text, re)) return true;
  return false;
}

Document read_document(const std::string& name) {
  Document d{"docs/" + name, {}, {}};
  const std::string text = read_doc(name);
  EXPECT_FALSE(text.empty()) << "cannot read " << GEOSIM_SOURCE_DIR << "/" << d.name;
  std::vector<std::string> problems;
  d.blocks = fenced_blocks(text);
  d.commands = console_commands(d.blocks, d.name, problems);
  for (const auto& p : problems) ADD_FAILURE() << p;
  return d;
}

void run_in_workspace(const Document& d, const Workspace& w) {
  write_marked_files(d.blocks, w.dir);
  run_document(d.name, d.commands, w);
}

}  // namespace geosim::testing
