#pragma once
/// \file
/// The continuous part of a step that other code needs on its own: spillover (the settled start,
/// explain's per-partner shares). See docs/model.md for the equations.

#include <Eigen/Core>
#include <vector>

namespace geosim {

// Relaxation, R_ij = r_i (B_ij - T_ij), and reciprocity, K_ij = k_i (T_ji - B_ji), are written
// once, in the step's fused loop (step.cpp, drift); tests/support/dynamics_oracle.hpp
// has them as matrix formulas for the tests.

/// Spillover through ties (structural balance):
/// S_ij = sigma * sum_{k != i,j} W_ik (T_kj - T_ij) / max(1, sum_{k != i} W_ik).
/// A close partner's enemies become a little more my enemies, its friends my friends.
/// `absent` (Scenario::absent, row-major n*n, empty = none): a partner k whose pair k–j has no
/// relation drops out of the sum for i->j (it has no stance toward j to pass on), and a pair
/// i–j without a relation gets no spillover.
Eigen::MatrixXd spillover(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie, double sigma,
                          const std::vector<unsigned char>& absent = {});
/// The same into `result` (resized to n x n), reusing its memory.
void spillover_into(Eigen::MatrixXd& result, const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie, double sigma,
                    const std::vector<unsigned char>& absent = {});

/// The ties as the spillover's sums read them: column by column, only the non-zero ones, with
/// each row's sum and the scale sigma / max(1, row sum). Depends on the ties and sigma only, so
/// a run keeps it from step to step and rebuilds it when an event changes a tie (step.hpp,
/// StepWorkspace). Empty (n = 0) until built.
struct TieStructure {
  std::vector<Eigen::Index> first;   ///< ties of column k are [first[k], first[k + 1])
  std::vector<Eigen::Index> leaner;  ///< the row i of each tie (who leans on k), ascending within a column
  std::vector<double> weight;        ///< W_ik of each tie
  /// Below kSmallWorld actors, W itself with a zero diagonal (the sums then run over every k:
  /// a zero tie adds a zero term, which leaves a sum bit for bit as it was), its rows padded
  /// with zeros to a multiple of four (the widest vector the step uses; n columns); else empty.
  Eigen::MatrixXd dense;
  /// From kSmallWorld actors, the same ties row by row (the large worlds' step sums a row's
  /// terms where it uses them): row i's are [row_first[i], row_first[i + 1]), else empty.
  std::vector<Eigen::Index> row_first;
  std::vector<Eigen::Index> partner;  ///< the column k of each (i leans on k), ascending within a row
  std::vector<double> row_weight;     ///< W_ik of each
  Eigen::ArrayXd row_sum;             ///< sum_{k != i} W_ik
  Eigen::ArrayXd scale;               ///< sigma / max(1, row_sum)
};

/// Worlds of fewer actors than this take the spillover's sums densely (TieStructure::dense).
inline constexpr Eigen::Index kSmallWorld = 16;

/// Builds `ties` from the tie matrix and sigma, reusing its memory.
void build_tie_structure(TieStructure& ties, const Eigen::MatrixXd& tie, double sigma);

/// What the spillover's sums use from kSmallWorld actors, eight columns at a time: each n x 8,
/// row-major; kept by the caller from call to call (a step's workspace) so that no call allocates.
struct SpilloverScratch {
  std::vector<double> sums;  ///< the block's sums sum_k W_ik T_kj
  std::vector<double> lost;  ///< with absent pairs: sum of W_ik over the k whose pair k-j has none
  std::vector<double> rows;  ///< the block's columns of T, row by row
  std::vector<double> gone;  ///< with absent pairs: 1 where the pair k-j has no relation
};

/// spillover_into with the ties already in `ties` (built from `tie` and sigma): the step's hot
/// path. The same bits as spillover_into.
void spillover_into(Eigen::MatrixXd& result, const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie,
                    const TieStructure& ties, const std::vector<unsigned char>& absent = {});
/// The same with the caller's scratch (reused: nothing allocated once it has grown to n).
void spillover_into(Eigen::MatrixXd& result, const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie,
                    const TieStructure& ties, const std::vector<unsigned char>& absent, SpilloverScratch& scratch);

/// The share of S_ij that comes through partner k (sums over k to S_ij).
double spillover_through(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie, double sigma, Eigen::Index i,
                         Eigen::Index j, Eigen::Index k, const std::vector<unsigned char>& absent = {});

}  // namespace geosim
