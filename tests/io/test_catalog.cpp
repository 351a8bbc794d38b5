// The catalogue of shipped scenarios: which ones are the references that ensembles compare a run
// against and `geosim matrix` scores by default. That is data (`reference: N` in each scenario's
// YAML), not code; checked here against the source documents' own numbering of their scenarios.
#include <gtest/gtest.h>
#include <geosim/io/catalog.hpp>
#include <geosim/io/loader.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

#include <unistd.h>
#include "support/builders.hpp"
#include "support/cli.hpp"

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
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("geosim-catalog-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const char* name : {"b", "a", "c"}) {
    std::ofstream(dir / (std::string(name) + ".yaml"))
        << "scenario:\n  id: " << name << "\n  title: T\n"
        << (name[0] == 'c' ? "  reference: 1\n" : "") << (name[0] == 'b' ? "  reference: 2\n" : "");
  }
  EXPECT_EQ(reference_scenarios(dir.string()), (std::vector<std::string>{"c", "b"}));
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(reference_scenarios(dir.string()).empty());
}

/// Writes `files` (name -> text) into a fresh folder and lists it.
std::vector<CatalogEntry> list_of(const std::vector<std::pair<std::string, std::string>>& files) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("geosim-catalog-styles-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const auto& [name, text] : files) std::ofstream(dir / (name + ".yaml")) << text;
  auto entries = list_scenarios(dir.string());
  std::filesystem::remove_all(dir);
  return entries;
}

TEST(Catalog, TitleAndReferenceComeOutRightInAnyYamlStyle) {
  // The catalog reads only each file's `scenario:` block; what it reads must be what the YAML
  // means, however it is written (worked out by hand from the YAML 1.2 rules).
  const std::string big_section = [] {
    std::string text = "actors:\n";
    for (int k = 0; k < 2000; ++k)
      text += "  - {id: A" + std::to_string(k) + ", name: \"Actor, " + std::to_string(k) + "\"}\n";
    return text;
  }();
  const auto entries = list_of({
      {"a-flow", "{scenario: {title: \"Flow, styled\", reference: 3}, actors: [{id: A}, {id: B}]}\n"},
      {"b-escaped-keys", "\"scen\\x61rio\":\n  'title': \"T\\u00e9l\\u00e9\"\n  \"reference\": 2\n"},
      {"c-after-a-big-section", big_section + "scenario:\n  title: >-\n    Folded\n    title\n  reference: 4\n"},
      {"d-duplicate-keys", "scenario:\n  title: First\n  title: Second\n"},
      {"e-alias", "names:\n  - &t Aliased title\nscenario:\n  title: *t\n  reference: 1\n"},
      {"f-block-is-a-list", "scenario: [1, 2]\n"},
      {"g-invalid-before-the-block", "actors: [\n  {id: A\nscenario:\n  title: X\n"},
      {"h-nested-not-top-level", "other:\n  scenario:\n    title: Nested\n"},
      {"i-comments-and-markers",
       "--- # start\n# a comment\nscenario: # here\n  title: \"With # hash\" # c\n  reference: '2'\n...\n"},
      {"j-title-a-list", "scenario:\n  title: [a, b]\n  reference: 1\n"},
      {"k-explicit-key", "? scenario\n:\n  title: Explicit\n  reference: 3\n"},
      {"l-complex-key-before", "? [a, b]\n: 1\nscenario: {title: After a complex key}\n"},
      {"m-title-deeper-down", "scenario:\n  source:\n    title: Wrong\n    reference: 9\n  title: Right\n"},
      {"n-tagged", "scenario: !!map\n  title: !!str 2025\n  reference: !!int 3\n"},
      {"o-flow-over-lines", "scenario: {\n    title: 'Over\n      lines',\n    reference: 2 }\n"},
      {"p-null-block", "scenario:\nactors: []\n"},
      {"q-not-a-mapping", "- scenario: {title: In a list}\n"},
      {"r-second-document", "scenario: {title: One}\n---\nscenario: {title: Two}\n"},
      {"s-empty", ""},
  });
  std::vector<std::string> seen;
  for (const CatalogEntry& e : entries) seen.push_back(e.name + " | " + e.title + " | " + std::to_string(e.reference));
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "a-flow | Flow, styled | 3",
                      "b-escaped-keys | T\xC3\xA9l\xC3\xA9 | 2",
                      "c-after-a-big-section | Folded title | 4",
                      "d-duplicate-keys | First | 0",
                      "e-alias | Aliased title | 1",
                      "i-comments-and-markers | With # hash | 2",
                      "j-title-a-list |  | 1",
                      "k-explicit-key | Explicit | 3",
                      "l-complex-key-before | After a complex key | 0",
                      "m-title-deeper-down | Right | 0",
                      "n-tagged | 2025 | 3",
                      "o-flow-over-lines | Over lines | 2",
                  }));
}

