// End-to-end tests of `geosim analyze` and `geosim explain`: exit codes, sections, JSON file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include "support/cli.hpp"

#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {
namespace fs = std::filesystem;

using geosim::testing::Output;
using geosim::testing::run_cli;
using geosim::testing::slurp;
using geosim::testing::temp_dir;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(AnalysisCli, HelpExitsZero) {
  for (const char* args : {"analyze --help", "explain --help"}) EXPECT_EQ(run_cli(args).code, 0) << args;
}

TEST(AnalysisCli, AnalyzePrintsEverySectionAndWritesJson) {
  const fs::path dir = temp_dir("json");
  const fs::path file = dir / "analysis.json";
  const Output o = run_cli("analyze intermediary --step 30 --between USA PRK --json " + file.string());
  ASSERT_EQ(o.code, 0) << o.err;
  for (const char* section : {"Blocs:", "Brokers:", "Influence:", "Channel USA -> PRK", "Channel PRK -> USA",
                              "Stability of the drift", "Analysis at step 30"})
    EXPECT_TRUE(has(o.out, section)) << section;
  const nlohmann::json record = nlohmann::json::parse(slurp(file), nullptr, false);
  ASSERT_FALSE(record.is_discarded());
  EXPECT_EQ(record["step"], 30);
  EXPECT_EQ(record["channel"]["from"], "USA");
  EXPECT_EQ(record["stability"]["eigenvalues"].size(), 72u);
  fs::remove_all(dir);
}

TEST(AnalysisCli, ExplainPrintsASortedTableThatAddsUp) {
  const Output o = run_cli("explain realignment VNM USA");
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_TRUE(has(o.out, "Why VNM -> USA moved"));
  EXPECT_TRUE(has(o.out, "event hanoi-tilts"));
  EXPECT_TRUE(has(o.out, "spillover via"));
  EXPECT_TRUE(has(o.out, "sum of the parts"));
}

TEST(AnalysisCli, BadInputIsOneLineAndNonZero) {
  for (const char* args : {"analyze baseline --between USA XXX", "explain baseline VNM XXX", "explain baseline VNM VNM",
                           "analyze baseline --step 999", "analyze nosuch"}) {
    const Output o = run_cli(args);
    EXPECT_EQ(o.code, 1) << args;
    EXPECT_TRUE(has(o.err, "error")) << args << ": " << o.err;
  }
}

TEST(AnalysisCli, AnUnknownActorInALargeWorldIsOneShortLineWithASuggestion) {
  // world-200 has over 200 actors: the message names ten of them and counts the rest, and
  // suggests the closest id (ABX is one letter from ABW).
  for (const char* args : {"analyze world-200 --between ABW ABX", "explain world-200 ABX HTI"}) {
    const Output o = run_cli(args);
    EXPECT_EQ(o.code, 1) << args;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
    EXPECT_TRUE(has(o.err, "unknown actor 'ABX'; did you mean 'ABW'? (actors: ABW, AFG, AGO")) << o.err;
    EXPECT_TRUE(has(o.err, " more)")) << o.err;
    EXPECT_LT(o.err.size(), 200u) << o.err;
  }
}

// At 200 states: a camp's line named all its members (1,060 characters), each ranking ran to 200
// rows, and explain showed every part as +0.0000. Lines stay short; the parts show digits.
TEST(AnalysisCli, AtTwoHundredStatesTheTerminalSummariesStayReadable) {
  const Output a = run_cli("analyze world-200");
  ASSERT_EQ(a.code, 0) << a.err;
  std::istringstream lines(a.out);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 200u) << line;
  EXPECT_TRUE(has(a.out, " more (see --json)\n")) << a.out.substr(0, 2000);
  EXPECT_LT(std::count(a.out.begin(), a.out.end(), '\n'), 160) << a.out;
  const Output between = run_cli("analyze world-200 --between ABW HTI");  // a route through each other state
  ASSERT_EQ(between.code, 0) << between.err;
  EXPECT_LT(std::count(between.out.begin(), between.out.end(), '\n'), 200) << between.out;
  EXPECT_TRUE(has(between.out, "    ... and ")) << between.out;
  const Output e = run_cli("explain world-200 ABW HTI");
  ASSERT_EQ(e.code, 0) << e.err;
  const std::size_t first = e.out.find("\n  part ");
  ASSERT_NE(first, std::string::npos) << e.out;
  std::istringstream row(e.out.substr(e.out.find('\n', first + 1) + 1));
  std::string line;
  std::getline(row, line);  // the largest part: two significant digits, not +0.0000
  const std::size_t sign = line.find_first_of("+-", line.find("  ", 2));
  ASSERT_NE(sign, std::string::npos) << line;
  const double largest = std::abs(std::stod(line.substr(sign)));
  EXPECT_GT(largest, 0.0) << line;
  EXPECT_NE(line.substr(sign).find_first_of("123456789"), std::string::npos) << line;
}

TEST(AnalysisCli, SetIsNamedInTheHeaderAndRecordedInTheJson) {
  const fs::path dir = temp_dir("set");
  const fs::path file = dir / "analysis.json";
  const Output o = run_cli("analyze realignment --set spillover=0.03 --json " + file.string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_TRUE(has(o.out, "Analysis at step 52 (2026-07-31), set: spillover=0.03\n")) << o.out.substr(0, 300);
  const nlohmann::json record = nlohmann::json::parse(slurp(file), nullptr, false);
  ASSERT_FALSE(record.is_discarded());
  EXPECT_EQ(record["settings"], nlohmann::json::array({"spillover=0.03"}));
  // without --set, no key (as run.json)
  ASSERT_EQ(run_cli("analyze realignment --json " + file.string()).code, 0);
  EXPECT_FALSE(nlohmann::json::parse(slurp(file)).contains("settings"));
  fs::remove_all(dir);
}

// A pair with no relation is no variable of the drift: the stability section counts the
// relations the Jacobian has (4 of a three-actor world with one absent pair, not 6), and the JSON
// lists those four, one per eigenvalue (it listed all six beside four eigenvalues).
TEST(AnalysisCli, StabilityCountsAndListsOnlyTheRelationsThereAre) {
  const fs::path dir = temp_dir("stability_absent");
  geosim::testing::spit(
      dir / "three.yaml",
      "scenario: {id: three, title: Three, start: 2025-01-01, steps: 4}\n"
      "start_state: drifting\n"
      "actors:\n  - {id: A, restraint: 0.1, reactivity: 0.05}\n"
      "  - {id: B, restraint: 0.1, reactivity: 0.05}\n"
      "  - {id: C, restraint: 0.1, reactivity: 0.05}\n"
      "relations:\n  - {between: [A, B], absent: true}\n  - {from: A, to: C, tension: 0.3, tie: 0.5}\n");
  const fs::path file = dir / "analysis.json";
  const Output o = run_cli("analyze " + (dir / "three.yaml").string() + " --json " + file.string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_TRUE(has(o.out, "eigenvalues of I + J over the 4 relations")) << o.out;
  const nlohmann::json record = nlohmann::json::parse(slurp(file));
  EXPECT_EQ(record["stability"]["eigenvalues"].size(), 4u);
  EXPECT_EQ(record["stability"]["relations"], nlohmann::json::array({"A->C", "B->C", "C->A", "C->B"}));
  fs::remove_all(dir);
}
