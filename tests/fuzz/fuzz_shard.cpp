// libFuzzer target: `geosim ensemble merge` reading untrusted shard files. Either a decoded part
// that finish_ensemble() combines (or refuses with a message), or a one-line error; never a
// crash, and nothing allocated beyond what the bytes hold.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "geosim/core/ensemble.hpp"
#include "geosim/core/ensemble_merge.hpp"
#include "geosim/io/ensemble_shard.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > (1 << 20)) return -1;
  // A version 4 to 7 file whose checksum is made right, so that the fuzzer reaches what follows.
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.size() >= 16 &&
      (bytes.compare(0, 8, "GSSHARD4") == 0 || bytes.compare(0, 8, "GSSHARD5") == 0 ||
       bytes.compare(0, 8, "GSSHARD6") == 0 || bytes.compare(0, 8, "GSSHARD7") == 0) &&
      (bytes.size() & 1)) {
    const std::uint64_t crc = geosim::shard_checksum(std::string_view(bytes).substr(0, bytes.size() - 8));
    for (int i = 0; i < 8; ++i) bytes[bytes.size() - 8 + std::size_t(i)] = char((crc >> (8 * i)) & 0xff);
  }
  geosim::ShardOrigin origin;
  std::string error;
  geosim::ShardOrigin skimmed_origin;
  std::string skimmed_error;
  const auto skimmed = geosim::decode_shard(bytes, skimmed_origin, skimmed_error, false);
  auto part = geosim::decode_shard(bytes, origin, error);
  if (part && (!skimmed || !skimmed->nodes.empty())) std::abort();  // what reads whole also reads skimmed
  if (!skimmed && skimmed_error.empty()) std::abort();
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
