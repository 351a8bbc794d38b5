// End-to-end tests of `geosim analyze` and `geosim explain`: exit codes, sections, JSON file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include "support/cli.hpp"

#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
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
