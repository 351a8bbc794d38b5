// The tabletop mode does what it says: moves apply to the state of their moment, each pair once;
// undo stops at a fork; an event injected ahead of its follow-up fires once; comments after a
// command; moved policies pinned by content; sessions that move with their folder.
#include <gtest/gtest.h>
#include <geosim/io/loader.hpp>
#include <geosim/report/html_report.hpp>
#include <geosim/tabletop/session.hpp>
#include <geosim/tabletop/session_file.hpp>

#include "support/session_play.hpp"

#include <unistd.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace geosim {
namespace {
namespace fs = std::filesystem;

/// Three actors and an organisation of two; no drift at all (restraint, reactivity, spillover and
/// noise 0), so that relations change only by events and moves, by hand-checkable amounts.
const char* kScenario = R"(scenario:
  id: still-water
  title: Still water
  start: 2025-01-01
  step_days: 7
  steps: 10
parameters:
  spillover: 0
  noise: 0
actors:
  - {id: A, name: A, restraint: 0, reactivity: 0}
  - {id: B, name: B, restraint: 0, reactivity: 0}
  - {id: C, name: C, restraint: 0, reactivity: 0}
  - {id: ORG, name: Org, kind: organization, members: [A, B], restraint: 0, reactivity: 0}
relations:
  - {from: A, to: C, tension: 0.95, baseline: 0.95}
  - {between: [A, B], tension: 0.2, baseline: 0.2}
events:
  - id: easing
    title: A eases toward C
    step: 1
    effects:
      - {from: A, to: C, tension: -0.5}
    follow_ups:
      - {event: answer, delay: 3}
  - id: answer
    title: C answers
    effects:
      - {from: C, to: A, tension: 0.1}
)";

const char* kPush = R"(policy:
  id: push
  title: Push
adjust:
  - {from: A, to: C, tension: 0.1}
)";

const char* kClub = R"(policy:
  id: club
  title: Club
adjust:
  - between: [members(ORG), members(ORG)]
    tension: 0.1
)";

