// The observed tension series `geosim ingest` writes (tension.csv): the smoothed Goldstein
// balance of each dyad, hand-worked step by step.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "geosim/io/event_ingest.hpp"
#include "support/event_fixtures.hpp"

namespace {
using namespace geosim;
using geosim::testing::ingest_actors;
using geosim::testing::ingest_row;

/// tension.csv for three events USA->CHN: two 172 (-5 each) on 2025-08-01 and 08-02 (step 1),
/// nothing in step 2, one 057 (+8) on 2025-08-15 (step 3).
std::string three_events(const TensionMapping& mapping) {
  const std::string text = ingest_row("20250801", "USA", "CHN", "172", "-5", 1) +
                           ingest_row("20250802", "USA", "CHN", "172", "-5", 1) +
                           ingest_row("20250815", "USA", "CHN", "057", "8", 1);
  const Scenario world = ingest_actors();
  const IngestResult r = ingest_event_text(text, "t.tsv", world, {});
  EXPECT_EQ(r.error, "");
  std::ostringstream out;
  write_observed_tension_csv(out, world, r, mapping);
  return out.str();
}

TEST(EventIngest, ObservedTensionIsTheSmoothedGoldsteinBalance) {
  // With half-life 1 (keep 0.5) and 2 prior events: b1 = -10 / (20 + 20) = -0.25, t1 = 0.625;
  // b2 = -5 / (10 + 20) = -1/6, t2 = 0.583333; b3 = (-2.5 + 8) / (5 + 10 + 20) = 5.5/35, t3 = 0.421429.
  EXPECT_EQ(three_events(TensionMapping{1.0, 2.0}),
            "step,date,from,to,tension\n"
            "1,2025-08-08,USA,CHN,0.625000\n"
            "2,2025-08-15,USA,CHN,0.583333\n"
            "3,2025-08-22,USA,CHN,0.421429\n");
}

TEST(EventIngest, NoEvidenceLeftAndNoPriorIsABalanceOfZeroNotNaN) {
  // Half-life 0.0001 steps: a step keeps 0.5^10000 of the past, below the smallest double, so at
  // step 2 score and scale are both 0; with no prior events that was 0/0 (written as -nan).
  // Step 1: b = -10 / 20 = -0.5, t = 0.75; step 2: nothing left, b = 0, t = 0.5; step 3: b = 8 / 10, t = 0.1.
  EXPECT_EQ(three_events(TensionMapping{0.0001, 0.0}),
            "step,date,from,to,tension\n"
            "1,2025-08-08,USA,CHN,0.750000\n"
            "2,2025-08-15,USA,CHN,0.500000\n"
            "3,2025-08-22,USA,CHN,0.100000\n");
}

}  // namespace
