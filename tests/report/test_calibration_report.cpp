// backtest.csv: its statistics read back as the doubles calibrate computed, so that an analyst
// recomputes a skill from its MSEs (1 - mse_model / mse_reference, docs/grounding.md).
#include <gtest/gtest.h>
#include <geosim/report/calibration_report.hpp>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "support/builders.hpp"

namespace geosim {
namespace {

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',')
      out.emplace_back();
    else
      out.back().push_back(c);
  }
  return out;
}

double read(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

TEST(BacktestCsv, SmallErrorsReadBackExactlySoTheSkillsRecompute) {
  const Scenario s = testing::make_scenario({"KOR", "PRK"});
  CalibrationResult result;
  DyadFit d;
  d.from = 0;
  d.to = 1;
  d.train_points = 8;
  d.test_points = 4;
  d.rms_one_step = 0.000712345678;
  d.rms_multi_step = 0.00081;
  d.mse_model = 4.9e-7;  // a model 0.0007 off: 0.000000 at six decimals
  d.mse_persistence = 5.3e-6;
  d.mse_mean = 1.0 / 3.0 * 1e-5;
  d.skill_persistence = 1.0 - d.mse_model / d.mse_persistence;
  d.skill_mean = 1.0 - d.mse_model / d.mse_mean;
  result.dyads.push_back(d);
  result.overall = d;
  result.overall.skill_mean = std::nan("");
  std::ostringstream out;
  write_backtest_csv(out, s, result);
  std::istringstream lines(out.str());
  std::string line;
  std::getline(lines, line);
  const std::vector<std::string> header = fields(line);
  ASSERT_EQ(header.size(), 11u);
  ASSERT_EQ(header[6], "mse_model");
  std::getline(lines, line);
  const std::vector<std::string> row = fields(line);
  ASSERT_EQ(row.size(), 11u) << line;
  EXPECT_EQ(row[0], "KOR");
  EXPECT_EQ(read(row[3]), d.rms_one_step);
  EXPECT_EQ(read(row[6]), 4.9e-7) << row[6];
  EXPECT_EQ(read(row[7]), 5.3e-6) << row[7];
  EXPECT_EQ(read(row[8]), d.mse_mean) << row[8];
  EXPECT_EQ(read(row[9]), 1.0 - read(row[6]) / read(row[7]));  // the skill from the file's own MSEs
  EXPECT_EQ(read(row[10]), 1.0 - read(row[6]) / read(row[8]));
  std::getline(lines, line);
  const std::vector<std::string> all = fields(line);
  ASSERT_EQ(all.size(), 11u) << line;
  EXPECT_EQ(all[0], "all");
  EXPECT_EQ(all[10], "");  // undefined: an empty field
}

}  // namespace
}  // namespace geosim
