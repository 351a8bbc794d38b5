// Analysis of a state, checked against results worked out by hand or in closed form.
#include <geosim/analysis/analysis.hpp>
#include <geosim/core/dynamics.hpp>
#include <geosim/core/rng.hpp>
#include <geosim/core/run.hpp>
#include <geosim/io/loader.hpp>
#include <geosim/report/analysis_report.hpp>

#include <gtest/gtest.h>
#include <Eigen/Eigenvalues>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>

#include "support/dynamics_oracle.hpp"

#include <algorithm>
#include <cmath>

#include "support/builders.hpp"

using namespace geosim;

namespace {

/// A graph of `n` unnamed actors with no relations yet.
RelationGraph empty_graph(std::size_t n) {
  RelationGraph g = RelationGraph::with_vertices(n);
  for (std::size_t v = 0; v < n; ++v) g.actors[v].id = std::string(1, char('A' + v));
  return g;
}

/// Adds a relation both ways with the same tension.
void link(RelationGraph& g, std::size_t a, std::size_t b, double tension) {
  g.add_edge(a, b, tension, tension);
  g.add_edge(b, a, tension, tension);
}

/// Tensions with `within` inside each group and `across` between groups; group[v] per actor.
Eigen::MatrixXd two_groups(const std::vector<int>& group, double within, double across) {
  const auto n = Eigen::Index(group.size());
  Eigen::MatrixXd t = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index a = 0; a < n; ++a)
    for (Eigen::Index b = 0; b < n; ++b)
      if (a != b) t(a, b) = group[std::size_t(a)] == group[std::size_t(b)] ? within : across;
  return t;
}

/// Frustration of a split written straight from the definition.
double frustration_by_definition(const Eigen::MatrixXd& t, const std::vector<int>& camp, bool weighted) {
  double total = 0.0;
  for (Eigen::Index a = 0; a < t.rows(); ++a)
    for (Eigen::Index b = a + 1; b < t.rows(); ++b) {
      const double mean = (t(a, b) + t(b, a)) / 2;
      const bool friendly = mean < 0.5, same = camp[std::size_t(a)] == camp[std::size_t(b)];
      if (friendly != same) total += weighted ? std::abs(0.5 - mean) : 1.0;
    }
  return total;
}

}  // namespace

// ---------------------------------------------------------------- brokers

TEST(Analysis, BetweennessOnAPathOfFiveByHand) {
  // A - B - C - D - E, both directions, equal tensions: 4 * 3 = 12 ordered pairs of others.
  // B lies on A<->C, A<->D, A<->E: 6 ordered pairs; C on {A,B} x {D,E}: 8; D like B.
  RelationGraph g = empty_graph(5);
  for (std::size_t v = 0; v + 1 < 5; ++v) link(g, v, v + 1, 0.3);
  const std::vector<double> b = betweenness(g);
  EXPECT_NEAR(b[0], 0.0, 1e-12);
  EXPECT_NEAR(b[1], 6.0 / 12, 1e-12);
  EXPECT_NEAR(b[2], 8.0 / 12, 1e-12);
  EXPECT_NEAR(b[3], 6.0 / 12, 1e-12);
  EXPECT_NEAR(b[4], 0.0, 1e-12);
}

