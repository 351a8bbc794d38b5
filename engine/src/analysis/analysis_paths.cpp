// Brokers and channels: shortest paths on the relation graph, edge length growing with tension.
#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/property_map/transform_value_property_map.hpp>
#include <cmath>
#include <optional>

#include "geosim/analysis/analysis.hpp"

namespace geosim {
namespace {

constexpr double kHopCost = 1e-6;            ///< no hop is free, so ties go to fewer hops
constexpr double kMaxTension = 1.0 - 1e-12;  ///< keeps -log(1 - T) finite

/// The Boost.Graph view of a relation graph, private to the analysis layer: the same vertices,
/// each vertex's out-edges in the order of `graph.edges`.
struct TensionEdge {
  double tension = 0.0;
};
using BoostGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property, TensionEdge>;

/// `avoid`: a vertex whose edges are left out (a route's leg that must not pass it).
BoostGraph boost_graph(const RelationGraph& graph, std::optional<std::size_t> avoid = std::nullopt) {
  BoostGraph g(graph.vertex_count());
  for (const RelationEdge& e : graph.edges)
    if (!avoid || (e.from != *avoid && e.to != *avoid)) boost::add_edge(e.from, e.to, TensionEdge{e.tension}, g);
  return g;
}

auto length_map(const BoostGraph& graph) {
  return boost::make_transform_value_property_map([](double t) { return relation_length(t); },
                                                  boost::get(&TensionEdge::tension, graph));
}

/// Each hop's tension along the channel's path, and the chance a message passes them all.
void add_hops(const RelationGraph& graph, Channel& channel) {
  channel.passage = 1.0;
  for (std::size_t h = 0; h + 1 < channel.path.size(); ++h) {
    const auto edge = graph.edge(channel.path[h], channel.path[h + 1]);
    const double t = edge ? edge->tension : 1.0;
    channel.hop_tension.push_back(t);
    channel.passage *= 1.0 - t;
  }
}

}  // namespace

double relation_length(double tension) { return -std::log1p(-std::clamp(tension, 0.0, kMaxTension)) + kHopCost; }

std::vector<double> betweenness(const RelationGraph& relations) {
  const std::size_t n = relations.vertex_count();
  std::vector<double> centrality(n, 0.0);
  if (n < 3) return centrality;
  const BoostGraph graph = boost_graph(relations);
  auto map = boost::make_iterator_property_map(centrality.begin(), boost::get(boost::vertex_index, graph));
  boost::brandes_betweenness_centrality(graph, boost::centrality_map(map).weight_map(length_map(graph)));
  // On a directed graph Boost counts every ordered pair once; there are (n-1)(n-2) of them.
  // (boost::relative_betweenness_centrality uses the undirected factor 2/((n-1)(n-2)).)
  const double pairs = double(n - 1) * double(n - 2);
  for (double& c : centrality) c /= pairs;
  return centrality;
}

namespace {

/// find_channel on the graph without `avoid`'s edges.
Channel shortest(const RelationGraph& relations, std::size_t from, std::size_t to, std::optional<std::size_t> avoid) {
  const std::size_t n = relations.vertex_count();
  Channel channel{from, to, false, {}, {}, 0.0, 0.0, std::nullopt, std::nullopt};
  if (from >= n || to >= n) return channel;
  if (const auto direct = relations.edge(from, to)) channel.direct_tension = direct->tension;
  const BoostGraph graph = boost_graph(relations, avoid);
  std::vector<std::size_t> previous(n);
  std::vector<double> distance(n);
  const auto index = boost::get(boost::vertex_index, graph);
  boost::dijkstra_shortest_paths(graph, from,
                                 boost::predecessor_map(boost::make_iterator_property_map(previous.begin(), index))
                                     .distance_map(boost::make_iterator_property_map(distance.begin(), index))
                                     .weight_map(length_map(graph)));
  // Boost marks an unreached vertex with distance max() and itself as predecessor.
  if (to != from && previous[to] == to) return channel;
  for (std::size_t v = to; v != from && channel.path.size() < n; v = previous[v]) channel.path.push_back(v);
  channel.path.push_back(from);
  std::reverse(channel.path.begin(), channel.path.end());
  channel.found = true;
  channel.length = distance[to];
  add_hops(relations, channel);
  return channel;
}

}  // namespace

Channel find_channel(const RelationGraph& relations, std::size_t from, std::size_t to) {
  return shortest(relations, from, to, std::nullopt);
}

Channel find_channel_via(const RelationGraph& graph, std::size_t from, std::size_t via, std::size_t to) {
  // Neither leg passes the other end: a route "through m" that reached B before m (A -> B -> m ->
  // B) or came back through A is no route through m.
  Channel first = shortest(graph, from, via, to);
  const Channel second = shortest(graph, via, to, from);
  const Channel direct = find_channel(graph, from, to);
  Channel route{from, to, first.found && second.found, {}, {}, 0.0, 0.0, direct.direct_tension, via};
  if (!route.found) return route;
  route.path = std::move(first.path);
  route.path.insert(route.path.end(), second.path.begin() + 1, second.path.end());
  route.hop_tension = std::move(first.hop_tension);
  route.hop_tension.insert(route.hop_tension.end(), second.hop_tension.begin(), second.hop_tension.end());
  route.length = first.length + second.length;
  route.passage = first.passage * second.passage;
  return route;
}

}  // namespace geosim
