// Saving and resuming tabletop sessions: a resumed session is the saved one bit for bit on
// every branch; a changed scenario, a tampered or malformed file is reported, never a crash.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <geosim/tabletop/session_command.hpp>
#include <geosim/tabletop/session_file.hpp>
#include <geosim/tabletop/session_view.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "support/session_play.hpp"
#include "tabletop/json_position.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;

Session start(const std::string& scenario, std::vector<std::string> policies = {}) {
  return testing::start_shipped(scenario, 11, std::move(policies));
}
using testing::run_ok;
ResumeResult resume(const std::string& text) { return session_from_json(text, "session.json", GEOSIM_SCENARIOS_DIR); }
/// A session with three branches, every kind of command, an undo, and pending injects.
Session played(const std::string& scenario = "realignment") { return testing::played_session(scenario); }

void expect_same_branch(const Branch& a, const Branch& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.parent, b.parent);
  EXPECT_EQ(a.forked_at, b.forked_at);
  EXPECT_EQ(a.history, b.history);
  EXPECT_EQ(a.moves, b.moves);
  EXPECT_EQ(a.state.step, b.state.step) << a.name;
  EXPECT_TRUE(a.state.tension == b.state.tension) << a.name << ": tension bit for bit";
  EXPECT_TRUE(a.state.baseline == b.state.baseline) << a.name;
  EXPECT_TRUE(a.state.tie == b.state.tie) << a.name;
  EXPECT_EQ(a.state.window_step, b.state.window_step) << a.name;
  ASSERT_EQ(a.fired.size(), b.fired.size()) << a.name;
  for (std::size_t k = 0; k < a.fired.size(); ++k) {
    EXPECT_EQ(a.fired[k].id, b.fired[k].id);
    EXPECT_EQ(a.fired[k].step, b.fired[k].step);
  }
  EXPECT_EQ(a.pending.scenario_events, b.pending.scenario_events);
  EXPECT_EQ(a.pending.adhoc_events.size(), b.pending.adhoc_events.size());
  ASSERT_EQ(a.journal.size(), b.journal.size()) << a.name;
  for (std::size_t k = 0; k < a.journal.size(); ++k) {
    EXPECT_EQ(a.journal[k].command, b.journal[k].command);
    EXPECT_EQ(a.journal[k].fired, b.journal[k].fired);
    ASSERT_EQ(a.journal[k].changes.size(), b.journal[k].changes.size());
    for (std::size_t c = 0; c < a.journal[k].changes.size(); ++c)
      EXPECT_EQ(a.journal[k].changes[c].tension, b.journal[k].changes[c].tension);
  }
}

TEST(SessionFile, ResumeRestoresEveryBranchBitForBit) {
  Session original = played();
  const std::string text = session_to_json(original);
  ResumeResult resumed = resume(text);
  ASSERT_TRUE(resumed.session.has_value()) << format_diagnostic(resumed.errors.front());
  EXPECT_TRUE(resumed.warnings.empty()) << resumed.warnings.front();
  Session& copy = *resumed.session;
  EXPECT_FALSE(copy.unsaved());
  EXPECT_EQ(copy.current().name, "hawks");
  EXPECT_EQ(copy.setup().seed, 11u);
  EXPECT_EQ(copy.setup().policies, std::vector<std::string>{"asean-dialogue"});
  ASSERT_EQ(copy.branches().size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) expect_same_branch(original.branches()[k], copy.branches()[k]);
  EXPECT_EQ(session_to_json(copy), text) << "saving again gives the same file";
  // Both go on identically: the random streams were restored too.
  for (const char* name : {"main", "hawks", "doves"}) {
    ASSERT_TRUE(original.switch_to(name).ok);
    ASSERT_TRUE(copy.switch_to(name).ok);
    EXPECT_EQ(log_text(original), log_text(copy)) << name;
    run_ok(original, "step 5");
    run_ok(copy, "step 5");
    expect_same_branch(original.current(), copy.current());
  }
}

