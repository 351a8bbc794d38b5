#pragma once
/// \file
/// The step's drift for worlds of kSmallWorld actors or more (internal to geosim::core): the
/// spillover's sums, relaxation, reciprocity, noise and the bounds in one pass over each block of
/// 64 columns (32 above 500 actors; then 32 and 8; the last few in an overlapping block of 8). A block's columns of
/// T and B (contiguous in column-major storage) are read from start to end into a per-thread
/// slab, row by row, which the spillover's partner reads and the elements use; the reciprocity's
/// T_ji - B_ji is read from the block's rows (64 contiguous values a column); the new tension is
/// written eight rows at a time. The slab is the caller's (StepWorkspace::slab): nothing is
/// allocated once it has grown, and nothing is kept from step to step. The same bits as the
/// element-by-element step (step.cpp's breakdown path): each element's arithmetic is that of the
/// matrix formula, term by term and in the same order.

#include <Eigen/Core>
#include <array>
#include <cstddef>
#include <vector>

#include "geosim/core/dynamics.hpp"

namespace geosim::detail {

/// What drift_large reads and writes: n x n arrays column-major (Eigen's), except `absent`.
struct LargeDrift {
  Eigen::Index n = 0;                     ///< actors (>= 1)
  const double* t = nullptr;              ///< tension T
  const double* b = nullptr;              ///< baseline B
  const double* noise = nullptr;          ///< this step's noise, or null without noise
  const double* restraint = nullptr;      ///< per actor
  const double* reactivity = nullptr;     ///< per actor
  const unsigned char* absent = nullptr;  ///< Scenario::absent (row-major), or null when none
  const TieStructure* ties = nullptr;     ///< built from the state's ties and sigma
  double* next = nullptr;                 ///< out: the new tension
  std::vector<double>* slab = nullptr;    ///< the caller's scratch, resized here to slab_doubles(n, absent)
  bool wide = true;                       ///< AVX2 where the processor has it (the same bits as SSE2)
};

/// The doubles drift_large's slab holds for n actors (with absent pairs or not): a block of 64
/// columns (32 above 500 actors) of T, of B and (with absent pairs) of the mask, and 8 more to
/// align it.
std::size_t slab_doubles(Eigen::Index n, bool absent);

/// Arrays of at least this many doubles (4 MiB, about 725 actors) are asked to be backed by
/// 2 MiB pages (ask_huge_pages).
inline constexpr std::size_t kHugeArray = std::size_t(1) << 19;

/// Asks the system to back the whole 2 MiB pieces of `count` doubles at `p` with 2 MiB pages
/// (Linux: madvise MADV_HUGEPAGE for pages faulted from now on, MADV_COLLAPSE for those already
/// there; refused harmlessly by systems without them), unless `p` is among `asked`, which then
/// holds it (the latest first). A step reads a row's 64 values of T and B a column apart, each
/// in another 4 KiB page: fewer translation misses. No effect on any value.
void ask_huge_pages(std::array<const double*, 4>& asked, const double* p, std::size_t count);

/// next = clamp(T + r (B - T) + k (T - B)^T + S + N, 0, 1), 0 on the diagonal and for absent
/// pairs. `next` must not overlap `t` or `b`.
void drift_large(const LargeDrift& d);

}  // namespace geosim::detail
