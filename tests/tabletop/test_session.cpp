// The tabletop session: stepping, injects, moves, undo and branches on the shipped realignment
// scenario, and the after-action record.
#include <gtest/gtest.h>
#include <geosim/core/run.hpp>
#include <geosim/tabletop/after_action.hpp>
#include <geosim/tabletop/session.hpp>
#include <geosim/tabletop/session_view.hpp>

#include "support/session_play.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/builders.hpp"
#include "support/cli.hpp"

namespace geosim {
namespace {

Session start(const std::string& scenario = "realignment", std::uint64_t seed = 1,
              std::vector<std::string> policies = {}) {
  return testing::start_shipped(scenario, seed, std::move(policies));
}
using testing::run_ok;
CommandResult run(Session& s, const std::string& line) { return testing::run_command(s, line); }

/// Bit-for-bit equality of the relation matrices.
void expect_same_state(const State& a, const State& b) {
  EXPECT_EQ(a.step, b.step);
  EXPECT_TRUE(a.tension == b.tension);
  EXPECT_TRUE(a.baseline == b.baseline);
  EXPECT_TRUE(a.tie == b.tie);
}

double tension(const Session& s, const std::string& from, const std::string& to) {
  const Scenario& sc = s.scenario();
  return s.current().state.tension(Eigen::Index(*sc.find_actor(from)), Eigen::Index(*sc.find_actor(to)));
}

int times_fired(const Branch& branch, const std::string& id) {
  return int(
      std::count_if(branch.fired.begin(), branch.fired.end(), [&](const AppliedEvent& a) { return a.id == id; }));
}

TEST(Session, UnknownScenarioOrPolicyIsOneClearError) {
  std::vector<Diagnostic> errors;
  EXPECT_FALSE(
      Session::start({"realignmnt", {}, 1, GEOSIM_SCENARIOS_DIR, "", {}, {}, {}, kEnsembleMemoryBudget}, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("realignment"), std::string::npos) << "lists the shipped scenarios";
  EXPECT_EQ(errors[0].file, "geosim") << "said as every command says it, not as if the word were a file";
  errors.clear();
  EXPECT_FALSE(Session::start(
      {"realignment", {"shouting"}, 1, GEOSIM_SCENARIOS_DIR, "", {}, {}, {}, kEnsembleMemoryBudget}, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("quiet-diplomacy"), std::string::npos);
  EXPECT_EQ(errors[0].file, "geosim");
}

TEST(Session, SteppingToTheEndReproducesGeosimRun) {
  Session s = start("realignment", 7, {"asean-dialogue"});
  run_ok(s, "step 20");
  run_ok(s, "step 32");
  RunOptions options;
  options.seed = 7;
  const RunResult expected = run_scenario(s.scenario(), options);
  expect_same_state(s.current().state, expected.final_state);
  EXPECT_EQ(s.current().fired.size(), expected.events.size());
  EXPECT_FALSE(run(s, "step").ok) << "no step after the end";
}

TEST(Session, StepPastTheEndIsRefusedWithoutChange) {
  Session s = start();
  run_ok(s, "step 50");
  const CommandResult r = run(s, "step 3");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("only 2 steps left"), std::string::npos) << r.message;
  // however many: the same answer, not a limit of the command's own (it said "1 to 100000")
  for (const char* line : {"step 1000000", "step 99999999999999999999"})
    EXPECT_EQ(run(s, line).message, r.message) << line;
  EXPECT_EQ(s.current().state.step, 50);
  EXPECT_EQ(s.current().history.size(), 1u);
}

TEST(Session, InjectFiresAtTheNextStepAndAlwaysFires) {
  Session s = start();
  run_ok(s, "step 3");
  const State before = s.current().state;
  const CommandResult r = run(s, "inject us-pushback");
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_NE(r.message.find("step 4"), std::string::npos) << r.message;
  expect_same_state(s.current().state, before);  // nothing happens until the step
  ASSERT_EQ(s.current().pending.scenario_events.size(), 1u);
  ASSERT_EQ(s.current().journal.size(), 1u);
  EXPECT_FALSE(s.current().journal[0].fired);
  run_ok(s, "step");
  const AppliedEvent& fired = s.current().fired.back();
  EXPECT_EQ(fired.id, "us-pushback");
  EXPECT_EQ(fired.step, 4);
  EXPECT_EQ(fired.cause, "inject");
  EXPECT_TRUE(s.current().pending.scenario_events.empty());
  const JournalEntry& entry = s.current().journal[0];
  EXPECT_TRUE(entry.fired);
  EXPECT_EQ(entry.made_at, 3);
  EXPECT_EQ(entry.fires_at, 4);
  ASSERT_EQ(entry.changes.size(), 1u);
  EXPECT_DOUBLE_EQ(entry.changes[0].tension, 0.06);
}

TEST(Session, InjectingAScheduledEventBringsItForwardInsteadOfFiringTwice) {
  Session s = start();
  const CommandResult r = run(s, "inject pyongyang-visit");
  EXPECT_NE(r.message.find("brought forward from step 10"), std::string::npos) << r.message;
  run_ok(s, "step 12");
  EXPECT_EQ(times_fired(s.current(), "pyongyang-visit"), 1);
  EXPECT_EQ(s.current().fired.front().id, "pyongyang-visit");
  EXPECT_EQ(s.current().fired.front().step, 1);
  // Once fired, injecting it again fires it once more.
  run_ok(s, "inject pyongyang-visit");
  run_ok(s, "step");
  EXPECT_EQ(times_fired(s.current(), "pyongyang-visit"), 2);
}

TEST(Session, InjectedFollowUpOnlyEventCarriesItsOwnFollowUps) {
  Session s = start();
  run_ok(s, "inject hanoi-tilts");  // brought forward; its follow-ups come 2 and 3 steps later
  run_ok(s, "step 4");
  EXPECT_EQ(times_fired(s.current(), "us-pushback"), 1);
  EXPECT_EQ(times_fired(s.current(), "asean-split"), 1);
}

TEST(Session, AdhocInjectChangesTheNamedRelations) {
  Session s = start();
  const double baseline_before = s.current().state.baseline(3, 1);  // USA -> PRK
  run_ok(s, "inject adhoc \"Missile test over Japan\" PRK->JPN tension +0.1, PRK<->USA tension +0.05 baseline +0.02");
  run_ok(s, "step");
  const JournalEntry& entry = s.current().journal.at(0);
  EXPECT_EQ(entry.kind, JournalEntry::Kind::adhoc);
  EXPECT_EQ(entry.id, "adhoc-1");
  EXPECT_EQ(entry.title, "Missile test over Japan");
  ASSERT_EQ(entry.changes.size(), 3u) << "PRK->JPN, PRK->USA, USA->PRK";
  EXPECT_NEAR(entry.changes[0].tension, 0.1, 1e-12);
  EXPECT_NEAR(entry.changes[2].baseline, 0.02, 1e-12);
  ASSERT_EQ(s.scenario().actors[3].id, "USA");
  EXPECT_NEAR(s.current().state.baseline(3, 1), baseline_before + 0.02, 1e-12);
}

TEST(Session, UnknownEventOrActorIsAnErrorAndChangesNothing) {
  Session s = start();
  run_ok(s, "step 2");
  s.mark_saved();
  const State before = s.current().state;
  CommandResult r = run(s, "inject pyongyang-vist");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("unknown event 'pyongyang-vist'; did you mean 'pyongyang-visit'?"), std::string::npos)
      << r.message;
  r = run(s, "inject zzzzzzzzzzzzzzzzzzzz");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("hanoi-tilts"), std::string::npos) << "lists the known events: " << r.message;
  EXPECT_EQ(r.at, 7u) << "at the id typed";
  r = run(s, "inject adhoc \"x\" PRK->JPN tension 0.1, PRK->XYZ tension 0.1");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("unknown actor 'XYZ'"), std::string::npos) << r.message;
  EXPECT_EQ(r.at, 44u) << "at XYZ, counted by hand";
  EXPECT_NE(r.message.find("VNM"), std::string::npos) << "lists the actors: " << r.message;
  // An event of a shipped policy not moved in: said so, with the move (inject and roll alike).
  for (const std::string command : {"inject quiet-diplomacy-consultations", "roll quiet-diplomacy-consultations"}) {
    r = run(s, command);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.message,
              "event 'quiet-diplomacy-consultations' comes with the policy 'quiet-diplomacy', not moved in "
              "on branch 'main': `move quiet-diplomacy` brings its events in");
    EXPECT_EQ(r.at, command.find(' ') + 1);
  }
  r = run(s, "inject adhoc \"x\" members(VNM)->JPN tension 0.1");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("organizations: ASEAN"), std::string::npos) << r.message;
  r = run(s, "inject adhoc \"x\" VNM<->VNM tension 0.1");
  EXPECT_FALSE(r.ok);
  expect_same_state(s.current().state, before);
  EXPECT_TRUE(s.current().pending.scenario_events.empty());
  EXPECT_TRUE(s.current().pending.adhoc_events.empty());
  EXPECT_TRUE(s.current().journal.empty());
  EXPECT_EQ(s.current().history, std::vector<std::string>{"step 2"});
  EXPECT_FALSE(s.unsaved());
}

