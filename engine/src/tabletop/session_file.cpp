#include "geosim/tabletop/session_file.hpp"
#include "geosim/core/ids.hpp"
#include "geosim/core/model_parameters.hpp"
#include "geosim/tabletop/session_command.hpp"
#include "json_position.hpp"
#include "session_file_reader.hpp"
#include "session_file_text.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include "geosim/io/catalog.hpp"
#include "geosim/io/input_file.hpp"
#include "geosim/io/json_text.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;
using detail::plain_text;
using detail::Reader;
using nlohmann::json;

struct SavedState {  // a branch's "step", "state" and "course" ("" in files saved before it)
  int step = 0;
  std::string state, course;
};

bool exists(const std::string& path) {
  std::error_code ec;
  return !path.empty() && fs::is_regular_file(path, ec);
}

struct SavedFile {
  std::string name, file, checksum;
};

std::vector<SavedFile> read_files(Reader& r, const json& root, const char* key) {
  std::vector<SavedFile> files;
  if (root.find(key) == root.end()) return files;
  const json* list = r.list(root, key, "", kMaxSessionPolicyFiles);
  if (!list) return files;
  for (std::size_t k = 0; k < list->size() && r.error.empty(); ++k) {
    const json& entry = (*list)[k];
    const std::string where = fmt::format(" of entry {} of '{}'", k + 1, key);
    r.base = {std::string(key), k};
    if (!entry.is_object()) {
      r.fail_here(fmt::format("expected each entry of '{}' to be an object", key));
      break;
    }
    files.push_back(
        {r.optional_text(entry, "name", where), r.text(entry, "file", where), r.text(entry, "checksum", where, true)});
    r.known_keys(entry, {"name", "file", "checksum"}, where);  // after the fields' own problems
  }
  return files;
}

/// `settings` (play --set), optional: at most kMaxSettings texts "NAME=VALUE", read as --set reads them.
std::vector<ParameterSetting> read_settings(Reader& r, const json& root) {
  std::vector<ParameterSetting> settings;
  if (root.find("settings") == root.end()) return settings;
  const json* list = r.list(root, "settings", "", kMaxSettings);
  if (!list) return settings;
  for (std::size_t k = 0; k < list->size() && r.error.empty(); ++k) {
    r.base = {std::string("settings"), k};
    if (!(*list)[k].is_string() || !plain_text((*list)[k].get<std::string>())) {
      r.fail_here(
          fmt::format("expected each entry of 'settings' to be NAME=VALUE text of at most {} bytes", kMaxSessionText));
      return {};
    }
    std::vector<ParameterSetting> one;
    if (const std::string problem = parse_settings({(*list)[k].get<std::string>()}, one); !problem.empty()) {
      r.fail_here(fmt::format("expected entry {} of 'settings' to be a setting like --set's: {}", k + 1, problem));
      return {};
    }
    settings.push_back(one.front());
  }
  return settings;
}

/// The commands a branch of a file without 'forked_commands' took from `parent` at its fork: the
/// fewest whose steps reach its 'forked_at' (or all, when they do not), then those after them that
/// are no step and stand at the same place in the parent's history.
std::size_t inherited_commands(const BranchRecord& record, const BranchRecord& parent) {
  auto steps = [](const std::string& line) {
    const ParsedCommand c = parse_session_command(line);
    return c.command && c.command->kind == CommandKind::step ? c.command->count : -1;  // -1: not a step
  };
  std::size_t k = 0;
  for (int taken = 0; k < record.history.size() && taken < record.forked_at; ++k)
    taken += std::max(0, steps(record.history[k]));
  while (k < record.history.size() && k < parent.history.size() && record.history[k] == parent.history[k] &&
         steps(record.history[k]) < 0)
    ++k;
  return k;
}

