#pragma once
// Running the geosim command line from tests: exit code, stdout and stderr.

#include <filesystem>
#include <string>

namespace geosim::testing {

struct Output {
  int code = -1;
  std::string out;
  std::string err;
};

/// A new empty folder under the system's temp folder, unique to this process.
std::filesystem::path temp_dir(const std::string& name);
/// The whole file as bytes ("" if it cannot be read).
std::string slurp(const std::filesystem::path& path);
/// Runs `geosim ARGS` with the shipped scenarios, no stdin, capturing stdout and stderr.
Output run_cli(const std::string& args);
/// Runs a shell command line with the shipped scenarios (GEOSIM_SCENARIOS), no stdin, capturing
/// stdout and stderr.
Output run_shell(const std::string& command);

}  // namespace geosim::testing
