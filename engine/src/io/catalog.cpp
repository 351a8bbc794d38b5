#include "geosim/io/catalog.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "geosim/core/diagnostic.hpp"
#include "yaml_document.hpp"

namespace geosim {
namespace fs = std::filesystem;

std::vector<std::string> data_dirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("GEOSIM_DATA"); env && *env) dirs.emplace_back(env);
  std::error_code ec;
  const fs::path program = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && program.has_parent_path()) {
    dirs.push_back(program.parent_path().string());
    dirs.push_back((program.parent_path().parent_path() / "share" / "geosim").string());
  }
  return dirs;
}

std::string scenarios_dir(const std::string& hint) {
  if (!hint.empty()) return hint;
  if (const char* env = std::getenv("GEOSIM_SCENARIOS"); env && *env) return env;
  std::error_code ec;
  if (fs::is_regular_file("scenarios/baseline.yaml", ec)) return "scenarios";
  for (const std::string& dir : data_dirs())
    if (fs::is_directory(fs::path(dir) / "scenarios", ec)) return (fs::path(dir) / "scenarios").string();
  return "scenarios";
}

namespace {
/// `unreadable`, when given, gets the files that could not be read or parsed (title: why).
std::vector<CatalogEntry> list_yaml(const fs::path& dir, const char* block,
                                    std::vector<CatalogEntry>* unreadable = nullptr) {
  std::vector<CatalogEntry> entries;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return entries;
  for (const auto& item : fs::directory_iterator(dir, ec)) {
    if (item.path().extension() != ".yaml") continue;
    // Only the block's title and reference, not the whole file (world-200.yaml is 122 KB).
    std::string problem;
    // policies/ holds policies only; the scenarios folder also the files scenarios include
    const bool required = std::string_view(block) == "policy";
    const auto header = detail::read_block_header(item.path().string(), block, {}, &problem, required);
    if (!header && !problem.empty() && unreadable)
      unreadable->push_back({item.path().stem().string(), item.path().string(), problem, 0, {}});
    if (!header) continue;
    int place = 0;  // a malformed value is not a reference here; `geosim validate` names the error
    const std::string& text = header->reference;
    if (!text.empty() && text.size() <= 4 && text.find_first_not_of("0123456789") == std::string::npos)
      place = std::stoi(text);
    entries.push_back({item.path().stem().string(), item.path().string(), header->title, place, header->by});
  }
  std::sort(entries.begin(), entries.end(),
            [](const CatalogEntry& a, const CatalogEntry& b) { return a.name < b.name; });
  return entries;
}

std::optional<std::string> resolve(const std::string& name, const fs::path& dir) {
  std::error_code ec;
  if (fs::is_regular_file(name, ec)) return name;
  for (const fs::path& candidate : {dir / name, dir / (name + ".yaml")})
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  return std::nullopt;
}
}  // namespace

std::vector<CatalogEntry> list_scenarios(const std::string& dir) { return list_yaml(dir, "scenario"); }

std::vector<std::string> reference_scenarios(const std::string& dir) {
  std::vector<CatalogEntry> entries = list_scenarios(dir);
  std::erase_if(entries, [](const CatalogEntry& e) { return e.reference <= 0; });
  std::stable_sort(entries.begin(), entries.end(),
                   [](const CatalogEntry& a, const CatalogEntry& b) { return a.reference < b.reference; });
  std::vector<std::string> names;
  for (const CatalogEntry& e : entries) names.push_back(e.name);
  return names;
}

std::vector<CatalogEntry> list_policies(const std::string& dir) {
  return list_yaml(fs::path(dir) / "policies", "policy");
}

std::optional<CatalogEntry> policy_entry(const std::string& path) {
  const auto header = detail::read_block_header(path, "policy", {}, nullptr, true);
  if (!header) return std::nullopt;
  return CatalogEntry{fs::path(path).stem().string(), path, header->title, 0, header->by};
}

std::vector<CatalogEntry> list_unreadable(const std::string& dir) {
  std::vector<CatalogEntry> unreadable;
  list_yaml(dir, "scenario", &unreadable);
  list_yaml(fs::path(dir) / "policies", "policy", &unreadable);
  std::sort(unreadable.begin(), unreadable.end(),
            [](const CatalogEntry& a, const CatalogEntry& b) { return a.path < b.path; });
  return unreadable;
}

std::optional<std::string> resolve_scenario(const std::string& name, const std::string& dir) {
  return resolve(name, dir);
}

std::optional<std::string> resolve_policy(const std::string& name, const std::string& dir) {
  return resolve(name, fs::path(dir) / "policies");
}

std::string unknown_catalog_name(const char* what, const std::string& word, const std::vector<CatalogEntry>& entries,
                                 const char* listed) {
  std::vector<std::string> names;
  for (const auto& e : entries) names.push_back(e.name);
  const std::string known = names.empty() ? std::string("none found") : name_list(names);
  // A path (a folder in it, or a YAML file's name) that is no file: said as such.
  const bool path = word.find('/') != std::string::npos || word.ends_with(".yaml") || word.ends_with(".yml");
  if (path) {
    std::error_code ec;
    const fs::file_status status = fs::status(word, ec);
    const char* why = !fs::exists(status)        ? "no such file"
                      : fs::is_directory(status) ? "it is a folder"
                                                 : "not a regular file";
    return std::string("cannot open ") + what + " file " + quote_word(word) + ": " + why + " (" + listed + ": " +
           known + ")";
  }
  const std::string guess = closest_match(word, names);
  return std::string("unknown ") + what + " " + quote_word(word) + did_you_mean(guess) + " (" + listed + ": " + known +
         "; or give a file path)";
}

}  // namespace geosim
