// Moves that carry who and why (`move TEAM POLICY "RATIONALE"`, `inject EVENT "RATIONALE"`) and
// the facilitator's chance roll (`roll EVENT [P]`): parsed, kept in the journal and the log,
// and replayed exactly by undo and by a saved session.
#include <gtest/gtest.h>

#include <cmath>

#include <cstdio>

#include "geosim/tabletop/after_action.hpp"
#include "geosim/tabletop/session.hpp"
#include "geosim/tabletop/session_file.hpp"
#include "geosim/tabletop/session_view.hpp"

namespace geosim {
namespace {

Session realignment() {
  std::vector<Diagnostic> errors;
  auto session =
      Session::start({"realignment", {}, 1, GEOSIM_SCENARIOS_DIR, "", {}, {}, {}, kEnsembleMemoryBudget}, errors);
  EXPECT_TRUE(session) << (errors.empty() ? "" : errors.front().message);
  return std::move(*session);
}

SessionCommand parsed(const std::string& line) {
  const ParsedCommand p = parse_session_command(line);
  EXPECT_TRUE(p.command) << line << ": " << p.error;
  return p.command.value_or(SessionCommand{});
}

TEST(RoomMoves, MoveParsesTeamPolicyAndRationale) {
  SessionCommand c = parsed(R"(move SGP asean-dialogue "keep ASEAN together")");
  EXPECT_EQ(c.kind, CommandKind::move);
  EXPECT_EQ(c.team, "SGP");
  EXPECT_EQ(c.argument, "asean-dialogue");
  EXPECT_EQ(c.rationale, "keep ASEAN together");
  c = parsed("move asean-dialogue");
  EXPECT_EQ(c.team, "");
  EXPECT_EQ(c.argument, "asean-dialogue");
  c = parsed(R"(move "my policy.yaml" "why")");
  EXPECT_EQ(c.argument, "my policy.yaml");
  EXPECT_EQ(c.rationale, "why");
  c = parsed(R"(inject hanoi-tilts "the team asked for it")");
  EXPECT_EQ(c.kind, CommandKind::inject_event);
  EXPECT_EQ(c.argument, "hanoi-tilts");
  EXPECT_EQ(c.rationale, "the team asked for it");
  EXPECT_FALSE(parse_session_command("move SGP asean-dialogue extra").command);
  EXPECT_FALSE(parse_session_command("move").command);
  EXPECT_FALSE(parse_session_command("move SGP " + std::string("\"") + std::string(501, 'x') + "\"").command);
}

TEST(RoomMoves, TheRationaleLimitSaysTheUnitItCounts) {
  // 250 e-acutes: 250 characters, 500 bytes (C3 A9 each), kept; one more is over, in bytes, as the
  // message says (a session file's reader counts bytes too).
  std::string e_acutes;
  for (int k = 0; k < 250; ++k) e_acutes += "\xC3\xA9";
  EXPECT_TRUE(parse_session_command("move SGP asean-dialogue \"" + e_acutes + "\"").command);
  const ParsedCommand over = parse_session_command("move SGP asean-dialogue \"" + e_acutes + "x\"");
  ASSERT_FALSE(over.command);
  EXPECT_EQ(over.error, "expected a rationale of at most 500 bytes");
}

TEST(RoomMoves, RollParsesAnEventAndOptionalOdds) {
  SessionCommand c = parsed("roll hedging-abandoned 0.4");
  EXPECT_EQ(c.kind, CommandKind::roll);
  EXPECT_EQ(c.argument, "hedging-abandoned");
  ASSERT_TRUE(c.odds);
  EXPECT_DOUBLE_EQ(*c.odds, 0.4);
  EXPECT_FALSE(parsed("roll hedging-abandoned").odds);
  const auto zero = parsed("roll hedging-abandoned -0").odds;  // odds 0, not -0 ("odds -0.000")
  ASSERT_TRUE(zero);
  EXPECT_FALSE(std::signbit(*zero));
  for (const char* bad : {"roll", "roll x 1.5", "roll x -0.2", "roll x +0.2", "roll x 0.2 0.3", "roll x y"})
    EXPECT_FALSE(parse_session_command(bad).command) << bad;
  EXPECT_TRUE(records_history(CommandKind::roll));
}

TEST(RoomMoves, TheTeamAndRationaleAreKeptInTheJournalLogAndReport) {
  Session s = realignment();
  EXPECT_FALSE(s.apply(parsed(R"(move XYZ asean-dialogue "no such team")")).ok);
  EXPECT_TRUE(s.current().journal.empty());
  ASSERT_TRUE(s.apply(parsed(R"(move SGP asean-dialogue "keep ASEAN together")")).ok);
  ASSERT_EQ(s.current().journal.size(), 1u);
  EXPECT_EQ(s.current().journal[0].team, "SGP");
  EXPECT_EQ(s.current().journal[0].rationale, "keep ASEAN together");
  EXPECT_NE(log_text(s).find("by SGP: \"keep ASEAN together\""), std::string::npos) << log_text(s);
  const std::string md = after_action_markdown(gather_after_action(s));
  EXPECT_NE(md.find("  - by: `SGP`\n  - why: keep ASEAN together\n"), std::string::npos) << md;
  // A saved session keeps them (the history is the lines as typed).
  ResumeResult resumed = session_from_json(session_to_json(s), "s.json", GEOSIM_SCENARIOS_DIR);
  ASSERT_TRUE(resumed.session);
  EXPECT_EQ(resumed.session->current().journal[0].rationale, "keep ASEAN together");
}

// A policy is its actor's move (`by: SGP` in the shipped four): the US team moving Singapore's
// quiet diplomacy was taken, and the log said the US did it. Refused at the team, nothing changed;
// with no team named, the log names the policy's own actor.
TEST(RoomMoves, ATeamMovesOnlyItsOwnActorsPolicy) {
  Session s = realignment();
  const CommandResult r = s.apply(parsed("move USA quiet-diplomacy"));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message,
            "'quiet-diplomacy' is SGP's move (its 'by: SGP'), not USA's: `move SGP quiet-diplomacy`, or another "
            "team's own policy");
  EXPECT_EQ(r.at, 5u) << "at the team";
  EXPECT_TRUE(s.current().journal.empty());
  EXPECT_TRUE(s.current().moves.empty());
  ASSERT_TRUE(s.apply(parsed("move quiet-diplomacy")).ok);
  ASSERT_EQ(s.current().journal.size(), 1u);
  EXPECT_EQ(s.current().journal[0].team, "SGP");
}

TEST(RoomMoves, ARollDrawsFromItsKeyedStreamAndReplaysExactly) {
  Session s = realignment();
  const Event& e = s.current().scenario.events[*s.current().scenario.find_event("hedging-abandoned")];
  // The draw, worked out independently of the session: stream (roll, event id, step 0, first roll).
  const double draw =
      Rng::for_run(1, 0).stream(RngPurpose::roll, rng_name_key(e.id), std::uint64_t(0), std::uint64_t(0)).uniform();
  char shown[16];
  std::snprintf(shown, sizeof shown, "rolled %.3f", draw);
  // Odds just under the draw: it does not happen; just over: it does (the same draw, undone and rolled again).
  ASSERT_TRUE(s.apply(parsed("roll hedging-abandoned " + std::to_string(draw / 2))).ok);
  ASSERT_EQ(s.current().journal.size(), 1u);
  EXPECT_EQ(s.current().journal[0].kind, JournalEntry::Kind::roll);
  EXPECT_NE(s.current().journal[0].note.find(std::string(shown) + " against odds"), std::string::npos)
      << s.current().journal[0].note;
  EXPECT_NE(s.current().journal[0].note.find("it does not happen"), std::string::npos);
  EXPECT_TRUE(s.current().pending.scenario_events.empty());
  ASSERT_TRUE(s.undo().ok);
  ASSERT_TRUE(s.apply(parsed("roll hedging-abandoned " + std::to_string((draw + 1) / 2))).ok);
  EXPECT_NE(s.current().journal[0].note.find(std::string(shown) + " against odds"), std::string::npos);
  EXPECT_NE(s.current().journal[0].note.find("it happens"), std::string::npos);
  EXPECT_EQ(s.current().pending.scenario_events.size(), 1u);
  const bool happens = true;
  // A second roll of the same event at the same step draws the next keyed number, not the same.
  ASSERT_TRUE(s.apply(parsed("roll hedging-abandoned 1")).ok);
  EXPECT_NE(s.current().journal[1].note.find("it happens"), std::string::npos);
  EXPECT_EQ(s.current().pending.scenario_events.size(), happens ? 2u : 1u);
  ASSERT_TRUE(s.apply(parsed("step")).ok);
  EXPECT_TRUE(s.current().journal[1].fired);
  // Undo and resume replay the rolls exactly.
  const std::string before = log_text(s);
  ASSERT_TRUE(s.undo().ok);
  ASSERT_TRUE(s.apply(parsed("step")).ok);
  EXPECT_EQ(log_text(s), before);
  ResumeResult resumed = session_from_json(session_to_json(s), "s.json", GEOSIM_SCENARIOS_DIR);
  ASSERT_TRUE(resumed.session);
  EXPECT_EQ(log_text(*resumed.session), before);
  EXPECT_FALSE(s.apply(parsed("roll no-such-event")).ok);
  EXPECT_FALSE(s.apply(parsed("roll never 0")).ok);
}

TEST(RoomMoves, RollWithoutOddsUsesTheEventsOwnChance) {
  Session s = realignment();
  ASSERT_TRUE(s.apply(parsed("roll hedging-abandoned")).ok);
  EXPECT_NE(s.current().journal[0].note.find("against odds 0.400"), std::string::npos) << s.current().journal[0].note;
}

}  // namespace
}  // namespace geosim
