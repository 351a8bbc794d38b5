#include "geosim/relation_graph.hpp"

#include <algorithm>

namespace geosim {

RelationGraph build_relation_graph(const Scenario& scenario, const State& state) {
  const std::size_t n = scenario.actor_count();
  RelationGraph graph(n);
  for (std::size_t i = 0; i < n; ++i) {
    graph[i].id = scenario.actors[i].id;
    graph[i].name = scenario.actors[i].name;
  }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j || !scenario.has_relation(i, j)) continue;  // a pair without a relation: no edge
      const auto a = Eigen::Index(i), b = Eigen::Index(j);
      boost::add_edge(i, j, RelationEdge{state.tension(a, b), state.baseline(a, b), state.tie(a, b)},
                      graph);
    }
  return graph;
}

std::vector<std::size_t> strongest_partners(const RelationGraph& graph, std::size_t actor,
                                            std::size_t limit) {
  std::vector<std::pair<double, std::size_t>> ties;
  for (auto [it, end] = boost::out_edges(actor, graph); it != end; ++it)
    if (graph[*it].tie > 0.0) ties.emplace_back(graph[*it].tie, boost::target(*it, graph));
  // Stable order: strongest first, then by index.
  std::sort(ties.begin(), ties.end(),
            [](const auto& x, const auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
  std::vector<std::size_t> partners;
  for (std::size_t k = 0; k < ties.size() && k < limit; ++k) partners.push_back(ties[k].second);
  return partners;
}

}  // namespace geosim
