#pragma once
/// \file
/// Paired effects: what a change (a scenario, a policy, a team's moves) does, measured run by
/// run against the same runs without it. Run r of both sides uses the same keyed draws (see
/// rng.hpp), so the difference of run r is the change's effect in that run, not chance.

#include <cstddef>
#include <vector>

#include "geosim/core/ensemble.hpp"

namespace geosim {

/// The percentiles of the paired interval, in percent.
inline constexpr double kPairedLowPercentile = 5.0;
inline constexpr double kPairedHighPercentile = 95.0;

/// The distribution of the run-by-run differences (with minus without) of one quantity.
struct PairedSummary {
  int runs = 0;       ///< number of pairs; 0 = nothing to summarise (all fields 0)
  double mean = 0.0;  ///< mean difference, summed in run order; units of the quantity
  double low = 0.0;   ///< 5th percentile of the differences (Hyndman & Fan type 7)
  double high = 0.0;  ///< 95th percentile of the differences (type 7)
  /// Share of runs, in [0,1], whose difference has the sign of the mean (> 0 when the mean is
  /// positive, < 0 when negative, exactly 0 when the mean is 0).
  double sign_agreement = 0.0;
};

/// Summarises run-by-run differences (any order; the mean is summed in the order given).
PairedSummary summarize_differences(std::vector<double> differences);

/// Summarises with[r] - without[r] over the runs both have (the shorter length).
PairedSummary paired_summary(const std::vector<double>& with, const std::vector<double>& without);

/// The paired effect on an indicator at the last step: run r of `with` (its indicator
/// `k_with`) minus run r of `without` (its indicator `k_without`), over the runs both have.
/// Both ensembles must have been run with the same seed for the pairing to mean anything.
PairedSummary paired_end_effect(const EnsembleResult& with, std::size_t k_with, const EnsembleResult& without,
                                std::size_t k_without);

}  // namespace geosim