TEST(Catalog, WhatFollowsTheBlockIsLeftToValidate) {
  // The catalog stops reading at the end of the `scenario:` block, so a file broken further down
  // is still listed (with its title); loading it (run, validate) names the error.
  const auto entries = list_of({{"broken-later", "scenario:\n  title: Broken later\n  reference: 1\nactors: [\n"}});
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].title, "Broken later");
  EXPECT_EQ(entries[0].reference, 1);
  const LoadResult loaded =
      load_scenario_text("scenario:\n  title: Broken later\n  reference: 1\nactors: [\n", "b.yaml");
  ASSERT_EQ(loaded.errors.size(), 1u);
  EXPECT_EQ(loaded.errors[0].line, 4) << "the list opened on line 4 and never closed";
  EXPECT_NE(loaded.errors[0].message.find("expected ',' or ']'"), std::string::npos) << loaded.errors[0].message;
}

TEST(Catalog, FilesThatCannotBeReadAreNamedNotDropped) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("geosim-catalog-broken-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "policies");
  std::ofstream(dir / "good.yaml") << "scenario:\n  title: Good\n";
  std::ofstream(dir / "actors.yaml") << "actors:\n  - {id: A}\n";  // no block: not a scenario, not said
  std::ofstream(dir / "broken.yaml") << "scenario:\n  id: x\n  title: [unclosed\n";  // the flow opens on line 3
  std::ofstream(dir / "policies" / "bad.yaml") << "policy: {id: p, title: \"P\n";
  const auto scenarios = list_scenarios(dir.string());
  ASSERT_EQ(scenarios.size(), 1u);
  EXPECT_EQ(scenarios[0].name, "good");
  const auto unreadable = list_unreadable(dir.string());
  ASSERT_EQ(unreadable.size(), 2u);
  EXPECT_EQ(unreadable[0].path, (dir / "broken.yaml").string());
  // As the loader (validate) says it: the file, where (the end of line 3, where the list should
  // have closed: column 19) and why.
  EXPECT_EQ(unreadable[0].title,
            (dir / "broken.yaml").string() +
                ":3:19: error: invalid YAML: expected ',' or ']' in a [ ] list, found the end of the file");
  const auto validated = geosim::testing::run_cli("validate " + (dir / "broken.yaml").string());
  EXPECT_NE(validated.err.find(unreadable[0].title), std::string::npos) << validated.err;
  EXPECT_EQ(unreadable[1].path, (dir / "policies" / "bad.yaml").string());
  EXPECT_EQ(unreadable[1].title.rfind((dir / "policies" / "bad.yaml").string() + ":1:", 0), 0u) << unreadable[1].title;
  // With a scenario that runs too, the lists are printed and the exit code says something was
  // left out; good.yaml reads but does not load (no id, no actors): left out the same way, with
  // its first problem as validate says it.
  std::ofstream(dir / "runs.yaml") << "scenario: {id: runs, title: Runs, start: 2025-01-01, steps: 3}\n"
                                      "actors:\n  - {id: A, name: A}\n  - {id: B, name: B}\n";
  const auto partial = geosim::testing::run_cli("list --scenarios-dir " + dir.string());
  EXPECT_EQ(partial.code, 1);
  EXPECT_NE(partial.out.find("  runs                       Runs\n"), std::string::npos) << partial.out;
  EXPECT_EQ(partial.out.find("Good"), std::string::npos) << partial.out;
  EXPECT_NE(partial.out.find("Not listed: 3 files cannot be read or loaded"), std::string::npos) << partial.out;
  EXPECT_NE(partial.err.find(unreadable[0].title + "\n"), std::string::npos) << partial.err;
  const auto good = geosim::testing::run_cli("validate " + (dir / "good.yaml").string());
  ASSERT_EQ(good.code, 1);
  EXPECT_NE(partial.err.find(good.err.substr(0, good.err.find('\n') + 1)), std::string::npos)
      << partial.err << good.err;
  // A scenario whose include does not load is named itself, then the include's problem: one
  // line each, so two scenarios including the same broken file are two lines.
  std::ofstream(dir / "uses1.yaml")
      << "scenario: {id: u1, title: U1, start: 2025-01-01, steps: 3}\ninclude: [broken.yaml]\n";
  std::ofstream(dir / "uses2.yaml")
      << "scenario: {id: u2, title: U2, start: 2025-01-01, steps: 3}\ninclude: [broken.yaml]\n";
  const auto including = geosim::testing::run_cli("list --scenarios-dir " + dir.string());
  EXPECT_EQ(including.code, 1);
  for (const char* name : {"uses1.yaml", "uses2.yaml"})
    EXPECT_NE(including.err.find((dir / name).string() + ": error: does not load: " + (dir / "broken.yaml").string() +
                                 ":3:19: error: invalid YAML"),
              std::string::npos)
        << including.err;
  std::filesystem::remove(dir / "uses1.yaml");
  std::filesystem::remove(dir / "uses2.yaml");
  // A folder whose every scenario is unreadable: `list` names them before it fails.
  std::filesystem::remove(dir / "good.yaml");
  std::filesystem::remove(dir / "runs.yaml");
  const auto listed = geosim::testing::run_cli("list --scenarios-dir " + dir.string());
  EXPECT_EQ(listed.code, 1);
  EXPECT_NE(listed.out.find("Not listed: 2 files cannot be read or loaded"), std::string::npos) << listed.out;
  EXPECT_NE(listed.err.find((dir / "broken.yaml").string() + ":3:19: error: invalid YAML"), std::string::npos)
      << listed.err;
  EXPECT_NE(listed.err.find("no scenarios found in"), std::string::npos) << listed.err;
  std::filesystem::remove_all(dir);
}

