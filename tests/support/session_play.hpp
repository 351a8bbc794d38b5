#pragma once
// A tabletop session of a shipped scenario and commands typed into it, for the tabletop tests.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "geosim/tabletop/session.hpp"
#include "geosim/tabletop/session_command.hpp"

namespace geosim::testing {

/// A session of a shipped scenario (by name), seed and start policies.
inline Session start_shipped(const std::string& scenario = "realignment", std::uint64_t seed = 1,
                             std::vector<std::string> policies = {}) {
  std::vector<Diagnostic> errors;
  auto session = Session::start(
      {scenario, std::move(policies), seed, GEOSIM_SCENARIOS_DIR, "", {}, {}, {}, kEnsembleMemoryBudget}, errors);
  EXPECT_TRUE(session.has_value()) << (errors.empty() ? "" : format_diagnostic(errors.front()));
  return std::move(*session);
}

/// The line parsed and applied; a line that does not parse fails the test and returns its error.
inline CommandResult run_command(Session& s, const std::string& line) {
  const ParsedCommand parsed = parse_session_command(line);
  EXPECT_TRUE(parsed.command.has_value()) << line << ": " << parsed.error;
  return parsed.command ? s.apply(*parsed.command) : CommandResult{false, parsed.error};
}

/// The line applied, which must succeed.
inline void run_ok(Session& s, const std::string& line) {
  const CommandResult r = run_command(s, line);
  EXPECT_TRUE(r.ok) << line << ": " << r.message;
}

/// A session (seed 11, asean-dialogue) with three branches (main, hawks forked from it, doves from
/// hawks), every kind of command, an undo, and pending injects; hawks is current.
inline Session played_session(const std::string& scenario = "realignment") {
  Session s = start_shipped(scenario, 11, {"asean-dialogue"});
  run_ok(s, "step 4");
  run_ok(s, "inject pyongyang-visit");
  run_ok(s, "inject adhoc \"Missile test over Japan\" PRK->JPN tension +0.1, PRK<->USA tension +0.05 baseline +0.02");
  run_ok(s, "step 3");
  run_ok(s, "move quiet-diplomacy");
  run_ok(s, "step 6");
  EXPECT_TRUE(s.undo().ok);
  run_ok(s, "step 5");
  EXPECT_TRUE(s.branch("hawks").ok);
  run_ok(s, "inject hanoi-tilts");
  run_ok(s, "step 9");
  EXPECT_TRUE(s.branch("doves").ok);
  run_ok(s, "move economic-engagement");
  run_ok(s, "step 20");
  run_ok(s, "inject adhoc \"Summit\" members(ASEAN)<->CHN tension -0.05");  // pending at the save
  EXPECT_TRUE(s.switch_to("hawks").ok);
  return s;
}

}  // namespace geosim::testing
