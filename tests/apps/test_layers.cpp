// The engine's layers run downhill (docs/architecture.md): every #include in engine/src/<layer>/
// and engine/include/geosim/<layer>/ names its own layer or one below it; the core uses no
// third-party library but Eigen; each layer only the libraries its CMake target links; and no
// engine source file reaches 500 lines. The linker enforces the direction of calls (each layer's
// library links only the layers below it); this test catches an include that reaches up.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr std::array<const char*, 5> kLayers = {"core", "io", "analysis", "tabletop", "report"};
constexpr std::size_t kMaxLines = 500;

/// Third-party headers (by their first path component) each layer may not include.
const std::map<std::string, std::set<std::string>> kBanned = {
    {"core", {"yaml-cpp", "nlohmann", "boost", "fmt", "Spectra", "CLI11", "httplib.h", "kainjow"}},
    {"io", {"boost", "Spectra", "CLI11", "httplib.h", "kainjow"}},
    {"analysis", {"yaml-cpp", "CLI11", "httplib.h", "kainjow"}},
    {"tabletop", {"yaml-cpp", "boost", "Spectra", "CLI11", "kainjow"}},
    {"report", {"yaml-cpp", "CLI11"}},
};

/// One line per problem: file:line: what.
std::vector<std::string> layer_problems(const fs::path& root) {
  std::vector<std::string> problems;
  const std::regex include(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  for (std::size_t rank = 0; rank < kLayers.size(); ++rank) {
    const std::string layer = kLayers[rank];
    for (const fs::path& dir : {root / "engine/src" / layer, root / "engine/include/geosim" / layer}) {
      if (!fs::is_directory(dir)) continue;
      std::vector<fs::path> files;
      for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file()) files.push_back(entry.path());
      std::sort(files.begin(), files.end());
      for (const fs::path& file : files) {
        const std::string shown = fs::relative(file, root).string();
        std::ifstream in(file);
        std::string line;
        std::size_t number = 0;
        while (std::getline(in, line)) {
          ++number;
          std::smatch m;
          if (!std::regex_search(line, m, include)) continue;
          const std::string header = m[1];
          if (header.rfind("geosim/", 0) == 0) {
            const std::string target = header.substr(7, header.find('/', 7) - 7);
            const auto at = std::find(kLayers.begin(), kLayers.end(), target);
            if (at == kLayers.end() || std::size_t(at - kLayers.begin()) > rank)
              problems.push_back(shown + ":" + std::to_string(number) + ": the " + layer + " layer includes " + header +
                                 " from a layer above it");
          } else if (kBanned.at(layer).count(header.substr(0, header.find('/')))) {
            problems.push_back(shown + ":" + std::to_string(number) + ": the " + layer + " layer includes " + header);
          }
        }
        if (file.extension() == ".cpp" && number >= kMaxLines)
          problems.push_back(shown + ": " + std::to_string(number) + " lines, the limit is " +
                             std::to_string(kMaxLines));
      }
    }
  }
  return problems;
}

TEST(Layers, EveryIncludeRunsDownhill) {
  const std::vector<std::string> problems = layer_problems(GEOSIM_SOURCE_DIR);
  std::string all;
  for (const auto& p : problems) all += p + "\n";
  EXPECT_TRUE(problems.empty()) << all;
}

TEST(Layers, TheCheckCatchesAnIncludeThatReachesUp) {
  // A fixture tree with a core source including the report layer and yaml-cpp, and an io header
  // including the tabletop layer: three problems, each named by file and line.
  const std::vector<std::string> problems = layer_problems(fs::path(GEOSIM_TEST_DATA) / "layers_upward");
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0],
            "engine/src/core/upward.cpp:2: the core layer includes geosim/report/report.hpp from a "
            "layer above it");
  EXPECT_EQ(problems[1], "engine/src/core/upward.cpp:3: the core layer includes yaml-cpp/yaml.h");
  EXPECT_EQ(problems[2],
            "engine/include/geosim/io/upward.hpp:3: the io layer includes geosim/tabletop/session.hpp "
            "from a layer above it");
}

// Tests and benchmarks reach an engine-internal header through the geosim_test_internal target's
// include directory ("core/leaf_sort.hpp"), never by a relative path into the source tree.
TEST(Layers, TestsIncludeNoHeaderByARelativePath) {
  const fs::path root = GEOSIM_SOURCE_DIR;
  const std::regex relative(R"(^\s*#\s*include\s*[<"][^>"]*\.\./)");
  std::string problems;
  for (const char* folder : {"tests", "bench"})
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
      std::ifstream in(entry.path());
      std::size_t number = 0;
      for (std::string line; std::getline(in, line);)
        if (++number, std::regex_search(line, relative))
          problems += fs::relative(entry.path(), root).string() + ":" + std::to_string(number) + ": " + line + "\n";
    }
  EXPECT_EQ(problems, "");
}

// "Files stay short": every C++ source and header of the engine, the program, the tests and the
// benchmarks, and every script of the pages, is under kMaxLines lines (the engine's sources are
// also checked above, with the layers).
TEST(Layers, EveryFileIsUnderTheLineLimit) {
  const fs::path root = GEOSIM_SOURCE_DIR;
  std::string problems;
  std::size_t checked = 0;
  for (const char* folder : {"engine", "apps", "tests", "bench", "templates"})
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".js" && ext != ".mjs")) continue;
      if (entry.path().string().find("/tests/data/") != std::string::npos) continue;  // fixtures
      std::ifstream in(entry.path());
      std::size_t lines = 0;
      for (std::string line; std::getline(in, line);) ++lines;
      ++checked;
      if (lines >= kMaxLines)
        problems += fs::relative(entry.path(), root).string() + ": " + std::to_string(lines) + " lines\n";
    }
  EXPECT_GT(checked, 100u);
  EXPECT_EQ(problems, "") << "the limit is " << kMaxLines;
}

}  // namespace
