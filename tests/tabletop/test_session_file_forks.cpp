// Session files and the forks of their branches: where a branch left its parent ('forked_at',
// 'forked_commands') is checked, worked out for files saved before it was recorded, and an edited
// history is named when it replays elsewhere.
#include <gtest/gtest.h>
#include <geosim/tabletop/session_file.hpp>

#include <algorithm>
#include <regex>
#include <string>

#include "support/session_play.hpp"

namespace geosim {
namespace {

Session played() { return testing::played_session(); }

ResumeResult resume(const std::string& text) { return session_from_json(text, "session.json", GEOSIM_SCENARIOS_DIR); }

// Undo stops at a branch's fork, `forked_commands` into its history: a saved count past the
// history is refused at the field (it was cut down without a word, and the file rewritten so).
TEST(SessionFile, ForkedCommandsPastTheHistoryAreRefusedAtTheField) {
  const std::string good = session_to_json(played());
  const std::size_t hawks = good.find("\"name\": \"hawks\"");
  ASSERT_NE(hawks, std::string::npos);
  // `good` with hawks' `key` set to `value` (`at`: where the key is), and its one error on resuming.
  auto hawks_with = [&](const std::string& key, const std::string& value, std::size_t& at) {
    at = good.find("\"" + key + "\": ", hawks);
    std::string t = good;
    t.replace(at, good.find(',', at) - at, "\"" + key + "\": " + value);
    const ResumeResult r = resume(t);
    EXPECT_FALSE(r.session.has_value()) << key;
    return std::pair{t, r.errors.size() == 1 ? r.errors.front() : Diagnostic{}};
  };
  std::size_t at = 0;
  const auto [t, error] = hawks_with("forked_commands", "999", at);
  EXPECT_NE(error.message.find("expected 'forked_commands' of branch 'hawks' at most "), std::string::npos)
      << error.message;
  EXPECT_NE(error.message.find(" (the commands of its history)"), std::string::npos) << error.message;
  // placed at the value: its line holds the count
  EXPECT_EQ(error.line, int(1 + std::count(t.begin(), t.begin() + std::ptrdiff_t(at), '\n')));
  EXPECT_EQ(error.column, int(at - t.rfind('\n', at)) + 19);  // after `"forked_commands": `
  // The fork's step must be where the commands taken from the parent lead.
  const auto [u, forked_at] = hawks_with("forked_at", "0", at);
  EXPECT_NE(forked_at.message.find("expected 'forked_at' of branch 'hawks' to be "), std::string::npos)
      << forked_at.message;
}

// A file saved before 'forked_commands' was recorded: each branch's is worked out from its
// 'forked_at' and its parent's history, so the file resumes as the one saved with the field (undo
// stops at the fork) and saves as that file; before, it was 0 and the saved file was refused.
TEST(SessionFile, AFileWithoutForkedCommandsTakesThemFromTheFork) {
  const std::string text = session_to_json(played());
  const std::string old = std::regex_replace(text, std::regex("\n *\"forked_commands\": [0-9]+,"), "");
  ASSERT_EQ(old.find("forked_commands"), std::string::npos);
  ResumeResult r = resume(old);
  ASSERT_TRUE(r.session.has_value()) << format_diagnostic(r.errors.front());
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
  EXPECT_EQ(session_to_json(*r.session), text);
  ASSERT_TRUE(r.session->switch_to("doves").ok);
  while (r.session->undo().ok) {
  }
  EXPECT_EQ(r.session->current().state.step, r.session->current().forked_at) << "undo stops at the fork";
  // A fork the history's steps step over (doves' step 20 goes from 21 to 41) is refused at the field.
  std::string bad = old;
  const std::string doves = "\"forked_at\": 21";
  ASSERT_NE(bad.find(doves), std::string::npos) << bad;
  bad.replace(bad.find(doves), doves.size(), "\"forked_at\": 25");
  r = resume(bad);
  ASSERT_FALSE(r.session.has_value());
  EXPECT_NE(r.errors.front().message.find("expected 'forked_at' of branch 'doves' to be a step its commands reach"),
            std::string::npos)
      << r.errors.front().message;
}

/// Resumes `text`, which must warn once: that doves replays elsewhere than saved.
void expect_doves_replays_elsewhere(const std::string& text) {
  const ResumeResult r = resume(text);
  ASSERT_TRUE(r.session.has_value()) << format_diagnostic(r.errors.front());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "branch 'doves' replays to a different state than when it was saved: its history was "
            "edited since, or this geosim computes differently");
}

// A command of a branch's history edited after the save (here one it took from its parent at
// the fork) replays, to another state: the warning names the edit as a cause, not only geosim.
TEST(SessionFile, AnEditedHistoryIsNamedWhenItReplaysElsewhere) {
  std::string text = session_to_json(played());
  const std::string from = "\"inject hanoi-tilts\"";
  const std::size_t last = text.rfind(from);  // doves' copy of what hawks played before the fork
  ASSERT_NE(last, text.find(from));
  text.replace(last, from.size(), "\"inject pyongyang-visit\"");
  expect_doves_replays_elsewhere(text);
}

// An edit that changes only what is still to come (an inject waiting for the next step, a roll's
// odds) leaves the relations as saved: the branch's "course" checksum names it. A file saved before
// the course was recorded resumes as before, on its state alone.
TEST(SessionFile, AnEditedPendingInjectIsNamedThoughTheRelationsAgree) {
  const std::string saved = session_to_json(played());
  ASSERT_TRUE(resume(saved).warnings.empty());
  std::string text = saved;
  const std::string from = "tension -0.05\"";  // doves' summit, injected after its last step
  ASSERT_NE(text.find(from), std::string::npos) << text;
  text.replace(text.find(from), from.size(), "tension -0.5\"");
  expect_doves_replays_elsewhere(text);
  // Without the "course" lines (a file of an older geosim) the same edit goes unseen, as it did.
  const std::string older = std::regex_replace(text, std::regex("\n *\"course\": \"[^\"]*\","), "");
  ASSERT_EQ(older.find("\"course\""), std::string::npos);
  const ResumeResult r = resume(older);
  ASSERT_TRUE(r.session.has_value()) << format_diagnostic(r.errors.front());
  EXPECT_TRUE(r.warnings.empty());
}

}  // namespace
}  // namespace geosim
