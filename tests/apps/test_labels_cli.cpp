// What ran is said where its results are: `compare`'s columns name every policy they ran with
// (--policy's too), `compare` and `matrix` say the steps and the parameter sd their values are
// at, and a column, a matrix row or column, or a policy given twice is refused, however its path is
// spelled.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "support/cli.hpp"

namespace {
namespace fs = std::filesystem;

using geosim::testing::Output;
using geosim::testing::run_cli;
using geosim::testing::slurp;
using geosim::testing::temp_dir;

/// compare.csv's rows (after the header) for the column labelled `label`, label removed.
std::string rows_of(const std::string& csv, const std::string& label) {
  std::istringstream in(csv);
  std::string line, out;
  while (std::getline(in, line))
    if (line.rfind(label + ",", 0) == 0) out += line.substr(label.size()) + "\n";
  return out;
}

TEST(LabelsCli, CompareNamesThePoliciesOfPolicyInEveryColumn) {
  const fs::path dir = temp_dir("labels_compare");
  const Output with =
      run_cli("compare realignment baseline --policy quiet-diplomacy --runs 20 --out " + (dir / "with").string());
  ASSERT_EQ(with.code, 0) << with.err;
  const std::string csv = slurp(dir / "with" / "compare.csv");
  // Each column as it ran, so a file read later cannot be taken for the runs without the policy.
  EXPECT_EQ(rows_of(csv, "realignment"), "") << csv;
  EXPECT_EQ(rows_of(csv, "baseline"), "") << csv;
  const std::string policy_rows = rows_of(csv, "realignment+quiet-diplomacy");
  EXPECT_NE(policy_rows, "") << csv;
  EXPECT_NE(rows_of(csv, "baseline+quiet-diplomacy"), "") << csv;
  EXPECT_NE(with.out.find("realignment+quiet-diplomacy"), std::string::npos) << with.out;
  // The same column written out in full, without --policy: the same values under the same label.
  const Output typed = run_cli("compare realignment+quiet-diplomacy --runs 20 --out " + (dir / "typed").string());
  ASSERT_EQ(typed.code, 0) << typed.err;
  EXPECT_EQ(rows_of(slurp(dir / "typed" / "compare.csv"), "realignment+quiet-diplomacy"), policy_rows);
  // ... and different from the column without it, which keeps its plain name.
  const Output without = run_cli("compare realignment --runs 20 --out " + (dir / "without").string());
  ASSERT_EQ(without.code, 0) << without.err;
  EXPECT_NE(rows_of(slurp(dir / "without" / "compare.csv"), "realignment"), policy_rows);
  fs::remove_all(dir);
}

TEST(LabelsCli, MatrixSaysItsStepsAndParameterSdInTheTableAndTheJson) {
  const fs::path dir = temp_dir("labels_matrix");
  const Output o = run_cli(
      "matrix --runs 10 --parameter-sd 0.2 --steps 30 --seed 4 --policies no-action quiet-diplomacy "
      "--scenarios realignment baseline --out " +
      dir.string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("(10 runs per cell of 30 steps, seed 4, parameter sd 0.2; run r of every cell"),
            std::string::npos)
      << o.out;
  const auto record = nlohmann::json::parse(slurp(dir / "matrix.json"));
  EXPECT_EQ(record.at("steps"), nlohmann::json::array({30, 30}));
  EXPECT_EQ(record.at("parameter_sd"), 0.2);
  // Without --steps, each scenario's own length (52 weekly steps in both shipped files).
  const Output plain = run_cli("matrix --runs 2 --policies no-action --scenarios realignment baseline");
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_NE(plain.out.find("(2 runs per cell of 52 steps, seed 1; run r"), std::string::npos) << plain.out;
  fs::remove_all(dir);
}

TEST(LabelsCli, ACompareColumnGivenTwiceIsRefusedBeforeTheRuns) {
  Output o = run_cli("compare baseline realignment baseline --runs 5");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "geosim: error: column 3 ('baseline') is given twice (as column 1): give each column once\n");
  // the same once with --policy and once written out: the same runs
  o = run_cli("compare realignment+quiet-diplomacy realignment --policy quiet-diplomacy --runs 5");
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("is given twice"), std::string::npos) << o.err;
}

