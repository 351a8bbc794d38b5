// Paired effects: the summary of run-by-run differences against hand-worked numbers, and
// `geosim compare` with a policy per column against runs made one by one.
#include <gtest/gtest.h>
#include <geosim/core/paired.hpp>
#include <geosim/core/run.hpp>
#include <geosim/io/loader.hpp>
#include <geosim/io/number_text.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "support/builders.hpp"
#include "support/cli.hpp"

namespace geosim {
namespace {

TEST(Paired, SummaryOfAHandWorkedExample) {
  // d = with - without = {1, 2, 3, -1, 5}: mean 10/5 = 2, four of five positive; sorted
  // {-1, 1, 2, 3, 5}: type 7 at 5 % is h = 0.2 -> -1 + 0.2 * 2 = -0.6, at 95 % h = 3.8 -> 3 + 0.8 * 2.
  const PairedSummary s = paired_summary({1, 2, 3, 4, 5}, {0, 0, 0, 5, 0});
  EXPECT_EQ(s.runs, 5);
  EXPECT_DOUBLE_EQ(s.mean, 2.0);
  EXPECT_DOUBLE_EQ(s.sign_agreement, 0.8);
  EXPECT_DOUBLE_EQ(s.low, -0.6);
  EXPECT_DOUBLE_EQ(s.high, 4.6);
}

TEST(Paired, NegativeMeanCountsNegativeRunsAndZeroMeanCountsTies) {
  const PairedSummary neg = summarize_differences({-3, -1, 1});
  EXPECT_DOUBLE_EQ(neg.mean, -1.0);
  EXPECT_DOUBLE_EQ(neg.sign_agreement, 2.0 / 3.0);
  const PairedSummary none = paired_summary({0.25, 0.5}, {0.25, 0.5});
  EXPECT_EQ(none.mean, 0.0);
  EXPECT_EQ(none.sign_agreement, 1.0);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_EQ(none.high, 0.0);
}

TEST(Paired, PairsOnlyTheRunsBothSidesHaveAndEmptyIsZero) {
  EXPECT_EQ(paired_summary({1, 2, 3}, {0, 0}).runs, 2);
  EXPECT_DOUBLE_EQ(paired_summary({1, 2, 3}, {0, 0}).mean, 1.5);
  const PairedSummary empty = summarize_differences({});
  EXPECT_EQ(empty.runs, 0);
  EXPECT_EQ(empty.mean, 0.0);
}

TEST(Paired, EndEffectPairsRunRWithRunR) {
  EnsembleResult with, without;
  with.runs = without.runs = 3;
  with.indicator_count = 2;
  without.indicator_count = 1;
  with.end = {9, 1.0, 9, 2.0, 9, 3.0};  // indicator 1 is the one compared
  without.end = {0.5, 2.5, 1.0};
  const PairedSummary s = paired_end_effect(with, 1, without, 0);
  EXPECT_DOUBLE_EQ(s.mean, (0.5 - 0.5 + 2.0) / 3.0);
  EXPECT_DOUBLE_EQ(s.sign_agreement, 2.0 / 3.0);
}

Scenario load(const std::string& name, const std::vector<std::string>& policies = {}) {
  LoadOptions options;
  for (const auto& p : policies) options.policies.push_back(testing::shipped("policies/" + p + ".yaml"));
  LoadResult result = load_scenario(testing::shipped(name + ".yaml"), options);
  for (const auto& e : result.errors) ADD_FAILURE() << format_diagnostic(e);
  return result.ok() ? *result.scenario : Scenario{};
}

/// The row of compare_paired.csv for (column, indicator): mean, p5, p95, sign_agreement.
std::vector<double> paired_row(const std::string& csv, const std::string& column, const std::string& indicator) {
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
    if (f.size() == 7 && f[0] == column && f[2] == indicator)
      return {std::stod(f[3]), std::stod(f[4]), std::stod(f[5]), std::stod(f[6])};
  }
  return {};
}

TEST(PairedCompare, APolicyPerColumnIsSetAgainstTheFirstColumnRunByRun) {
  const auto dir = testing::temp_dir("paired_compare");
  const auto o = testing::run_cli(
      "compare realignment realignment+quiet-diplomacy expanded-cooperation --runs 40 "
      "--threads 2 --out " +
      dir.string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("realignment+quiet-diplomacy"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Paired effects against realignment"), std::string::npos) << o.out;
  // The same numbers from 40 single runs made here, paired by hand.
  const Scenario plain = load("realignment"), with = load("realignment", {"quiet-diplomacy"});
  std::size_t k = 0;
  while (plain.indicators[k].id != "vnm_usa") ++k;
  std::vector<double> a, b;
  for (std::uint64_t r = 0; r < 40; ++r) {
    a.push_back(run_scenario(with, RunOptions{1, r, -1}).indicators.back()[k]);
    b.push_back(run_scenario(plain, RunOptions{1, r, -1}).indicators.back()[k]);
  }
  double mean = 0.0;
  int up = 0;
  for (std::size_t r = 0; r < a.size(); ++r) mean += (a[r] - b[r]) / 40.0, up += a[r] > b[r];
  const auto row = paired_row(testing::slurp(dir / "compare_paired.csv"), "realignment+quiet-diplomacy", "vnm_usa");
  ASSERT_EQ(row.size(), 4u);
  EXPECT_NEAR(row[0], mean, 1e-6);
  EXPECT_NEAR(row[3], (mean > 0 ? up : 40 - up) / 40.0, 1e-6);
  EXPECT_LE(row[1], row[0]);
  EXPECT_GE(row[2], row[0]);
  EXPECT_EQ(paired_row(testing::slurp(dir / "compare_paired.csv"), "expanded-cooperation", "vnm_usa").size(), 4u);
}

TEST(PairedReport, TheReportShowsTheEffectOfItsPoliciesOrOfTheScenarioRunByRun) {
  const auto dir = testing::temp_dir("paired_report");
  auto o = testing::run_cli("report realignment --runs 20 --policy quiet-diplomacy --graphviz none --out " +
                            (dir / "a.html").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(testing::slurp(dir / "a.html").find("Effect against realignment without its policies, run by run"),
            std::string::npos);
  o = testing::run_cli("report realignment --runs 20 --graphviz none --out " + (dir / "b.html").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(testing::slurp(dir / "b.html").find("Effect against the baseline, run by run"), std::string::npos);
  o = testing::run_cli("report baseline --runs 20 --graphviz none --out " + (dir / "c.html").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(testing::slurp(dir / "c.html").find("run by run</h3>"), std::string::npos);  // nothing to set against
}

// A scenario in a copy of the scenarios folder is measured against the baseline of its own
// folder (the one it includes), named in the report, not the shipped one of the same name.
TEST(PairedReport, AnEditedCopyIsSetAgainstTheBaselineBesideIt) {
  const auto dir = testing::temp_dir("paired_report_copy");
  std::filesystem::copy(GEOSIM_SCENARIOS_DIR, dir / "my", std::filesystem::copy_options::recursive);
  std::string base = testing::slurp(dir / "my" / "baseline.yaml");
  const std::string apec = "      - between: [USA, CHN]\n        tension: -0.06\n";
  ASSERT_NE(base.find(apec), std::string::npos);
  base.replace(base.find(apec), apec.size(), "      - between: [USA, CHN]\n        tension: -0.30\n");
  std::ofstream(dir / "my" / "baseline.yaml") << base;
  auto o = testing::run_cli("report " + (dir / "my" / "realignment.yaml").string() +
                            " --runs 20 --graphviz none --out " + (dir / "r.html").string());
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string page = testing::slurp(dir / "r.html");
  EXPECT_NE(page.find("Effect against the baseline beside it ("), std::string::npos);
  EXPECT_NE(page.find("my/baseline.yaml)"), std::string::npos);
  // The effect is compare's between the two files of the copy (DPRK-US: the edited APEC event
  // is on both sides), not compare's against the shipped baseline, which differs.
  o = testing::run_cli("compare " + (dir / "my" / "baseline.yaml").string() + " " +
                       (dir / "my" / "realignment.yaml").string() + " --runs 20 --out " + (dir / "c").string());
  ASSERT_EQ(o.code, 0) << o.err;
  o = testing::run_cli("compare baseline " + (dir / "my" / "realignment.yaml").string() + " --runs 20 --out " +
                       (dir / "s").string());
  ASSERT_EQ(o.code, 0) << o.err;
  const auto own = paired_row(testing::slurp(dir / "c" / "compare_paired.csv"), "realignment", "prk_usa");
  const auto shipped = paired_row(testing::slurp(dir / "s" / "compare_paired.csv"), "realignment", "prk_usa");
  ASSERT_EQ(own.size(), 4u);
  ASSERT_EQ(shipped.size(), 4u);
  ASSERT_GT(std::abs(own[0] - shipped[0]), 1e-3) << "the two baselines give other effects";
  EXPECT_NE(page.find("<td class=\"num\">" + signed_change(own[0], 4) + "</td>"), std::string::npos)
      << signed_change(own[0], 4);
  EXPECT_EQ(page.find("<td class=\"num\">" + signed_change(shipped[0], 4) + "</td>"), std::string::npos);
  // The shipped scenario and its copy, side by side: two columns of one id go by what was typed.
  const std::string copy = (dir / "my" / "realignment.yaml").string();
  o = testing::run_cli("compare realignment " + copy + " --runs 5 --out " + (dir / "d").string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("Paired effects against realignment"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find(copy), std::string::npos) << o.out;
  EXPECT_EQ(paired_row(testing::slurp(dir / "d" / "compare_paired.csv"), copy, "prk_usa").size(), 4u);
  std::filesystem::remove_all(dir);
}

TEST(PairedCompare, ABadColumnIsOneError) {
  for (const char* column :
       {"realignment+", "+quiet-diplomacy", "realignment++quiet-diplomacy", "realignment+no-such-policy"}) {
    const auto o = testing::run_cli(std::string("compare realignment ") + column + " --runs 2");
    EXPECT_EQ(o.code, 1) << column;
    EXPECT_NE(o.err.find("geosim: error:"), std::string::npos) << column << ": " << o.err;
  }
}

}  // namespace
}  // namespace geosim