TEST(Analysis, BoostCountsOrderedPairsOnDirectedGraphsAndItsRelativeFactorIsUndirected) {
  // Why betweenness() divides by (n-1)(n-2) itself: on this directed path Boost's raw value of
  // B is 6 (every ordered pair once), and relative_betweenness_centrality multiplies by
  // 2/((n-1)(n-2)), the undirected factor, giving 1.0 instead of 0.5.
  using Directed = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                                         boost::property<boost::edge_weight_t, double>>;
  Directed g(5);
  for (std::size_t v = 0; v + 1 < 5; ++v) {
    boost::add_edge(v, v + 1, 0.3, g);
    boost::add_edge(v + 1, v, 0.3, g);
  }
  std::vector<double> raw(5);
  auto map = boost::make_iterator_property_map(raw.begin(), boost::get(boost::vertex_index, g));
  boost::brandes_betweenness_centrality(g, boost::centrality_map(map));
  EXPECT_NEAR(raw[1], 6.0, 1e-12);
  EXPECT_NEAR(raw[2], 8.0, 1e-12);
  boost::relative_betweenness_centrality(g, map);
  EXPECT_NEAR(raw[1], 1.0, 1e-12);
  // On an undirected graph Boost counts each unordered pair once: B is on 3.
  using Undirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                           boost::property<boost::edge_weight_t, double>>;
  Undirected u(5);
  for (std::size_t v = 0; v + 1 < 5; ++v) boost::add_edge(v, v + 1, 1.0, u);
  std::vector<double> undirected(5);
  boost::brandes_betweenness_centrality(
      u, boost::make_iterator_property_map(undirected.begin(), boost::get(boost::vertex_index, u)));
  EXPECT_NEAR(undirected[1], 3.0, 1e-12);
}

TEST(Analysis, StarCentreCarriesEveryRoute) {
  RelationGraph g = empty_graph(5);
  for (std::size_t leaf = 1; leaf < 5; ++leaf) link(g, 0, leaf, 0.5);
  const std::vector<double> b = betweenness(g);
  EXPECT_NEAR(b[0], 1.0, 1e-12);
  for (std::size_t leaf = 1; leaf < 5; ++leaf) EXPECT_NEAR(b[leaf], 0.0, 1e-12);
}

TEST(Analysis, TensionsDecideTheRoutesOnACompleteGraph) {
  // Every pair related, but leaves are hostile (0.9) and the centre friendly (0.1) to all:
  // 2 * -log(0.9) < -log(0.1), so every route between leaves goes through the centre.
  RelationGraph g = empty_graph(5);
  for (std::size_t a = 0; a < 5; ++a)
    for (std::size_t b = a + 1; b < 5; ++b) link(g, a, b, a == 0 ? 0.1 : 0.9);
  EXPECT_NEAR(betweenness(g)[0], 1.0, 1e-12);
}

TEST(Analysis, EqualRoutesShareTheCredit) {
  // A 4-cycle A-B-C-D-A: A and C are joined by two equal routes, via B and via D.
  // B gets half of A->C and half of C->A: 1 of 3 * 2 = 6 ordered pairs.
  RelationGraph g = empty_graph(4);
  for (std::size_t v = 0; v < 4; ++v) link(g, v, (v + 1) % 4, 0.4);
  for (double b : betweenness(g)) EXPECT_NEAR(b, 1.0 / 6, 1e-12);
}

// ---------------------------------------------------------------- channel

TEST(Analysis, ChannelTakesTheFriendlyDetour) {
  RelationGraph g = empty_graph(4);  // A B C D
  link(g, 0, 1, 0.9);                // A-B in crisis
  link(g, 0, 2, 0.1);                // A-C friends
  link(g, 2, 1, 0.2);                // C-B friends
  link(g, 0, 3, 0.5);
  link(g, 3, 1, 0.5);
  const Channel c = find_channel(g, 0, 1);
  ASSERT_TRUE(c.found);
  EXPECT_EQ(c.path, (std::vector<std::size_t>{0, 2, 1}));
  EXPECT_EQ(c.hop_tension, (std::vector<double>{0.1, 0.2}));
  EXPECT_NEAR(c.length, -std::log(0.9) - std::log(0.8) + 2e-6, 1e-12);
  EXPECT_NEAR(c.passage, 0.9 * 0.8, 1e-12);
  ASSERT_TRUE(c.direct_tension.has_value());
  EXPECT_EQ(*c.direct_tension, 0.9);

  const Channel via_d = find_channel_via(g, 0, 3, 1);
  EXPECT_EQ(via_d.path, (std::vector<std::size_t>{0, 3, 1}));
  EXPECT_NEAR(via_d.passage, 0.25, 1e-12);
  EXPECT_GT(via_d.length, c.length);
}

