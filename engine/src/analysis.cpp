// analyze(): every measure of one state, and its JSON record.
#include "geosim/analysis.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "geosim/date.hpp"

namespace geosim {
namespace {

using nlohmann::json;

std::string actor_id(const Scenario& s, std::size_t i) { return s.actors[i].id; }

std::string relation_label(const Scenario& s, std::size_t i, std::size_t j) {
  return actor_id(s, i) + "->" + actor_id(s, j);
}

json blocs_record(const Scenario& s, const Blocs& b) {
  json camps = json::array({json::array(), json::array()});
  for (std::size_t a = 0; a < b.camp.size(); ++a) camps[std::size_t(b.camp[a])].push_back(actor_id(s, a));
  json unbalanced = json::array();
  for (auto [a, c] : b.unbalanced)
    unbalanced.push_back({{"between", {actor_id(s, a), actor_id(s, c)}},
                          {"tension", b.symmetric(Eigen::Index(a), Eigen::Index(c))},
                          {"same_camp", b.camp[a] == b.camp[c]}});
  json triads = json::array();
  for (const Triad& t : b.unbalanced_triads)
    triads.push_back({{"actors", {actor_id(s, t.actors[0]), actor_id(s, t.actors[1]), actor_id(s, t.actors[2])}},
                      {"hostile", t.hostile}});
  return {{"camps", camps},           {"frustration", b.frustration},        {"exhaustive", b.exhaustive},
          {"splits_tried", b.splits_tried}, {"unbalanced", unbalanced}, {"unbalanced_triads", triads},
          {"triads", b.triads},     {"cut", b.cut},
          {"relations", b.relations}, {"hostile", b.hostile}};
}

json channel_record(const Scenario& s, const std::optional<Channel>& c) {
  if (!c) return nullptr;
  json path = json::array(), hops = json::array();
  for (std::size_t v : c->path) path.push_back(actor_id(s, v));
  for (double t : c->hop_tension) hops.push_back(t);
  return {{"from", actor_id(s, c->from)}, {"to", actor_id(s, c->to)},   {"found", c->found},
          {"path", path},                 {"hop_tension", hops},        {"length", c->length},
          {"passage", c->passage},
          {"via", c->via ? json(actor_id(s, *c->via)) : json(nullptr)},
          {"direct_tension", c->direct_tension ? json(*c->direct_tension) : json(nullptr)}};
}

json intermediaries_record(const Scenario& s, const std::vector<Channel>& routes) {
  json out = json::array();
  for (const Channel& c : routes) out.push_back(channel_record(s, c));
  return out;
}

json stability_record(const Scenario& s, const Stability& st) {
  const std::size_t n = s.actor_count();
  json relations = json::array(), values = json::array(), slowest = json::array();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j) relations.push_back(relation_label(s, i, j));
  for (const auto& v : st.eigenvalues) values.push_back({v.real(), v.imag()});
  for (const StabilityMode& m : st.slowest) {
    json rel = json::array();
    for (auto [i, j] : m.relations) rel.push_back(relation_label(s, i, j));
    slowest.push_back({{"eigenvalue", {m.eigenvalue.real(), m.eigenvalue.imag()}},
                       {"modulus", m.modulus}, {"half_life", m.half_life}, {"relations", rel}});
  }
  return {{"spectral_radius", st.spectral_radius}, {"settles", st.settles}, {"persists", st.persists},
          {"converged", st.converged}, {"eigenvalues", values}, {"slowest", slowest}, {"relations", relations}};
}

std::vector<Channel> intermediaries(const RelationGraph& graph, std::size_t from, std::size_t to) {
  std::vector<Channel> routes;
  for (std::size_t via = 0; via < boost::num_vertices(graph); ++via)
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
  analysis.stability =
      stability(restraint, reactivity, state.tie, scenario.parameters.spillover, options.slowest_modes, scenario.absent);
  return analysis;
}

json analysis_record(const Scenario& scenario, const Analysis& a) {
  json brokers = json::object(), influence = json::object();
  for (std::size_t i = 0; i < scenario.actor_count(); ++i) {
    brokers[actor_id(scenario, i)] = a.brokers[i];
    influence[actor_id(scenario, i)] = a.influence.score[i];
  }
  return {{"scenario", scenario.id},
          {"title", scenario.title},
          {"step", a.step},
          {"date", format_date(scenario.date_of_step(a.step))},
          {"policies", scenario.policies},
          {"conventions",
           {{"friendly", fmt::format("(T_ij + T_ji) / 2 < {:.3g} (the cut; blocs.cut)", a.blocs.cut)},
            {"length", "-log(1 - T_ij) + 1e-6"},
            {"betweenness", "directed, share of ordered pairs: Boost's value / ((n-1)(n-2))"},
            {"influence", "dominant eigenvector of W^T (power iteration on I + W^T), sums to 1"},
            {"stability", "eigenvalues of I + J, J = d(relaxation + reciprocity + spillover)/dT"}}},
          {"blocs", blocs_record(scenario, a.blocs)},
          {"brokers", brokers},
          {"influence",
           {{"scores", influence}, {"eigenvalue", a.influence.eigenvalue},
            {"converged", a.influence.converged}, {"iterations", a.influence.iterations}}},
          {"channel", channel_record(scenario, a.channel)},
          {"channel_back", channel_record(scenario, a.channel_back)},
          {"intermediaries", intermediaries_record(scenario, a.intermediaries)},
          {"stability", stability_record(scenario, a.stability)}};
}

}  // namespace geosim
