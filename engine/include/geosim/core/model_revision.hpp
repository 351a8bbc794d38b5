#pragma once
/// \file
/// The model's revision: which computation a geosim does for given inputs and seed.

namespace geosim {

/// Raised by one whenever the same inputs and seed give other numbers: the equations, the
/// streams the draws come from, how policies and drawn parameters combine. Parts of one ensemble
/// made by geosims of two revisions do not merge (a shard file records it: ensemble_shard.hpp).
/// The golden checksums (tests/data/golden/run_checksums.txt) record it too, and refuse to be
/// rewritten for outputs that changed under the same revision (unless told the scenarios changed).
/// 1: policy changes added after the drawn parameters (2026-12-03), the first recorded.
inline constexpr unsigned kModelRevision = 1;

}  // namespace geosim
