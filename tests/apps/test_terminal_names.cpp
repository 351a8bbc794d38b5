// Names are data on the terminal too: every text from a user's file, argument or saved session
// that a command prints (titles and names in every summary, diagnostics, ingest warnings, echoed
// arguments and paths) goes through terminal_text or a diagnostic's one_line, so that no escape
// sequence (ESC, the C1 control U+009B), right-to-left override (U+202E) or line break reaches
// standard output or error as it is. One hostile world, every command.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "support/cli.hpp"
#include "support/event_fixtures.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;
using testing::Output;
using testing::run_cli;
using testing::spit;
using testing::temp_dir;

/// In every name and title: an escape sequence, the C1 CSI, an override and a line break.
const std::string kHostile =
    "\x1b[31m\xC2\x9B"
    "2J\xE2\x80\xAEX\nLINE";
/// The same in YAML's double-quoted escapes.
const std::string kHostileYaml = R"(\e[31m\u009b2J\u202eX\nLINE)";
/// kHostile as terminal_text shows it.
const std::string kShown = "?[31m?2J?X?LINE";

std::string titled(const std::string& what) { return "\"" + what + " " + kHostileYaml + "\""; }

std::string scenario_yaml() {
  return "scenario:\n  id: hostile\n  title: " + titled("Title") + "\n  description: " + titled("About") +
         "\n  start: 2025-08-01\n  step_days: 7\n  steps: 12\n"
         "actors:\n"
         "  - {id: USA, name: " +
         titled("Alpha") +
         "}\n"
         "  - {id: CHN, name: " +
         titled("Beta") +
         "}\n"
         "  - {id: VNM, name: " +
         titled("Gamma") +
         "}\n"
         "relations:\n"
         "  - {between: [USA, CHN], tension: 0.3}\n"
         "  - {between: [USA, VNM], tension: 0.4}\n"
         "  - {between: [CHN, VNM], tension: 0.5}\n"
         "indicators:\n"
         "  - {id: uc, title: " +
         titled("Indicator") +
         ", kind: mean, better: lower, relations: [[USA, CHN]],"
         " thresholds: [0.3], direction: above}\n"
         "events:\n"
         "  - id: ev\n    title: " +
         titled("Event") +
         "\n    date: 2025-08-15\n"
         "    effects: [{between: [USA, CHN], tension: 0.1}]\n"
         "  - id: chance\n    title: " +
         titled("Chance") +
         "\n    window: {from: 2025-08-01, to: 2025-09-30}\n"
         "    probability: 0.5\n    effects: [{between: [USA, VNM], tension: 0.05}]\n";
}

std::string policy_yaml() {
  return "policy:\n  id: hostile-policy\n  title: " + titled("Policy") +
         "\nevents:\n  - id: pev\n    title: " + titled("Policy event") +
         "\n    date: 2025-08-22\n    effects: [{between: [CHN, VNM], tension: -0.04}]\n";
}

/// The command line's word for `text` in single quotes (no single quote in these texts).
std::string quoted(const std::string& text) { return "'" + text + "'"; }

/// Nothing of kHostile reached either stream as it is, and no line starts with its second line.
void expect_clean(const Output& o, const std::string& what) {
  for (const std::string* stream : {&o.out, &o.err}) {
    const std::string name = stream == &o.out ? "stdout" : "stderr";
    EXPECT_EQ(stream->find('\x1b'), std::string::npos) << what << ": ESC on " << name << ":\n" << *stream;
    EXPECT_EQ(stream->find("\xC2\x9B"), std::string::npos) << what << ": U+009B on " << name << ":\n" << *stream;
    EXPECT_EQ(stream->find("\xE2\x80\xAE"), std::string::npos) << what << ": U+202E on " << name << ":\n" << *stream;
    EXPECT_EQ(stream->find("\nLINE"), std::string::npos) << what << ": a line break on " << name << ":\n" << *stream;
    EXPECT_NE(stream->rfind("LINE", 0), 0u) << what << ": a line break on " << name;
  }
}

class TerminalNames : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_dir("terminal_names");
    spit(dir_ / "s.yaml", scenario_yaml());
    spit(dir_ / "p.yaml", policy_yaml());
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string at(const std::string& name) const { return (dir_ / name).string(); }
  /// Runs `geosim ARGS`, checks the exit code and that nothing hostile got through.
  Output check(const std::string& args, int code) {
    const Output o = run_cli(args);
    EXPECT_EQ(o.code, code) << args << "\n" << o.out << o.err;
    expect_clean(o, args);
    return o;
  }
  fs::path dir_;
};