// The route through m does not reach B first: with A's only friendly path to O through B, "via O"
// was A -> B -> O -> B (its chance the product of all three hops). The legs avoid the other end:
// A -> O takes the costlier direct relation, and an O that only B reaches has no route.
TEST(Analysis, ARouteThroughAnActorDoesNotPassTheOtherEndFirst) {
  RelationGraph g = empty_graph(4);  // A B O P
  link(g, 0, 1, 0.2);                // A-B friends
  link(g, 1, 2, 0.1);                // B-O friends
  g.add_edge(0, 2, 0.8, 0.8);        // A -> O tense (O -> A absent)
  link(g, 1, 3, 0.1);                // P: reached only through B
  const Channel via_o = find_channel_via(g, 0, 2, 1);
  ASSERT_TRUE(via_o.found);
  EXPECT_EQ(via_o.path, (std::vector<std::size_t>{0, 2, 1}));
  EXPECT_NEAR(via_o.passage, 0.2 * 0.9, 1e-12);
  EXPECT_FALSE(find_channel_via(g, 0, 3, 1).found);  // A reaches P only through B
  // The plain channel still takes the shortest path, B or not.
  EXPECT_EQ(find_channel(g, 0, 2).path, (std::vector<std::size_t>{0, 1, 2}));
}

TEST(Analysis, ChannelIsDirected) {
  RelationGraph g = empty_graph(3);
  g.add_edge(0, 1, 0.2, 0.2);  // only A -> B -> C
  g.add_edge(1, 2, 0.3, 0.3);
  EXPECT_TRUE(find_channel(g, 0, 2).found);
  const Channel back = find_channel(g, 2, 0);
  EXPECT_FALSE(back.found);
  EXPECT_TRUE(back.path.empty());
}

TEST(Analysis, RelationLengthGrowsWithTensionAndStaysFinite) {
  EXPECT_NEAR(relation_length(0.0), 1e-6, 1e-15);
  EXPECT_NEAR(relation_length(0.5), std::log(2.0) + 1e-6, 1e-12);
  EXPECT_LT(relation_length(0.3), relation_length(0.31));
  EXPECT_TRUE(std::isfinite(relation_length(1.0)));
  EXPECT_GT(relation_length(1.0), 20.0);
}

// ---------------------------------------------------------------- blocs

TEST(Analysis, TwoCliquesOfFriendsHostileAcrossAreBalanced) {
  const std::vector<int> group{0, 1, 0, 1, 1, 0};
  const Blocs b = find_blocs(two_groups(group, 0.1, 0.9));
  EXPECT_TRUE(b.exhaustive);
  EXPECT_EQ(b.splits_tried, 32u);
  EXPECT_EQ(b.camp, group);
  EXPECT_TRUE(b.unbalanced.empty());
  EXPECT_EQ(b.frustration, 0.0);
  EXPECT_TRUE(b.unbalanced_triads.empty());
  EXPECT_EQ(b.triads, 20u);
}

TEST(Analysis, TriangleWithOneHostileEdgeLeavesOneFrustratedEdge) {
  Eigen::MatrixXd t = two_groups({0, 0, 0}, 0.2, 0.2);
  t(0, 1) = t(1, 0) = 0.8;
  const Blocs b = find_blocs(t);
  EXPECT_EQ(b.frustration, 1.0);
  EXPECT_EQ(b.unbalanced.size(), 1u);
  ASSERT_EQ(b.unbalanced_triads.size(), 1u);
  EXPECT_EQ(b.unbalanced_triads[0].hostile, 1);
  EXPECT_EQ(b.unbalanced_triads[0].actors, (std::array<std::size_t, 3>{0, 1, 2}));
  // Weighted: the cheapest edge to leave unbalanced is the one closest to 0.5.
  t(0, 2) = t(2, 0) = 0.45;
  const Blocs w = find_blocs(t, BalanceOptions{.weighted = true});
  EXPECT_NEAR(w.frustration, 0.05, 1e-12);
  EXPECT_EQ(w.unbalanced, (std::vector<std::pair<std::size_t, std::size_t>>{{0, 2}}));
}

