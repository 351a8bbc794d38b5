// analysis_summary(): the readable terminal sections of `geosim analyze`.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "geosim/io/escape.hpp"
#include "geosim/report/analysis_report.hpp"
#include "geosim/report/report.hpp"
#include "text_bars.hpp"

namespace geosim {
namespace {

constexpr std::size_t kMaxListed = 8;       ///< rows listed before "... and N more"
constexpr std::size_t kMaxCampNames = 24;   ///< ids named in a camp's line before "and N more"
constexpr std::size_t kMaxRankedRows = 20;  ///< actors of a ranking listed before "... and N more"

const std::string& id(const Scenario& s, std::size_t i) { return s.actors[i].id; }

std::string more(std::size_t total) {
  return total > kMaxListed ? fmt::format("    ... and {} more (see --json)\n", total - kMaxListed) : "";
}

std::string blocs_section(const Scenario& s, const Blocs& b) {
  std::string out =
      fmt::format("Blocs: two camps with the fewest unbalanced relations (friendly = mean tension < {:.3g})\n", b.cut);
  for (int c = 0; c < 2; ++c) {
    std::string names;
    std::size_t members = 0;
    for (std::size_t a = 0; a < b.camp.size(); ++a)
      if (b.camp[a] == c && ++members <= kMaxCampNames) names += (names.empty() ? "" : ", ") + id(s, a);
    if (members > kMaxCampNames) names += fmt::format(" and {} more (see --json)", members - kMaxCampNames);
    out += fmt::format("  camp {}{}: {}\n", c + 1, members > kMaxCampNames ? fmt::format(" ({})", members) : "",
                       names.empty() ? "(empty)" : names);
  }
  if (std::count(b.camp.begin(), b.camp.end(), 1) == 0)
    out += "  (one camp holds everyone: that split leaves fewest relations unbalanced)\n";
  const std::size_t n = b.camp.size(), pairs = n * (n > 0 ? n - 1 : 0) / 2;
  out += fmt::format("  unbalanced relations: {} of {} (frustration {:.3f}; {} over {} splits)\n", b.unbalanced.size(),
                     b.relations, b.frustration, b.exhaustive ? "exhaustive" : "greedy local search", b.splits_tried);
  if (b.relations < pairs)
    out += fmt::format("  ({} of the {} pairs have no relation: neither friendly nor hostile)\n", pairs - b.relations,
                       pairs);
  for (std::size_t k = 0; k < b.unbalanced.size() && k < kMaxListed; ++k) {
    const auto [a, c] = b.unbalanced[k];
    const double t = b.symmetric(Eigen::Index(a), Eigen::Index(c));
    out += fmt::format("    {:<13} {:.3f}  {}\n", id(s, a) + "-" + id(s, c), t,
                       b.camp[a] == b.camp[c] ? "hostile, same camp" : "friendly, across camps");
  }
  out += more(b.unbalanced.size());
  out += fmt::format("  unbalanced triads (odd number of hostile relations): {} of {}\n", b.unbalanced_triads.size(),
                     b.triads);
  for (std::size_t k = 0; k < b.unbalanced_triads.size() && k < kMaxListed; ++k) {
    const Triad& t = b.unbalanced_triads[k];
    out += fmt::format("    {}, {}, {}  ({} hostile)\n", id(s, t.actors[0]), id(s, t.actors[1]), id(s, t.actors[2]),
                       t.hostile);
  }
  return out + more(b.unbalanced_triads.size());
}

/// One row per actor, highest score first, with a bar scaled to the highest.
/// The scores, highest first, with a bar each; as many decimals as show the highest.
std::string ranking(const Scenario& s, const std::vector<double>& score) {
  std::vector<std::size_t> order(score.size());
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  const double top = score.empty() ? 0.0 : score[order.front()];
  const int decimals = detail::decimals_for(top);
  std::string out;
  for (std::size_t k = 0; k < order.size() && k < kMaxRankedRows; ++k)
    out += fmt::format("  {:<6} {:.{}f}  {}\n", id(s, order[k]), score[order[k]], decimals,
                       detail::bar(score[order[k]], top, 30));
  if (order.size() > kMaxRankedRows)
    out += fmt::format("  ... and {} more (see --json)\n", order.size() - kMaxRankedRows);
  return out;
}

std::string path_text(const Scenario& s, const Channel& c);

std::string channel_section(const Scenario& s, const Channel& c) {
  std::string out =
      fmt::format("Channel {} -> {}: the route most likely to carry a message (length -log(1 - tension))\n",
                  id(s, c.from), id(s, c.to));
  if (!c.found) return out + "  no route\n";
  out +=
      fmt::format("  {}   length {:.3f}, passes with chance {:.1f}%\n", path_text(s, c), c.length, 100.0 * c.passage);
  for (std::size_t h = 0; h < c.hop_tension.size(); ++h)
    out += fmt::format("    {:<6} -> {:<6} tension {:.3f}\n", id(s, c.path[h]), id(s, c.path[h + 1]), c.hop_tension[h]);
  if (c.direct_tension && c.path.size() > 2)
    out += fmt::format("  direct {} -> {}: tension {:.3f}, length {:.3f}, chance {:.1f}%\n", id(s, c.from), id(s, c.to),
                       *c.direct_tension, relation_length(*c.direct_tension), 100.0 * (1.0 - *c.direct_tension));
  return out;
}

std::string path_text(const Scenario& s, const Channel& c) {
  std::string path;
  for (std::size_t v : c.path) path += (path.empty() ? "" : " -> ") + id(s, v);
  return path;
}

/// Each other actor as intermediary: the best route through it.
std::string intermediaries_section(const Scenario& s, const std::vector<Channel>& routes) {
  if (routes.empty()) return "";
  std::string out =
      fmt::format("  best route through each other actor ({} -> {}):\n", id(s, routes[0].from), id(s, routes[0].to));
  std::size_t listed = 0, found = 0;
  for (const Channel& c : routes)
    if (c.found && ++found <= kMaxRankedRows) {
      out += fmt::format("    via {:<6} {:<34} length {:.3f}, chance {:5.1f}%\n", c.via ? id(s, *c.via) : "",
                         path_text(s, c), c.length, 100.0 * c.passage);
      ++listed;
    }
  if (found > listed) out += fmt::format("    ... and {} more (see --json)\n", found - listed);
  return out;
}

std::string stability_section(const Scenario& s, const Stability& st) {
  const std::size_t n = s.actor_count();
  std::size_t relations = 0;  // the directed relations the Jacobian covers: absent pairs have none
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) relations += i != j && s.has_relation(i, j) ? 1 : 0;
  std::string out = fmt::format(
      "Stability of the drift: eigenvalues of I + J over the {} relation{} "
      "(relaxation, reciprocity, spillover; no noise, no bounds)\n",
      relations, relations == 1 ? "" : "s");
  if (st.eigenvalues.empty()) return out + "  no relations\n";
  out += fmt::format("  spectral radius {:.4f}: {}{}\n", st.spectral_radius,
                     st.settles    ? "settles (a disturbance fades back to the fixed point)"
                     : st.persists ? "persists (a disturbance neither fades nor grows)"
                                   : "spirals (a disturbance grows until tensions hit the bounds)",
                     st.converged ? "" : " [the iterative eigensolver did not converge: approximate]");
  out += "  slowest modes:\n";
  for (const StabilityMode& m : st.slowest) {
    const std::string value =
        std::abs(m.eigenvalue.imag()) > 1e-12
            ? fmt::format("{:.4f} ± {:.4f}i, |λ| {:.4f}", m.eigenvalue.real(), m.eigenvalue.imag(), m.modulus)
            : fmt::format("{:.4f}", m.eigenvalue.real());
    std::string relations;
    for (auto [i, j] : m.relations) relations += (relations.empty() ? "" : ", ") + id(s, i) + "->" + id(s, j);
    const std::string pace =
        std::abs(m.modulus - 1.0) <= kNeutralModulus
            ? fmt::format("{:<23}", "persists")
            : fmt::format("{} {:>6.1f} steps", m.modulus < 1.0 ? "halves in " : "doubles in", m.half_life);
    out += fmt::format("    λ = {:<30} {}, mostly {}\n", value, pace, relations);
  }
  return out;
}

}  // namespace

std::string analysis_summary(const Scenario& scenario, const Analysis& a) {
  std::string policies;
  for (const auto& p : scenario.policies) policies += (policies.empty() ? ", policies: " : ", ") + terminal_text(p);
  std::string out = fmt::format(
      "{}\nAnalysis at step {} ({}){}{}\n\n", terminal_text(scenario.title.empty() ? scenario.id : scenario.title),
      a.step, format_date(scenario.date_of_step(a.step)), policies, settings_clause(scenario.settings));
  out += blocs_section(scenario, a.blocs) + "\n";
  out += "Brokers: betweenness, the share of lowest-tension routes between other actors through each\n";
  out += ranking(scenario, a.brokers) + "\n";
  out += fmt::format("Influence: eigenvector centrality of the ties (who shapes those who shape others), sums to 1{}\n",
                     a.influence.converged ? "" : " [power iteration did not converge]");
  out += ranking(scenario, a.influence.score) + "\n";
  if (a.channel) out += channel_section(scenario, *a.channel) + intermediaries_section(scenario, a.intermediaries);
  if (a.channel_back) out += channel_section(scenario, *a.channel_back) + "\n";
  return out + stability_section(scenario, a.stability);
}

}  // namespace geosim