TEST_F(TerminalNames, EverySummaryShowsTitlesAndNamesAsTerminalText) {
  const std::string s = at("s.yaml"), p = at("p.yaml");
  // run: the title and the indicator's; its output folder, named by the user, echoed.
  Output o = check("run " + s + " --policy " + p + " --out " + quoted(at("out" + kHostile)), 0);
  EXPECT_NE(o.out.find("Title " + kShown + "\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("  Indicator " + kShown + "  0.300 -> "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Wrote " + at("out" + kShown) + "/"), std::string::npos) << o.out;
  o = check("explain " + s + " USA CHN --policy " + p, 0);
  EXPECT_NE(o.out.find("Title " + kShown + ", seed 1, policies: hostile-policy"), std::string::npos) << o.out;
  o = check("analyze " + s + " --between USA VNM", 0);
  EXPECT_NE(o.out.find("Title " + kShown + "\nAnalysis at step 12"), std::string::npos) << o.out;
  o = check("ensemble " + s + " --runs 20 --policy " + p + " --out " + at("ens"), 0);
  EXPECT_NE(o.out.find("Title " + kShown + "\n20 runs"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("  Indicator " + kShown + " above 0.30"), std::string::npos) << o.out;
  o = check("compare " + s + " " + s + "+" + p + " --runs 20", 0);
  EXPECT_NE(o.out.find("  Indicator " + kShown + "  "), std::string::npos) << o.out;
  check("report " + s + " --graphviz none --out " + quoted(at("r" + kHostile + ".html")), 0);
  check("export " + s + " --format csv --out " + at("graph.csv"), 0);
  // export to stdout (its default): each format keeps the names as its own escaping allows, and
  // JSON's reader gets them back whole.
  // DOT and GraphML are data: a name keeps its line break (XML text) and its closed override
  // there, but nothing a terminal acts on (an escape, a C1 control) reaches stdout.
  for (const char* format : {"dot", "graphml", "csv"}) {
    const Output data = run_cli("export " + s + " --format " + format);
    EXPECT_EQ(data.code, 0) << format << ": " << data.err;
    EXPECT_EQ(data.out.find('\x1b'), std::string::npos) << format;
    EXPECT_EQ(data.out.find("\xC2\x9B"), std::string::npos) << format;
  }
  o = check("export " + s + " --format json", 0);
  const auto doc = nlohmann::json::parse(o.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << o.out;
  EXPECT_EQ(doc["actors"][0]["name"], "Alpha " + kHostile) << o.out;
  // list: a folder of scenarios whose baseline is the hostile one (its actors listed too).
  spit(dir_ / "shipped/baseline.yaml", scenario_yaml());
  spit(dir_ / "shipped/policies/hostile-policy.yaml", policy_yaml());
  o = check("--scenarios-dir " + at("shipped") + " list", 0);
  EXPECT_NE(o.out.find("Title " + kShown + "\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Policy " + kShown + "\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Gamma " + kShown + "\n"), std::string::npos) << o.out;
}

TEST_F(TerminalNames, PlayShowsTitlesTypedWordsAndResumedSessionsAsTerminalText) {
  const std::string s = at("s.yaml");
  spit(dir_ / "turns.txt", "status\nevents\nstep 3\ninject ev\nstep\nlog\nbranches\nsave " + at("saved.json") +
                               "\nword" + kHostile + "\nword\xC2\x9B\xE2\x80\xAEX\n");
  Output o = check("play " + s + " --script " + at("turns.txt"), 1);
  EXPECT_NE(o.out.find("Title " + kShown + ": branch 'main' at step 0"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("  Indicator " + kShown + "  0.300 -> "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("      Event " + kShown + "\n"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("ev \"Event " + kShown + "\""), std::string::npos) << o.out;
  // A typed escape or C1 control is refused where it stands (a saved session or a Markdown record
  // would carry it); an override typed is text, echoed as '?'.
  EXPECT_NE(o.err.find("turns.txt:9:5: error: expected text without control characters, found U+001B"),
            std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find("turns.txt:11:5: error: expected text without control characters, found U+009B"),
            std::string::npos)
      << o.err;
  spit(dir_ / "override.txt", "word\xE2\x80\xAEX\n");
  EXPECT_NE(check("play " + s + " --script " + at("override.txt"), 1)
                .err.find("override.txt:1:1: error: unknown command 'word?X'"),
            std::string::npos);
  spit(dir_ / "more.txt", "log\nstatus\n");
  o = check("play --resume " + at("saved.json") + " --script " + at("more.txt"), 0);
  EXPECT_NE(o.out.find("Title " + kShown + ": branch 'main' at step 4"), std::string::npos) << o.out;
}

TEST_F(TerminalNames, DiagnosticsAndEchoedArgumentsShowTheirControlsAsText) {
  const std::string s = at("s.yaml");
  // A relation naming an actor that is not there: the loader quotes the name.
  spit(dir_ / "bad.yaml",
       "scenario: {id: bad, title: T, start: 2025-01-01, steps: 3}\n"
       "actors:\n  - {id: AAA, name: A}\n  - {id: BBB, name: B}\n"
       "relations:\n  - {between: [AAA, " +
           titled("B") + "], tension: 0.3}\n");
  Output o = check("validate " + at("bad.yaml"), 1);
  EXPECT_NE(o.err.find("'B \\x1b[31m?2J?X\\nLINE'"), std::string::npos) << o.err;
  check("validate " + at("s.yaml") + " " + at("p.yaml"), 0);
  check("validate " + quoted(at("none" + kHostile + ".yaml")), 1);
  // Names and arguments the program does not know, echoed in its one line.
  o = check("run " + quoted("zz" + kHostile), 1);
  EXPECT_NE(o.err.find("unknown scenario 'zz" + kShown + "'"), std::string::npos) << o.err;
  o = check("run " + s + " --policy " + quoted("pp" + kHostile), 1);
  EXPECT_NE(o.err.find("unknown policy 'pp" + kShown + "'"), std::string::npos) << o.err;
  check("ensemble " + s + " --runs 5 --vary " + quoted("restraint." + kHostile + "=0..1"), 1);
  check("run " + s + " --set " + quoted("restraint." + kHostile + "=0.1"), 1);
  check("compare " + s + " " + quoted("zz" + kHostile) + " --runs 5", 1);
  check("play " + s + " --script " + quoted(at("no" + kHostile)), 1);
  check("play --resume " + quoted(at("no" + kHostile)), 1);
  check("ensemble merge " + quoted(at("no" + kHostile)), 1);
  // A shard names its scenario by the path it was run with: moved away, the merge cannot find it.
  spit(dir_ / ("from" + kHostile) / "s.yaml", scenario_yaml());
  check("ensemble " + quoted(at("from" + kHostile + "/s.yaml")) + " --runs 10 --shard 1/1 --out " + at("shards"), 0);
  fs::rename(dir_ / ("from" + kHostile), dir_ / "moved");
  o = check("ensemble merge " + at("shards/shard-1-of-1.gsshard") + " --out " + at("merged"), 1);
  EXPECT_NE(o.err.find("cannot open scenario file '" + at("from" + kShown + "/s.yaml") + "': no such file"),
            std::string::npos)
      << o.err;
  // The line names the shard file that names it, and so for a policy moved away.
  EXPECT_EQ(o.err.rfind("geosim: error: " + at("shards/shard-1-of-1.gsshard") + ": cannot open scenario file '", 0), 0u)
      << o.err;
  fs::create_directories(dir_ / "policy");
  fs::copy_file(dir_ / "p.yaml", dir_ / "policy" / "p.yaml");
  check("ensemble " + s + " --policy " + at("policy/p.yaml") + " --runs 10 --shard 1/1 --out " + at("pshards"), 0);
  fs::rename(dir_ / "policy", dir_ / "gone");
  o = check("ensemble merge " + at("pshards/shard-1-of-1.gsshard") + " --out " + at("pmerged"), 1);
  EXPECT_EQ(o.err.rfind("geosim: error: " + at("pshards/shard-1-of-1.gsshard") + ": cannot open policy file '" +
                            at("policy/p.yaml") + "': no such file",
                        0),
            0u)
      << o.err;
}

TEST_F(TerminalNames, EventDataAndObservedSeriesShowTheirFieldsAsText) {
  const std::string s = at("s.yaml");
  // ingest: a row whose NumMentions is not a number is a warning quoting it.
  testing::GdeltEvent good, bad;
  bad.mentions = "1" + kHostile.substr(0, 13);  // no line break: a row is one line
  bad.id = 2;
  spit(dir_ / ("events" + kHostile + ".CSV"), testing::gdelt_row(good, testing::GdeltLayout::v2) + "\n" +
                                                  testing::gdelt_row(bad, testing::GdeltLayout::v2) + "\n");
  const std::string scenario = scenario_yaml();  // its actors and relations: ingest takes no events
  spit(dir_ / "a.yaml", scenario.substr(0, scenario.find("events:")));
  Output o = check(
      "ingest " + quoted(at("events" + kHostile + ".CSV")) + " --actors " + at("a.yaml") + " --out " + at("ing"), 0);
  EXPECT_NE(o.err.find("events" + kShown + ".CSV:2:"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(": warning: expected NumMentions"), std::string::npos) << o.err;
  // calibrate: an observed series naming an actor that is not there.
  spit(dir_ / "observed.csv", "step,date,from,to,tension\n0,2025-08-01,USA,\"C" + kHostile + "\",0.3\n");
  check("calibrate " + s + " --observed " + at("observed.csv") + " --train 1..5 --test 5..9 --out " + at("cal"), 1);
}

}  // namespace
}  // namespace geosim