TEST(Analysis, AllHostileCompleteGraphMatchesClosedForm) {
  // Every relation hostile: the best split halves the actors, leaving C(3,2) + C(4,2) = 9
  // hostile pairs inside camps for n = 7; every triad has 3 hostile relations.
  const Blocs b = find_blocs(two_groups({0, 0, 0, 0, 0, 0, 0}, 0.9, 0.9));
  EXPECT_EQ(b.frustration, 9.0);
  EXPECT_EQ(b.unbalanced_triads.size(), 35u);
  EXPECT_EQ(b.unbalanced_triads[0].hostile, 3);
}

TEST(Analysis, SymmetricTensionDecidesTheSign) {
  Eigen::MatrixXd t = two_groups({0, 0}, 0.3, 0.3);
  t(1, 0) = 0.8;  // mean 0.55: hostile, so the best split separates them
  const Blocs b = find_blocs(t);
  EXPECT_EQ(b.camp, (std::vector<int>{0, 1}));
  EXPECT_NEAR(b.symmetric(0, 1), 0.55, 1e-15);
}

TEST(Analysis, ExhaustiveSearchFindsTheMinimumOfEverySplit) {
  Rng rng(7);
  for (int round = 0; round < 10; ++round)
    for (bool weighted : {false, true}) {
      const Eigen::MatrixXd t = geosim::testing::random_relations(rng, 8);
      double lowest = 1e300;
      for (int mask = 0; mask < 256; ++mask) {
        std::vector<int> camp(8);
        for (int v = 0; v < 8; ++v) camp[std::size_t(v)] = (mask >> v) & 1;
        lowest = std::min(lowest, frustration_by_definition(t, camp, weighted));
      }
      const Blocs b = find_blocs(t, BalanceOptions{.weighted = weighted});
      EXPECT_NEAR(b.frustration, lowest, 1e-12);
      EXPECT_NEAR(frustration_by_definition(t, b.camp, weighted), b.frustration, 1e-12);
      EXPECT_EQ(b.unbalanced.size(), std::size_t(frustration_by_definition(t, b.camp, false)));
    }
}

TEST(Analysis, GreedySearchBeyondTheLimitSplitsBalancedNetworks) {
  std::vector<int> group(24);
  for (std::size_t v = 0; v < group.size(); ++v) group[v] = (v * 7 % 5) < 2 ? 0 : 1;
  for (int& g : group) g ^= group[0];  // actor 0 is always in camp 0
  const Blocs b = find_blocs(two_groups(group, 0.2, 0.7));
  EXPECT_FALSE(b.exhaustive);
  EXPECT_EQ(b.camp, group);
  EXPECT_EQ(b.frustration, 0.0);
  // A lower limit switches the small case to greedy too, with the same answer.
  const std::vector<int> small{0, 1, 0, 1, 1, 0};
  const Blocs g = find_blocs(two_groups(small, 0.1, 0.9), BalanceOptions{.exhaustive_limit = 3});
  EXPECT_FALSE(g.exhaustive);
  EXPECT_EQ(g.camp, small);
}

TEST(Analysis, TwentyActorsAreStillSearchedExhaustively) {
  std::vector<int> group(20);
  for (std::size_t v = 0; v < group.size(); ++v) group[v] = int(v % 3 == 1);
  Eigen::MatrixXd t = two_groups(group, 0.2, 0.7);
  t(0, 3) = t(3, 0) = 0.9;  // one hostile pair inside camp 0: the one unbalanced relation left
  const Blocs b = find_blocs(t);
  EXPECT_TRUE(b.exhaustive);
  EXPECT_EQ(b.splits_tried, std::size_t(1) << 19);
  EXPECT_EQ(b.camp, group);
  EXPECT_EQ(b.unbalanced, (std::vector<std::pair<std::size_t, std::size_t>>{{0, 3}}));
}

// ---------------------------------------------------------------- influence

