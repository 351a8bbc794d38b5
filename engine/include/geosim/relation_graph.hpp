#pragma once
/// \file
/// The relation graph: actors as vertices, directed relations as weighted edges (Boost.Graph).
/// The simulation does its arithmetic on Eigen matrices; this graph mirrors them for graph
/// algorithms, reports and exports.

#include <boost/graph/adjacency_list.hpp>
#include <string>

#include "geosim/scenario.hpp"
#include "geosim/state.hpp"

namespace geosim {

struct ActorVertex {
  std::string id;
  std::string name;
};

struct RelationEdge {
  double tension = 0.0;   ///< in [0,1]
  double baseline = 0.0;  ///< in [0,1]
  double tie = 0.0;       ///< in [0,1]
};

using RelationGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                            ActorVertex, RelationEdge>;

/// The graph of a state: one vertex per actor (same index), one edge per ordered pair.
RelationGraph build_relation_graph(const Scenario& scenario, const State& state);

/// The actors with the strongest ties from `actor`, strongest first (at most `limit`).
std::vector<std::size_t> strongest_partners(const RelationGraph& graph, std::size_t actor,
                                            std::size_t limit);

}  // namespace geosim