TEST(SessionFile, IsReadableJsonWithTheHistoriesAndChecksums) {
  const std::string text = session_to_json(played());
  EXPECT_TRUE(is_session_file(text));
  EXPECT_EQ(text.find("{\n  \"geosim_session\": 1,"), 0u) << text.substr(0, 80);
  for (const char* part :
       {"\"name\": \"realignment\"", "\"checksum\": \"fnv1a64:", "\"fingerprint\": \"fnv1a64:", "\"seed\": 11",
        "\"current\": \"hawks\"", "\"inject hanoi-tilts\"", "\"move quiet-diplomacy\"", "quiet-diplomacy.yaml",
        "economic-engagement.yaml", "\"parent\": \"hawks\""})
    EXPECT_NE(text.find(part), std::string::npos) << part;
  EXPECT_FALSE(is_session_file("not json"));
  EXPECT_FALSE(is_session_file("{\"branches\": []}"));
}

TEST(SessionFile, MalformedOrTamperedFilesGiveAMessage) {
  const std::string good = session_to_json(played());
  struct Case {
    std::string text;
    const char* error;
  };
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string t = good;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  const Case cases[] = {
      {"", "not a geosim session file"},
      {"[1, 2]", "not a geosim session file"},
      {"{\"geosim_session\": 99}", "expected a session file of version 1, found version 99"},
      {"{\"geosim_session\": \"1\"}", "expected a session file of version 1"},
      {"{\"geosim_session\": 1}", "expected a field 'scenario'"},
      {replace("\"seed\": 11", "\"seed\": -3"), "expected a field 'seed'"},
      {replace("\"seed\": 11", "\"seed\": \"eleven\""), "expected a field 'seed'"},
      {replace("\"inject hanoi-tilts\"", "\"inject hanoi-tilted\""), "branch 'hawks' does not replay"},
      {replace("\"inject hanoi-tilts\"", "\"status\""), "is not a step, inject or move"},
      {replace("\"inject hanoi-tilts\"", "17"), "to be a list of commands"},
      {replace("\"name\": \"doves\"", "\"name\": \"hawks\""), "appears twice"},
      {replace("\"branches\": [", "\"branches\": [3,"), "expected each branch to be an object"},
  };
  for (const Case& c : cases) {
    const ResumeResult r = resume(c.text);
    EXPECT_FALSE(r.session.has_value()) << c.error;
    ASSERT_FALSE(r.errors.empty()) << c.error;
    EXPECT_NE(r.errors.front().message.find(c.error), std::string::npos)
        << c.error << "\n  got: " << r.errors.front().message;
  }
}

// A saved path where a device, a FIFO or a folder now is: refused at that field (before, the
// session resumed from the file its name finds, without a word).
TEST(SessionFile, ASavedPathThatIsNoFileIsRefusedAtItsField) {
  const std::string good = session_to_json(played());
  const nlohmann::json root = nlohmann::json::parse(good);
  for (const auto& [path, odd, kind] :
       {std::tuple{root["scenario"]["file"].get<std::string>(), "/dev/zero", "a device"},
        std::tuple{root["policies"][0]["file"].get<std::string>(), "/tmp", "a folder"}}) {
    std::string text = good;
    const std::size_t at = text.find("\"" + path + "\"");
    ASSERT_NE(at, std::string::npos) << path;
    text.replace(at + 1, path.size(), odd);
    const ResumeResult r = resume(text);
    ASSERT_EQ(r.errors.size(), 1u) << odd;
    EXPECT_EQ(r.errors.front().message, std::string("expected a regular file at '") + odd + "', found " + kind +
                                            ": a session names the files it was played from");
    const std::string before = text.substr(0, at);
    EXPECT_EQ(r.errors.front().line, 1 + int(std::count(before.begin(), before.end(), '\n')));
    EXPECT_EQ(r.errors.front().column, int(before.size() - before.rfind('\n')));
  }
}