TEST(Analysis, SymmetricStarCentreHasClosedFormCentrality) {
  // Centre 0 and k = 4 leaves tied both ways with w: lambda = w sqrt(k), x_centre = sqrt(k) x_leaf.
  const double w = 0.5, k = 4;
  Eigen::MatrixXd tie = Eigen::MatrixXd::Zero(5, 5);
  for (Eigen::Index leaf = 1; leaf < 5; ++leaf) tie(0, leaf) = tie(leaf, 0) = w;
  const Influence in = influence(tie);
  ASSERT_TRUE(in.converged);
  EXPECT_NEAR(in.score[0], std::sqrt(k) / (std::sqrt(k) + k), 1e-10);
  for (std::size_t leaf = 1; leaf < 5; ++leaf) EXPECT_NEAR(in.score[leaf], 1 / (std::sqrt(k) + k), 1e-10);
  EXPECT_NEAR(in.eigenvalue, w * std::sqrt(k), 1e-10);
}

TEST(Analysis, InfluenceGoesToWhomOthersFollow) {
  // A and B are shaped by C; C barely by A: C is the influential one (W^T, not W).
  Eigen::MatrixXd tie = Eigen::MatrixXd::Zero(3, 3);
  tie(0, 2) = tie(1, 2) = 0.8;
  tie(2, 0) = 0.1;
  const Influence in = influence(tie);
  EXPECT_GT(in.score[2], in.score[0]);
  EXPECT_GT(in.score[0], in.score[1]);
}

