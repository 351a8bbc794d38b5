// End-to-end tests of `geosim ensemble`, `compare` and `matrix`: exit codes, files, and
// byte-identical output for any number of threads.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace {
namespace fs = std::filesystem;

struct Output {
  int code = -1;
  std::string out;
  std::string err;
};

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("geosim_ens_cli_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Runs the CLI with `args`, capturing stdout and stderr (neither is a terminal).
Output geosim(const std::string& args) {
  static int counter = 0;
  const fs::path dir = temp_dir("io" + std::to_string(counter++));
  const std::string command = std::string("GEOSIM_SCENARIOS=") + GEOSIM_SCENARIOS_DIR + " " + GEOSIM_BINARY +
                              " " + args + " >" + (dir / "out").string() + " 2>" + (dir / "err").string() +
                              " </dev/null";
  const int status = std::system(command.c_str());
  Output o{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "out"), slurp(dir / "err")};
  fs::remove_all(dir);
  return o;
}

int lines(const std::string& text) { return int(std::count(text.begin(), text.end(), '\n')); }

/// `text` with every occurrence of `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

TEST(EnsembleCli, HelpOnEachCommand) {
  for (const char* args : {"ensemble --help", "compare --help", "matrix --help"}) {
    const Output o = geosim(args);
    EXPECT_EQ(o.code, 0) << args;
    EXPECT_NE(o.out.find("--runs"), std::string::npos) << args;
  }
}

TEST(EnsembleCli, OneAndTwoThreadsGiveByteIdenticalFiles) {
  const fs::path a = temp_dir("t1"), b = temp_dir("t2");
  const Output one = geosim("ensemble baseline --runs 200 --threads 1 --out " + a.string());
  const Output two = geosim("ensemble baseline --runs 200 --threads 2 --out " + b.string());
  ASSERT_EQ(one.code, 0) << one.err;
  ASSERT_EQ(two.code, 0) << two.err;
  for (const char* f : {"percentiles.csv", "thresholds.csv", "ensemble.json"}) {
    EXPECT_FALSE(slurp(a / f).empty()) << f;
    EXPECT_EQ(slurp(a / f), slurp(b / f)) << f;
  }
  EXPECT_EQ(replaced(one.out, a.string(), "DIR"), replaced(two.out, b.string(), "DIR"));
  EXPECT_TRUE(one.err.empty()) << "no progress bar when stderr is not a terminal: " << one.err;
  const std::string percentiles = slurp(a / "percentiles.csv");
  EXPECT_EQ(percentiles.substr(0, percentiles.find('\n')), "indicator,step,date,p5,p25,p50,p75,p95");
  EXPECT_EQ(lines(percentiles), 1 + 10 * 53) << "10 indicators x 53 steps";
  EXPECT_NE(one.out.find("Thresholds"), std::string::npos) << one.out;
  EXPECT_NE(one.out.find("realignment"), std::string::npos) << "resemblance shares: " << one.out;
  EXPECT_NE(slurp(a / "ensemble.json").find("\"resemblance\""), std::string::npos);
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(EnsembleCli, BadArgumentsFail) {
  EXPECT_NE(geosim("ensemble baseline --runs 0").code, 0);
  EXPECT_NE(geosim("ensemble baseline --parameter-sd -1").code, 0);
  const Output o = geosim("ensemble no-such-scenario --runs 2");
  EXPECT_NE(o.code, 0);
  EXPECT_EQ(lines(o.err), 1) << o.err;
  EXPECT_NE(geosim("compare").code, 0) << "needs at least one scenario";
  EXPECT_NE(geosim("matrix --policies shouting --runs 2").code, 0);
}

TEST(EnsembleCli, CompareShowsScenariosSideBySideAndWritesCsv) {
  const fs::path dir = temp_dir("compare");
  const Output o = geosim("compare baseline realignment --runs 30 --out " + dir.string());
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string header = o.out.substr(o.out.find("indicator"));
  EXPECT_NE(header.find("baseline"), std::string::npos);
  EXPECT_NE(header.find("realignment"), std::string::npos);
  EXPECT_NE(o.out.find("ASEAN cohesion"), std::string::npos);
  EXPECT_EQ(lines(slurp(dir / "compare.csv")), 1 + 2 * 10);
  EXPECT_FALSE(slurp(dir / "compare_thresholds.csv").empty());
  fs::remove_all(dir);
}

TEST(EnsembleCli, MatrixPrintsScoresRegretAndTheRobustOption) {
  const fs::path dir = temp_dir("matrix");
  const Output o = geosim("matrix --runs 10 --out " + dir.string());
  ASSERT_EQ(o.code, 0) << o.err;
  for (const char* word : {"no-action", "quiet-diplomacy", "asean-dialogue", "realignment", "max regret",
                           "Most robust option"})
    EXPECT_NE(o.out.find(word), std::string::npos) << word << "\n" << o.out;
  EXPECT_EQ(lines(slurp(dir / "matrix.csv")), 1 + 5 * 4);
  EXPECT_NE(slurp(dir / "matrix.json").find("\"robust\""), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