struct Folder {
  fs::path dir;
  explicit Folder(const std::string& name) : dir(fs::temp_directory_path() / (name + std::to_string(::getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Folder() { fs::remove_all(dir); }
  std::string write(const std::string& file, const std::string& text) const {
    fs::create_directories((dir / file).parent_path());
    std::ofstream(dir / file, std::ios::binary) << text;
    return (dir / file).string();
  }
};

Session start(const Folder& f, std::vector<std::string> policies = {}) {
  std::vector<Diagnostic> errors;
  auto s = Session::start({"still-water",
                           std::move(policies),
                           1,
                           f.dir.string(),
                           f.write("s.yaml", kScenario),
                           {},
                           {},
                           {},
                           kEnsembleMemoryBudget},
                          errors);
  EXPECT_TRUE(s.has_value()) << (errors.empty() ? "" : format_diagnostic(errors.front()));
  return std::move(*s);
}

CommandResult run(Session& s, const std::string& line) { return testing::run_command(s, line); }

double tension(const Session& s, const char* from, const char* to) {
  const Scenario& sc = s.scenario();
  return s.current().state.tension(Eigen::Index(*sc.find_actor(from)), Eigen::Index(*sc.find_actor(to)));
}

int times_fired(const Session& s, const std::string& id) {
  const auto& log = s.current().fired;
  return int(std::count_if(log.begin(), log.end(), [&](const AppliedEvent& a) { return a.id == id; }));
}

TEST(Tabletop, MoveAddsItsAdjustmentToTheCurrentValue) {
  const Folder f("geosim_tabletop_move");
  const std::string push = f.write("push.yaml", kPush);
  Session s = start(f);
  ASSERT_TRUE(run(s, "step").ok);
  EXPECT_NEAR(tension(s, "A", "C"), 0.45, 1e-12) << "0.95 - 0.5, and nothing else moves";
  const CommandResult r = run(s, "move " + push);
  ASSERT_TRUE(r.ok) << r.message;
  // +0.1 on 0.45 now: 0.55 (clamped on the initial 0.95 it would have added only +0.05).
  EXPECT_NEAR(tension(s, "A", "C"), 0.55, 1e-12);
  ASSERT_EQ(s.current().journal.back().changes.size(), 1u);
  EXPECT_NEAR(s.current().journal.back().changes[0].tension, 0.1, 1e-12);
  // At the start, the same move is clamped at 1: +0.05.
  Session fresh = start(f);
  ASSERT_TRUE(run(fresh, "move " + push).ok);
  EXPECT_DOUBLE_EQ(tension(fresh, "A", "C"), 1.0);
}

TEST(Tabletop, OverlappingSidesAdjustEachPairOnce) {
  const Folder f("geosim_tabletop_overlap");
  const std::string club = f.write("club.yaml", kClub);
  // As a policy from the start: A->B 0.2 + 0.1, once (it was 0.4 when both sides counted).
  Session with = start(f, {club});
  EXPECT_NEAR(tension(with, "A", "B"), 0.3, 1e-12);
  EXPECT_NEAR(tension(with, "B", "A"), 0.3, 1e-12);
  // As a move: the same.
  Session s = start(f);
  ASSERT_TRUE(run(s, "move " + club).ok);
  EXPECT_NEAR(tension(s, "A", "B"), 0.3, 1e-12);
  EXPECT_NEAR(tension(s, "B", "A"), 0.3, 1e-12);
  EXPECT_EQ(s.current().journal.back().changes.size(), 2u) << "A->B and B->A, each once";
}

TEST(Tabletop, AnAdjustmentWithAnSdIsRefusedWhereItIsWritten) {
  const Folder f("geosim_tabletop_sd");
  const std::string scenario = f.write("s.yaml", kScenario);
  const std::string random = f.write("random.yaml",
                                     "policy: {id: r, title: R}\nadjust:\n"
                                     "  - from: A\n    to: C\n    tension: {mean: 0.1, sd: 0.05}\n");
  LoadOptions options;
  options.policies = {random};
  const LoadResult r = load_scenario(scenario, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors.front().line, 5);
  EXPECT_NE(r.errors.front().message.find("found an 'sd'"), std::string::npos) << r.errors.front().message;
}

TEST(Tabletop, UndoOnANewBranchStopsAtTheFork) {
  const Folder f("geosim_tabletop_undo");
  Session s = start(f);
  ASSERT_TRUE(run(s, "step 2").ok);
  ASSERT_TRUE(s.branch("what-if").ok);
  ASSERT_TRUE(run(s, "step").ok);
  EXPECT_TRUE(s.undo().ok);
  const CommandResult r = s.undo();
  EXPECT_FALSE(r.ok) << "the fork's own history is the parent's";
  EXPECT_NE(r.message.find("forked from 'main' at step 2"), std::string::npos) << r.message;
  EXPECT_EQ(s.current().state.step, 2);
  // Saved and resumed, the fork point is kept.
  const std::string path = (f.dir / "session.json").string();
  ResumeResult resumed = session_from_json(session_to_json(s, path), path, f.dir.string());
  ASSERT_TRUE(resumed.session) << format_diagnostic(resumed.errors.front());
  EXPECT_FALSE(resumed.session->undo().ok);
  ASSERT_TRUE(resumed.session->switch_to("main").ok);
  EXPECT_TRUE(resumed.session->undo().ok) << "the parent can still go back";
}

TEST(Tabletop, AFollowUpInjectedEarlyFiresOnce) {
  const Folder f("geosim_tabletop_follow");
  Session s = start(f);
  const double before = tension(s, "C", "A");
  const CommandResult r = run(s, "inject answer");  // it would otherwise follow `easing` at step 4
  ASSERT_TRUE(r.ok);
  EXPECT_NE(r.message.find("will not fire again"), std::string::npos) << r.message;
  ASSERT_TRUE(run(s, "step 6").ok);
  EXPECT_EQ(times_fired(s, "easing"), 1);
  EXPECT_EQ(times_fired(s, "answer"), 1) << "the follow-up at step 4 has happened already";
  EXPECT_NEAR(tension(s, "C", "A"), before + 0.1, 1e-12);
  // Injected after its follow-up came, it fires once more.
  Session late = start(f);
  ASSERT_TRUE(run(late, "step 5").ok);
  ASSERT_TRUE(run(late, "inject answer").ok);
  ASSERT_TRUE(run(late, "step").ok);
  EXPECT_EQ(times_fired(late, "answer"), 2);
}

TEST(Tabletop, InjectingTheSameEventTwiceInATurnWarns) {
  const Folder f("geosim_tabletop_twice");
  Session s = start(f);
  EXPECT_EQ(run(s, "inject easing").message.find("warning"), std::string::npos);
  const CommandResult r = run(s, "inject easing");
  ASSERT_TRUE(r.ok);
  EXPECT_NE(r.message.find("warning: 'easing' is now injected 2 times"), std::string::npos) << r.message;
}

TEST(Tabletop, ACommentAfterACommandIsIgnored) {
  for (const char* line : {"step 2 # to the summit", "step 2 #note", "step 2\t# note"}) {
    const ParsedCommand p = parse_session_command(line);
    ASSERT_TRUE(p.command) << line << ": " << p.error;
    EXPECT_EQ(p.command->kind, CommandKind::step) << line;
    EXPECT_EQ(p.command->count, 2) << line;
  }
  const ParsedCommand quoted = parse_session_command("inject adhoc \"Talks # 2\" A->C tension -0.1 # easing");
  ASSERT_TRUE(quoted.command) << quoted.error;
  EXPECT_EQ(quoted.command->adhoc.title, "Talks # 2") << "a '#' in quotes is text";
  EXPECT_EQ(parse_session_command("   # only a note").command->kind, CommandKind::empty);
  EXPECT_FALSE(parse_session_command("step 2#x").command) << "a '#' inside a word is not a comment";
}

TEST(Tabletop, ResumeRefusesAMovedPolicyWhoseFileChanged) {
  const Folder f("geosim_tabletop_pinned");
  f.write("policies/push.yaml", kPush);
  Session s = start(f);
  ASSERT_TRUE(run(s, "step").ok);
  ASSERT_TRUE(run(s, "move push").ok);  // by name, found in the scenarios folder
  const std::string path = (f.dir / "session.json").string();
  const std::string text = session_to_json(s, path);
  EXPECT_NE(text.find("\"name\": \"push\""), std::string::npos) << text;
  ASSERT_TRUE(session_from_json(text, path, f.dir.string()).session);
  // Another file of that name, found first, must not be replayed instead.
  const Folder other("geosim_tabletop_pinned_other");
  other.write("s.yaml", kScenario);
  other.write("policies/push.yaml", "policy: {id: push, title: Push}\nadjust:\n  - {from: A, to: C, tension: -0.3}\n");
  ResumeResult moved = session_from_json(text, path, other.dir.string());
  ASSERT_TRUE(moved.session) << format_diagnostic(moved.errors.front());
  EXPECT_NEAR(tension(*moved.session, "A", "C"), 0.55, 1e-12) << "replayed from the pinned file";
  // The pinned file edited: refused, naming the file and what to do.
  f.write("policies/push.yaml", "policy: {id: push, title: Push}\nadjust:\n  - {from: A, to: C, tension: 0.2}\n");
  const ResumeResult r = session_from_json(text, path, f.dir.string());
  ASSERT_FALSE(r.session);
  const std::string& message = r.errors.front().message;
  EXPECT_NE(message.find("policies/push.yaml"), std::string::npos) << message;
  EXPECT_NE(message.find("as 'push'"), std::string::npos) << message;
  EXPECT_NE(message.find("restore the file"), std::string::npos) << message;
}

TEST(Tabletop, ASavedSessionMovesWithItsFolder) {
  const Folder a("geosim_tabletop_folder_a");
  a.write("policies/push.yaml", kPush);
  Session s = start(a);
  ASSERT_TRUE(run(s, "step").ok);
  ASSERT_TRUE(run(s, "move push").ok);
  const std::string text = session_to_json(s, (a.dir / "session.json").string());
  EXPECT_EQ(text.find(a.dir.string()), std::string::npos) << "no absolute path of the folder:\n" << text;
  // The folder copied elsewhere, then the original removed: the copy resumes from its own files.
  const Folder b("geosim_tabletop_folder_b");
  fs::create_directories(b.dir / "policies");
  for (const char* file : {"s.yaml", "policies/push.yaml"}) fs::copy_file(a.dir / file, b.dir / file);
  std::ofstream(b.dir / "session.json") << text;
  fs::remove_all(a.dir);
  const std::string copy = (b.dir / "session.json").string();
  ResumeResult r = session_from_json(text, copy, "");
  ASSERT_TRUE(r.session) << format_diagnostic(r.errors.front());
  EXPECT_EQ(fs::path(r.session->scenario_file()).parent_path(), b.dir);
  EXPECT_EQ(r.session->moved_policies().at(0).file, (b.dir / "policies/push.yaml").string());
  EXPECT_NEAR(tension(*r.session, "A", "C"), 0.55, 1e-12);
  // An edited scenario in the copy is noticed, not resumed silently from elsewhere.
  std::string scenario = kScenario;
  scenario.replace(scenario.find("tension: 0.95"), 13, "tension: 0.90");
  b.write("s.yaml", scenario);
  r = session_from_json(text, copy, "");
  ASSERT_FALSE(r.session);
  EXPECT_NE(r.errors.front().message.find("has changed since the session was saved"), std::string::npos)
      << r.errors.front().message;
}

TEST(Tabletop, TheHtmlAfterActionLogShowsBaselineAndTieChangesAsTheMarkdownDoes) {
  std::vector<Diagnostic> errors;
  auto s = Session::start({"realignment", {}, 1, GEOSIM_SCENARIOS_DIR, "", {}, {}, {}, kEnsembleMemoryBudget}, errors);
  ASSERT_TRUE(s);
  ASSERT_TRUE(run(*s, "move quiet-diplomacy").ok);
  ASSERT_TRUE(run(*s, "step 12").ok);  // the consultations (step 12): tension -0.04, baseline -0.02 both ways
  std::ostringstream page;
  ReportOptions options;
  options.js_dir = "/nonexistent";
  options.graphviz = "";
  write_html_report(page, session_report_data(*s), options);
  const std::string html = page.str();
  const std::string log = html.substr(html.find("id=\"after-action\""));
  EXPECT_NE(log.find("quiet-diplomacy-consultations fired at step 12 (scheduled): SGP → VNM tension -0.040 "
                     "baseline -0.020"),
            std::string::npos)
      << log.substr(0, 3000);
}

}  // namespace
}  // namespace geosim