TEST(Analysis, InfluenceMatchesEigenSolver) {
  Rng rng(3);
  const Eigen::MatrixXd tie = geosim::testing::random_relations(rng, 6);
  const Influence in = influence(tie);
  Eigen::EigenSolver<Eigen::MatrixXd> solver(tie.transpose());
  Eigen::Index top = 0;
  solver.eigenvalues().real().maxCoeff(&top);
  Eigen::VectorXd v = solver.eigenvectors().col(top).real();
  v /= v.sum();
  ASSERT_TRUE(in.converged);
  EXPECT_NEAR(in.eigenvalue, solver.eigenvalues()(top).real(), 1e-10);
  double total = 0.0;
  for (std::size_t a = 0; a < 6; ++a) {
    EXPECT_NEAR(in.score[a], v(Eigen::Index(a)), 1e-10);
    total += in.score[a];
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
}

TEST(Analysis, NoTiesGiveUniformInfluence) {
  const Influence in = influence(Eigen::MatrixXd::Zero(4, 4));
  for (double s : in.score) EXPECT_EQ(s, 0.25);
}

// ---------------------------------------------------------------- stability

TEST(Analysis, TwoActorEigenvaluesMatchRichardsonClosedForm) {
  const double cases[][4] = {{0.08, 0.12, 0.05, 0.03}, {0.02, 0.05, 0.08, 0.03}, {0.1, 0.1, 0.04, 0.04}};
  for (const auto& c : cases) {
    const double r1 = c[0], r2 = c[1], k1 = c[2], k2 = c[3];
    const Stability st = stability(Eigen::Vector2d(r1, r2), Eigen::Vector2d(k1, k2), Eigen::Matrix2d::Zero(), 0.0);
    const double mid = 1 - (r1 + r2) / 2, root = std::sqrt((r1 - r2) * (r1 - r2) / 4 + k1 * k2);
    ASSERT_EQ(st.eigenvalues.size(), 2u);
    EXPECT_NEAR(st.eigenvalues[0].real(), mid + root, 1e-12);
    EXPECT_NEAR(st.eigenvalues[1].real(), mid - root, 1e-12);
    EXPECT_NEAR(st.eigenvalues[0].imag(), 0.0, 1e-12);
    EXPECT_NEAR(st.spectral_radius, mid + root, 1e-12);
    EXPECT_EQ(st.settles, k1 * k2 < r1 * r2);
    // The matrix itself: I + J = [[1 - r1, k1], [k2, 1 - r2]] in the order (T_12, T_21).
    const Eigen::MatrixXd jacobian =
        drift_jacobian(Eigen::Vector2d(r1, r2), Eigen::Vector2d(k1, k2), Eigen::Matrix2d::Zero(), 0.0);
    EXPECT_NEAR(jacobian(0, 0), -r1, 1e-15);
    EXPECT_NEAR(jacobian(0, 1), k1, 1e-15);
    EXPECT_NEAR(jacobian(1, 0), k2, 1e-15);
    EXPECT_NEAR(jacobian(1, 1), -r2, 1e-15);
  }
}

TEST(Analysis, SpectralRadiusBelowOneIffRichardsonCondition) {
  Rng rng(11);
  int checked = 0;
  for (int round = 0; round < 2000; ++round) {
    const double r1 = 0.5 * rng.uniform(), r2 = 0.5 * rng.uniform();
    const double k1 = 0.5 * rng.uniform(), k2 = 0.5 * rng.uniform();
    if (std::abs(k1 * k2 - r1 * r2) < 1e-9) continue;
    const Stability st = stability(Eigen::Vector2d(r1, r2), Eigen::Vector2d(k1, k2), Eigen::Matrix2d::Zero(), 0.0);
    ASSERT_EQ(st.settles, k1 * k2 < r1 * r2) << r1 << " " << r2 << " " << k1 << " " << k2;
    ++checked;
  }
  EXPECT_GT(checked, 1900);
}

TEST(Analysis, JacobianMatchesTheDriftOfTheEngine) {
  // The drift is linear in T, so a finite difference of the engine's own terms is exact up to
  // rounding. Ties with row sums above 1 exercise the max(1, sum) normalisation.
  Rng rng(5);
  const Eigen::Index n = 5;
  const Eigen::MatrixXd t = geosim::testing::random_relations(rng, n), b = geosim::testing::random_relations(rng, n);
  const Eigen::MatrixXd tie = geosim::testing::random_relations(rng, n);
  Eigen::VectorXd r(n), k(n);
  for (Eigen::Index i = 0; i < n; ++i) r(i) = 0.1 * rng.uniform(), k(i) = 0.1 * rng.uniform();
  const double sigma = 0.2;
  auto drift = [&](const Eigen::MatrixXd& x) {
    return Eigen::MatrixXd(oracle::relaxation(x, b, r) + oracle::reciprocity(x, b, k) + spillover(x, tie, sigma));
  };
  const Eigen::MatrixXd j = drift_jacobian(r, k, tie, sigma);
  const Eigen::MatrixXd base = drift(t);
  const double h = 1e-3;
  for (Eigen::Index p = 0; p < n; ++p)
    for (Eigen::Index q = 0; q < n; ++q) {
      if (p == q) continue;
      Eigen::MatrixXd moved = t;
      moved(p, q) += h;
      const Eigen::MatrixXd change = (drift(moved) - base) / h;
      const auto col = Eigen::Index(relation_index(std::size_t(p), std::size_t(q), std::size_t(n)));
      for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index jj = 0; jj < n; ++jj) {
          if (i == jj) continue;
          const auto row = Eigen::Index(relation_index(std::size_t(i), std::size_t(jj), std::size_t(n)));
          EXPECT_NEAR(j(row, col), change(i, jj), 1e-9);
        }
    }
}

TEST(Analysis, SlowestModesComeFirstWithHalfLives) {
  const Stability st =
      stability(Eigen::Vector2d(0.1, 0.1), Eigen::Vector2d(0.04, 0.04), Eigen::Matrix2d::Zero(), 0.0, 1);
  ASSERT_EQ(st.slowest.size(), 1u);
  EXPECT_NEAR(st.slowest[0].modulus, 0.94, 1e-12);  // 1 - r + k: the sum mode
  EXPECT_NEAR(st.slowest[0].half_life, std::log(0.5) / std::log(0.94), 1e-9);
  EXPECT_GE(std::abs(st.eigenvalues[0]), std::abs(st.eigenvalues[1]));
}

// ---------------------------------------------------------------- a shipped scenario