TEST(Session, UndoTakesBackTheLastStepInjectOrMove) {
  Session s = start();
  run_ok(s, "step 3");
  const State after_three = s.current().state;
  run_ok(s, "inject us-pushback");
  run_ok(s, "move quiet-diplomacy");
  run_ok(s, "step 2");
  EXPECT_EQ(s.current().state.step, 5);

  CommandResult r = s.undo();  // the steps
  EXPECT_TRUE(r.ok);
  EXPECT_NE(r.message.find("step 2"), std::string::npos) << r.message;
  EXPECT_EQ(s.current().state.step, 3);
  EXPECT_EQ(s.current().pending.scenario_events.size(), 1u) << "the inject is pending again";
  EXPECT_EQ(s.current().scenario.policies, std::vector<std::string>{"quiet-diplomacy"});
  ASSERT_TRUE(s.undo().ok);  // the move: its adjustment and events go
  EXPECT_TRUE(s.current().scenario.policies.empty());
  EXPECT_EQ(s.current().scenario.events.size(), s.scenario().events.size());
  ASSERT_TRUE(s.undo().ok);  // the inject
  EXPECT_TRUE(s.current().pending.scenario_events.empty());
  expect_same_state(s.current().state, after_three);
  EXPECT_EQ(s.current().journal.size(), 0u);
  ASSERT_TRUE(s.undo().ok);
  expect_same_state(s.current().state, s.initial_state());
  EXPECT_FALSE(s.undo().ok) << "nothing left to undo";
}

