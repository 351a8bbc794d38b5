// libFuzzer target: what the loader accepts must also run. Loads untrusted bytes as a scenario
// (includes resolve against the shipped scenarios folder) and, when it loads, runs a few
// steps of it, so that input which passes `validate` but then misbehaves (follow-ups that
// multiply, effects that blow up) is found here. A crash, a sanitizer report, a hang or
// runaway memory (libFuzzer's -timeout and -rss_limit_mb) is a bug; so is a run that stops
// with an error the loader should have refused, or one that does not name the event.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "geosim/core/run.hpp"
#include "geosim/io/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const geosim::LoadResult loaded = geosim::load_scenario_text(text, "fuzz.yaml", GEOSIM_SCENARIOS_DIR);
  if (!loaded.ok()) return 0;
  const geosim::Scenario& scenario = *loaded.scenario;
  if (scenario.actor_count() > 300) return 0;  // a step is O(n^2) and up to 2,000 actors load: keep runs fast
  geosim::RunOptions options;
  options.seed = size;
  options.steps = scenario.steps < 8 ? scenario.steps : 8;
  const geosim::RunResult result = geosim::run_scenario(scenario, options);
  const std::string& error = result.final_state.error;
  // The contract: a run either completes or stops with one line naming an event.
  if (error.empty() ? result.tension.size() != std::size_t(options.steps) + 1
                    : error.find('\n') != std::string::npos || error.find("event '") == std::string::npos)
    std::abort();
  for (const auto& t : result.tension)
    if (!(t.minCoeff() >= 0.0 && t.maxCoeff() <= 1.0)) std::abort();  // tensions stay in [0, 1]
  return 0;
}
