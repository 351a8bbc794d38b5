#include "geosim/io/ensemble_shard.hpp"

#include <bit>
#include <cmath>
#include <cstring>

#include <zlib.h>

#include "geosim/core/model_parameters.hpp"
#include "geosim/core/scenario.hpp"
#include "geosim/io/input_file.hpp"

namespace geosim {
namespace {

constexpr std::string_view kMagic = "GSSHARD7";
constexpr std::string_view kMagicV6 = "GSSHARD6";  ///< version 6: still read (without the model revision)
constexpr std::string_view kMagicV5 = "GSSHARD5";  ///< version 5: still read (without the files' fingerprint)
constexpr std::string_view kMagicV4 = "GSSHARD4";  ///< version 4: still read (without the held runs' count)
constexpr std::string_view kMagicV3 = "GSSHARD3";  ///< version 3: still read (without a checksum)
constexpr std::string_view kMagicV2 = "GSSHARD2";  ///< version 2: still read (without settings)
constexpr std::string_view kMagicV1 = "GSSHARD1";  ///< version 1: still read (without a note)
constexpr std::string_view kVaryTag = "VARY";      ///< starts the ranges after the nodes (optional in version 1)
/// Bounds of a valid shard: those of the CLI (runs, steps) and of the loader.
constexpr std::uint64_t kMaxRuns = 1000000, kMaxSteps = 100000, kMaxIndicators = 100000, kMaxStrings = 10000,
                        kMaxString = 1 << 20;

std::uint64_t little(std::uint64_t v) {
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

struct Writer {
  std::string out;
  void u64(std::uint64_t v) {
    v = little(v);
    out.append(reinterpret_cast<const char*>(&v), 8);
  }
  void i64(std::int64_t v) { u64(std::uint64_t(v)); }
  void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
  void f64s(const double* v, std::size_t n) {
    if constexpr (std::endian::native == std::endian::little)
      out.append(reinterpret_cast<const char*>(v), n * 8);
    else
      for (std::size_t i = 0; i < n; ++i) f64(v[i]);
  }
  void str(const std::string& s) {
    u64(s.size());
    out += s;
  }
};

struct Reader {
  std::string_view in;
  std::string error;
  bool need(std::uint64_t bytes) {
    if (!error.empty()) return false;
    if (bytes > in.size()) {
      error = "truncated or corrupt (a count larger than what follows)";
      return false;
    }
    return true;
  }
  std::uint64_t u64() {
    if (!need(8)) return 0;
    std::uint64_t v;
    std::memcpy(&v, in.data(), 8);
    in.remove_prefix(8);
    return little(v);
  }
  std::int64_t i64() { return std::int64_t(u64()); }
  double f64() { return std::bit_cast<double>(u64()); }
  /// `n` doubles into `out` (their bytes checked to be there: need()).
  void f64s(double* out, std::size_t n) {
    if (n == 0) return;  // `out` may be null (no indicators: no columns)
    std::memcpy(out, in.data(), n * 8);
    in.remove_prefix(n * 8);
    if constexpr (std::endian::native == std::endian::big)
      for (std::size_t i = 0; i < n; ++i) out[i] = std::bit_cast<double>(little(std::bit_cast<std::uint64_t>(out[i])));
  }
  std::string str() {
    const std::uint64_t n = u64();
    if (n > kMaxString) error = "a string longer than 1 MiB";
    if (!need(n)) return {};
    std::string s(in.substr(0, n));
    in.remove_prefix(n);
    return s;
  }
  /// A count checked against `max` and against `bytes_each` bytes each still to come.
  std::uint64_t count(std::uint64_t max, std::uint64_t bytes_each, const char* what) {
    const std::uint64_t n = u64();
    if (!error.empty()) return 0;
    if (n > max) {
      error = std::string("too many ") + what;
      return 0;
    }
    if (bytes_each > 0 && n > in.size() / bytes_each) {
      error = std::string("truncated or corrupt (more ") + what + " than the bytes that follow)";
      return 0;
    }
    return n;
  }
};

void fnv(std::uint64_t& h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= 0xff;  // a separator, so ("ab","c") differs from ("a","bc")
  h *= 1099511628211ull;
}

}  // namespace

std::uint64_t scenario_fingerprint(const Scenario& scenario) {
  std::uint64_t h = 14695981039346656037ull;
  fnv(h, scenario.id);
  fnv(h, std::to_string(scenario.steps));
  for (const auto& actor : scenario.actors) fnv(h, actor.id);
  for (const auto& indicator : scenario.indicators) {
    fnv(h, indicator.id);
    for (double t : indicator.thresholds) fnv(h, std::to_string(std::bit_cast<std::uint64_t>(t)));
    fnv(h, indicator.direction == ThresholdDirection::above ? "above" : "below");
  }
  for (const auto& policy : scenario.policies) fnv(h, policy);
  for (const auto& setting : scenario.settings) fnv(h, "set " + setting);  // none: the fingerprint of version 2
  return h;
}

std::uint64_t files_fingerprint(const std::vector<std::string>& files) {
  std::uint64_t h = 14695981039346656037ull;
  std::string buffer;
  for (const std::string& file : files) {
    InputText text = read_input_file(file, kMaxInputFileBytes, std::move(buffer));
    fnv(h, text.text ? std::string_view(*text.text) : std::string_view(text.error));
    if (text.text) buffer = std::move(*text.text);
  }
  return h;
}

std::uint32_t shard_checksum(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (!bytes.empty()) {  // zlib counts in uInt: at most 1 GiB a call
    const std::size_t n = std::min<std::size_t>(bytes.size(), std::size_t(1) << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), uInt(n));
    bytes.remove_prefix(n);
  }
  return std::uint32_t(crc);
}

std::string encode_shard(const EnsemblePart& part, const ShardOrigin& origin) {
  Writer w;
  std::size_t node_bytes = 0;
  for (const EnsembleNode& node : part.nodes) node_bytes += (node.sum.size() + node.values.size() + 4) * 8;
  w.out.reserve(node_bytes + part.first_crossing.size() * 8 + 4096);
  w.out = !origin.files ? kMagicV5 : origin.model == 0 ? kMagicV6 : kMagic;  // an older origin as it was
  w.str(origin.scenario);
  w.u64(origin.policies.size());
  for (const auto& p : origin.policies) w.str(p);
  w.u64(origin.fingerprint);
  w.u64(std::uint64_t(origin.shard));
  w.u64(std::uint64_t(origin.shards));
  w.u64(std::uint64_t(part.runs));
  w.u64(std::uint64_t(part.steps));
  w.u64(part.seed);
  w.f64(part.parameter_sd);
  w.u64(part.indicator_count);
  w.i64(part.first_chunk);
  w.i64(part.end_chunk);
  w.u64(part.first_crossing.size());
  for (std::int64_t n : part.first_crossing) w.i64(n);
  w.u64(part.reference_names.size());
  for (const auto& name : part.reference_names) w.str(name);
  for (std::int64_t n : part.nearest) w.i64(n);
  w.i64(part.failed_run);
  w.str(part.error);
  w.u64(part.nodes.size());
  for (const EnsembleNode& node : part.nodes) {
    w.u64(std::uint64_t(node.level));
    w.i64(node.index);
    w.i64(node.runs);
    w.i64(node.size);
    w.f64s(node.sum.data(), node.sum.size());
    w.f64s(node.values.data(), node.values.size());
  }
  w.out += kVaryTag;
  w.u64(origin.vary.size());
  for (const auto& v : origin.vary) w.str(v);
  w.str(origin.note);
  w.u64(origin.settings.size());
  for (const auto& setting : origin.settings) w.str(setting);
  w.i64(part.held_runs);
  if (origin.files) w.u64(*origin.files);
  if (origin.files && origin.model != 0) w.u64(origin.model);
  w.u64(shard_checksum(w.out));
  return w.out;
}

std::optional<EnsemblePart> decode_shard(std::string_view bytes, ShardOrigin& origin, std::string& error,
                                         bool keep_nodes) {
  const bool v1 = bytes.substr(0, kMagicV1.size()) == kMagicV1;
  const bool v2 = bytes.substr(0, kMagicV2.size()) == kMagicV2;
  const bool v3 = bytes.substr(0, kMagicV3.size()) == kMagicV3;
  const bool v4 = bytes.substr(0, kMagicV4.size()) == kMagicV4;
  const bool v5 = bytes.substr(0, kMagicV5.size()) == kMagicV5;
  const bool v6 = bytes.substr(0, kMagicV6.size()) == kMagicV6;
  if (!v1 && !v2 && !v3 && !v4 && !v5 && !v6 && bytes.substr(0, kMagic.size()) != kMagic) {
    error =
        "not a geosim shard file (it does not start with GSSHARD7, or GSSHARD6, GSSHARD5, GSSHARD4, GSSHARD3, "
        "GSSHARD2 or GSSHARD1 of older versions)";
    return std::nullopt;
  }
  if (!v1 && !v2 && !v3) {  // versions 4 to 7 end with the CRC-32 of the bytes before it
    std::uint64_t stored = 0;
    if (bytes.size() >= kMagic.size() + 8) {
      std::memcpy(&stored, bytes.data() + bytes.size() - 8, 8);
      bytes.remove_suffix(8);
    }
    if (little(stored) != shard_checksum(bytes)) {
      error =
          "damaged or cut short (its checksum does not match its bytes): write it again with the same "
          "`ensemble --shard K/N` command";
      return std::nullopt;
    }
  }
  Reader r{bytes.substr(kMagic.size()), {}};
  EnsemblePart part;
  origin.scenario = r.str();
  const std::uint64_t policies = r.count(kMaxStrings, 8, "policies");
  for (std::uint64_t i = 0; i < policies; ++i) origin.policies.push_back(r.str());
  origin.fingerprint = r.u64();
  const std::uint64_t shard = r.u64(), shards = r.u64();
  const std::uint64_t runs = r.u64(), steps = r.u64();
  part.seed = r.u64();
  part.parameter_sd = r.f64();
  const std::uint64_t k_count = r.u64();
  part.first_chunk = r.i64();
  part.end_chunk = r.i64();
  auto fail = [&](std::string why) {
    error = r.error.empty() ? std::move(why) : r.error;
    return std::nullopt;
  };
  if (!r.error.empty()) return fail(r.error);
  if (shards < 1 || shards > kMaxRuns || shard < 1 || shard > shards) return fail("a shard number out of range");
  if (runs < 1 || runs > kMaxRuns || steps > kMaxSteps || k_count > kMaxIndicators)
    return fail("runs, steps or indicators out of range");
  if (!(part.parameter_sd >= 0.0 && part.parameter_sd <= 2.0)) return fail("a parameter spread out of range");
  origin.shard = int(shard);
  origin.shards = int(shards);
  part.runs = int(runs);
  part.steps = int(steps);
  part.indicator_count = std::size_t(k_count);
  const std::int64_t chunks = ensemble_chunks(part.runs);
  if (part.first_chunk < 0 || part.end_chunk < part.first_chunk || part.end_chunk > chunks)
    return fail("a chunk range out of range");
  const std::uint64_t crossing = r.count(kMaxIndicators * (kMaxSteps + 2), 8, "threshold counts");
  if (crossing % (steps + 2) != 0) return fail("threshold counts that do not fit the steps");
  part.first_crossing.resize(crossing);
  for (auto& n : part.first_crossing) n = r.i64();
  const std::uint64_t refs = r.count(kMaxStrings, 16, "references");
  for (std::uint64_t i = 0; i < refs; ++i) part.reference_names.push_back(r.str());
  part.nearest.resize(refs);
  for (auto& n : part.nearest) n = r.i64();
  const std::int64_t failed_run = r.i64();
  part.error = r.str();
  if (!r.error.empty()) return fail(r.error);
  // every count is of this shard's own runs: [first_chunk, end_chunk) chunks of the ensemble's
  const std::int64_t first_run = part.first_chunk * kEnsembleChunkRuns;
  const std::int64_t own = std::max<std::int64_t>(
      0, std::min<std::int64_t>(std::int64_t(runs), part.end_chunk * kEnsembleChunkRuns) - first_run);
  if (failed_run < -1 || (failed_run >= 0 && (failed_run < first_run || failed_run >= first_run + own)))
    return fail("a failed run out of its runs");
  if (failed_run >= 0 && part.error.empty()) return fail("a failed run without its error");
  part.failed_run = int(failed_run);
  for (std::uint64_t t = 0; t < crossing; t += steps + 2) {  // each run counted once per threshold
    std::int64_t sum = 0;
    for (std::uint64_t s = 0; s < steps + 2; ++s) {
      const std::int64_t n = part.first_crossing[t + s];
      if (n < 0 || n > own) return fail("a threshold count out of its runs");
      sum += n;
    }
    if (part.failed_run < 0 && sum != own) return fail("threshold counts that do not add up to its runs");
  }
  std::int64_t nearest = 0;
  for (const std::int64_t n : part.nearest) {
    if (n < 0 || n > own) return fail("a resemblance count out of its runs");
    nearest += n;
  }
  if (nearest > own) return fail("resemblance counts that add up to more than its runs");
  const std::uint64_t columns = (steps + 1) * k_count;
  const std::uint64_t nodes = r.count(128, 32, "nodes");
  std::int64_t next_chunk = part.first_chunk;  // the nodes cover the chunk range in order, once
  for (std::uint64_t i = 0; i < nodes && r.error.empty(); ++i) {
    EnsembleNode node;
    node.level = int(r.u64());
    node.index = r.i64();
    node.runs = r.i64();
    node.size = r.i64();
    if (!r.error.empty()) break;
    if (node.level < 0 || node.level > 20 || node.index < 0 || node.index > chunks || node.runs < 1 ||
        node.runs > std::int64_t(runs) || node.size != std::min(node.runs, kQuantileCapacity) ||
        (node.index << node.level) != next_chunk || ((node.index + 1) << node.level) > part.end_chunk ||
        node.runs != std::min<std::int64_t>(std::int64_t(runs), ((node.index + 1) << node.level) * kEnsembleChunkRuns) -
                         next_chunk * kEnsembleChunkRuns)
      return fail("a summary node out of range");
    next_chunk = (node.index + 1) << node.level;
    if (!r.need((columns + columns * std::uint64_t(node.size)) * 8)) break;
    if (!keep_nodes) {  // checked for size only, skipped
      r.in.remove_prefix((columns + columns * std::uint64_t(node.size)) * 8);
      continue;
    }
    node.sum.resize(columns);
    r.f64s(node.sum.data(), node.sum.size());
    // Every indicator is a mean, a largest or 1 minus a mean of tensions in [0, 1]: so are its
    // values, and a column's sum over the node's runs is in [0, runs].
    for (const double sum : node.sum)
      if (!(sum >= 0.0 && sum <= double(node.runs))) return fail("a summary whose sums are not of values in [0, 1]");
    detail::resize_without_copy(node.values, columns * std::uint64_t(node.size));
    r.f64s(node.values.data(), node.values.size());
    for (std::size_t c = 0; c < columns; ++c)
      for (std::int64_t v = 0; v < node.size; ++v) {
        const double x = node.values[c * std::size_t(node.size) + std::size_t(v)];
        if (!(x >= 0.0 && x <= 1.0) || (v > 0 && x < node.values[c * std::size_t(node.size) + std::size_t(v) - 1]))
          return fail("a summary whose values are not in [0, 1] and ascending");
      }
    part.nodes.push_back(std::move(node));
  }
  if (!r.error.empty()) return fail(r.error);
  if (r.in.substr(0, kVaryTag.size()) == kVaryTag) {
    r.in.remove_prefix(kVaryTag.size());
    const std::uint64_t ranges = r.count(kMaxVaried, 8, "ranges");
    for (std::uint64_t i = 0; i < ranges && r.error.empty(); ++i) origin.vary.push_back(r.str());
    if (!v1) origin.note = r.str();
    if (!v1 && !v2) {  // versions 3 to 7
      const std::uint64_t settings = r.count(kMaxSettings, 8, "settings");
      for (std::uint64_t i = 0; i < settings && r.error.empty(); ++i) origin.settings.push_back(r.str());
    }
    if (!v1 && !v2 && !v3 && !v4)  // versions 5 to 7
      part.held_runs = r.i64();
    else
      part.held_counted = false;
    if (!v1 && !v2 && !v3 && !v4 && !v5) origin.files = r.u64();         // versions 6 and 7
    if (!v1 && !v2 && !v3 && !v4 && !v5 && !v6) origin.model = r.u64();  // version 7
    if (!r.error.empty()) return fail(r.error);
    if (part.held_runs < 0 || part.held_runs > own) return fail("a count of held runs out of its runs");
  } else if (!v1) {
    return fail("truncated (its ranges, note and settings are missing)");
  } else {
    part.held_counted = false;
  }
  if (!r.in.empty()) return fail("trailing bytes after the last node");
  if (part.failed_run < 0 && next_chunk != part.end_chunk) return fail("summary nodes that do not cover its runs");
  return part;
}

}  // namespace geosim
