#pragma once
/// \file
/// Shard files: `geosim ensemble --shard K/N` writes its part of an ensemble (the tree nodes,
/// threshold and resemblance counts of its chunks: ensemble_partial.hpp) and `geosim ensemble
/// merge` combines the N files into the result the unsharded ensemble writes, byte for byte.
///
/// Format (version 7): the 8 bytes "GSSHARD7", then little-endian fields: strings as a u64
/// length and the bytes; the scenario argument, the policies, the scenario's fingerprint, the
/// shard number and count, the part's header, counts and nodes (doubles as their IEEE 754 bits,
/// so nothing is rounded); then "VARY", the count of --vary arguments and each, and the note
/// the ensemble printed after its summary, the count of --set settings and each (canonical,
/// as Scenario::settings records them), and the count of runs that held a baseline
/// (EnsemblePart::held_runs, an i64), the fingerprint of the files the ensemble read
/// (files_fingerprint, a u64), the model revision of the geosim that made it (kModelRevision, a
/// u64); last, as a u64, the CRC-32 (zlib's, ISO-HDLC) of every byte before it, so that a file
/// damaged or cut short is refused as such. Older versions are still read: 6 ("GSSHARD6",
/// without the model revision: 0; also written for an origin of revision 0), 5 ("GSSHARD5",
/// without the files' fingerprint either; also written for an origin without one), 4 ("GSSHARD4", without the held
/// runs' count: none counted), 3 (without the checksum either), 2 (without the settings: the ensemble had none) and 1
/// (without the note either, and with the "VARY" section only when there were ranges). A shard file is untrusted input:
/// every count and size is checked against what the header allows before anything is allocated.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geosim/core/ensemble_partial.hpp"

namespace geosim {

struct Scenario;

/// Most bytes of a shard file: the ensemble memory budget (2 GiB).
inline constexpr std::size_t kMaxShardFileBytes = std::size_t(2) << 30;

/// What a shard says about how it was made, so merge can load the same scenario and check it.
struct ShardOrigin {
  std::string scenario;               ///< the scenario argument (name or file) as given
  std::vector<std::string> policies;  ///< the --policy arguments, in order
  std::uint64_t fingerprint = 0;      ///< scenario_fingerprint() of the scenario it ran
  int shard = 1;                      ///< K of --shard K/N (1-based)
  int shards = 1;                     ///< N
  std::vector<std::string> vary;      ///< the --vary arguments, in order (a trailing section; none in older files)
  std::string note;                   ///< the note after the summary (e.g. resemblance not computed); "" in version 1
  /// --set NAME=VALUE as Scenario::settings records them, in order; none in versions 1 and 2.
  std::vector<std::string> settings;
  /// files_fingerprint() of the files the ensemble read (the scenario's and its references');
  /// none in versions 1 to 5.
  std::optional<std::uint64_t> files;
  /// kModelRevision of the geosim that made it; 0 in versions 1 to 6 (not recorded then).
  std::uint64_t model = 0;

  bool operator==(const ShardOrigin&) const = default;
};

/// A fingerprint (FNV-1a, 64 bits) of what an ensemble's outputs depend on besides its runs:
/// the scenario's id, steps, actors, indicators (ids and thresholds), policies and --set
/// settings (none: the same fingerprint as before settings were recorded). Shards of
/// different scenarios do not merge; what else in it changed, files_fingerprint sees.
std::uint64_t scenario_fingerprint(const Scenario& scenario);

/// A fingerprint (FNV-1a, 64 bits) of the bytes of `files`, in order, not of their paths: for
/// an ensemble, every file it read (Scenario::files of the scenario: its includes, the scenario,
/// the policies, the source documents; then those of the reference scenarios its resemblance
/// counts are measured against). Whatever in them the outputs depend on (parameters, relations,
/// events, a policy's moves) changes it, so shards of a scenario edited between them or since,
/// or made from different copies, do not merge. A file that cannot be read counts as its error.
std::uint64_t files_fingerprint(const std::vector<std::string>& files);

/// The CRC-32 of `bytes` (zlib's crc32: the ISO-HDLC CRC, 0xCBF43926 for "123456789").
std::uint32_t shard_checksum(std::string_view bytes);

/// The bytes of a shard file.
std::string encode_shard(const EnsemblePart& part, const ShardOrigin& origin);

/// Reads a shard file's bytes; nullopt with a one-line `error` (without the path) when they are
/// not a valid shard. With `keep_nodes` false, the summary nodes' sizes and places are checked
/// but their values are neither checked nor kept (`nodes` is empty): the header and counts of
/// a file, for ordering many before reading each whole (`ensemble merge`).
std::optional<EnsemblePart> decode_shard(std::string_view bytes, ShardOrigin& origin, std::string& error,
                                         bool keep_nodes = true);

}  // namespace geosim
