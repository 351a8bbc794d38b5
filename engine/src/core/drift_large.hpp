#pragma once
/// \file
/// The step's drift for worlds of kSmallWorld actors or more (internal to geosim::core): the
/// spillover's sums, relaxation, reciprocity, noise and the bounds in one pass over each block of
/// 64 columns (then 32 and 8; the last few in an overlapping block of 8). A block's columns of
/// T and B (contiguous in column-major storage) are read from start to end into a per-thread
/// slab, row by row, which the spillover's partner reads and the elements use; the reciprocity's
/// T_ji - B_ji is read from the block's rows (64 contiguous values a column); the new tension is
/// written eight rows at a time. Nothing is kept from step to step. The same bits as the
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
  const double* noise = nullptr;      ///< this step's noise, or null without noise
  const double* restraint = nullptr;  ///< per actor
  const double* reactivity = nullptr; ///< per actor
  const unsigned char* absent = nullptr;  ///< Scenario::absent (row-major), or null when none
  const TieStructure* ties = nullptr; ///< built from the state's ties and sigma
  double* next = nullptr;             ///< out: the new tension
  bool wide = true;                   ///< AVX2 where the processor has it (the same bits as SSE2)
};

/// next = clamp(T + r (B - T) + k (T - B)^T + S + N, 0, 1), 0 on the diagonal and for absent
/// pairs. `next` must not overlap `t` or `b`.
void drift_large(const LargeDrift& d);

}  // namespace geosim::detail
