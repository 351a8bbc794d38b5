// The classroom documents run as written: every `$ ` line of every ```console block of
// docs/tutorial.md (then docs/tutorial-event-data.md, its second hour, in the same folder),
// docs/facilitator.md and docs/live-page.md is run, in order, with /bin/sh in a fresh folder that
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
#include "support/doc_commands.hpp"

namespace {
namespace fs = std::filesystem;
using namespace geosim::testing;

// ---------------------------------------------------------------------------------------------
// The tutorial

TEST(Tutorial, EveryCommandRunsAsShown) {
  const Document first = read_document("tutorial.md"), second = read_document("tutorial-event-data.md");
  const std::string& doc = first.name;
  const auto& commands = first.commands;
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
  EXPECT_TRUE(has_command(second.commands, "^geosim ingest ")) << second.name << " reads an event file";
  EXPECT_TRUE(has_command(second.commands, "^geosim calibrate .*--train .*--test "))
      << second.name << " calibrates and backtests";
  if (HasFailure()) return;

  const Workspace w("tutorial");  // the first hour, then the second in the same folder
  run_in_workspace(first, w);
  if (!HasFatalFailure()) run_in_workspace(second, w);
  w.keep_or_remove(HasFailure());
}

// ---------------------------------------------------------------------------------------------
// The facilitator's guide, and its live page

TEST(Facilitator, EveryCommandRunsAsShown) {
  const Document d = read_document("facilitator.md");
  EXPECT_TRUE(has_command(d.commands, "^geosim play realignment .*--script exercise\\.txt"))
      << d.name << " runs the exercise script";
  EXPECT_TRUE(has_command(d.commands, "^geosim play --resume ")) << d.name << " resumes a saved session";
  EXPECT_TRUE(has_command(d.commands, "^geosim report realignment ")) << d.name << " prints handouts from a report";
  if (HasFailure()) return;
  const Workspace w("facilitator");
  run_in_workspace(d, w);
  w.keep_or_remove(HasFailure());
}

TEST(LivePage, EveryCommandRunsAsShown) {
  const Document d = read_document("live-page.md");
  EXPECT_TRUE(has_command(d.commands, "^geosim play realignment --serve .*--script live\\.txt"))
      << d.name << " plays a script with the page served";
  if (HasFailure()) return;
  const Workspace w("live_page");
  run_in_workspace(d, w);
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
