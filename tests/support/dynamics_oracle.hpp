#pragma once
// The continuous part of the step as matrix formulas, straight from docs/model.md: the tests'
// oracle for the step's fused loop (core/step.cpp), which is the one production form of the
// equations. Dense and slow on purpose: each line is the equation as written.

#include <Eigen/Core>

namespace geosim::oracle {

/// Relaxation toward baseline: R_ij = r_i (B_ij - T_ij), r_i = restraint of i.
inline Eigen::MatrixXd relaxation(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& baseline,
                                  const Eigen::VectorXd& restraint) {
  Eigen::MatrixXd result = restraint.asDiagonal() * (baseline - tension);
  result.diagonal().setZero();
  return result;
}

/// Reciprocity (Richardson): K_ij = k_i (T_ji - B_ji), k_i = reactivity of i.
inline Eigen::MatrixXd reciprocity(const Eigen::MatrixXd& tension, const Eigen::MatrixXd& baseline,
                                   const Eigen::VectorXd& reactivity) {
  Eigen::MatrixXd result = reactivity.asDiagonal() * (tension - baseline).transpose();
  result.diagonal().setZero();
  return result;
}

}  // namespace geosim::oracle