TEST(Session, UndoReplaysExactlyIncludingTheRandomStream) {
  // noise > 0 would need a scenario with noise; the shipped window events draw from the stream.
  Session a = start("realignment", 3);
  Session b = start("realignment", 3);
  run_ok(a, "step 10");
  run_ok(a, "move quiet-diplomacy");  // draws its window step from the stream
  run_ok(a, "step 5");
  run_ok(a, "inject asean-split");
  ASSERT_TRUE(a.undo().ok);
  run_ok(a, "step 30");
  run_ok(b, "step 10");
  run_ok(b, "move quiet-diplomacy");
  run_ok(b, "step 5");
  run_ok(b, "step 30");
  expect_same_state(a.current().state, b.current().state);
}

TEST(Session, MoveAdjustsNowAndSchedulesItsEventsFromTheNextStep) {
  Session s = start();
  run_ok(s, "step 13");  // past the consultations' date (step 12)
  const Scenario& sc = s.scenario();
  const auto sgp = Eigen::Index(*sc.find_actor("SGP")), vnm = Eigen::Index(*sc.find_actor("VNM"));
  const double tie_before = s.current().state.tie(sgp, vnm);
  const CommandResult r = run(s, "move quiet-diplomacy");
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_DOUBLE_EQ(s.current().state.tie(sgp, vnm), tie_before + 0.05) << "adjust applies at once";
  const JournalEntry& entry = s.current().journal.back();
  EXPECT_EQ(entry.kind, JournalEntry::Kind::move);
  EXPECT_EQ(entry.id, "quiet-diplomacy");
  EXPECT_EQ(entry.title, "Quiet diplomacy with Hanoi");
  ASSERT_EQ(entry.changes.size(), 1u);
  ASSERT_EQ(entry.events.size(), 2u);
  const Event& consultations = s.current().scenario.events[entry.events[0]];
  EXPECT_EQ(consultations.id, "quiet-diplomacy-consultations");
  EXPECT_EQ(consultations.timing, Timing::at_step);
  EXPECT_EQ(consultations.step, 14) << "its date has passed: due at the next step";
  const Event& track_two = s.current().scenario.events[entry.events[1]];
  EXPECT_EQ(track_two.timing, Timing::window);
  EXPECT_EQ(track_two.window_first, 14) << "window cut to start at the next step";
  run_ok(s, "step");
  EXPECT_EQ(times_fired(s.current(), "quiet-diplomacy-consultations"), 1);
  EXPECT_NE(status_text(s, false).find("policies in play: quiet-diplomacy"), std::string::npos);
}