TEST(Analysis, ShippedScenarioAnalysisIsComplete) {
  LoadResult loaded = load_scenario(geosim::testing::shipped("intermediary.yaml"));
  ASSERT_TRUE(loaded.ok());
  const Scenario& s = *loaded.scenario;
  const State state = run_scenario(s, RunOptions{.seed = 1}).final_state;
  AnalysisOptions options;
  options.between = std::pair{*s.find_actor("USA"), *s.find_actor("PRK")};
  const Analysis a = analyze(s, state, options);
  const std::size_t n = s.actor_count();
  EXPECT_EQ(a.step, s.steps);
  EXPECT_EQ(a.blocs.camp.size(), n);
  EXPECT_EQ(a.brokers.size(), n);
  ASSERT_TRUE(a.channel && a.channel->found);
  EXPECT_EQ(a.channel->path.front(), *s.find_actor("USA"));
  EXPECT_EQ(a.channel->path.back(), *s.find_actor("PRK"));
  EXPECT_EQ(a.intermediaries.size(), n - 2);
  EXPECT_LE(a.channel->length, a.intermediaries.front().length + 1e-12);
  EXPECT_EQ(a.stability.eigenvalues.size(), n * (n - 1));  // few relations: the dense solver, all of them
  EXPECT_TRUE(a.stability.settles);
  EXPECT_FALSE(a.stability.persists);
  const nlohmann::json record = analysis_record(s, a);
  for (const char* key : {"blocs", "brokers", "influence", "channel", "channel_back", "intermediaries", "stability"})
    EXPECT_TRUE(record.contains(key)) << key;
  EXPECT_NE(analysis_summary(s, a).find("Channel USA -> PRK"), std::string::npos);
}

// ---------------------------------------------------------------- the shipped world's camps

TEST(Analysis, ShippedWorldSplitsIntoTheDocumentsCampsAtTheStart) {
  // The documents (scenarios/sources/001) read the region as "the United States-led bloc or
  // the China-Russia axis": the US with South Korea and Japan against North Korea with China
  // and Russia. actors.yaml sets balance_cut: mean; every shipped scenario starts that way.
  for (const char* name :
       {"baseline.yaml", "symbolic-visit.yaml", "expanded-cooperation.yaml", "intermediary.yaml", "realignment.yaml"}) {
    LoadResult loaded = load_scenario(geosim::testing::shipped(name));
    ASSERT_TRUE(loaded.ok()) << name;
    const Scenario& s = *loaded.scenario;
    // The cut is the mean symmetric start tension over the 36 pairs, worked out here directly.
    const std::size_t n = s.actor_count();
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) sum += (s.tension[i * n + j] + s.tension[j * n + i]) / 2;
    EXPECT_NEAR(s.parameters.balance_cut, sum / double(n * (n - 1) / 2), 1e-15) << name;
    Rng rng(1);
    const Blocs b = analyze(s, initial_state(s, rng)).blocs;
    auto camp = [&](const char* id) { return b.camp[*s.find_actor(id)]; };
    EXPECT_EQ(camp("USA"), camp("KOR")) << name;
    EXPECT_EQ(camp("USA"), camp("JPN")) << name;
    EXPECT_EQ(camp("PRK"), camp("CHN")) << name;
    EXPECT_EQ(camp("PRK"), camp("RUS")) << name;
    EXPECT_NE(camp("USA"), camp("PRK")) << name;
  }
}

TEST(Analysis, ShippedWorldsCampsDoNotHangOnTheExactCut) {
  // The same two camps for every cut from 0.26 to 0.40; at the scale's middle (0.5) only five
  // pairs are hostile and one camp holds everyone.
  LoadResult loaded = load_scenario(geosim::testing::shipped("baseline.yaml"));
  ASSERT_TRUE(loaded.ok());
  const Scenario& s = *loaded.scenario;
  Rng rng(1);
  const State start = initial_state(s, rng);
  const std::vector<int> expected = find_blocs(start.tension, BalanceOptions{.cut = s.parameters.balance_cut}).camp;
  for (int c = 26; c <= 40; ++c)
    EXPECT_EQ(find_blocs(start.tension, BalanceOptions{.cut = c / 100.0}).camp, expected) << c;
  const Blocs middle = find_blocs(start.tension, BalanceOptions{.cut = 0.5});
  EXPECT_EQ(middle.hostile, 5u);
  EXPECT_EQ(std::count(middle.camp.begin(), middle.camp.end(), 1), 0);
}
