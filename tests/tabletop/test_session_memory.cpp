// The session-wide memory budget: every branch keeps every step's tensions and its event records
// (each change an event made: kChangeRecordBytes, as a run counts it), and `step`, `branch` and `inject` are refused up
// front when all the branches together would keep more than SessionSetup::memory_budget (2 GiB by default; a small one
// here, so the test needs none of it).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <filesystem>
#include <fstream>

#include <geosim/core/run_budget.hpp>
#include <geosim/tabletop/session.hpp>

#include "support/cli.hpp"
#include "support/session_play.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;

using testing::run_command;
using testing::run_ok;

std::string mib(std::size_t bytes) { return fmt::format("{:.1f} MiB", double(bytes) / double(1 << 20)); }

/// The bytes of the event records of branch `b`: every change of its fired events and journal.
std::size_t records(const Branch& b) {
  std::size_t changes = 0;
  for (const AppliedEvent& applied : b.fired) changes += applied.changes.size();
  for (const JournalEntry& entry : b.journal) changes += entry.changes.size();
  return changes * kChangeRecordBytes;
}

TEST(SessionMemory, AllBranchesTogetherStayWithinTheBudget) {
  Session probe = testing::start_shipped("realignment");
  const Scenario& scenario = probe.scenario();
  auto kept = [&](int steps) { return run_history_memory(scenario, steps); };  // one branch at step `steps`
  // The records of the play below, measured on a session without a limit: main's and b's.
  run_ok(probe, "step 5");
  ASSERT_TRUE(probe.branch("b").ok);
  run_ok(probe, "step 19");
  const std::size_t main_records = records(probe.branches()[0]),
                    all_records = main_records + records(probe.branches()[1]);
  ASSERT_GT(main_records, 0u) << "events fired by step 5";
  const std::size_t budget = kept(30) + all_records;
  std::vector<Diagnostic> errors;
  auto s = Session::start({"realignment", {}, 1, GEOSIM_SCENARIOS_DIR, "", {}, {}, {}, budget}, errors);
  ASSERT_TRUE(s);
  run_ok(*s, "step 5");
  ASSERT_TRUE(s->branch("b").ok);  // main at 5 and b at 5: kept(5) twice, within kept(30)
  run_ok(*s, "step 19");           // kept(5) + kept(24) = 6 + 25 steps' worth <= 31, and the records
  ASSERT_LE(kept(5) + kept(24) + all_records, budget);
  ASSERT_GT(kept(5) + kept(25) + all_records, budget);
  const CommandResult refused = run_command(*s, "step 1");
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.at, 5u) << "at the count typed: the steps the session has no room for";
  EXPECT_EQ(refused.message,
            fmt::format("'step 1': the session's 2 branches would keep {} of tensions and event records, more than its "
                        "limit of {}: save it and write its report now; undo on any branch frees room",
                        mib(kept(5) + kept(25) + all_records), mib(budget)));
  EXPECT_EQ(s->current().state.step, 24) << "nothing stepped";
  // a fork copies its branch's history: refused when the copy would not fit either
  ASSERT_TRUE(s->switch_to("main").ok);
  const CommandResult fork = s->branch("c", 7);
  EXPECT_FALSE(fork.ok);
  EXPECT_EQ(fork.at, 0u) << "the session's limit, not the name: at the command";
  EXPECT_EQ(s->branch("b", 7).at, 7u) << "a name taken: at the name";
  EXPECT_EQ(s->switch_to("nowhere", 7).at, 7u);
  EXPECT_EQ(fork.message.rfind(fmt::format("'branch c': the session's 2 branches would keep {} of tensions",
                                           mib(kept(5) + kept(24) + all_records + kept(5) + main_records)),
                               0),
            0u)
      << fork.message;
  EXPECT_EQ(s->branches().size(), 2u);
  // the same session with the default budget (2 GiB) takes both
  SessionSetup defaults;  // the budget as a setup leaves it
  defaults.scenario = "realignment";
  defaults.scenarios_dir = GEOSIM_SCENARIOS_DIR;
  EXPECT_EQ(defaults.memory_budget, std::size_t(2) << 30);
  auto roomy = Session::start(defaults, errors);
  ASSERT_TRUE(roomy);
  run_ok(*roomy, "step 30");
  EXPECT_TRUE(roomy->branch("c").ok);
}

