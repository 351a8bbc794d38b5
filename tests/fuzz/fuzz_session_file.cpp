// libFuzzer target: resuming a saved `geosim play` session from untrusted text (session files
// are shared between facilitators). Either a restored session or located errors, never a crash.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "geosim/tabletop/session_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 16384) return -1;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const geosim::ResumeResult result = geosim::session_from_json(text, "fuzz.json", GEOSIM_SCENARIOS_DIR);
  if (!result.session && result.errors.empty()) std::abort();
  return 0;
}