TEST(Session, AMovesEventThatAnInjectFiredIsListedOnceUnderTheInject) {
  Session s = start("baseline");
  run_ok(s, "move SGP quiet-diplomacy");
  run_ok(s, "inject quiet-diplomacy-consultations");
  run_ok(s, "step");
  ASSERT_EQ(times_fired(s.current(), "quiet-diplomacy-consultations"), 1);
  const std::string log = log_text(s);
  std::size_t firings = 0;
  for (std::size_t at = log.find("fired at step 1"); at != std::string::npos; at = log.find("fired at step 1", at + 1))
    ++firings;
  EXPECT_EQ(firings, 1u) << log;
  EXPECT_LT(log.find("inject quiet-diplomacy-consultations"), log.find("fired at step 1")) << log;
  const AfterAction record = gather_after_action(s, AfterActionOptions{.played = false});
  ASSERT_EQ(record.entries.size(), 2u);
  EXPECT_TRUE(record.entries[0].fired_events.empty()) << "the move's entry does not claim the inject's firing";
  EXPECT_TRUE(record.entries[1].fired);
}

TEST(Session, MoveOfAnUnknownOrRepeatedPolicyIsRefused) {
  Session s = start("realignment", 1, {"asean-dialogue"});
  CommandResult r = run(s, "move quiet-diplomcy");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("did you mean 'quiet-diplomacy'?"), std::string::npos) << r.message;
  r = run(s, "move asean-dialogue");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("already in play"), std::string::npos) << r.message;
  run_ok(s, "move quiet-diplomacy");
  r = run(s, "move quiet-diplomacy");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(s.current().history, std::vector<std::string>{"move quiet-diplomacy"});
  r = run(s, "move sgp reinforcing-partnerships");
  EXPECT_EQ(r.message, "unknown team 'sgp'; did you mean 'SGP'?");
  EXPECT_EQ(r.at, 5u);
  r = run(s, "move SGP reinforcing-partnership");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.at, 9u);
}

TEST(Session, BranchesKeepIndependentStates) {
  Session s = start();
  run_ok(s, "step 5");
  ASSERT_TRUE(s.branch("hawks").ok);
  EXPECT_EQ(s.current().name, "hawks");
  EXPECT_EQ(s.current().parent, "main");
  EXPECT_EQ(s.current().forked_at, 5);
  run_ok(s, "inject adhoc \"Hanoi expels US attaché\" VNM<->USA tension +0.2 baseline +0.1");
  run_ok(s, "step 10");
  const State hawks = s.current().state;
  const double hawks_vnm_usa = tension(s, "VNM", "USA");
  ASSERT_TRUE(s.switch_to("main").ok);
  EXPECT_EQ(s.current().state.step, 5) << "main did not move";
  run_ok(s, "step 10");
  EXPECT_GT(hawks_vnm_usa, tension(s, "VNM", "USA") + 0.05) << "VNM->USA is hotter on hawks";
  // main is exactly what a session without the branch gives.
  Session plain = start();
  run_ok(plain, "step 15");
  expect_same_state(s.current().state, plain.current().state);
  ASSERT_TRUE(s.switch_to("hawks").ok);
  expect_same_state(s.current().state, hawks);
  EXPECT_FALSE(s.branch("main").ok) << "names are unique";
  const CommandResult r = s.switch_to("hawk");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("did you mean 'hawks'?"), std::string::npos) << r.message;
}

