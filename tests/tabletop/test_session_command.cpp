// The tabletop command parser: which lines are commands, what they carry, and the one-line
// error for each kind of bad line.
#include <gtest/gtest.h>
#include <geosim/tabletop/session_command.hpp>

namespace geosim {
namespace {

SessionCommand parse_ok(const std::string& line) {
  const ParsedCommand parsed = parse_session_command(line);
  EXPECT_TRUE(parsed.command.has_value()) << line << ": " << parsed.error;
  EXPECT_TRUE(parsed.error.empty()) << line;
  return parsed.command.value_or(SessionCommand{});
}

TEST(SessionCommand, AcceptsEveryCommand) {
  struct Case {
    const char* line;
    CommandKind kind;
    int count;
    const char* argument;
  };
  const Case cases[] = {
      {"", CommandKind::empty, 1, ""},
      {"   ", CommandKind::empty, 1, ""},
      {"# a comment, step 3", CommandKind::empty, 1, ""},
      {"help", CommandKind::help, 1, ""},
      {"status", CommandKind::status, 1, ""},
      {"  STATUS  ", CommandKind::status, 1, ""},
      {"events", CommandKind::events, 1, ""},
      {"step", CommandKind::step, 1, ""},
      {"step 12", CommandKind::step, 12, ""},
      {"inject pyongyang-visit", CommandKind::inject_event, 1, "pyongyang-visit"},
      {"move quiet-diplomacy", CommandKind::move, 1, "quiet-diplomacy"},
      {"move \"my policies/hawk.yaml\"", CommandKind::move, 1, "my policies/hawk.yaml"},
      {"undo", CommandKind::undo, 1, ""},
      {"branch what-if_2", CommandKind::branch, 1, "what-if_2"},
      {"switch main", CommandKind::switch_branch, 1, "main"},
      {"branches", CommandKind::branches, 1, ""},
      {"compare hard-line", CommandKind::compare, 1, "hard-line"},
      {"save out/session.json", CommandKind::save, 1, "out/session.json"},
      {"save \"with space.json\"", CommandKind::save, 1, "with space.json"},
      {"log", CommandKind::log, 1, ""},
      {"report aar.md", CommandKind::report, 1, "aar.md"},
      {"quit", CommandKind::quit, 1, ""},
      {"exit", CommandKind::quit, 1, ""},
  };
  for (const Case& c : cases) {
    const SessionCommand command = parse_ok(c.line);
    EXPECT_EQ(command.kind, c.kind) << c.line;
    EXPECT_EQ(command.count, c.count) << c.line;
    EXPECT_EQ(command.argument, c.argument) << c.line;
  }
}

TEST(SessionCommand, KeepsTheTrimmedLineForTheHistory) { EXPECT_EQ(parse_ok("  step 3 \r").text, "step 3"); }

TEST(SessionCommand, ParsesAnAdhocInject) {
  const SessionCommand c = parse_ok(
      "inject adhoc \"Missile test over Japan\" PRK->JPN tension +0.1, PRK<->USA tension +0.05 baseline +0.02");
  ASSERT_EQ(c.kind, CommandKind::inject_adhoc);
  EXPECT_EQ(c.adhoc.title, "Missile test over Japan");
  ASSERT_EQ(c.adhoc.effects.size(), 2u);
  const AdhocEffect& a = c.adhoc.effects[0];
  EXPECT_EQ(a.from, "PRK");
  EXPECT_EQ(a.to, "JPN");
  EXPECT_FALSE(a.both_directions);
  EXPECT_EQ(a.tension, 0.1);
  EXPECT_FALSE(a.baseline.has_value());
  const AdhocEffect& b = c.adhoc.effects[1];
  EXPECT_TRUE(b.both_directions);
  EXPECT_EQ(b.tension, 0.05);
  EXPECT_EQ(b.baseline, 0.02);
  EXPECT_FALSE(b.tie.has_value());
}

// A team's reason for an ad-hoc move, as after `inject EVENT_ID` and `move`: quoted, after the effects.
TEST(SessionCommand, AnAdhocInjectTakesARationaleAfterItsEffects) {
  const SessionCommand c =
      parse_ok("inject adhoc \"Beijing welcomes\" CHN<->VNM tension -0.05, CHN->SGP tie +0.02 \"China team: reward\"");
  EXPECT_EQ(c.adhoc.title, "Beijing welcomes");
  ASSERT_EQ(c.adhoc.effects.size(), 2u);
  EXPECT_EQ(c.adhoc.effects[1].tie, 0.02);
  EXPECT_EQ(c.rationale, "China team: reward");
  EXPECT_EQ(parse_ok("inject adhoc \"T\" CHN<->VNM tension -0.05").rationale, "");
  const ParsedCommand long_reason =
      parse_session_command("inject adhoc \"T\" CHN<->VNM tension -0.05 \"" + std::string(501, 'x') + "\"");
  EXPECT_EQ(long_reason.error, "expected a rationale of at most 500 bytes");
}

TEST(SessionCommand, AdhocAcceptsSpacesAroundArrowsSetsAndEscapes) {
  const SessionCommand c =
      parse_ok(R"(inject ADHOC "Say \"no\"" members(ASEAN) -> CHN tie -0.1 tension 0.02 , VNM <-> SGP baseline -1)");
  ASSERT_EQ(c.adhoc.effects.size(), 2u);
  EXPECT_EQ(c.adhoc.title, "Say \"no\"");
  EXPECT_EQ(c.adhoc.effects[0].from, "members(ASEAN)");
  EXPECT_EQ(c.adhoc.effects[0].tie, -0.1);
  EXPECT_EQ(c.adhoc.effects[0].tension, 0.02);
  EXPECT_EQ(c.adhoc.effects[1].baseline, -1.0);
}

TEST(SessionCommand, RejectsBadLinesWithOneClearMessage) {
  struct Case {
    const char* line;
    const char* error;  // a part of the expected message
  };
  const Case cases[] = {
      {"stpe", "unknown command 'stpe'; did you mean 'step'?"},
      {"fly to the moon", "unknown command 'fly'. Type `help`"},
      {"\"status\"", "expected the command 'status' without quotes"},
      {"\"Step\" 2", "expected the command 'step' without quotes"},
      {"\"step 2\"", "expected the command 'step' without quotes"},
      {"\"stpe\"", "unknown command 'stpe'; did you mean 'step'?"},
      {"step 0", "expected a number of steps of at least 1 after 'step', found '0'"},
      {"step -2", "found '-2'"},
      {"step two", "found 'two'"},
      {"step 3 4", "unexpected '4' after 'step 3'"},
      {"step -3", "of at least 1"},
      {"status now", "'status' takes no arguments, found 'now'"},
      {"inject", "expected an event id"},
      {"inject a b", "unexpected 'b' after 'inject a'"},
      {"inject adhoc", "expected a quoted title after 'inject adhoc'"},
      {"inject adhoc Missile PRK->JPN tension 0.1", "expected a quoted title"},
      {"inject adhoc \"  \" PRK->JPN tension 0.1", "non-empty title"},
      {"inject adhoc \"Test\"", "expected at least one effect"},
      {"inject adhoc \"Test\" PRK JPN tension 0.1", "expected '->' or '<->' after 'PRK'"},
      {"inject adhoc \"Test\" PRK->", "expected an actor id after 'PRK->'"},
      {"inject adhoc \"Test\" PRK->JPN", "expected 'tension', 'baseline' or 'tie' and a number after PRK->JPN"},
      {"inject adhoc \"Test\" PRK->JPN tenson 0.1", "found 'tenson'"},
      {"inject adhoc \"Test\" PRK->JPN tension", "expected a number after 'tension'"},
      {"inject adhoc \"Test\" PRK->JPN tension high", "found 'high'"},
      {"inject adhoc \"Test\" PRK->JPN tension 1.5", "expected a change in [-1, 1]"},
      {"inject adhoc \"Test\" PRK->JPN tension nan", "found 'nan' (not a number)"},
      {"inject adhoc \"Test\" PRK->JPN tension 1e-400", "found '1e-400' (too small to represent)"},
      {"inject adhoc \"Test\" PRK->JPN tension +-0.1", "found '+-0.1' (not a number)"},
      {"inject adhoc \"Test\" PRK->JPN tension 0.1 tension 0.2", "'tension' is given twice for PRK->JPN"},
      {"inject adhoc \"Test\" PRK->JPN tension 0.1,", "expected another effect after ','"},
      {"inject adhoc \"Test\" PRK->JPN tension 0.1 USA->JPN tie 0.1", "found 'USA'"},
      {"inject adhoc \"Test PRK->JPN tension 0.1", "unterminated quoted text"},
      {"move", "expected a policy name"},
      {"branch", "expected a name for the new branch"},
      {"branch bad/name", "expected a branch name of letters, digits"},
      {"switch", "expected the name of a branch"},
      {"save", "expected a file name after 'save'"},
      {"save \"\"", "expected a file name after 'save', found \"\""},
      {"report a b", "unexpected 'b' after 'report a'"},
      {"undo 2", "'undo' takes no arguments"},
  };
  for (const Case& c : cases) {
    const ParsedCommand parsed = parse_session_command(c.line);
    EXPECT_FALSE(parsed.command.has_value()) << c.line;
    EXPECT_NE(parsed.error.find(c.error), std::string::npos) << c.line << "\n  got: " << parsed.error;
    EXPECT_EQ(parsed.error.find('\n'), std::string::npos) << "one line: " << c.line;
  }
}

TEST(SessionCommand, AnErrorPointsAtTheWordAtFault) {
  struct Case {
    const char* line;
    const char* word;  // the error's column is this word's first (counted here); "" = the end of the line
  };
  const Case cases[] = {
      {"stpe 3", "stpe"},
      {"  step two", "two"},
      {"step 3 4", "4"},
      {"status now", "now"},
      {"roll visit 1.5", "1.5"},
      {"move SGP \"x\" extra \"why\"", "extra"},
      {"branch bad/name", "bad/name"},
      {"save", ""},
      {"inject adhoc \"Test\" PRK JPN tension 0.1", "JPN"},
      {"inject adhoc \"Test\" PRK->JPN tension high", "high"},
      {"inject adhoc \"Test\" PRK->JPN tension 0.1 tension 0.2", "tension 0.2"},
      {"inject adhoc \"Test\" PRK->JPN tension 0.1 USA->JPN tie 0.1", "USA"},
      {"inject adhoc \"Test\" PRK->JPN tension 0.1,", ""},
      {"\tinject adhoc \"Test PRK->JPN tension 0.1", "\"Test"},
  };
  for (const Case& c : cases) {
    const std::string line = c.line;
    const ParsedCommand parsed = parse_session_command(line);
    ASSERT_FALSE(parsed.command.has_value()) << line;
    const std::size_t at = *c.word ? line.find(c.word) : line.size();
    EXPECT_EQ(parsed.column, int(at) + 1) << line << ": " << parsed.error;
  }
}

// The controls a typed line may not hold: C0 and DEL, C1 (U+0085, U+009B), U+2028, U+FFFF; a
// right-to-left override is text (closed wherever it is shown).
TEST(SessionCommand, RejectsControlCharactersOfEveryKind) {
  for (const auto& [text, code] : std::vector<std::pair<std::string, std::string>>{{"\x1b", "U+001B"},
                                                                                   {"\x7f", "U+007F"},
                                                                                   {"\xC2\x85", "U+0085"},
                                                                                   {"\xC2\x9B", "U+009B"},
                                                                                   {"\xE2\x80\xA8", "U+2028"},
                                                                                   {"\xEF\xBF\xBF", "U+FFFF"}}) {
    const ParsedCommand parsed = parse_session_command("move VNM quiet-diplomacy \"a" + text + "b\"");
    EXPECT_EQ(parsed.error, "expected text without control characters, found " + code) << code;
    EXPECT_EQ(parsed.column, 28) << code;
  }
  EXPECT_TRUE(parse_session_command("move VNM quiet-diplomacy \"a\xE2\x80\xAE"
                                    "b\"")
                  .command.has_value());
}

TEST(SessionCommand, RejectsOverlongLines) {
  const ParsedCommand parsed = parse_session_command("inject " + std::string(5000, 'a'));
  EXPECT_FALSE(parsed.command.has_value());
  EXPECT_NE(parsed.error.find("at most 4000"), std::string::npos);
  // A title's limit is in bytes, as counted: 100 two-byte letters fit, 101 do not.
  std::string title;
  for (int k = 0; k < 100; ++k) title += "\xC3\xA9";
  EXPECT_TRUE(parse_session_command("inject adhoc \"" + title + "\" VNM->USA tension 0.1").command.has_value());
  const ParsedCommand over = parse_session_command("inject adhoc \"" + title + "e\" VNM->USA tension 0.1");
  EXPECT_EQ(over.error, "expected a title of at most 200 bytes (found 201)");
}

TEST(SessionCommand, OnlyStepInjectAndMoveAreRecorded) {
  for (CommandKind k : {CommandKind::step, CommandKind::inject_event, CommandKind::inject_adhoc, CommandKind::move})
    EXPECT_TRUE(records_history(k));
  for (CommandKind k : {CommandKind::empty, CommandKind::help, CommandKind::status, CommandKind::undo,
                        CommandKind::branch, CommandKind::switch_branch, CommandKind::save, CommandKind::report,
                        CommandKind::log, CommandKind::compare, CommandKind::quit})
    EXPECT_FALSE(records_history(k));
}

TEST(SessionCommand, HelpListsEveryCommand) {
  const std::string help = session_help();
  for (const char* word : {"status", "step [N]", "events", "inject EVENT_ID", "inject adhoc", "move [TEAM] POLICY",
                           "roll EVENT_ID", "undo", "branch NAME", "switch NAME", "branches", "compare NAME", "log",
                           "save FILE", "report FILE", "help", "quit, exit"})
    EXPECT_NE(help.find(word), std::string::npos) << word;
}

// A line over kMaxCommandBytes is refused by its length as read, blanks included: a reader keeps
// kMaxCommandBytes + 1 bytes of a longer line, and one whose byte 4,001 is a blank, trimmed,
// passed as a shorter command, its later effects dropped (hostile report, 2026-12-03).
TEST(SessionCommand, ALineOverTheLimitIsRefusedWhateverItsLastKeptByte) {
  const std::string command = "inject adhoc \"Missile test\" PRK->JPN tension +0.1";
  for (const char last : {' ', '\t', ','}) {
    std::string line = command + std::string(kMaxCommandBytes - command.size(), ' ');
    line += last;  // byte 4,001, as the reader keeps it of a longer line
    const ParsedCommand parsed = parse_session_command(line);
    EXPECT_EQ(parsed.error, "expected a line of at most 4000 bytes") << int(last);
    EXPECT_EQ(parsed.column, 4001);
    EXPECT_FALSE(parsed.command.has_value());
  }
  // At the limit, blanks and all, the command is read, with a CRLF file's carriage return too;
  // a comment is ignored whatever its length, as before.
  const std::string full = command + std::string(kMaxCommandBytes - command.size(), ' ');
  EXPECT_TRUE(parse_session_command(full).error.empty());
  EXPECT_TRUE(parse_session_command(full + "\r").error.empty());
  EXPECT_FALSE(parse_session_command(full + " \r").error.empty());
  EXPECT_TRUE(parse_session_command("# " + std::string(kMaxCommandBytes, 'x')).error.empty());
}

}  // namespace
}  // namespace geosim
