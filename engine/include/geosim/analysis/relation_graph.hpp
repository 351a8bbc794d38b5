#pragma once
/// \file
/// The relation graph: actors as vertices, directed relations as weighted edges. The simulation
/// does its arithmetic on Eigen matrices; this graph mirrors them for graph algorithms, reports and
/// exports. It is a plain struct of the project's own types: the graph algorithms (Boost.Graph)
/// stay inside the analysis layer's sources.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "geosim/core/scenario.hpp"
#include "geosim/core/state.hpp"

namespace geosim {

struct ActorVertex {
  std::string id;    ///< actor id, e.g. "VNM"
  std::string name;  ///< display name
};

struct RelationEdge {
  std::size_t from = 0;   ///< actor index of the source
  std::size_t to = 0;     ///< actor index of the target
  double tension = 0.0;   ///< in [0,1]
  double baseline = 0.0;  ///< in [0,1]
  double tie = 0.0;       ///< in [0,1]
};

/// Vertices by actor index; edges in the order they were added (build_relation_graph: by source,
/// then by target). At most one edge per ordered pair is expected.
struct RelationGraph {
  std::vector<ActorVertex> actors;
  std::vector<RelationEdge> edges;

  /// A graph of `n` unnamed vertices and no edges.
  static RelationGraph with_vertices(std::size_t n);
  std::size_t vertex_count() const { return actors.size(); }
  /// Adds the edge from -> to; returns its position in `edges`.
  std::size_t add_edge(std::size_t from, std::size_t to, double tension, double baseline = 0.0, double tie = 0.0);
  /// The first edge from -> to, if there is one.
  std::optional<RelationEdge> edge(std::size_t from, std::size_t to) const;
};

/// The graph of a state: one vertex per actor (same index), one edge per ordered pair.
RelationGraph build_relation_graph(const Scenario& scenario, const State& state);

/// The actors with the strongest ties from `actor`, strongest first (at most `limit`).
std::vector<std::size_t> strongest_partners(const RelationGraph& graph, std::size_t actor, std::size_t limit);

}  // namespace geosim
