#pragma once
/// \file
/// The step's drift for worlds of kSmallWorld actors or more (internal to geosim::core): the
/// spillover's sums, relaxation, reciprocity, noise and the bounds in one pass over each block of
/// 64 columns (then 32 and 8; the last few in an overlapping block of 8), reading the tension and the baseline in both layouts (kept from step to step in
/// the StepWorkspace) so that every array is read a cache line at a time. The same bits as the
/// element-by-element step (step.cpp's breakdown path): each element's arithmetic is that of the
/// matrix formula, term by term and in the same order.

#include <Eigen/Core>

#include "geosim/core/dynamics.hpp"

namespace geosim::detail {

/// What drift_large reads and writes: n x n arrays column-major (Eigen's), except `absent`.
struct LargeDrift {
  Eigen::Index n = 0;                 ///< actors (>= 1)
  const double* t = nullptr;          ///< tension T
  const double* b = nullptr;          ///< baseline B
  const double* tt = nullptr;         ///< T transposed: tt[j + i n] = T_ij, +0 on the diagonal and for absent pairs
  const double* bt = nullptr;         ///< B transposed
  const double* noise = nullptr;      ///< this step's noise, or null without noise
  const double* restraint = nullptr;  ///< per actor
  const double* reactivity = nullptr; ///< per actor
  const unsigned char* absent = nullptr;  ///< Scenario::absent (row-major), or null when none
  const TieStructure* ties = nullptr; ///< built from the state's ties and sigma
  double* next = nullptr;             ///< out: the new tension
  double* next_tt = nullptr;          ///< out: the new tension transposed
  bool wide = true;                   ///< AVX2 where the processor has it (the same bits as SSE2)
};

/// next = clamp(T + r (B - T) + k (T - B)^T + S + N, 0, 1), 0 on the diagonal and for absent
/// pairs, and next_tt its transpose (so with +0 where `tt` must have it).
void drift_large(const LargeDrift& d);

/// out = in transposed, tile by tile (out is resized); with `zero`, +0 on the diagonal and where
/// `absent` (row-major, or null) marks a pair without a relation: LargeDrift::tt as it must be.
void transpose_into(Eigen::MatrixXd& out, const Eigen::MatrixXd& in, bool zero = false,
                    const unsigned char* absent = nullptr);

}  // namespace geosim::detail
