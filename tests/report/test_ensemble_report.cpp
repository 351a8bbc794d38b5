// What the ensemble's summary says of runs that held a baseline (EnsembleResult::held_runs):
// nothing when none did, the count when every part counted them, a lower bound when a merged
// shard of an earlier geosim did not; and a comparison's columns each led by their names.
#include <gtest/gtest.h>
#include <geosim/report/ensemble_report.hpp>

#include "support/builders.hpp"

namespace geosim {
namespace {

TEST(EnsembleReport, HeldRunsAreSaidAsCountedOrAsALowerBound) {
  EnsembleResult result;
  result.runs = 200;
  EXPECT_EQ(held_runs_text(result), "");
  result.held_runs = 36;
  EXPECT_EQ(
      held_runs_text(result),
      "In 36 of 200 runs a baseline had no settled value in [0, 1] for the run's drawn parameters and was held at "
      "0 or 1: those runs drift where nothing happens (docs/model.md, \"Parameter ranges\").\n");
  result.held_counted = false;
  EXPECT_EQ(
      held_runs_text(result),
      "In at least 36 of 200 runs a baseline had no settled value in [0, 1] for the run's drawn parameters and was "
      "held at 0 or 1: those runs drift where nothing happens (docs/model.md, \"Parameter ranges\"). Shards of an "
      "earlier geosim did not count them.\n");
  const Scenario a = testing::make_scenario({"AAA", "BBB"});
  EnsembleResult none;
  none.runs = 200;
  const std::vector<ComparedEnsemble> compared{{&a, &none, "plain"}, {&a, &result, "my \x1b[2Jcopy"}};
  const std::string text = held_runs_text(compared);
  EXPECT_EQ(text.find("plain"), std::string::npos) << text;
  EXPECT_EQ(text.rfind("my ?[2Jcopy: In at least 36 of 200 runs", 0), 0u) << text;  // a name is data: escaped
}

}  // namespace
}  // namespace geosim
