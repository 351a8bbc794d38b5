// analysis_record(): the JSON record of `geosim analyze --json`.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "geosim/core/date.hpp"
#include "geosim/report/analysis_report.hpp"

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
  return {{"camps", camps},
          {"frustration", b.frustration},
          {"exhaustive", b.exhaustive},
          {"splits_tried", b.splits_tried},
          {"unbalanced", unbalanced},
          {"unbalanced_triads", triads},
          {"triads", b.triads},
          {"cut", b.cut},
          {"relations", b.relations},
          {"hostile", b.hostile}};
}

json channel_record(const Scenario& s, const std::optional<Channel>& c) {
  if (!c) return nullptr;
  json path = json::array(), hops = json::array();
  for (std::size_t v : c->path) path.push_back(actor_id(s, v));
  for (double t : c->hop_tension) hops.push_back(t);
  return {{"from", actor_id(s, c->from)},
          {"to", actor_id(s, c->to)},
          {"found", c->found},
          {"path", path},
          {"hop_tension", hops},
          {"length", c->length},
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
      if (i != j && s.has_relation(i, j)) relations.push_back(relation_label(s, i, j));  // the Jacobian's
  for (const auto& v : st.eigenvalues) values.push_back({v.real(), v.imag()});
  for (const StabilityMode& m : st.slowest) {
    json rel = json::array();
    for (auto [i, j] : m.relations) rel.push_back(relation_label(s, i, j));
    slowest.push_back({{"eigenvalue", {m.eigenvalue.real(), m.eigenvalue.imag()}},
                       {"modulus", m.modulus},
                       {"half_life", m.half_life},
                       {"relations", rel}});
  }
  return {{"spectral_radius", st.spectral_radius},
          {"settles", st.settles},
          {"persists", st.persists},
          {"converged", st.converged},
          {"eigenvalues", values},
          {"slowest", slowest},
          {"relations", relations}};
}

}  // namespace

nlohmann::json analysis_record(const Scenario& scenario, const Analysis& a) {
  json brokers = json::object(), influence = json::object();
  for (std::size_t i = 0; i < scenario.actor_count(); ++i) {
    brokers[actor_id(scenario, i)] = a.brokers[i];
    influence[actor_id(scenario, i)] = a.influence.score[i];
  }
  json record = {{"scenario", scenario.id},
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
                  {{"scores", influence},
                   {"eigenvalue", a.influence.eigenvalue},
                   {"converged", a.influence.converged},
                   {"iterations", a.influence.iterations}}},
                 {"channel", channel_record(scenario, a.channel)},
                 {"channel_back", channel_record(scenario, a.channel_back)},
                 {"intermediaries", intermediaries_record(scenario, a.intermediaries)},
                 {"stability", stability_record(scenario, a.stability)}};
  if (!scenario.settings.empty()) record["settings"] = scenario.settings;  // --set NAME=VALUE, as in run.json
  return record;
}

}  // namespace geosim