TEST(SessionFile, ProblemsArePlacedAtTheirLineAndColumn) {
  const std::string good = session_to_json(played());
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string t = good;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  struct Case {
    std::string text;
    std::string anchor;  // the problem is at the first `marker` after the first `anchor`
    std::string marker;
    std::size_t skip = 0;  // bytes into the marker
  };
  const std::string hawks = "\"name\": \"hawks\"";
  const Case cases[] = {
      {replace("\"seed\": 11", "\"seed\": -3"), "\"seed\"", "-3"},
      {replace("\"geosim_session\": 1", "\"geosim_session\": 99"), "", "99"},
      {replace("\"inject hanoi-tilts\"", "17"), hawks, "17"},
      {replace("\"inject hanoi-tilts\"", "\"inject hanoi-tilted\""), hawks, "\"history\": ", 11},
      {replace("\"name\": \"doves\"", hawks), hawks, hawks, 8},
      {replace("\"seed\": 11,", "\"seed\": 11"), "\"seed\"", "\"current\""},  // a comma left out
      {replace("\"current\": \"hawks\"", "\"current\": \"owls\""), "", "\"owls\""},
      {"[1, 2]", "", "["},
      {"{\n  \"geosim_session\": 1,\n  \"scenario\": {]\n}", "", "]"},
      // a key twice: at the second (nlohmann alone keeps its value); a value like a key is no key
      {replace("\"seed\": 11,", "\"seed\": 11, \"seed\": 12,"), "\"seed\": 11", "\"seed\""},
      {replace("\"name\": \"hawks\",", "\"name\": \"hawks\", \"x\": [\"name\", {\"name\": 1}], \"name\": \"h\","),
       "{\"name\": 1}]", "\"name\""},
      // a key the format does not have: at the key itself (its opening quote), not its value
      {replace("\"forked_at\"", "\"forked_comands\": 3, \"forked_at\""), "", "\"forked_comands\""},
      {replace("\"seed\": 11,", "\"seed\": 11, \"sead\": 12,"), "\"seed\": 11", "\"sead\""},
  };
  for (const Case& c : cases) {
    const std::size_t from = c.text.find(c.anchor);
    ASSERT_NE(from, std::string::npos) << c.anchor;
    const std::size_t offset = c.text.find(c.marker, from + c.anchor.size());
    ASSERT_NE(offset, std::string::npos) << c.marker;
    // Counted here by hand: lines are 1-based, columns are 1-based bytes.
    const std::string before = c.text.substr(0, offset + c.skip);
    const int line = 1 + int(std::count(before.begin(), before.end(), '\n'));
    const std::size_t newline = before.rfind('\n');
    const int column = int(newline == std::string::npos ? before.size() + 1 : before.size() - newline);
    const ResumeResult r = resume(c.text);
    ASSERT_FALSE(r.errors.empty()) << c.marker;
    EXPECT_EQ(r.errors.front().file, "session.json") << r.errors.front().message;
    EXPECT_EQ(r.errors.front().line, line) << r.errors.front().message;
    EXPECT_EQ(r.errors.front().column, column) << r.errors.front().message;
  }
  const ResumeResult twice = resume(replace("\"seed\": 11,", "\"seed\": 11, \"seed\": 12,"));
  ASSERT_EQ(twice.errors.size(), 1u);
  EXPECT_EQ(twice.errors.front().message, "expected each key once in an object, found 'seed' again");
  // Keys compared as JSON reads them: "se\u0065d" is "seed" (at its line and column), "s\reed" is not "sreed".
  const std::string escaped = replace("\"seed\": 11,", "\"seed\": 11, \"se\\u0065d\": 12,");
  const ResumeResult hidden = resume(escaped);
  ASSERT_EQ(hidden.errors.size(), 1u);
  EXPECT_EQ(hidden.errors.front().message, "expected each key once in an object, found 'seed' again");
  const std::string before = escaped.substr(0, escaped.find("\"se\\u0065d\""));
  EXPECT_EQ(hidden.errors.front().line, 1 + int(std::count(before.begin(), before.end(), '\n')));
  EXPECT_EQ(hidden.errors.front().column, int(before.size() - before.rfind('\n')));
  const ResumeResult required = resume(replace("\"current\"", "\"curent\""));
  ASSERT_EQ(required.errors.size(), 1u);
  EXPECT_EQ(required.errors.front().message, "expected a field 'current' of the right type; found 'curent' instead");
  // A key written with escapes is found as JSON reads it; a key the format does not have is
  // placed at the key itself (its opening quote), not at its value.
  const std::string escaped_key = replace("\"seed\": 11,", "\"seed\": 11, \"\\u0065xtra\": 1,");
  const ResumeResult extra = resume(escaped_key);
  ASSERT_EQ(extra.errors.size(), 1u);
  EXPECT_EQ(extra.errors.front().message, "unknown key 'extra' (a session file holds only what `save` writes)");
  const std::string up_to = escaped_key.substr(0, escaped_key.find("\"\\u0065xtra\": 1"));  // to its quote
  EXPECT_EQ(extra.errors.front().line, 1 + int(std::count(up_to.begin(), up_to.end(), '\n')));
  EXPECT_EQ(extra.errors.front().column, int(up_to.size() - up_to.rfind('\n')));
  const ResumeResult typo = resume(replace("\"checksum\"", "\"checksun\": \"x\", \"checksum\""));
  ASSERT_EQ(typo.errors.size(), 1u);
  EXPECT_EQ(typo.errors.front().message,
            "unknown key 'checksun' of 'scenario' (a session file holds only what `save` "
            "writes); did you mean 'checksum'?");
  const std::string to_typo = replace("\"checksum\"", "\"checksun\": \"x\", \"checksum\"");
  const std::string typo_before = to_typo.substr(0, to_typo.find("\"checksun\""));
  EXPECT_EQ(typo.errors.front().line, 1 + int(std::count(typo_before.begin(), typo_before.end(), '\n')));
  EXPECT_EQ(typo.errors.front().column, int(typo_before.size() - typo_before.rfind('\n')));
  EXPECT_FALSE(json_repeated_key("{\"s\\reed\": 1, \"sreed\": 2, \"a\": [{\"x\": 1}, {\"x\": 2}]}").has_value());
}