// An inject's firing is recorded twice (the branch's events and its journal), each change 1,400
// bytes as a run counts it: VNM<->USA is 2 changes, so 5,600 bytes, counted from the inject on.
// With room for one such inject beyond the start's tensions, the second is refused and nothing is
// queued.
TEST(SessionMemory, InjectsCountWhatTheirFiringWillRecord) {
  ASSERT_EQ(kChangeRecordBytes, 1400u);
  Session probe = testing::start_shipped("realignment");
  const std::size_t start = run_history_memory(probe.scenario(), 0);
  std::vector<Diagnostic> errors;
  auto s = Session::start({"realignment", {}, 1, GEOSIM_SCENARIOS_DIR, "", {}, {}, {}, start + 5600 + 5599}, errors);
  ASSERT_TRUE(s);
  run_ok(*s, "inject adhoc \"talks\" VNM<->USA tension -0.01");
  const CommandResult refused = run_command(*s, "inject adhoc \"more\" VNM<->USA tension -0.01");
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.message.rfind("'inject adhoc \"more\"': the session's 1 branch would keep 0.0 MiB of tensions and "
                                  "event records, more than its limit of 0.0 MiB",
                                  0),
            0u)
      << refused.message;
  EXPECT_EQ(s->current().pending.adhoc_events.size(), 1u);
  // A bloc against a bloc is refused as a whole, however few commands it takes.
  const CommandResult blocs = run_command(*s, "inject apec-gyeongju");
  EXPECT_FALSE(blocs.ok);
  EXPECT_EQ(blocs.message.rfind("'inject apec-gyeongju': the session's 1 branch would keep", 0), 0u) << blocs.message;
}

// An event that sets itself off again (0.95, a step later) changes A->B and B->A each time it
// fires: 2 changes, 2,800 bytes recorded. With room for three firings beyond the tensions of 20
// steps, `step 20` stops at the fourth with one line (it fires at steps 1 to 4 with seed 1) and
// the branch stays where it was; with room for all of them, it runs on.
TEST(SessionMemory, EventsFiredAgainAndAgainStopTheStepWithinTheBudget) {
  const fs::path dir = testing::temp_dir("session_refire");
  std::ofstream(dir / "t.yaml") << "scenario: {id: t, title: T, start: 2025-08-01, steps: 20}\n"
                                   "actors:\n  - {id: A, name: A}\n  - {id: B, name: B}\n"
                                   "events:\n  - id: storm\n    title: Storm\n    step: 1\n"
                                   "    effects: [{between: [A, B], tension: 0.0001}]\n"
                                   "    follow_ups: [{event: storm, delay: 1, probability: 0.95}]\n";
  const std::string file = (dir / "t.yaml").string();
  std::vector<Diagnostic> errors;
  auto probe = Session::start({"t", {}, 1, GEOSIM_SCENARIOS_DIR, file, {}, {}, {}, std::size_t(1) << 30}, errors);
  ASSERT_TRUE(probe) << (errors.empty() ? "" : errors[0].message);
  run_ok(*probe, "step 4");
  ASSERT_EQ(probe->current().fired.size(), 4u) << "storm fires at steps 1 to 4";
  const std::size_t room = run_history_memory(probe->scenario(), 20) + 3 * 2 * kChangeRecordBytes;
  auto s = Session::start({"t", {}, 1, GEOSIM_SCENARIOS_DIR, file, {}, {}, {}, room + kChangeRecordBytes}, errors);
  ASSERT_TRUE(s);
  const CommandResult stopped = run_command(*s, "step 20");
  EXPECT_FALSE(stopped.ok);
  EXPECT_EQ(stopped.message,
            "step stopped: event 'storm' would take the relation changes recorded past the memory "
            "they may use (events fired again and again through follow-ups multiply them): make "
            "those follow-ups less likely or the events' effects narrower");
  EXPECT_EQ(s->current().state.step, 0) << "the branch as it was";
  EXPECT_TRUE(probe->apply(parse_session_command("step 16").command.value()).ok);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace geosim
