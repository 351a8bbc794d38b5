// Policies as moves in a tabletop session: each policy id once per branch, and a policy of the
// facilitator's own shown by its title.
#include <gtest/gtest.h>
#include <geosim/tabletop/session.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/cli.hpp"
#include "support/session_play.hpp"

namespace geosim {
namespace {

Session start(const std::string& scenario) { return testing::start_shipped(scenario); }
using testing::run_ok;
CommandResult run(Session& s, const std::string& line) { return testing::run_command(s, line); }

// A second file of a policy id already in play would add its adjustments again: refused, as
// `run --policy` refuses it, whether moved in or given from the start; a policy of one's own
// shows its title from its file (not its id).
TEST(Session, AnotherFileOfAPolicyInPlayIsRefusedAndAnOwnPolicyShowsItsTitle) {
  const auto dir = testing::temp_dir("session_policy_twice");
  const std::string first = (dir / "p1.yaml").string(), second = (dir / "p2.yaml").string();
  const std::string policy =
      "policy:\n  id: mine\n  title: My own policy\n  by: SGP\nadjust:\n"
      "  - {from: SGP, to: VNM, tension: -0.1}\n";
  std::ofstream(first) << policy;
  std::ofstream(second) << policy;
  Session s = start("realignment");
  run_ok(s, "move " + first);
  const CommandResult r = run(s, "move " + second);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message, "policy 'mine' is already in play on branch 'main' ('" + second +
                           "' has the same id): each policy applies once");
  EXPECT_EQ(s.current().history, std::vector<std::string>{"move " + first});
  ASSERT_EQ(s.current().journal.size(), 1u);
  EXPECT_EQ(s.current().journal.front().title, "My own policy") << "the title from the file, not the id";

  std::vector<Diagnostic> errors;
  auto twice = Session::start(
      {"realignment", {first, second}, 1, GEOSIM_SCENARIOS_DIR, "", {}, {}, {}, kEnsembleMemoryBudget}, errors);
  EXPECT_FALSE(twice.has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors.front().message.find("policy 'mine' is already applied"), std::string::npos)
      << errors.front().message;
  EXPECT_EQ(errors.front().file, second);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace geosim