TEST(Session, ABranchCopiesItsParentsRandomStream) {
  Session s = start("realignment", 5);
  run_ok(s, "step 10");
  ASSERT_TRUE(s.branch("copy").ok);
  run_ok(s, "step 30");
  const State copy = s.current().state;
  ASSERT_TRUE(s.switch_to("main").ok);
  run_ok(s, "step 30");
  expect_same_state(s.current().state, copy);
}

TEST(Session, UnsavedTracksChanges) {
  Session s = start();
  EXPECT_FALSE(s.unsaved());
  run_ok(s, "step");
  EXPECT_TRUE(s.unsaved());
  s.mark_saved();
  EXPECT_FALSE(s.unsaved());
  ASSERT_TRUE(s.branch("b").ok);
  EXPECT_TRUE(s.unsaved());
  // Undoing back to what was saved leaves nothing unsaved; a branch switched to is saved too.
  ASSERT_TRUE(s.switch_to("main").ok);
  run_ok(s, "step 3");
  s.mark_saved();
  run_ok(s, "step");
  run_ok(s, "inject us-pushback");
  EXPECT_TRUE(s.unsaved());
  ASSERT_TRUE(s.undo().ok);
  EXPECT_TRUE(s.unsaved());
  ASSERT_TRUE(s.undo().ok);
  EXPECT_FALSE(s.unsaved()) << "back to the saved commands";
  ASSERT_TRUE(s.undo().ok);
  EXPECT_TRUE(s.unsaved()) << "a saved command undone";
  run_ok(s, "step 3");
  EXPECT_FALSE(s.unsaved()) << "and typed again";
  ASSERT_TRUE(s.switch_to("b").ok);
  EXPECT_TRUE(s.unsaved()) << "the current branch is saved";
}

TEST(Session, ViewsShowStatusLogAndBranches) {
  Session s = start();
  run_ok(s, "step 2");
  run_ok(s, "inject us-pushback");
  std::string status = status_text(s, false);
  for (const char* part : {"branch 'main', step 2 (2025-08-15) of 52", "pending injects (fire at step 3): us-pushback",
                           "ASEAN cohesion", "Tension (row = from, column = to", "ASEAN"})
    EXPECT_NE(status.find(part), std::string::npos) << part << "\n" << status;
  EXPECT_EQ(status.find('\033'), std::string::npos) << "no colour unless asked";
  EXPECT_NE(status_text(s, true).find("\033[32m"), std::string::npos);
  EXPECT_NE(log_text(s).find("pending: fires at step 3"), std::string::npos) << log_text(s);
  run_ok(s, "step");
  EXPECT_NE(log_text(s).find("fired at step 3:\n        USA->VNM tension +0.060 baseline +0.040\n"), std::string::npos)
      << log_text(s);
  ASSERT_TRUE(s.branch("b").ok);
  const std::string branches = branches_text(s);
  EXPECT_NE(branches.find("  main"), std::string::npos) << branches;
  EXPECT_NE(branches.find("* b"), std::string::npos) << branches;
  EXPECT_NE(branches.find("from main at step 3"), std::string::npos) << branches;
  EXPECT_NE(events_text(s).find("us-pushback"), std::string::npos);
  EXPECT_EQ(tension_level(0.1), TensionLevel::low);
  EXPECT_EQ(tension_level(0.8), TensionLevel::crisis);
}

// `branches` names the indicators that moved, never one that shows 0.000 as if it had.
TEST(Session, BranchesListsOnlyIndicatorsThatMoved) {
  Session s = start();
  EXPECT_NE(branches_text(s).find("      no indicator moved by 0.001 or more\n"), std::string::npos)
      << branches_text(s);
  run_ok(s, "step 10");
  const std::string moved = branches_text(s);
  EXPECT_EQ(moved.find(" 0.000"), std::string::npos) << moved;
  EXPECT_EQ(moved.find("no indicator moved"), std::string::npos) << moved;
}