// A file meant as a scenario or a policy whose block's key is misspelt, or that is no mapping
// at all, is named where the key is, not left out silently; a file the scenarios include (a
// mapping without the block) is not a problem, and every file of policies/ is a policy.
TEST(Catalog, AMisspeltBlockOrTextIsNamedAndAnIncludeIsNot) {
  const auto dir = geosim::testing::temp_dir("catalog_misspelt");
  std::filesystem::create_directories(dir / "policies");
  std::ofstream(dir / "runs.yaml") << "scenario: {id: runs, title: Runs, start: 2025-01-01, steps: 3}\n"
                                      "include: [actors.yaml]\n";
  std::ofstream(dir / "actors.yaml") << "actors:\n  - {id: A, name: A}\n  - {id: B, name: B}\n";
  std::ofstream(dir / "typo.yaml") << "# a comment\nscenaro:\n  id: t\n";
  std::ofstream(dir / "text.yaml") << "just a string\n";
  std::ofstream(dir / "scalar.yaml") << "scenario: x\n";
  std::ofstream(dir / "empty.yaml") << "# only a comment\n---\n";
  std::ofstream(dir / "policies" / "typo.yaml") << "polcy: {id: p, title: P}\n";
  std::ofstream(dir / "policies" / "other.yaml") << "adjust: []\n";
  EXPECT_EQ(list_scenarios(dir.string()).size(), 1u);
  const auto unreadable = list_unreadable(dir.string());
  std::vector<std::string> titles;
  for (const auto& e : unreadable) titles.push_back(e.title);
  const std::string d = dir.string() + "/";
  const std::vector<std::string> expected = {
      d + "empty.yaml:1:1: error: expected a mapping with a `scenario:` block, found an empty document",
      d + "policies/other.yaml:1:1: error: no `policy:` block (a policy file has one)",
      d + "policies/typo.yaml:1:1: error: unknown key 'polcy' in a policy file; did you mean 'policy'?",
      d + "scalar.yaml:1:1: error: expected 'scenario' as a mapping (title:, ...)",
      d + "text.yaml:1:1: error: expected a mapping with a `scenario:` block, found text or a list",
      d + "typo.yaml:2:1: error: unknown key 'scenaro' in a scenario file; did you mean 'scenario'?"};
  EXPECT_EQ(titles, expected);
  // validate says the same of the misspelt key, where it is
  const auto validated = geosim::testing::run_cli("validate " + (dir / "typo.yaml").string());
  EXPECT_NE(validated.err.find(d + "typo.yaml:2:1: error: unknown key 'scenaro'"), std::string::npos) << validated.err;
  const auto listed = geosim::testing::run_cli("list --scenarios-dir " + dir.string());
  EXPECT_EQ(listed.code, 1);
  EXPECT_NE(listed.out.find("Not listed: 6 files"), std::string::npos) << listed.out;
  std::filesystem::remove_all(dir);
}

TEST(Catalog, ReferenceMustBeAPositiveInteger) {
  const LoadResult bad = load_scenario_text(
      "scenario:\n  id: x\n  title: X\n  start: 2025-01-01\n  steps: 2\n  reference: 0\nactors:\n  - {id: A}\n  - {id: "
      "B}\n",
      "x.yaml");
  ASSERT_FALSE(bad.errors.empty());
  EXPECT_EQ(bad.errors[0].line, 6);
  EXPECT_NE(bad.errors[0].message.find("reference scenarios"), std::string::npos) << bad.errors[0].message;
}

}  // namespace
}  // namespace geosim
