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
Scenario make_scenario(const std::vector<std::string>& ids, double tension = 0.3, double tie = 0.0);

/// Sets one directed relation.
void set_relation(Scenario& s, const std::string& from, const std::string& to, double tension, double baseline,
                  double tie = 0.0);

/// An event at `step` changing from->to tension by `delta`.
Event make_event(const Scenario& s, const std::string& id, int step, const std::string& from, const std::string& to,
                 double delta);

/// Two actors ("AAA", "BBB") with noise 0.05 and a chance event (AAA->BBB +0.4 at step 2 with
/// probability 0.3) over `steps` steps, and two indicators: "ab" (both directions, threshold
/// 0.5) and "ba": an ensemble's runs differ, with ties at the bounds.
Scenario noisy_pair(int steps);

/// Path of a shipped scenario file, e.g. shipped("baseline.yaml").
std::string shipped(const std::string& name);

/// The YAML of a three-actor world for settled-start tests (tests/core/test_settle.cpp works its
/// baselines by hand): A, B, C with restraint 0.1 and reactivity 0.05, spillover 0.05, tension 0.3
/// but A->B 0.5, A leaning on C (tie 1), 400 steps; `start_state` ("start_state: settled\n",
/// or "") and `extra` YAML are put in.
std::string three_actor_world(const std::string& start_state, const std::string& extra = "");

/// A random n x n matrix with a zero diagonal and entries in [0, 1).
Eigen::MatrixXd random_relations(Rng& rng, Eigen::Index n);

/// n states ("S0".."S{n-1}") with random tensions and baselines in [0, 1), restraint in [0, 0.2)
/// and reactivity in [0, 0.3), spillover 0.3 and `noise`. Ties: with `ties_per_actor` < n, each
/// actor tied (0.2 to 0.8) to that many random partners; otherwise about half of all pairs tied.
/// With `absent`, every third actor's pair with the one two further has no relation (0 tension,
/// baseline and tie there).
Scenario random_world(int n, double noise, bool absent, std::uint64_t seed, int ties_per_actor = -1);

/// The same doubles, bit for bit (so +0 and -0 differ, and a NaN equals itself).
bool same_bits(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b);

}  // namespace geosim::testing
