// Writes every case of the YAML test suite to OUT_DIR/<id>.yaml, as seed corpus for the
// loader's fuzzer. Usage: yaml_suite_corpus DATA_DIR OUT_DIR
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support/yaml_suite.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: yaml_suite_corpus DATA_DIR OUT_DIR\n");
    return 2;
  }
  std::string error;
  const auto cases = geosim::testing::read_yaml_suite(argv[1], error);
  if (cases.empty()) {
    std::fprintf(stderr, "yaml_suite_corpus: %s\n", error.c_str());
    return 1;
  }
  std::filesystem::create_directories(argv[2]);
  for (const auto& c : cases)
    std::ofstream(std::filesystem::path(argv[2]) / (c.id + ".yaml"), std::ios::binary) << c.yaml;
  std::printf("yaml_suite_corpus: %zu cases written to %s\n", cases.size(), argv[2]);
  return 0;
}
