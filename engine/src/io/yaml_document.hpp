#pragma once
// Internal: reading one YAML file as untrusted input, with limits, into a yaml-cpp tree.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "geosim/core/diagnostic.hpp"

namespace geosim::detail {

/// Limits on one input file; beyond them the file is refused with a clear message.
struct InputLimits {
  std::size_t max_bytes = 4u << 20;    ///< 4 MiB
  int max_flow_depth = 64;             ///< nested [ ] and { }
  int max_indent = 256;                ///< columns of block indentation
  std::size_t max_line_bytes = 16384;  ///< one line
};

/// The raw text of one input file: turns yaml-cpp's positions (0-based line, byte column)
/// into what an editor shows (1-based line, character column).
class SourceText {
 public:
  explicit SourceText(std::string text);
  const std::string& text() const { return text_; }
  /// Byte offset of yaml-cpp's (line, column), or npos when outside the text.
  std::size_t offset(int line, int column) const;
  /// 1-based column, in characters, of yaml-cpp's (line, column).
  int char_column(int line, int column) const;

 private:
  std::string text_;
  std::vector<std::size_t> line_starts_;
};

/// Parses `text` (named `file` in messages) as one YAML document. On failure returns
/// nullopt and appends one diagnostic.
std::optional<YAML::Node> parse_yaml_text(const std::string& text, const std::string& file,
                                          std::vector<Diagnostic>& errors, const InputLimits& limits = {});

/// The checks parse_yaml_text makes on the raw text before yaml-cpp sees it (size, encoding,
/// control bytes, line length, nesting, a single document); false with one diagnostic.
bool check_yaml_text(const std::string& text, const std::string& file, std::vector<Diagnostic>& errors,
                     const InputLimits& limits = {});

/// `text` without trailing white space, as parse_yaml_text gives it to yaml-cpp (0.7 takes a
/// quoted text left open up to the end of the file as closed when a line break follows it).
std::string trim_yaml_text(const std::string& text);

/// What the catalog reads of a file: its top-level `block:` mapping's `title` and `reference`
/// ("" when absent or not a scalar).
struct BlockHeader {
  bool found = false;     ///< the file's top level is a mapping whose `block` is a mapping
  std::string title;      ///< `block.title`
  std::string reference;  ///< `block.reference`, as written
  std::string by;         ///< `block.by` (a policy's actor), as written
};

/// The same as parsing `path` in full and reading `root[block]["title"]`, `["reference"]` and `["by"]`
/// (the first of duplicate keys), but from yaml-cpp's events up to the end of that block only,
/// without building the tree (the whole file when aliases precede the block's end). Nullopt
/// when the file is unreadable, fails check_yaml_text, is not valid YAML up to the block's end
/// or has no such block. What follows the block is not looked at: `geosim validate` does.
/// `problem`, when given, is set to why a file that could not be read or parsed was not (one
/// line, as `validate` prints it: `file:line:col: error: ...`, or `file: error: ...` where there
/// is no position), and left empty when nullopt only means no block: a mapping without the
/// block (an included file), unless a top-level key is a near miss of the block's (`scenaro:`,
/// said at that key) or `required` (a policies/ file). A document that is not a mapping (text,
/// a list) is a problem too.
std::optional<BlockHeader> read_block_header(const std::string& path, const std::string& block,
                                             const InputLimits& limits = {}, std::string* problem = nullptr,
                                             bool required = false);

/// Reads and parses the file at `path`; its text goes to `text_out` when given.
std::optional<YAML::Node> read_yaml_file(const std::string& path, std::vector<Diagnostic>& errors,
                                         const InputLimits& limits = {}, std::string* text_out = nullptr);

/// Runs `work` on a thread with a large stack, so deep input cannot overflow a small one.
void run_with_large_stack(void (*work)(void*), void* context);

}  // namespace geosim::detail