std::vector<BranchRecord> read_branches(Reader& r, const json& root, std::vector<SavedState>& states) {
  std::vector<BranchRecord> records;
  const json* list = r.list(root, "branches", "", kMaxSessionBranches);
  if (!list) return records;
  if (list->empty()) r.fail("branches", "expected at least one branch in 'branches'");
  for (std::size_t k = 0; k < list->size() && r.error.empty(); ++k) {
    const json& b = (*list)[k];
    const std::string where = fmt::format(" of branch {}", k + 1);
    r.base = {std::string("branches"), k};
    if (!b.is_object()) {
      r.fail_here("expected each branch to be an object");
      break;
    }
    // The name is checked against the branch pattern (which also bounds it and excludes control
    // characters) rather than as plain text, so that a bad name gets the pattern's message.
    const json* name = r.get(b, where, "name", &json::is_string);
    BranchRecord record{name ? name->get<std::string>() : std::string(), r.optional_text(b, "parent", where), 0, 0, {}};
    record.forked_at = r.integer(b, "forked_at", where, 0, kMaxSessionSteps);
    if (b.contains("forked_commands"))  // absent in files saved before it was recorded
      record.forked_commands = std::size_t(r.integer(b, "forked_commands", where, 0, int(kMaxBranchHistory)));
    const int step = r.integer(b, "step", where, 0, kMaxSessionSteps);
    const std::string state = r.text(b, "state", where, true);
    const std::string course = b.contains("course") ? r.text(b, "course", where, true) : "";  // none before 2026-12
    r.known_keys(b, {"name", "parent", "forked_at", "forked_commands", "step", "state", "course", "history"}, where);
    if (!r.error.empty()) break;
    // The first problem only: later messages name the branch, so its name must be valid first.
    if (!valid_id(IdKind::branch, record.name))
      r.fail("name", fmt::format("expected {} as 'name'{}", id_rule(IdKind::branch), where));
    else if (std::any_of(records.begin(), records.end(), [&](const BranchRecord& e) { return e.name == record.name; }))
      r.fail("name", fmt::format("branch '{}' appears twice", record.name));
    else if (!record.parent.empty() && std::none_of(records.begin(), records.end(),
                                                    [&](const BranchRecord& e) { return e.name == record.parent; }))
      r.fail("parent", fmt::format("expected the parent of branch '{}' to be a branch before it", record.name));
    else if (record.forked_at > step)
      r.fail("forked_at", fmt::format("expected 'forked_at' of branch '{}' at or before its step", record.name));
    if (!r.error.empty()) break;
    if (const json* history = r.list(b, "history", where, kMaxBranchHistory))
      for (const json& line : *history) {
        if (!line.is_string() || !plain_text(line.get<std::string>(), kMaxCommandBytes)) {
          r.fail("history",
                 fmt::format("expected the history of branch '{}' to be a list of commands (text of at most {} "
                             "bytes without control characters)",
                             record.name, kMaxCommandBytes));
          r.path.emplace_back(record.history.size());
          break;
        }
        record.history.push_back(line.get<std::string>());
      }
    // A file saved before 'forked_commands' was recorded: the commands taken from the parent are
    // the fewest whose steps reach 'forked_at', and after them those that are not steps and are
    // the parent's own at the same place (an inject or a move played before the fork).
    if (!b.contains("forked_commands") && !record.parent.empty() && r.error.empty())
      record.forked_commands =
          inherited_commands(record, *std::find_if(records.begin(), records.end(),
                                                   [&](const BranchRecord& e) { return e.name == record.parent; }));
    // Undo stops at the fork: it cannot lie past the history (nor, without a parent, after its start).
    if (const std::size_t most = record.parent.empty() ? 0 : record.history.size();
        r.error.empty() && record.forked_commands > most)
      r.fail("forked_commands",
             fmt::format("expected 'forked_commands' of branch '{}' at most {} ({})", record.name, most,
                         record.parent.empty() ? "it has no parent" : "the commands of its history"));
    // The fork's step is where the commands taken from the parent lead (where `branches` says it left).
    if (int taken = 0; r.error.empty() && (b.contains("forked_commands") || !record.parent.empty())) {
      for (std::size_t k = 0; k < record.forked_commands; ++k)
        if (const ParsedCommand c = parse_session_command(record.history[k]);
            c.command && c.command->kind == CommandKind::step)
          taken += c.command->count;
      if (taken != record.forked_at)
        r.fail("forked_at", record.parent.empty()
                                ? fmt::format("expected 'forked_at' of branch '{}' to be 0: a branch without a parent "
                                              "starts at the start",
                                              record.name)
                            : b.contains("forked_commands")
                                ? fmt::format("expected 'forked_at' of branch '{}' to be {}, the steps of its first {} "
                                              "commands ('forked_commands')",
                                              record.name, taken, record.forked_commands)
                                : fmt::format("expected 'forked_at' of branch '{}' to be a step its commands reach "
                                              "(its first {} lead to step {})",
                                              record.name, record.forked_commands, taken));
    }
    states.push_back({step, state, course});
    records.push_back(std::move(record));
  }
  return records;
}