/// A private copy of the shipped realignment scenario and what it includes.
struct ScenarioCopy {
  fs::path dir = fs::temp_directory_path() / ("geosim_session_file_" + std::to_string(::getpid()));
  ScenarioCopy() {
    fs::remove_all(dir);
    fs::create_directories(dir / "common");
    const fs::path from = GEOSIM_SCENARIOS_DIR;
    for (const char* f : {"realignment.yaml", "baseline.yaml", "actors.yaml", "common/visit.yaml"})
      fs::copy_file(from / f, dir / f);
  }
  ~ScenarioCopy() { fs::remove_all(dir); }
  void edit(const char* file, const std::string& from, const std::string& to) const {
    std::ifstream in(dir / file);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    ASSERT_NE(s.find(from), std::string::npos) << from;
    s.replace(s.find(from), from.size(), to);
    std::ofstream(dir / file) << s;
  }
};

TEST(SessionFile, AChangedScenarioIsDetected) {
  const ScenarioCopy copy;
  const std::string text = session_to_json(played((copy.dir / "realignment.yaml").string()));
  ASSERT_TRUE(resume(text).session.has_value());

  copy.edit("realignment.yaml", "tension: -0.12", "tension: -0.15");
  ResumeResult r = resume(text);
  EXPECT_FALSE(r.session.has_value());
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors.front().message.find("has changed since the session was saved"), std::string::npos)
      << r.errors.front().message;
  EXPECT_NE(r.errors.front().message.find("realignment.yaml"), std::string::npos) << r.errors.front().message;
  copy.edit("realignment.yaml", "tension: -0.15", "tension: -0.12");

  copy.edit("realignment.yaml", "# Scenario 4", "# Scenario four");  // a comment: nothing the model uses
  r = resume(text);
  ASSERT_TRUE(r.session.has_value());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("changed since the session was saved, but not in anything"), std::string::npos);
  copy.edit("realignment.yaml", "# Scenario four", "# Scenario 4");

  copy.edit("actors.yaml", "restraint: 0.05      # at war",
            "restraint: 0.07      # at war");  // included by baseline.yaml: named
  r = resume(text);
  EXPECT_FALSE(r.session.has_value());
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors.front().message.find("has changed since the session was saved: '" +
                                          (copy.dir / "actors.yaml").string() + "' had checksum fnv1a64:"),
            std::string::npos)
      << r.errors.front().message;
  EXPECT_EQ(r.errors.front().message.find("realignment.yaml"), std::string::npos) << "only the file that changed";
  copy.edit("actors.yaml", "restraint: 0.07      # at war", "restraint: 0.05      # at war");

  copy.edit("common/visit.yaml", "# ", "#  ");  // a comment of an included file: a warning naming it
  r = resume(text);
  ASSERT_TRUE(r.session.has_value()) << (r.errors.empty() ? "" : r.errors.front().message);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("visit.yaml' had checksum"), std::string::npos) << r.warnings[0];
  copy.edit("common/visit.yaml", "#  ", "# ");

  // A session saved before includes were listed (no "includes"): resumes, the change unnamed.
  {
    nlohmann::json old = nlohmann::json::parse(text);
    old.erase("includes");
    copy.edit("actors.yaml", "restraint: 0.05      # at war", "restraint: 0.07      # at war");
    r = resume(old.dump());
    ASSERT_FALSE(r.errors.empty());
    EXPECT_NE(r.errors.front().message.find("a file it includes differs"), std::string::npos)
        << r.errors.front().message;
    copy.edit("actors.yaml", "restraint: 0.07      # at war", "restraint: 0.05      # at war");
    EXPECT_TRUE(resume(old.dump()).session.has_value());
  }

  // An included file not there is said missing at its entry; one that no longer loads, as changed.
  std::ostringstream visit;
  visit << std::ifstream(copy.dir / "common" / "visit.yaml").rdbuf();
  fs::remove(copy.dir / "common" / "visit.yaml");
  r = resume(text);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors.front().file, "session.json");
  EXPECT_NE(r.errors.front().message.find("visit.yaml', included by the session's scenario, is not there"),
            std::string::npos)
      << r.errors.front().message;
  std::ofstream(copy.dir / "common" / "visit.yaml") << visit.str() << "events: [\n";
  r = resume(text);
  EXPECT_FALSE(r.session.has_value());
  ASSERT_FALSE(r.errors.empty());
  const std::string where = r.errors.front().file + ": " + r.errors.front().message;
  EXPECT_EQ(r.errors.front().file, "session.json") << where;
  EXPECT_NE(where.find("visit.yaml' had checksum"), std::string::npos) << where;
  EXPECT_NE(where.find("no longer loads"), std::string::npos) << where;
}

