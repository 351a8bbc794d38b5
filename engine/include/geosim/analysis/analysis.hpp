#pragma once
/// \file
/// Network analysis of one state: blocs (structural balance), brokers (betweenness), the
/// lowest-tension channel between two actors, influence (eigenvector centrality of ties) and
/// the stability of the drift (eigenvalues of its Jacobian). See docs/model.md, "Analysis".
///
/// Conventions shared by the graph measures:
/// - a relation i–j is *friendly* (positive) when its symmetric tension (T_ij + T_ji)/2 is
///   below the cut (BalanceOptions::cut, by default the scenario's `balance_cut`, 0.5 unless
///   set), *hostile* (negative) otherwise; a pair without a relation (Scenario::absent) is
///   neither and takes no part in blocs or triads;
/// - the *length* of a directed relation i->j is -log(1 - T_ij) + 1e-6 (relation_length):
///   1 - T is read as the chance that a message passes that hop, so the shortest path is the
///   route most likely to carry it end to end; a relation in open crisis (T = 1) is nearly
///   impassable, and the small constant makes a hop never free.

#include <Eigen/Core>
#include <array>
#include <complex>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "geosim/analysis/relation_graph.hpp"
#include "geosim/core/scenario.hpp"
#include "geosim/core/state.hpp"

