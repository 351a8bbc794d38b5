// read_block_header (yaml_document.hpp): a file's top-level `block:` mapping's title,
// reference and by, from yaml-cpp's events, stopping at the end of that mapping, so listing the
// catalog does not build the tree of every file (world-200.yaml's is 122 KB).
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <sstream>

#include "geosim/core/diagnostic.hpp"

#include "geosim/io/input_file.hpp"
#include "yaml_document.hpp"

namespace geosim::detail {
namespace {

struct Done {};       // the block has been read (or cannot be there): stop the parser
struct NeedsTree {};  // an alias before the end of the block: read the file in full instead

/// Follows the events with a stack of open collections; what a full parse's
/// `root[block]["title"]` and `["reference"]` would give (first of duplicate keys, as there).
class HeaderEvents : public YAML::EventHandler {
 public:
  explicit HeaderEvents(const std::string& block) : block_(block) {}
  BlockHeader header;
  bool root_is_map = false;
  bool any_node = false;  ///< the document is not empty
  /// The root map's scalar keys and where they are (1-based line, column), the first 64.
  std::vector<std::pair<std::string, std::pair<int, int>>> root_keys;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override { throw Done{}; }
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {
    any_node = any_node || !stack_.empty();  // a null document (`---` alone) is an empty one
    node(nullptr);
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { throw NeedsTree{}; }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string& value) override {
    any_node = true;
    if (stack_.size() == 1 && stack_.back().map && stack_.back().at_key && root_keys.size() < 64)
      root_keys.push_back({value, {mark.line + 1, mark.column + 1}});
    node(&value);
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    any_node = true;
    open(false);
  }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    any_node = true;
    open(true);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    bool map = false;
    bool at_key = true;  ///< a map's next node is a key
    std::string key;     ///< the current entry's key, when a scalar
    bool key_scalar = false;
  };
  const std::string& block_;
  std::vector<Frame> stack_;
  bool seen_title_ = false, seen_reference_ = false, seen_by_ = false;

  /// The header's field for a key of the block, and whether it was seen; null for another key.
  std::pair<std::string*, bool*> field(const std::string& key) {
    if (key == "title") return {&header.title, &seen_title_};
    if (key == "reference") return {&header.reference, &seen_reference_};
    if (key == "by") return {&header.by, &seen_by_};
    return {nullptr, nullptr};
  }

  /// Where the next node goes: 1 = the root map's value for `block`, 2 = the block's value
  /// for "title", "reference" or "by" (the key in `which`), 0 = elsewhere.
  int place(std::string& which) {
    if (stack_.empty()) return 0;
    const Frame& top = stack_.back();
    if (!top.map || top.at_key || !top.key_scalar) return 0;
    if (stack_.size() == 1 && top.key == block_) return 1;
    if (stack_.size() == 2 && header.found && field(top.key).first) {
      which = top.key;
      return 2;
    }
    return 0;
  }
  /// A scalar or null node: a key or a value of the top map.
  void node(const std::string* scalar) {
    if (stack_.empty()) throw Done{};  // a scalar or null document: no block
    std::string which;
    const int where = place(which);
    if (where == 1) throw Done{};  // the block is a scalar or null, not a mapping: no block
    if (where == 2) {
      const auto [value, seen] = field(which);
      if (!*seen && scalar) *value = *scalar;
      *seen = true;
    }
    Frame& top = stack_.back();
    if (!top.map) return;
    if (top.at_key) {
      top.key = scalar ? *scalar : std::string();
      top.key_scalar = scalar != nullptr;
    }
    top.at_key = !top.at_key;
  }
  void open(bool map) {
    if (stack_.empty()) {
      if (!map) throw Done{};  // a list document: no block
      root_is_map = true;
    } else {
      std::string which;
      const int where = place(which);
      if (where == 1 && !map) throw Done{};                                             // the block is a list: no block
      if (where == 1) header.found = true;                                              // its mapping opens now
      if (where == 2) *field(which).second = true;                                      // a collection, not a scalar
      if (stack_.back().map && stack_.back().at_key) stack_.back().key_scalar = false;  // a collection as key
    }
    stack_.push_back({map, true, {}, false});
  }
  void close() {
    if (stack_.size() == 2 && header.found) throw Done{};  // the block's mapping is complete
    stack_.pop_back();
    if (stack_.empty()) throw Done{};
    if (stack_.back().map) stack_.back().at_key = !stack_.back().at_key;
  }
};

struct HeaderJob {
  const std::string* text;
  const std::string* block;
  BlockHeader header;
  bool ok = false, needs_tree = false;
  std::string problem;  ///< why the YAML could not be read up to the block's end
  bool root_is_map = false, any_node = false;
  std::vector<std::pair<std::string, std::pair<int, int>>> root_keys;
};

void header_job(void* context) {
  auto* job = static_cast<HeaderJob*>(context);
  HeaderEvents events(*job->block);
  try {
    std::istringstream in(*job->text);
    YAML::Parser parser(in);
    parser.HandleNextDocument(events);
    job->ok = true;  // the whole document (no block found, or an empty file)
  } catch (const Done&) {
    job->ok = true;
  } catch (const NeedsTree&) {
    job->needs_tree = true;
  } catch (const YAML::Exception& e) {  // invalid YAML before the block's end: not listed, but said
    job->problem = "line " + std::to_string(e.mark.line + 1) + ": " + e.msg;
  } catch (const std::exception& e) {
    job->problem = e.what();
  }
  job->header = events.header;
  job->root_is_map = events.root_is_map;
  job->any_node = events.any_node;
  job->root_keys = std::move(events.root_keys);
  if (!events.root_is_map) job->header = {};
}

}  // namespace

