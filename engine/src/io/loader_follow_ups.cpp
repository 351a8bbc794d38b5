// The loader's checks that follow-ups cannot multiply without end: self-reinforcing cycles
// (at any delay) and fan-outs within one step beyond the step's limit.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "geosim/core/state.hpp"
#include "scenario_builder.hpp"

namespace geosim::detail {
namespace {

/// Expected follow-up graph: weight(e -> f) = sum over e's follow-ups to f of
/// P(follow-up scheduled) * P(f fires when due). Conditions count as always true (the worst case).
struct Edge {
  std::size_t to;
  double weight;
  bool same_step;  ///< only delay-0 follow-ups count towards it
};

std::vector<std::vector<Edge>> expected_graph(const Scenario& s, bool same_step_only) {
  std::vector<std::vector<Edge>> out(s.events.size());
  for (std::size_t e = 0; e < s.events.size(); ++e) {
    std::map<std::size_t, double> weights;
    for (const FollowUp& f : s.events[e].follow_ups)
      if (!same_step_only || f.delay == 0) weights[f.event] += f.probability * s.events[f.event].probability;
    for (auto [to, w] : weights)
      if (w > 0.0) out[e].push_back({to, w, same_step_only});
  }
  return out;
}

/// Strongly connected components (Tarjan, iterative: no recursion on untrusted depth).
std::vector<std::vector<std::size_t>> components(const std::vector<std::vector<Edge>>& g) {
  const std::size_t n = g.size(), none = std::size_t(-1);
  std::vector<std::size_t> index(n, none), low(n, 0), stack;
  std::vector<bool> on_stack(n, false);
  std::vector<std::vector<std::size_t>> out;
  std::size_t counter = 0;
  std::vector<std::pair<std::size_t, std::size_t>> frames;  // (node, next edge)
  for (std::size_t root = 0; root < n; ++root) {
    if (index[root] != none) continue;
    frames.push_back({root, 0});
    while (!frames.empty()) {
      auto& [v, k] = frames.back();
      if (k == 0 && index[v] == none) {
        index[v] = low[v] = counter++;
        stack.push_back(v);
        on_stack[v] = true;
      }
      if (k < g[v].size()) {
        const std::size_t w = g[v][k++].to;
        if (index[w] == none)
          frames.push_back({w, 0});
        else if (on_stack[w])
          low[v] = std::min(low[v], index[w]);
        continue;
      }
      const std::size_t done = v;
      frames.pop_back();
      if (!frames.empty()) low[frames.back().first] = std::min(low[frames.back().first], low[done]);
      if (low[done] != index[done]) continue;
      std::vector<std::size_t> component;
      std::size_t w = none;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        component.push_back(w);
      } while (w != done);
      std::sort(component.begin(), component.end());
      out.push_back(std::move(component));
    }
  }
  return out;
}

/// The Perron root (largest eigenvalue) of the non-negative, irreducible matrix of `g`
/// restricted to `members`, by power iteration on I + A with the Collatz-Wielandt bounds
/// min (Ax)_i / x_i <= rho <= max (Ax)_i / x_i; stops as soon as the bounds place rho on one
/// side of 1.
double perron_root(const std::vector<std::vector<Edge>>& g, const std::vector<std::size_t>& members) {
  std::map<std::size_t, std::size_t> local;
  for (std::size_t k = 0; k < members.size(); ++k) local[members[k]] = k;
  std::vector<double> x(members.size(), 1.0), y(members.size());
  double lo = 0.0, hi = 0.0;
  for (int iteration = 0; iteration < 2000; ++iteration) {
    for (std::size_t k = 0; k < members.size(); ++k) {
      y[k] = 0.0;
      for (const Edge& e : g[members[k]]) {
        auto it = local.find(e.to);
        if (it != local.end()) y[k] += e.weight * x[it->second];
      }
    }
    lo = std::numeric_limits<double>::infinity();
    hi = 0.0;
    for (std::size_t k = 0; k < members.size(); ++k) {
      lo = std::min(lo, y[k] / x[k]);
      hi = std::max(hi, y[k] / x[k]);
    }
    if (lo >= 1.0 - 1e-9 || hi < 1.0 - 1e-9 || hi - lo < 1e-12) break;
    double top = 0.0;
    for (std::size_t k = 0; k < members.size(); ++k) top = std::max(top, x[k] + y[k]);
    for (std::size_t k = 0; k < members.size(); ++k) x[k] = (x[k] + y[k]) / top;
  }
  return (lo + hi) / 2.0;
}

std::string event_list(const Scenario& s, const std::vector<std::size_t>& members) {
  std::string out;
  for (std::size_t k = 0; k < members.size() && k < 5; ++k) out += (k ? ", " : "") + s.events[members[k]].id;
  if (members.size() > 5) out += fmt::format(" and {} more", members.size() - 5);
  return out;
}

}  // namespace

void ScenarioBuilder::check_follow_up_growth() {
  const Scenario& s = scenario_;
  const auto g = expected_graph(s, false);
  for (const auto& members : components(g)) {
    const bool cycle = members.size() > 1 || std::any_of(g[members[0]].begin(), g[members[0]].end(),
                                                         [&](const Edge& e) { return e.to == members[0]; });
    if (!cycle) continue;
    const double rho = perron_root(g, members);
    if (rho < 1.0 - 1e-9) continue;
    const Origin& o = s.events[members[0]].origin;
    errors_.push_back({o.file, o.line, o.column,
                       fmt::format("follow-ups form a self-reinforcing cycle ({}): each firing sets off on average "
                                   "{:.2f} more in the cycle, so the events waiting would grow without end; "
                                   "a cycle must set off fewer than 1 (lower a probability, or break the cycle)",
                                   event_list(s, members), rho)});
  }
  // Zero-delay follow-ups (acyclic by now) fire in the same step: the expected number each
  // event sets off then, by dynamic programming in reverse topological order.
  if (!errors_.empty()) return;
  const auto same = expected_graph(s, true);
  const std::size_t n = s.events.size();
  std::vector<std::size_t> pending(n, 0), order;
  std::vector<std::vector<std::size_t>> parents(n);
  for (std::size_t e = 0; e < n; ++e)
    for (const Edge& edge : same[e]) {
      ++pending[e];
      parents[edge.to].push_back(e);
    }
  for (std::size_t e = 0; e < n; ++e)
    if (pending[e] == 0) order.push_back(e);
  std::vector<double> expected(n, 1.0);
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t e = order[k];
    for (const Edge& edge : same[e]) expected[e] += edge.weight * expected[edge.to];
    for (std::size_t p : parents[e])
      if (--pending[p] == 0) order.push_back(p);
    if (expected[e] > double(kMaxEventsPerStep)) {
      const Origin& o = s.events[e].origin;
      errors_.push_back({o.file, o.line, o.column,
                         fmt::format("event '{}' sets off on average {:.0f} events in the same step through "
                                     "zero-delay follow-ups; a step applies at most {}",
                                     s.events[e].id, expected[e], kMaxEventsPerStep)});
      return;
    }
  }
}

}  // namespace geosim::detail