// ---------------------------------------------------------------- untrusted input

/// The saved text of a session with one moved-in policy file, and that file's saved path.
struct MovedSession {
  std::string text, moved;
  MovedSession() {
    Session s = start("realignment");
    run_ok(s, "step 2");
    run_ok(s, "move quiet-diplomacy");
    text = session_to_json(s);
    const nlohmann::json root = nlohmann::json::parse(text);
    moved = root["moved_policies"][0]["file"].get<std::string>();
  }
  std::string with_moved(const std::string& path) const {
    std::string t = text;
    t.replace(t.find(moved), moved.size(), path);
    return t;
  }
};

TEST(SessionFile, AMovedPolicyThatIsADeviceOrAFifoIsRefusedAtOnce) {
  const MovedSession saved;
  ASSERT_TRUE(resume(saved.text).session.has_value());
  const fs::path fifo = fs::temp_directory_path() / ("geosim_session_fifo_" + std::to_string(::getpid()));
  fs::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Before: /dev/zero read until memory ran out, the FIFO waited for a writer forever.
  for (const std::string& path : {std::string("/dev/zero"), fifo.string(), std::string("/tmp")}) {
    const ResumeResult r = resume(saved.with_moved(path));
    EXPECT_FALSE(r.session.has_value()) << path;
    ASSERT_FALSE(r.errors.empty()) << path;
    EXPECT_NE(r.errors.front().message.find("expected a regular file at '" + path + "', found "), std::string::npos)
        << r.errors.front().message;
  }
  fs::remove(fifo);
}