namespace geosim {

// ---------------------------------------------------------------- blocs

/// How blocs are searched.
struct BalanceOptions {
  /// Weight an unbalanced relation by |cut - symmetric tension| instead of 1.
  bool weighted = false;
  /// The friendly/hostile cut, in [0,1]: friendly below it, hostile at or above it. Unset:
  /// analyze() takes the scenario's parameters.balance_cut, find_blocs() 0.5.
  std::optional<double> cut{};
  /// Up to this many actors every split is tried (2^(n-1) of them); beyond it, a greedy
  /// local search from a spectral start, which finds a local optimum only.
  std::size_t exhaustive_limit = 20;
};

/// A triad of actors (a < b < c) and how many of its three relations are hostile.
struct Triad {
  std::array<std::size_t, 3> actors{};
  int hostile = 0;  ///< 1 or 3 for an unbalanced triad
};

/// The split of the actors into two camps that leaves the fewest unbalanced relations.
struct Blocs {
  std::vector<int> camp;  ///< per actor: 0 (the camp of actor 0) or 1
  /// Unbalanced relations (a < b): friends across camps, or enemies in the same camp.
  std::vector<std::pair<std::size_t, std::size_t>> unbalanced;
  double frustration = 0.0;  ///< count, or summed weights when weighted
  bool exhaustive = true;    ///< false: greedy local search (a local optimum)
  std::size_t splits_tried = 0;
  /// Triads with an odd number of hostile relations: no split can balance them.
  std::vector<Triad> unbalanced_triads;
  /// All triads whose three pairs have a relation: n choose 3 when no pair is absent.
  std::size_t triads = 0;
  Eigen::MatrixXd symmetric;  ///< the symmetric tensions the split was computed from
  double cut = 0.5;           ///< the friendly/hostile cut used
  /// Relations counted (a < b, pairs with a relation) and, of them, the hostile ones.
  std::size_t relations = 0, hostile = 0;
};

/// (T + T^T) / 2 with a zero diagonal.
Eigen::MatrixXd symmetric_tension(const Eigen::MatrixXd& tension);

/// Blocs of the signed network given by `tension` (see the conventions above). `absent`:
/// Scenario::absent (row-major n*n, 1 = the pair has no relation; empty = none).
Blocs find_blocs(const Eigen::MatrixXd& tension, const BalanceOptions& options = {},
                 const std::vector<unsigned char>& absent = {});

// ---------------------------------------------------------------- paths

/// Length of a relation with this tension: -log(1 - T) + 1e-6, T capped just below 1.
double relation_length(double tension);

/// Betweenness centrality of every vertex (boost::brandes_betweenness_centrality) with edge
/// lengths relation_length(tension), on the directed graph: the share of ordered pairs (s, t),
/// s != v != t, whose shortest paths pass through v (each pair split over its shortest paths),
/// i.e. Boost's raw value divided by (n-1)(n-2). In [0,1].
std::vector<double> betweenness(const RelationGraph& graph);

/// The lowest-tension route from one actor to another.
struct Channel {
  std::size_t from = 0;
  std::size_t to = 0;
  bool found = false;               ///< false when `to` cannot be reached
  std::vector<std::size_t> path;    ///< from, ..., to
  std::vector<double> hop_tension;  ///< tension of each hop, path.size() - 1 of them
  double length = 0.0;              ///< sum of relation_length over the hops
  /// Chance a message passes every hop: product of (1 - tension).
  double passage = 0.0;
  /// Tension of the direct relation from -> to, if the graph has one.
  std::optional<double> direct_tension;
  /// find_channel_via: the actor the route was made to pass through.
  std::optional<std::size_t> via;
};

/// The shortest path from `from` to `to` (boost::dijkstra_shortest_paths, relation_length).
Channel find_channel(const RelationGraph& graph, std::size_t from, std::size_t to);

/// The shortest route from `from` to `to` that passes through `via`: the shortest from -> via
/// that does not pass `to`, followed by the shortest via -> to that does not pass `from` (not
/// found when either has none).
Channel find_channel_via(const RelationGraph& graph, std::size_t from, std::size_t via, std::size_t to);

// ---------------------------------------------------------------- spectral

/// Eigenvector centrality of the ties, summing to 1. W_ij is how much i's stance is shaped
/// by j, so j is influential when influential actors are shaped by it: x_j ∝ Σ_i W_ij x_i,
/// the dominant eigenvector of W^T. Found by power iteration on I + W^T (same eigenvectors;
/// the shift keeps it from oscillating on bipartite patterns such as a star); uniform when
/// there are no ties.
struct Influence {
  std::vector<double> score;  ///< per actor, >= 0, sums to 1
  double eigenvalue = 0.0;    ///< dominant eigenvalue of W^T
  int iterations = 0;
  bool converged = false;  ///< change below 1e-12 within 10000 iterations
};

Influence influence(const Eigen::MatrixXd& tie);

/// One mode of the linearised step.
struct StabilityMode {
  std::complex<double> eigenvalue;  ///< of I + J
  double modulus = 0.0;             ///< |eigenvalue|: the factor a deviation shrinks by per step
  /// Steps for a deviation along this mode to halve (< 1) or double (> 1); 0 if none.
  double half_life = 0.0;
  /// The relations (from, to) that carry most of the mode, largest share first (at most 3).
  std::vector<std::pair<std::size_t, std::size_t>> relations;
};

/// A modulus within this of 1 counts as exactly 1: a disturbance along the mode persists.
inline constexpr double kNeutralModulus = 1e-9;
/// Up to this many relations (n(n-1), 10 actors), stability() uses the dense eigensolver and
/// lists every eigenvalue; beyond, the iterative one (leading_drift_eigen) and the leading few.
inline constexpr Eigen::Index kDenseStabilityLimit = 90;

/// Stability of the drift around the current state: the eigenvalues of I + J, J the Jacobian
/// of relaxation + reciprocity + spillover (no noise, no bounds) with respect to the n(n-1)
/// off-diagonal tensions less the absent pairs, which the step holds at 0 (drift_jacobian). J is constant given
/// restraint, reactivity, sigma and the ties, since the drift is linear in T.
struct Stability {
  /// Of I + J, largest modulus first: all of them up to kDenseStabilityLimit relations,
  /// otherwise the modes + 1 of largest modulus (then `slowest` may hold fewer than `modes`
  /// modes, as a complex pair is one mode).
  std::vector<std::complex<double>> eigenvalues;
  double spectral_radius = 0.0;        ///< largest modulus
  bool settles = false;                ///< spectral radius < 1 (and not within kNeutralModulus of it)
  bool persists = false;               ///< spectral radius within kNeutralModulus of 1: neither fades nor grows
  bool converged = true;               ///< false when the iterative solver did not converge (results approximate)
  std::vector<StabilityMode> slowest;  ///< the modes of largest modulus
};

/// The leading eigenvalues of I + J by modulus, from Spectra's Arnoldi solver
/// (GenEigsSolver) on the matrix-free product, never forming J: what scales to hundreds of
/// actors. Unsorted; vectors are the matching eigenvectors (columns).
struct LeadingEigen {
  Eigen::VectorXcd values;
  Eigen::MatrixXcd vectors;
  bool converged = false;
};

/// The `count` eigenvalues of largest modulus of I + J (at most relations - 2 of them).
/// `absent` (Scenario::absent, empty = none): as for drift_jacobian.
LeadingEigen leading_drift_eigen(const Eigen::VectorXd& restraint, const Eigen::VectorXd& reactivity,
                                 const Eigen::MatrixXd& tie, double sigma, std::size_t count,
                                 const std::vector<unsigned char>& absent = {});

/// Row-major index of relation (i, j), i != j, among the n(n-1) off-diagonal relations.
std::size_t relation_index(std::size_t i, std::size_t j, std::size_t n);

/// The Jacobian J of the step's drift, dense (see Stability): for tests and small cases only.
/// `absent` (Scenario::absent, row-major n*n, empty = none): an absent pair is held at 0 by the
/// step, so it is not a variable (J has one row and column per present relation, in
/// relation_index order with the absent ones left out), and a partner m whose pair m-j is
/// absent drops out of i->j's spillover, as in the step's masked spillover. Without absent
/// pairs J is n(n-1) square, indexed by relation_index.
Eigen::MatrixXd drift_jacobian(const Eigen::VectorXd& restraint, const Eigen::VectorXd& reactivity,
                               const Eigen::MatrixXd& tie, double sigma, const std::vector<unsigned char>& absent = {});

/// Eigenvalues of I + J and the `modes` slowest modes; seconds at 200 actors.
Stability stability(const Eigen::VectorXd& restraint, const Eigen::VectorXd& reactivity, const Eigen::MatrixXd& tie,
                    double sigma, std::size_t modes = 5, const std::vector<unsigned char>& absent = {});

// ---------------------------------------------------------------- everything

/// What to analyse.
struct AnalysisOptions {
  BalanceOptions balance;
  /// Channel from first to second actor (and back) when set.
  std::optional<std::pair<std::size_t, std::size_t>> between;
  std::size_t slowest_modes = 5;
  bool stability = true;  ///< compute Analysis::stability (left empty when false)
};

/// All measures of one state.
struct Analysis {
  int step = 0;
  Blocs blocs;
  std::vector<double> brokers;  ///< betweenness per actor
  Influence influence;
  std::optional<Channel> channel;       ///< between.first -> between.second
  std::optional<Channel> channel_back;  ///< between.second -> between.first
  /// The best route from between.first to between.second through each other actor, shortest
  /// first: how each would do as intermediary.
  std::vector<Channel> intermediaries;
  Stability stability;
};

/// Analyses `state` of `scenario`.
Analysis analyze(const Scenario& scenario, const State& state, const AnalysisOptions& options = {});

}  // namespace geosim
