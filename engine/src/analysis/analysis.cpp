// analyze(): every measure of one state.
#include "geosim/analysis/analysis.hpp"

#include <algorithm>

namespace geosim {
namespace {

std::vector<Channel> intermediaries(const RelationGraph& graph, std::size_t from, std::size_t to) {
  std::vector<Channel> routes;
  for (std::size_t via = 0; via < graph.vertex_count(); ++via)
    if (via != from && via != to) routes.push_back(find_channel_via(graph, from, via, to));
  std::stable_sort(routes.begin(), routes.end(), [](const Channel& a, const Channel& b) {
    return a.found != b.found ? a.found : a.length < b.length;
  });
  return routes;
}

}  // namespace

Analysis analyze(const Scenario& scenario, const State& state, const AnalysisOptions& options) {
  Analysis analysis;
  analysis.step = state.step;
  BalanceOptions balance = options.balance;
  if (!balance.cut) balance.cut = scenario.parameters.balance_cut;
  analysis.blocs = find_blocs(state.tension, balance, scenario.absent);
  const RelationGraph graph = build_relation_graph(scenario, state);
  analysis.brokers = betweenness(graph);
  analysis.influence = influence(state.tie);
  if (options.between) {
    analysis.channel = find_channel(graph, options.between->first, options.between->second);
    analysis.channel_back = find_channel(graph, options.between->second, options.between->first);
    analysis.intermediaries = intermediaries(graph, options.between->first, options.between->second);
  }
  if (!options.stability) return analysis;
  const auto n = Eigen::Index(scenario.actor_count());
  Eigen::VectorXd restraint(n), reactivity(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    restraint(i) = scenario.actors[std::size_t(i)].restraint;
    reactivity(i) = scenario.actors[std::size_t(i)].reactivity;
  }
  analysis.stability = stability(restraint, reactivity, state.tie, scenario.parameters.spillover, options.slowest_modes,
                                 scenario.absent);
  return analysis;
}

}  // namespace geosim
