// The session-wide memory budget: every branch keeps every step's tensions, and `step` and
// `branch` are refused up front when all the branches together would keep more than
// SessionSetup::memory_budget (2 GiB by default; a small one here, so the test needs none of it).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <geosim/core/run_budget.hpp>
#include <geosim/tabletop/session.hpp>

#include "support/session_play.hpp"

namespace geosim {
namespace {

using testing::run_command;
using testing::run_ok;

std::string mib(std::size_t bytes) {
  return fmt::format("{:.1f} MiB", double(bytes) / double(1 << 20));
}

TEST(SessionMemory, AllBranchesTogetherStayWithinTheBudget) {
  Session probe = testing::start_shipped("realignment");
  const Scenario& scenario = probe.scenario();
  auto kept = [&](int steps) {
    return run_history_memory(scenario, steps);
  };  // one branch at step `steps`
  const std::size_t budget = kept(30);
  std::vector<Diagnostic> errors;
  auto s =
      Session::start({"realignment", {}, 1, GEOSIM_SCENARIOS_DIR, "", {}, {}, {}, budget}, errors);
  ASSERT_TRUE(s);
  run_ok(*s, "step 5");
  ASSERT_TRUE(s->branch("b").ok);  // main at 5 and b at 5: kept(5) twice, within kept(30)
  run_ok(*s, "step 19");           // kept(5) + kept(24) = 6 + 25 steps' worth <= 31
  ASSERT_LE(kept(5) + kept(24), budget);
  ASSERT_GT(kept(5) + kept(25), budget);
  const CommandResult refused = run_command(*s, "step 1");
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(
      refused.message,
      fmt::format("'step 1': the session's 2 branches would keep {} of tensions, more than its "
                  "limit of {}: save it, and go on in a new session from this branch",
                  mib(kept(5) + kept(25)), mib(budget)));
  EXPECT_EQ(s->current().state.step, 24) << "nothing stepped";
  // a fork copies its branch's history: refused when the copy would not fit either
  ASSERT_TRUE(s->switch_to("main").ok);
  const CommandResult fork = s->branch("c");
  EXPECT_FALSE(fork.ok);
  EXPECT_EQ(fork.message.rfind(
                fmt::format("'branch c': the session's 2 branches would keep {} of tensions",
                            mib(kept(5) + kept(24) + kept(5))),
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

}  // namespace
}  // namespace geosim
