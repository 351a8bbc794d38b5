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
Eigen::MatrixXd spillover(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie,
                          double sigma, const std::vector<unsigned char>& absent = {});
/// The same into `result` (resized to n x n), reusing its memory: the step's hot path.
void spillover_into(Eigen::MatrixXd& result, const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie,
                    double sigma, const std::vector<unsigned char>& absent = {});

/// The share of S_ij that comes through partner k (sums over k to S_ij).
double spillover_through(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& tie, double sigma,
                         Eigen::Index i, Eigen::Index j, Eigen::Index k,
                         const std::vector<unsigned char>& absent = {});

}  // namespace geosim
