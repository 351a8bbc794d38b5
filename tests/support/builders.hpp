#pragma once
// Small builders for tests: scenarios in code, without YAML.

#include <geosim/core/rng.hpp>
#include <geosim/core/scenario.hpp>

#include <Eigen/Dense>

#include <string>
#include <vector>

namespace geosim::testing {

/// A scenario of `ids.size()` states with uniform tension/baseline/tie, no events, no
/// indicators, spillover 0 and noise 0 unless changed.
Scenario make_scenario(const std::vector<std::string>& ids, double tension = 0.3,
                       double tie = 0.0);

/// Sets one directed relation.
void set_relation(Scenario& s, const std::string& from, const std::string& to, double tension,
                  double baseline, double tie = 0.0);

/// An event at `step` changing from->to tension by `delta`.
Event make_event(const Scenario& s, const std::string& id, int step, const std::string& from,
                 const std::string& to, double delta);

/// Path of a shipped scenario file, e.g. shipped("baseline.yaml").
std::string shipped(const std::string& name);

/// A random n x n matrix with a zero diagonal and entries in [0, 1).
Eigen::MatrixXd random_relations(Rng& rng, Eigen::Index n);

}  // namespace geosim::testing
