#pragma once
// A generated world of any size for benchmarks: dense relations, sparse ties, a few events.

#include <geosim/core/scenario.hpp>

namespace geosim::bench {

/// n actors, tensions and baselines in [0.1, 0.9], each actor tied to 4 partners, one event per
/// step on a random relation, spillover 0.05, noise 0.01. Deterministic in `seed`.
Scenario synthetic_world(std::size_t n, int steps = 52, std::uint64_t seed = 7);

}  // namespace geosim::bench