// A file the session needs that is not there (a session copied without its folder, resumed from
// another) is said to be missing, with where its paths lead from: a moved policy was said to have
// "changed", and a missing scenario came out as an unknown scenario name, the session unnamed.
TEST(SessionFile, AMissingFileIsSaidMissing) {
  const MovedSession saved;
  ResumeResult r = resume(saved.with_moved("/nonexistent/quiet.yaml"));
  EXPECT_TRUE(r.session.has_value()) << "found by its shipped name, unchanged";
  nlohmann::json root = nlohmann::json::parse(saved.with_moved("/nonexistent/quiet.yaml"));
  root["moved_policies"][0]["name"] = "mine";
  r = resume(root.dump());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors.front().file, "session.json");
  EXPECT_EQ(r.errors.front().message,
            "the policy file '/nonexistent/quiet.yaml', moved in during the session as 'mine', is not there (nor a "
            "shipped policy 'mine'): its path leads from the session file's folder: keep the session file beside "
            "the files it was played from, or restore the file");
  root = nlohmann::json::parse(saved.text);
  root["scenario"]["file"] = "/nonexistent/mine.yaml";
  root["scenario"]["name"] = "mine";
  r = resume(root.dump());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors.front().file, "session.json");
  EXPECT_GT(r.errors.front().line, 0);
  EXPECT_EQ(r.errors.front().message.substr(0, 97),
            "the session's scenario file '/nonexistent/mine.yaml' is not there (nor a shipped scenario 'mine')");
  // A shipped scenario's session moved away from the files: the scenario is found again by name,
  // and its includes are that scenario's own, not the saved paths (which were refused as missing).
  Session shipped = start("symbolic-visit", {"economic-engagement"});
  run_ok(shipped, "step 2");
  r = session_from_json(session_to_json(shipped), "/nonexistent/deep/session.json", GEOSIM_SCENARIOS_DIR);
  EXPECT_TRUE(r.session.has_value()) << (r.errors.empty() ? "" : r.errors.front().message);
  // A start policy of no shipped name, and a file the scenario included: the same, at their entry.
  root = nlohmann::json::parse(saved.text);
  root["policies"] = {{{"name", "mine"}, {"file", "/nonexistent/mine.yaml"}, {"checksum", ""}}};
  const std::string text = root.dump(1);
  r = resume(text);
  ASSERT_EQ(r.errors.size(), 1u);
  const std::size_t at = text.find("\"/nonexistent/mine.yaml\"");
  EXPECT_EQ(r.errors.front().line, 1 + std::count(text.begin(), text.begin() + at, '\n'));
  EXPECT_EQ(r.errors.front().message.substr(0, 80),
            "the policy file '/nonexistent/mine.yaml' ('mine') is not there: its path leads f");
  root = nlohmann::json::parse(saved.text);
  root["includes"] = {{{"file", "/nonexistent/blocs.yaml"}, {"checksum", ""}}};
  r = resume(root.dump());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors.front().message.substr(0, 97),
            "the file '/nonexistent/blocs.yaml', included by the session's scenario, is not there: its path le");
}

