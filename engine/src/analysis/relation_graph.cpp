#include "geosim/analysis/relation_graph.hpp"

#include <algorithm>

namespace geosim {

RelationGraph RelationGraph::with_vertices(std::size_t n) {
  RelationGraph graph;
  graph.actors.resize(n);
  return graph;
}

std::size_t RelationGraph::add_edge(std::size_t from, std::size_t to, double tension, double baseline, double tie) {
  edges.push_back(RelationEdge{from, to, tension, baseline, tie});
  return edges.size() - 1;
}

std::optional<RelationEdge> RelationGraph::edge(std::size_t from, std::size_t to) const {
  for (const RelationEdge& e : edges)
    if (e.from == from && e.to == to) return e;
  return std::nullopt;
}

RelationGraph build_relation_graph(const Scenario& scenario, const State& state) {
  const std::size_t n = scenario.actor_count();
  RelationGraph graph = RelationGraph::with_vertices(n);
  for (std::size_t i = 0; i < n; ++i) graph.actors[i] = {scenario.actors[i].id, scenario.actors[i].name};
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j || !scenario.has_relation(i, j)) continue;  // a pair without a relation: no edge
      const auto a = Eigen::Index(i), b = Eigen::Index(j);
      graph.add_edge(i, j, state.tension(a, b), state.baseline(a, b), state.tie(a, b));
    }
  return graph;
}

std::vector<std::size_t> strongest_partners(const RelationGraph& graph, std::size_t actor, std::size_t limit) {
  std::vector<std::pair<double, std::size_t>> ties;
  for (const RelationEdge& e : graph.edges)
    if (e.from == actor && e.tie > 0.0) ties.emplace_back(e.tie, e.to);
  // Stable order: strongest first, then by index.
  std::sort(ties.begin(), ties.end(),
            [](const auto& x, const auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
  std::vector<std::size_t> partners;
  for (std::size_t k = 0; k < ties.size() && k < limit; ++k) partners.push_back(ties[k].second);
  return partners;
}

}  // namespace geosim