// validate says ok to a scenario that ensemble and analyze run though `run` could not keep its
// history, and warns about that after the ok.
TEST(LabelsCli, ValidateWarnsOfAHistoryTooLargeForRun) {
  const std::string file = std::string(GEOSIM_TEST_DATA) + "/hostile/too_big_to_run.yaml";
  const Output o = run_cli("validate " + file);
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, file + ": ok\n");
  EXPECT_NE(o.err.find(file + ": warning: `run`, `report` and `play`: a run of 100000 steps of 300 actors would need"),
            std::string::npos)
      << o.err;
}

TEST(LabelsCli, AMatrixRowOrColumnGivenTwiceIsRefusedBeforeTheRuns) {
  Output o = run_cli("matrix --runs 5 --policies no-action quiet-diplomacy quiet-diplomacy");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "geosim: error: --policies: 'quiet-diplomacy' is given twice (each is one row of the matrix)\n");
  o = run_cli("matrix --runs 5 --scenarios realignment baseline realignment");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "geosim: error: --scenarios: 'realignment' is given twice (each is one column of the matrix)\n");
}

// The same file under another spelling (a path to a shipped one, ./file) is the same column, row
// or policy: before, compare ran it twice for a paired effect of 0, matrix gave two equal rows, and
// a policy spelled twice applied twice (its changes doubled). Two files of one policy id are
// refused by the loader, at the second's id.
TEST(LabelsCli, TheSameFileSpelledTwoWaysIsGivenTwice) {
  const std::string shipped = std::string(GEOSIM_SOURCE_DIR) + "/scenarios";
  Output o = run_cli("compare baseline " + shipped + "/baseline.yaml --runs 5");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "geosim: error: column 2 ('" + shipped +
                       "/baseline.yaml') is given twice (as column 1): give each column once\n");
  o = run_cli("matrix --runs 5 --scenarios realignment --policies quiet-diplomacy " + shipped +
              "/policies/quiet-diplomacy.yaml");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "geosim: error: --policies: '" + shipped +
                       "/policies/quiet-diplomacy.yaml' is given twice (each is one row of the matrix)\n");
  o = run_cli("run baseline --policy quiet-diplomacy --policy " + shipped +
              "/policies/../policies/quiet-diplomacy.yaml");
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("is given twice (each policy applies once)"), std::string::npos) << o.err;

  const fs::path dir = temp_dir("labels_twice");
  const std::string policy = "policy:\n  id: lean\n  title: Lean\nadjust:\n  - between: [SGP, VNM]\n    tie: 0.05\n";
  geosim::testing::spit(dir / "a.yaml", policy);
  geosim::testing::spit(dir / "b.yaml", policy);
  o = run_cli("run baseline --steps 2 --policy " + (dir / "a.yaml").string() + " --policy " +
              (dir / "b.yaml").string() + " --out " + (dir / "out").string());
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, (dir / "b.yaml").string() + ":2:7: error: policy 'lean' is already applied (from " +
                       (dir / "a.yaml").string() + "): each policy applies once\n");
  // Two files of one policy id in two columns are two columns, told apart by the files as typed
  // (they were refused as the same column, by their labels).
  const std::string a = (dir / "a.yaml").string(), b = (dir / "b.yaml").string();
  o = run_cli("compare baseline baseline+" + a + " baseline+" + b + " --runs 2 --steps 2");
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("baseline+" + a), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("baseline+" + b), std::string::npos) << o.out;
  // ./a.yaml and a.yaml as compare columns' policies: one policy, refused the same way
  o = run_cli("compare baseline baseline+" + (dir / "a.yaml").string() + "+" + (dir / "." / "a.yaml").string() +
              " --runs 2");
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("is given twice (each policy applies once)"), std::string::npos) << o.err;
  fs::remove_all(dir);
}

}  // namespace
