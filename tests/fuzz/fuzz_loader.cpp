// libFuzzer target: the scenario loader on untrusted bytes. Includes resolve against the
// shipped scenarios folder, so `include: baseline.yaml` and friends reach real files.
// Anything but a loaded scenario or a list of diagnostics (a crash, a sanitizer report, a
// hang or runaway memory, which libFuzzer's -timeout and -rss_limit_mb catch) is a bug.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "geosim/io/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const geosim::LoadResult result = geosim::load_scenario_text(text, "fuzz.yaml", GEOSIM_SCENARIOS_DIR);
  // The contract: either a scenario, or at least one located error.
  if (!result.ok() && result.errors.empty()) std::abort();
  for (const geosim::Diagnostic& error : result.errors)
    if (error.message.empty() || geosim::format_diagnostic(error).find('\n') != std::string::npos)
      std::abort();  // every error is one non-empty line
  return 0;
}