TEST(SessionFile, CountsAndSizesAreBounded) {
  // 60,000 branches in 2.4 MB once took 1.8 GB and 16 s to replay: refused before any replay.
  std::string many =
      "{\"geosim_session\": 1, \"scenario\": {\"name\": \"baseline\", \"file\": \"\", \"checksum\": \"\", "
      "\"fingerprint\": \"\"}, \"seed\": 1, \"current\": \"b0\", \"branches\": [";
  for (int b = 0; b < 60000; ++b)
    many += std::string(b ? "," : "") + "{\"name\":\"b" + std::to_string(b) +
            "\",\"forked_at\":0,\"step\":0,\"state\":\"\",\"history\":[]}";
  many += "]}";
  ResumeResult r = resume(many);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors.front().message, "expected at most 100 entries in 'branches', found 60000");

  const std::string good = session_to_json(played());
  // A command of the longest line the session takes is read back (what `save` writes, resuming
  // reads); one byte more is refused. Neither is echoed whole.
  for (const std::size_t size : {kMaxCommandBytes, kMaxCommandBytes + 1}) {
    std::string t = good;
    t.replace(t.find("\"inject hanoi-tilts\""), 20, "\"" + std::string(size, 'x') + "\"");
    r = resume(t);
    ASSERT_FALSE(r.errors.empty());
    const std::string& message = r.errors.front().message;
    if (size > kMaxCommandBytes)
      EXPECT_NE(message.find("to be a list of commands (text of at most 4000 bytes"), std::string::npos) << message;
    else
      EXPECT_NE(message.find("does not replay: command 7 'xxxx"), std::string::npos) << message;
    EXPECT_LT(message.size(), 300u) << message;
  }
  EXPECT_FALSE(resume(std::string(kMaxSessionFileBytes + 1, ' ')).errors.empty());
}

TEST(SessionFile, EveryFieldIsCheckedAndNoValueIsEchoed) {
  const std::string good = session_to_json(played());
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string t = good;
    EXPECT_NE(t.find(from), std::string::npos) << from;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  struct Case {
    std::string text;
    std::string error;
  };
  const std::string junk(100000, 'Z');
  const Case cases[] = {
      {"{\"geosim_session\": \"" + junk + "\"}",
       "expected a session file of version 1, found a string instead of a version number"},
      {"{\"geosim_session\": 1e300}",
       "expected a session file of version 1, found a number instead of a version number"},
      {replace("\"current\": \"hawks\"", "\"current\": \"eagles\""), "expected 'current' to name one of the branches"},
      {replace("\"name\": \"hawks\"", "\"name\": \"ha\\u001b[2Jwks\""),
       "expected a branch name of letters, digits, '-' and '_' (at most 40) as 'name' of branch 2"},
      {replace("\"name\": \"hawks\"", "\"name\": \"\""),
       "expected a branch name of letters, digits, '-' and '_' (at most 40) as 'name' of branch 2"},
      {replace("\"parent\": \"hawks\"", "\"parent\": \"owls\""),
       "expected the parent of branch 'doves' to be a branch before it"},
      {replace("\"forked_at\": 0", "\"forked_at\": -1"), "expected 'forked_at' of branch 1 between 0 and 100000"},
      {replace("\"forked_at\": 0", "\"forked_at\": 99999"),
       "expected 'forked_at' of branch 'main' at or before its step"},
      {replace("\"forked_at\": 0", "\"forked_at\": 1"),
       "expected 'forked_at' of branch 'main' to be 0: a branch without a parent starts at the start"},
      {replace("\"forked_commands\": 0", "\"forked_commands\": 2"),
       "expected 'forked_commands' of branch 'main' at most 0 (it has no parent)"},
      {replace("\"moved_policies\": [", "\"moved_policies\": 3, \"x\": ["),
       "expected a field 'moved_policies' of the right type"},
      {replace("\"checksum\": \"fnv1a64:", "\"checksum\": \"md5:"),
       "expected 'checksum' of 'scenario' to be a checksum (fnv1a64: and 16 hex digits)"},
      {replace("\"step\": ", "\"step\": \"" + junk + "\", \"x\": "),
       "expected a field 'step' of branch 1 of the right type"},
  };
  for (const Case& c : cases) {
    const ResumeResult r = resume(c.text);
    EXPECT_FALSE(r.session.has_value()) << c.error;
    ASSERT_FALSE(r.errors.empty()) << c.error;
    EXPECT_EQ(r.errors.front().message, c.error);
    EXPECT_EQ(r.errors.front().message.find("ZZZ"), std::string::npos);
    EXPECT_EQ(r.errors.front().message.find('\x1b'), std::string::npos);
  }
}

}  // namespace
}  // namespace geosim
