#include "geosim/io/catalog.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

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
std::vector<CatalogEntry> list_yaml(const fs::path& dir, const char* block) {
  std::vector<CatalogEntry> entries;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return entries;
  for (const auto& item : fs::directory_iterator(dir, ec)) {
    if (item.path().extension() != ".yaml") continue;
    std::vector<Diagnostic> errors;
    auto root = detail::read_yaml_file(item.path().string(), errors);
    if (!root || !root->IsMap() || !(*root)[block] || !(*root)[block].IsMap()) continue;
    const YAML::Node title = (*root)[block]["title"];
    entries.push_back({item.path().stem().string(), item.path().string(),
                       title && title.IsScalar() ? title.Scalar() : std::string()});
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

std::vector<CatalogEntry> list_policies(const std::string& dir) {
  return list_yaml(fs::path(dir) / "policies", "policy");
}

std::optional<std::string> resolve_scenario(const std::string& name, const std::string& dir) {
  return resolve(name, dir);
}

std::optional<std::string> resolve_policy(const std::string& name, const std::string& dir) {
  return resolve(name, fs::path(dir) / "policies");
}

}  // namespace geosim
