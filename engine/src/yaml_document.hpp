#pragma once
// Internal: reading one YAML file as untrusted input, with limits, into a yaml-cpp tree.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "geosim/diagnostic.hpp"

namespace geosim::detail {

/// Limits on one input file; beyond them the file is refused with a clear message.
struct InputLimits {
  std::size_t max_bytes = 4u << 20;    ///< 4 MiB
  int max_flow_depth = 64;             ///< nested [ ] and { }
  int max_indent = 256;                ///< columns of block indentation
  std::size_t max_line_bytes = 16384;  ///< one line
};

/// Parses `text` (named `file` in messages) as one YAML document. On failure returns
/// nullopt and appends one diagnostic.
std::optional<YAML::Node> parse_yaml_text(const std::string& text, const std::string& file,
                                          std::vector<Diagnostic>& errors,
                                          const InputLimits& limits = {});

/// Reads and parses the file at `path`.
std::optional<YAML::Node> read_yaml_file(const std::string& path, std::vector<Diagnostic>& errors,
                                         const InputLimits& limits = {});

/// Runs `work` on a thread with a large stack, so deep input cannot overflow a small one.
void run_with_large_stack(void (*work)(void*), void* context);

}  // namespace geosim::detail