/// A stored path as a path to open: a relative one is relative to the session file's folder.
std::string located(const std::string& stored, const std::string& session_file) {
  if (stored.empty() || fs::path(stored).is_absolute()) return stored;
  return (fs::path(session_file).parent_path() / stored).lexically_normal().string();
}

/// The saved file to load: the saved path if it still exists, else the name looked up again.
std::string pick(const SavedFile& saved) { return exists(saved.file) ? saved.file : std::string(); }

}  // namespace

bool is_session_file(const std::string& text) {
  const json root = json::parse(text, nullptr, false);
  return !root.is_discarded() && root.is_object() && root.contains("geosim_session");
}

ResumeResult session_from_json(const std::string& text, const std::string& file_name,
                               const std::string& scenarios_dir) {
  ResumeResult result;
  auto fail_at = [&](TextPosition at, const std::string& message) {
    result.errors.push_back({file_name, at.line, at.column, message});
    return result;
  };
  // Problems are placed at the value they concern (or as deep as its path exists).
  auto fail = [&](const std::string& message, const std::vector<JsonPathItem>& path = {}) {
    return fail_at(json_value_position(text, path), message);
  };
  if (text.size() > kMaxSessionFileBytes)
    return fail_at({}, fmt::format("expected a session file of at most {} MiB", kMaxSessionFileBytes >> 20));
  const json root = json::parse(text, nullptr, false);
  if (root.is_discarded())
    return fail_at(json_syntax_error(text).value_or(TextPosition{}),
                   "not a geosim session file: not valid JSON here (a session is JSON written by `save` in "
                   "`geosim play`)");
  if (!root.is_object() || !root.contains("geosim_session"))
    return fail("not a geosim session file (expected JSON written by `save` in `geosim play`)");
  // JSON leaves a repeated key to the reader; nlohmann keeps the last, which `save` never writes.
  if (const auto repeated = json_repeated_key(text))
    return fail_at(repeated->first,
                   "expected each key once in an object, found " + quote_word(repeated->second) + " again");
  const json& version = root["geosim_session"];
  if (!version.is_number_integer() || version.get<std::int64_t>() != kSessionFileVersion)
    return fail(version.is_number_integer() && std::abs(version.get<std::int64_t>()) < 1000000
                    ? fmt::format("expected a session file of version {}, found version {}", kSessionFileVersion,
                                  version.get<std::int64_t>())
                    : fmt::format("expected a session file of version {}, found a {} instead of a version number",
                                  kSessionFileVersion, version.type_name()),
                {std::string("geosim_session")});
  Reader r{root, "", {}, {}};
  const json* scenario = r.get(root, "", "scenario", &json::is_object);
  if (scenario) r.base = {std::string("scenario")};

  const SavedFile saved{scenario ? r.text(*scenario, "name", " of 'scenario'") : "",
                        located(scenario ? r.text(*scenario, "file", " of 'scenario'") : "", file_name),
                        scenario ? r.text(*scenario, "checksum", " of 'scenario'", true) : ""};
  const std::string fingerprint = scenario ? r.text(*scenario, "fingerprint", " of 'scenario'", true) : "";
  if (scenario) r.known_keys(*scenario, {"name", "file", "checksum", "fingerprint"}, " of 'scenario'");
  r.base.clear();
  std::vector<SavedFile> policies = read_files(r, root, "policies");
  r.base.clear();
  std::vector<SavedFile> moved = read_files(r, root, "moved_policies");
  r.base.clear();
  std::vector<SavedFile> includes = read_files(r, root, "includes");  // optional (sessions saved before it: none)
  r.base.clear();
  for (auto* list : {&policies, &moved, &includes})
    for (SavedFile& f : *list) f.file = located(f.file, file_name);
  const json* seed = r.get(root, "", "seed", &json::is_number_unsigned);
  r.base.clear();
  std::vector<ParameterSetting> settings = read_settings(r, root);
  r.base.clear();
  const std::string current = r.text(root, "current");
  std::vector<SavedState> states;
  const std::vector<BranchRecord> records = read_branches(r, root, states);
  if (r.error.empty() &&
      std::none_of(records.begin(), records.end(), [&](const BranchRecord& b) { return b.name == current; })) {
    r.base.clear();
    r.fail("current", "expected 'current' to name one of the branches");
  }
  r.base.clear();
  r.known_keys(root,
               {"geosim_session", "scenario", "policies", "includes", "moved_policies", "seed", "settings", "current",
                "branches"},
               "");
  if (!r.error.empty()) return fail_at(json_value_position(text, r.path, r.at_key), r.error);

  // A saved path where something other than a file now is (a device, a FIFO, a folder) is named
  // at its field, not passed over for the name, which would resume from another file unsaid.
  std::vector<std::pair<const SavedFile*, std::vector<JsonPathItem>>> all{
      {&saved, {std::string("scenario"), std::string("file")}}};
  for (const auto& [key, list] :
       {std::pair{"policies", &policies}, std::pair{"moved_policies", &moved}, std::pair{"includes", &includes}})
    for (std::size_t k = 0; k < list->size(); ++k)
      all.push_back({&(*list)[k], {std::string(key), k, std::string("file")}});
  for (const auto& [f, at] : all)
    if (const std::string kind = non_file_at(f->file); !kind.empty())
      return fail(fmt::format("expected a regular file at '{}', found {}: a session names the files it was played from",
                              f->file, kind),
                  at);
  SessionSetup setup{saved.name, {}, seed->get<std::uint64_t>(), scenarios_dir,        pick(saved),
                     {},         {}, std::move(settings),        kEnsembleMemoryBudget};
  for (const SavedFile& p : policies) {
    setup.policies.push_back(p.name.empty() ? p.file : p.name);
    setup.policy_files.push_back(pick(p));
  }
  auto differs = [](const SavedFile& f, const std::string& now_file) -> std::optional<std::string> {
    const std::string now = file_checksum(now_file);
    if (now == f.checksum) return std::nullopt;
    return now.empty() ? fmt::format("'{}' cannot be read", now_file)
                       : fmt::format("'{}' had checksum {}, now {}", now_file, f.checksum, now);
  };
  // Where a file is missing (a session file moved away from the files it was played from): said
  // as missing, with where its paths lead from (the session file's folder), not as a change.
  const std::string from_here =
      "its path leads from the session file's folder: keep the session file beside the files it was played "
      "from, or restore the file";
  const std::string shipped_dir = geosim::scenarios_dir(scenarios_dir);
  if (saved.file.empty() || !exists(saved.file))
    if (!resolve_scenario(saved.name, shipped_dir))
      return fail(
          fmt::format("the session's scenario {} is not there{}: {}",
                      saved.file.empty() ? quote_word(saved.name) : "file " + quote_word(saved.file),
                      saved.file.empty() ? "" : fmt::format(" (nor a shipped scenario {})", quote_word(saved.name)),
                      from_here),
          {std::string("scenario"), std::string("file")});
  // A start policy not there whose name finds no shipped one; a file the scenario included.
  for (std::size_t k = 0; k < policies.size(); ++k)
    if (const SavedFile& p = policies[k];
        !p.file.empty() && !exists(p.file) && !resolve_policy(p.name.empty() ? p.file : p.name, shipped_dir))
      return fail(fmt::format("the policy file {}{} is not there: {}", quote_word(p.file),
                              p.name.empty() ? "" : " ('" + p.name + "')", from_here),
                  {std::string("policies"), k, std::string("file")});
  for (std::size_t k = 0; k < includes.size() && exists(saved.file); ++k)  // else: the scenario found by name
    if (!exists(includes[k].file))
      return fail(fmt::format("the file {}, included by the session's scenario, is not there: {}",
                              quote_word(includes[k].file), from_here),
                  {std::string("includes"), k, std::string("file")});
  for (std::size_t k = 0; k < moved.size(); ++k) {
    SavedFile m = moved[k];  // a file not there is looked up by its name as shipped, as the scenario is
    if (const auto shipped = exists(m.file) || m.name.empty() ? std::nullopt : resolve_policy(m.name, shipped_dir))
      m.file = *shipped;
    if (!exists(m.file))
      return fail(fmt::format("the policy file {}, moved in during the session{}, is not there{}: {}",
                              quote_word(m.file), m.name.empty() ? "" : " as '" + m.name + "'",
                              m.name.empty() ? "" : " (nor a shipped policy '" + m.name + "')", from_here),
                  {std::string("moved_policies"), k, std::string("file")});
    if (auto change = differs(m, m.file))
      return fail(fmt::format("the policy file {}, moved in during the session{}, has changed since the session "
                              "was saved; resuming would not reproduce the session: restore the file as it was "
                              "(or start a new session)",
                              *change, m.name.empty() ? "" : " as '" + m.name + "'"),
                  {std::string("moved_policies"), k, std::string("checksum")});
    if (!m.name.empty()) setup.moved.push_back({m.name, m.file, m.checksum});
  }
  // First the scenario as it loads now, checked against the saved one; then the replay.
  std::vector<Diagnostic> errors;
  // The session's own problems (a name that no longer resolves, a branch that does not replay)
  // come without a position: they are placed at the field of the session file they concern.
  // Only those about a name read from the session file: a file that fails to load keeps its own
  // name and position (a missing scenario or policy file is named, not the session).
  auto place = [&](std::vector<Diagnostic>& found, const std::string& about, const std::vector<JsonPathItem>& path) {
    const TextPosition at = json_value_position(text, path);
    for (Diagnostic& d : found)
      if (d.line == 0 && d.file == about) d = {file_name, at.line, at.column, d.message};
    result.errors = std::move(found);
    return result;
  };
  // The files changed since the save, before anything reads them: a session file names files, and
  // one edited to name another file (a password table) would have the loader quote its lines.
  std::vector<std::string> changed_before;
  if (exists(saved.file))
    if (auto change = differs(saved, saved.file)) changed_before.push_back(*change);
  for (const SavedFile& p : policies)
    if (exists(p.file))
      if (auto change = differs(p, p.file)) changed_before.push_back(*change);
  for (const SavedFile& f : includes)
    if (exists(saved.file) && exists(f.file))
      if (auto change = differs(f, f.file)) changed_before.push_back(*change);
  auto fresh = Session::start(setup, errors);
  if (!fresh && !changed_before.empty())  // its problems not quoted: `geosim validate` shows them
    return fail(fmt::format("the scenario has changed since the session was saved ({}) and no longer loads: "
                            "restore the files as they were (`geosim validate` shows what is wrong with them)",
                            fmt::join(changed_before, "; ")),
                {std::string("scenario"), std::string("file")});
  if (!fresh) {
    // the saved settings, checked against the scenario (a name that is no parameter of it, two
    // that overlap, a start they leave unable to settle): at 'settings', not as if typed --set
    if (!errors.empty() && errors.front().file == "--set" && errors.front().line == 0) {
      for (Diagnostic& d : errors)
        if (d.file == "--set" && d.line == 0) d.message = "a setting saved in the session: " + d.message;
      return place(errors, "--set", {std::string("settings")});
    }
    for (std::size_t k = 0; k < setup.policies.size(); ++k)
      if (!errors.empty() && errors.front().line == 0 && errors.front().file == setup.policies[k])
        return place(errors, setup.policies[k], {std::string("policies"), k});
    return place(errors, setup.scenario, {std::string("scenario"), std::string("name")});
  }
  std::vector<std::string> changed;
  if (auto change = differs(saved, fresh->scenario_file())) changed.push_back(*change);
  for (std::size_t k = 0; k < policies.size(); ++k)
    if (auto change = differs(policies[k], fresh->policy_files()[k])) changed.push_back(*change);
  for (const SavedFile& f : includes)  // of a scenario found by name, the files not there are not its
    if (auto change = exists(saved.file) || exists(f.file) ? differs(f, f.file) : std::nullopt)
      changed.push_back(*change);
  if (scenario_fingerprint(fresh->scenario()) != fingerprint)
    return fail(fmt::format("the scenario has changed since the session was saved: {}; resuming would not "
                            "reproduce the session (restore the files, or start a new session)",
                            changed.empty() ? "a file it includes differs, or the session file was edited"
                                            : fmt::format("{}", fmt::join(changed, "; "))),
                {std::string("scenario"), std::string("fingerprint")});
  for (const auto& c : changed)
    result.warnings.push_back(
        fmt::format("{}: the file changed since the session was saved, but not in anything "
                    "the simulation uses",
                    c));
  auto session = Session::restore(setup, records, current, errors);
  if (!session) {
    // Session::restore names the branch that failed in the diagnostic's file field.
    std::size_t k = 0;
    while (k < records.size() && (errors.empty() || records[k].name != errors.front().file)) ++k;
    return place(errors, errors.empty() ? std::string() : errors.front().file,
                 {std::string("branches"), k, std::string("history")});
  }
  for (std::size_t k = 0; k < records.size() && k < session->branches().size(); ++k) {
    const Branch& b = session->branches()[k];
    if (b.state.step != states[k].step || state_checksum(b.state) != states[k].state ||
        (!states[k].course.empty() && course_checksum(b) != states[k].course))
      result.warnings.push_back(
          fmt::format("branch '{}' replays to a different state than when it was saved: its "
                      "history was edited since, or this geosim computes differently",
                      b.name));
  }
  session->mark_saved();
  result.session = std::move(session);
  return result;
}

}  // namespace geosim
