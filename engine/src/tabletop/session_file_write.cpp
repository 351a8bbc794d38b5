// Writing a session file (`save` in `geosim play`): the scenario, policies and includes with
// their checksums, the settings, and each branch's history; read back by session_file.cpp.
#include <fmt/format.h>
#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "geosim/tabletop/session_file.hpp"
#include "session_file_text.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;
using detail::plain_text;
using nlohmann::json;

std::string absolute(const std::string& path) {
  std::error_code ec;
  const fs::path p = fs::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

using ordered = nlohmann::ordered_json;

/// `path` as stored: relative to the session file's folder `base` when given (so that the
/// exercise folder can move), else absolute.
std::string stored_path(const std::string& path, const std::string& base) {
  if (base.empty()) return absolute(path);
  const fs::path rel = fs::path(absolute(path)).lexically_relative(absolute(base));
  return rel.empty() ? absolute(path) : rel.generic_string();
}

ordered file_entry(const Session& session, const std::string& name, const std::string& path, const std::string& base) {
  auto sum = session.file_checksums().find(path);
  ordered entry;
  if (!name.empty()) entry["name"] = name;
  entry["file"] = stored_path(path, base);
  entry["checksum"] = sum == session.file_checksums().end() ? std::string() : sum->second;
  return entry;
}

}  // namespace

std::string session_to_json(const Session& session, const std::string& session_file) {
  const std::string base =
      session_file.empty() ? std::string() : absolute(fs::path(absolute(session_file)).parent_path().string());
  ordered root;
  root["geosim_session"] = kSessionFileVersion;
  ordered scenario = file_entry(session, session.setup().scenario, session.scenario_file(), base);
  scenario["fingerprint"] = scenario_fingerprint(session.scenario());
  root["scenario"] = scenario;
  root["policies"] = ordered::array();
  for (std::size_t k = 0; k < session.policy_files().size(); ++k)
    root["policies"].push_back(file_entry(session, session.setup().policies[k], session.policy_files()[k], base));
  // What the scenario file includes, so that a change there is named when resuming.
  root["includes"] = ordered::array();
  for (const std::string& f : session.included_files()) root["includes"].push_back(file_entry(session, "", f, base));
  // Each policy a branch has moved in, with the name its `move` was typed with (resuming replays
  // `move NAME` from this file, after checking its content).
  root["moved_policies"] = ordered::array();
  for (const MovedPolicy& m : session.moved_policies()) {
    const bool used = std::any_of(session.branches().begin(), session.branches().end(), [&](const Branch& b) {
      return std::find(b.moves.begin(), b.moves.end(), m.file) != b.moves.end();
    });
    if (used) root["moved_policies"].push_back(file_entry(session, m.name, m.file, base));
  }
  root["seed"] = session.setup().seed;
  // play --set, as the scenario recorded them (canonical names, shortest round-trip values)
  if (!session.scenario().settings.empty()) root["settings"] = session.scenario().settings;
  root["current"] = session.current().name;
  root["branches"] = ordered::array();
  for (const Branch& b : session.branches()) {
    ordered entry;
    entry["name"] = b.name;
    entry["parent"] = b.parent;
    entry["forked_at"] = b.forked_at;
    entry["forked_commands"] = b.forked_commands;
    entry["step"] = b.state.step;
    entry["state"] = state_checksum(b.state);
    entry["course"] = course_checksum(b);
    entry["history"] = b.history;
    root["branches"].push_back(entry);
  }
  try {  // strict: a path that is not UTF-8 would be stored as U+FFFD, which names no file
    return root.dump(2) + "\n";
  } catch (const nlohmann::json::type_error&) {
    return "";
  }
}

std::string session_save_error(const std::string& text) {
  if (text.empty())
    return "the session file would store a path that is not UTF-8 text, which JSON cannot hold: not saved; save it in "
           "a folder from which the paths to the scenario's and policies' files are UTF-8, or rename their folders";
  const json root = json::parse(text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) return "the session could not be written as JSON";
  auto problem = [](const json& entry, const char* key, const std::string& where) -> std::string {
    if (!entry.is_object() || !entry.contains(key) || plain_text(entry[key].get<std::string>())) return "";
    return fmt::format(
        "the {} of {}, as the session file would store it, is over {} bytes or holds a control "
        "character, which `play --resume` refuses: not saved; save it in a folder nearer the "
        "scenario's files, or give the files shorter names",
        key, where, kMaxSessionText);
  };
  for (const char* key : {"name", "file"}) {
    if (std::string p = problem(root.value("scenario", json::object()), key, "the scenario"); !p.empty()) return p;
    for (const char* list : {"policies", "moved_policies"})
      if (root.contains(list))
        for (std::size_t k = 0; k < root[list].size(); ++k)
          if (std::string p = problem(root[list][k], key, fmt::format("entry {} of '{}'", k + 1, list)); !p.empty())
            return p;
  }
  return "";
}

}  // namespace geosim