// `events` lists the events in the order they fall due (a window by its first step, follow-ups
// last), whatever their order in the files.
TEST(Session, EventsAreListedInTheOrderTheyFallDue) {
  Session s = start();
  std::istringstream lines(events_text(s));
  std::vector<int> due;
  bool follow_ups = false;
  for (std::string line; std::getline(lines, line);) {
    const std::size_t at = line.find("  step ");
    const std::size_t window = line.find("  steps ");
    if (line.find("follow-up/inject only") != std::string::npos)
      follow_ups = true;
    else if (at != std::string::npos || window != std::string::npos) {
      EXPECT_FALSE(follow_ups) << "a dated event after a follow-up: " << line;
      due.push_back(
          std::stoi(line.substr((at != std::string::npos ? at : window) + (at != std::string::npos ? 7 : 8))));
    }
  }
  ASSERT_GE(due.size(), 8u);
  EXPECT_TRUE(std::is_sorted(due.begin(), due.end())) << events_text(s);
  EXPECT_TRUE(follow_ups) << "realignment.yaml has us-pushback, a follow-up, before hedging-abandoned (steps 22-35)";
}

TEST(Session, AfterActionRecordGathersInjectsMovesAndIndicators) {
  Session s = start();
  run_ok(s, "step 9");
  run_ok(s, "move quiet-diplomacy");
  run_ok(s, "inject adhoc \"Border incident\" CHN<->VNM tension +0.1");
  run_ok(s, "step 5");
  const AfterAction record = gather_after_action(s);
  EXPECT_EQ(record.scenario_id, "realignment");
  EXPECT_EQ(record.step, 14);
  ASSERT_EQ(record.entries.size(), 2u);
  EXPECT_EQ(record.entries[0].kind, JournalEntry::Kind::move);
  ASSERT_FALSE(record.entries[0].fired_events.empty());
  EXPECT_EQ(record.entries[0].fired_events[0].id, "quiet-diplomacy-consultations");
  EXPECT_EQ(record.entries[1].changes.size(), 2u);
  EXPECT_EQ(actor_name(record.actors, record.entries[1].changes[0].from), "CHN");
  ASSERT_EQ(record.indicators.size(), s.scenario().indicators.size());
  EXPECT_EQ(record.indicators[0].start, 0.26);
  const std::string md = after_action_markdown(record);
  for (const char* part :
       {"# After-action record: Scenario 4: Regional realignment", "## Injects and moves", "move `quiet-diplomacy`",
        "Border incident", "CHN → VNM tension +0.100", "| Vietnam–US tension | 0.260 |", "now (step 14)"})
    EXPECT_NE(md.find(part), std::string::npos) << part << "\n" << md;
}

TEST(Session, TrajectoryHoldsEveryStepThroughUndoAndForks) {
  // The branch keeps the tension of every step as it plays; checked against a second session
  // that plays the same commands one step at a time and records each state itself.
  Session s = start();
  for (const char* line : {"step 2", "inject adhoc \"Border incident\" VNM -> CHN tension +0.1", "step 3",
                           "move quiet-diplomacy", "step 2"})
    run_ok(s, line);
  ASSERT_TRUE(s.undo().ok);  // the last "step 2"
  run_ok(s, "step 1");
  ASSERT_TRUE(s.branch("hard-line").ok);
  run_ok(s, "step 2");
  const Branch& b = s.current();
  ASSERT_EQ(b.trajectory.size(), std::size_t(b.state.step) + 1);
  Session one = start();
  std::vector<Eigen::MatrixXd> expected{one.current().state.tension};
  for (const char* line : {"step 1", "step 1", "inject adhoc \"Border incident\" VNM -> CHN tension +0.1", "step 1",
                           "step 1", "step 1", "move quiet-diplomacy", "step 1", "step 1", "step 1"}) {
    run_ok(one, line);
    if (std::string(line) == "step 1") expected.push_back(one.current().state.tension);
  }
  ASSERT_EQ(expected.size(), b.trajectory.size());
  for (std::size_t k = 0; k < expected.size(); ++k) EXPECT_TRUE(b.trajectory[k] == expected[k]) << "step " << k;
}

}  // namespace
}  // namespace geosim
