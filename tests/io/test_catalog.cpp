// The catalogue of shipped scenarios: which ones are the references that ensembles compare a run
// against and `geosim matrix` scores by default. That is data (`reference: N` in each scenario's
// YAML), not code; checked here against the source documents' own numbering of their scenarios.
#include <geosim/io/catalog.hpp>
#include <geosim/io/loader.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "support/builders.hpp"
#include <unistd.h>

namespace geosim {
namespace {

TEST(Catalog, ReferenceScenariosAreTheDocumentsFourInTheirOrder) {
  // The documents number their scenarios 1 to 4 ("Scenario 2: Expanded Cooperation", ...); each
  // shipped reference cites that heading as its source and carries the number as `reference:`.
  const std::vector<std::string> names = reference_scenarios(GEOSIM_SCENARIOS_DIR);
  ASSERT_EQ(names.size(), 4u);
  const std::regex heading(R"(^Scenario (\d): )");
  for (std::size_t k = 0; k < names.size(); ++k) {
    const LoadResult loaded = load_scenario(std::string(GEOSIM_SCENARIOS_DIR) + "/" + names[k] + ".yaml");
    ASSERT_TRUE(loaded.ok()) << names[k];
    const Scenario& s = *loaded.scenario;
    EXPECT_EQ(s.reference, int(k) + 1) << names[k];
    ASSERT_TRUE(s.source) << names[k];
    std::smatch m;
    ASSERT_TRUE(std::regex_search(s.source->quote, m, heading)) << s.source->quote;
    EXPECT_EQ(std::stoi(m[1]), int(k) + 1) << names[k] << " cites " << s.source->quote;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"symbolic-visit", "expanded-cooperation", "intermediary", "realignment"}));
}

TEST(Catalog, AFolderWithoutReferencesHasNone) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("geosim-catalog-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const char* name : {"b", "a", "c"}) {
    std::ofstream(dir / (std::string(name) + ".yaml"))
        << "scenario:\n  id: " << name << "\n  title: T\n" << (name[0] == 'c' ? "  reference: 1\n" : "")
        << (name[0] == 'b' ? "  reference: 2\n" : "");
  }
  EXPECT_EQ(reference_scenarios(dir.string()), (std::vector<std::string>{"c", "b"}));
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(reference_scenarios(dir.string()).empty());
}

TEST(Catalog, ReferenceMustBeAPositiveInteger) {
  const LoadResult bad = load_scenario_text(
      "scenario:\n  id: x\n  title: X\n  start: 2025-01-01\n  steps: 2\n  reference: 0\nactors:\n  - {id: A}\n  - {id: B}\n",
      "x.yaml");
  ASSERT_FALSE(bad.errors.empty());
  EXPECT_EQ(bad.errors[0].line, 6);
  EXPECT_NE(bad.errors[0].message.find("reference scenarios"), std::string::npos) << bad.errors[0].message;
}

}  // namespace
}  // namespace geosim