std::optional<BlockHeader> read_block_header(const std::string& path, const std::string& block,
                                             const InputLimits& limits, std::string* problem, bool required) {
  std::string ignored;
  std::string& why = problem ? *problem : ignored;
  why.clear();
  InputText input = read_input_file(path, limits.max_bytes);
  if (!input.text) {
    why = format_diagnostic({path, 0, 0, input.error});
    return std::nullopt;
  }
  std::vector<Diagnostic> errors;
  const auto first_error = [&] {
    if (!errors.empty()) why = format_diagnostic(errors.front());
  };
  if (!check_yaml_text(*input.text, path, errors, limits)) {
    first_error();
    return std::nullopt;
  }
  const std::string text = trim_yaml_text(*input.text);
  HeaderJob job{&text, &block, {}, false, false, {}, false, false, {}};
  run_with_large_stack(header_job, &job);
  if (job.needs_tree) {  // aliases: let yaml-cpp's tree resolve them
    auto root = parse_yaml_text(*input.text, path, errors, limits);
    if (!root) first_error();
    if (!root || !root->IsMap() || !(*root)[block] || !(*root)[block].IsMap()) return std::nullopt;
    BlockHeader header;
    header.found = true;
    const YAML::Node title = (*root)[block]["title"], reference = (*root)[block]["reference"];
    if (title && title.IsScalar()) header.title = title.Scalar();
    if (reference && reference.IsScalar()) header.reference = reference.Scalar();
    return header;
  }
  if (!job.ok && !job.problem.empty()) {  // said as the loader says it (`validate`), where it is
    why = format_diagnostic({path, 0, 0, job.problem});
    errors.clear();
    parse_yaml_text(*input.text, path, errors, limits);
    first_error();
  }
  if (job.ok && !job.header.found) {  // a file meant to have the block, or an include?
    std::vector<std::string> keys;
    for (const auto& key : job.root_keys) keys.push_back(key.first);
    const std::string guess = closest_match(block, keys);
    if (!guess.empty()) {  // a near miss of the block's key: a typo, said where it is
      const auto& at = std::find_if(job.root_keys.begin(), job.root_keys.end(), [&](const auto& key) {
                         return key.first == guess;
                       })->second;
      why = format_diagnostic({path, at.first, at.second,
                               guess == block ? "expected '" + block + "' as a mapping (title:, ...)"
                                              : "unknown key " + quote_word(guess) + " in a " + block +
                                                    " file; did you mean '" + block + "'?"});
    } else if (required || !job.root_is_map) {  // an include is a mapping: text, a list or nothing is not
      why = format_diagnostic(
          {path, 1, 1,
           !job.any_node      ? "expected a mapping with a `" + block + ":` block, found an empty document"
           : !job.root_is_map ? "expected a mapping with a `" + block + ":` block, found text or a list"
                              : "no `" + block + ":` block (a " + block + " file has one)"});
    }
  }
  if (!job.ok || !job.header.found) return std::nullopt;
  return job.header;
}

}  // namespace geosim::detail
