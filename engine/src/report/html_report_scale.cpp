// The HTML report at scale: above kBlocViewActors actors, the tension matrices and the network
// show the regional blocs (the scenario's organisations) instead of every actor, so that a page
// of 200 states stays readable (docs/scale.md).
#include <algorithm>
#include <cmath>
#include <limits>

#include "geosim/io/escape.hpp"
#include "geosim/report/export.hpp"
#include "html_report_page.hpp"

namespace geosim::html_page {

MatrixView matrix_view(const Page& p) {
  MatrixView v;
  const std::size_t n = p.n;
  std::vector<std::size_t> group(n, std::size_t(-1));
  if (n > kBlocViewActors) {
    v.blocs = true;
    // Each organisation with members is a bloc of itself and its members; an actor in several
    // belongs to the first; actors in none make one more group.
    for (std::size_t a = 0; a < n; ++a) {
      const Actor& actor = p.s.actors[a];
      if (actor.kind != ActorKind::organization || actor.members.empty()) continue;
      const std::size_t g = v.ids.size();
      v.ids.push_back(actor.id);
      v.names.push_back(p.name(a));
      v.sizes.push_back(0);
      if (group[a] == std::size_t(-1)) group[a] = g;
      for (std::size_t m : actor.members)
        if (group[m] == std::size_t(-1)) group[m] = g;
    }
    bool others = false;
    for (std::size_t a = 0; a < n; ++a) others = others || group[a] == std::size_t(-1);
    if (others) {
      for (std::size_t a = 0; a < n; ++a)
        if (group[a] == std::size_t(-1)) group[a] = v.ids.size();
      v.ids.push_back("OTHERS");
      v.names.push_back("in no bloc");
      v.sizes.push_back(0);
    }
    for (std::size_t a = 0; a < n; ++a) ++v.sizes[group[a]];
  } else {
    for (std::size_t a = 0; a < n; ++a) {
      group[a] = a;
      v.ids.push_back(p.id(a));
      v.names.push_back(p.name(a));
      v.sizes.push_back(1);
    }
  }
  const std::size_t m = v.ids.size();
  const double none = std::numeric_limits<double>::quiet_NaN();
  auto mean_of = [&](std::size_t k, std::vector<double>& out, const Eigen::MatrixXd* matrix) {
    std::vector<double> sum(m * m, 0.0), count(m * m, 0.0);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        if (i == j || !p.s.has_relation(i, j)) continue;
        const double value = matrix ? (*matrix)(Eigen::Index(i), Eigen::Index(j)) : p.tension(k, i, j);
        sum[group[i] * m + group[j]] += value;
        count[group[i] * m + group[j]] += 1.0;
      }
    out.assign(m * m, none);
    for (std::size_t c = 0; c < m * m; ++c)
      if (count[c] > 0) out[c] = sum[c] / count[c];
  };
  if (p.points > 0) {
    mean_of(0, v.first, nullptr);
    mean_of(p.points - 1, v.last, nullptr);
  }
  mean_of(0, v.tie, &p.d.run.final_state.tie);
  return v;
}

std::string network_label(const std::string& name) {
  auto chars = [](std::string_view text) {  // code points: the bytes that do not continue one
    return std::size_t(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  };
  std::string out, line;
  std::size_t at = 0;
  while (at < name.size()) {
    const std::size_t space = std::min(name.find(' ', at), name.size());
    const std::string_view word(name.data() + at, space - at);
    at = space + 1;
    if (word.empty()) continue;
    if (!line.empty() && chars(line) + 1 + chars(word) > kNetworkLineChars) {
      out += (out.empty() ? "" : "\n") + line;
      line.clear();
    }
    line += (line.empty() ? "" : " ") + std::string(word);
  }
  return out.empty() ? line : out + "\n" + line;
}

std::string bloc_dot(const MatrixView& v) {
  std::string dot = "digraph G {\n";
  for (std::size_t g = 0; g < v.ids.size(); ++g)
    dot += fmt::format("{} [label={}];\n", dot_quoted(v.ids[g]),
                       dot_quoted(network_label(fmt::format("{} ({})", v.names[g], v.sizes[g]))));
  const std::size_t m = v.ids.size();
  for (std::size_t a = 0; a < m; ++a)
    for (std::size_t b = 0; b < m; ++b) {
      if (a == b || v.last.empty() || std::isnan(v.last[a * m + b])) continue;
      const double t = v.last[a * m + b], w = v.tie[a * m + b];
      dot += fmt::format(
          "{}->{} [color=\"{}\", penwidth={:.2f}, tooltip={}];\n", dot_quoted(v.ids[a]), dot_quoted(v.ids[b]),
          tension_colour(t), 1.5 + 3.0 * std::min(1.0, 10.0 * w),
          dot_quoted(fmt::format("{} -> {}: mean tension {:.3f}, mean tie {:.3f}", v.ids[a], v.ids[b], t, w)));
    }
  return dot + "}\n";
}

}  // namespace geosim::html_page
