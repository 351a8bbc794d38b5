// libFuzzer target: `geosim ensemble merge` reading untrusted shard files. Either a decoded part
// that finish_ensemble() combines (or refuses with a message), or a one-line error; never a
// crash, and nothing allocated beyond what the bytes hold.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "geosim/core/ensemble.hpp"
#include "geosim/io/ensemble_shard.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > (1 << 20)) return -1;
  geosim::ShardOrigin origin;
  std::string error;
  auto part = geosim::decode_shard(std::string_view(reinterpret_cast<const char*>(data), size), origin, error);
  if (!part) {
    if (error.empty()) std::abort();
    return 0;
  }
  if (part->indicator_count > 64) return 0;
  geosim::Scenario scenario;
  scenario.indicators.resize(part->indicator_count);
  std::vector<geosim::EnsemblePart> parts;
  parts.push_back(std::move(*part));
  const geosim::EnsembleResult result = geosim::finish_ensemble(scenario, std::move(parts));
  if (result.error.empty() && result.bands.size() != std::size_t(result.steps + 1) * result.indicator_count)
    std::abort();
  return 0;
}
