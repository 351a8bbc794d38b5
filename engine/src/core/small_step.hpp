#pragma once
/// \file
/// The drift of a world under kSmallWorld actors whose every pair has a relation, spillover
/// included, a column at a time (step.cpp's drift calls it): the spillover's sums of column j
/// stay in registers for the drift of that column instead of going through memory. The same bits as spillover_into
/// followed by the drift's column loop (tests/core/test_step_paths.cpp).

#include <Eigen/Core>

#include "geosim/core/dynamics.hpp"

namespace geosim::detail {

/// What the fused loop reads and writes (column-major n x n arrays unless said otherwise).
struct SmallDrift {
  double* next;              ///< out: the new tension
  const double* t;           ///< tension
  const double* b;           ///< baseline
  const double* tie;         ///< the ties W the tie structure was built from
  const double* answer;      ///< answer(i, j) = T_ji - B_ji
  const double* noise;       ///< this step's noise, or null without noise
  const double* restraint;   ///< per actor
  const double* reactivity;  ///< per actor
  double* next_answer;       ///< where the new tension's answer goes, or null
};

/// next_ij = clamp(((T_ij + r_i (B_ij - T_ij)) + k_i answer_ij) + S_ij [+ N_ij], 0, 1), 0 on
/// the diagonal, with S the spillover of `ties` (built with its dense copy, n < kSmallWorld,
/// no absent pairs), for n = 1 .. kSmallWorld - 1 actors.
/// `best`: four doubles at a time where the processor has AVX2 (small_drift_has_avx2), else
/// SSE2's two; `sse2`: two at a time whatever the processor (for the tests: the same bits).
enum class SmallDriftWidth { best, sse2 };
void small_drift(const SmallDrift& d, const TieStructure& ties, Eigen::Index n,
                 SmallDriftWidth width = SmallDriftWidth::best);

/// True when this build and processor take the AVX2 loop.
bool small_drift_has_avx2();

}  // namespace geosim::detail
