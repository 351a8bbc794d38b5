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
  auto session = Session::start({scenario, std::move(policies), seed, GEOSIM_SCENARIOS_DIR, "", {}, {}, {}, kEnsembleMemoryBudget}, errors);
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

}  // namespace geosim::testing
