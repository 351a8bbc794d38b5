#include "support/builders.hpp"

#include <cstring>

#ifndef GEOSIM_SCENARIOS_DIR
#define GEOSIM_SCENARIOS_DIR "scenarios"
#endif

namespace geosim::testing {

Scenario make_scenario(const std::vector<std::string>& ids, double tension, double tie) {
  Scenario s;
  s.id = "test";
  s.title = "test";
  s.start = *parse_date("2025-08-01");
  s.steps = 10;
  s.parameters.spillover = 0.0;
  s.parameters.noise = 0.0;
  for (const auto& id : ids) {
    Actor a;
    a.id = id;
    a.name = id;
    s.add_actor(a);
  }
  const std::size_t n = ids.size();
  s.tension.assign(n * n, tension);
  s.baseline.assign(n * n, tension);
  s.tie.assign(n * n, tie);
  for (std::size_t i = 0; i < n; ++i) s.tension[i * n + i] = s.baseline[i * n + i] = s.tie[i * n + i] = 0;
  return s;
}

void set_relation(Scenario& s, const std::string& from, const std::string& to, double tension, double baseline,
                  double tie) {
  const std::size_t n = s.actor_count();
  const std::size_t i = *s.find_actor(from), j = *s.find_actor(to);
  s.tension[i * n + j] = tension;
  s.baseline[i * n + j] = baseline;
  s.tie[i * n + j] = tie;
}

Event make_event(const Scenario& s, const std::string& id, int step, const std::string& from, const std::string& to,
                 double delta) {
  Event e;
  e.id = id;
  e.title = id;
  e.timing = Timing::at_step;
  e.step = step;
  Effect effect;
  effect.from = ActorSet{{*s.find_actor(from)}, from};
  effect.to = ActorSet{{*s.find_actor(to)}, to};
  effect.tension = Magnitude{delta, 0.0};
  e.effects.push_back(effect);
  return e;
}

Scenario noisy_pair(int steps) {
  Scenario s = make_scenario({"AAA", "BBB"}, 0.3);
  s.parameters.noise = 0.05;
  s.steps = steps;
  Event e = make_event(s, "spike", 2, "AAA", "BBB", 0.4);
  e.probability = 0.3;
  s.events.push_back(e);
  Indicator ab;
  ab.id = "ab";
  ab.relations = {{0, 1}, {1, 0}};
  ab.thresholds = {0.5};
  Indicator ba;
  ba.id = "ba";
  ba.relations = {{1, 0}};
  s.indicators = {ab, ba};
  return s;
}

std::string three_actor_world(const std::string& start_state, const std::string& extra) {
  return "scenario: {id: t, title: T, start: 2025-08-01, steps: 400}\n" + start_state +
         "parameters: {spillover: 0.05}\n"
         "defaults: {tension: 0.3}\n"
         "actors:\n"
         "  - {id: A, restraint: 0.1, reactivity: 0.05}\n"
         "  - {id: B, restraint: 0.1, reactivity: 0.05}\n"
         "  - {id: C, restraint: 0.1, reactivity: 0.05}\n"
         "relations:\n"
         "  - {from: A, to: B, tension: 0.5}\n"
         "  - {from: A, to: C, tension: 0.3, tie: 1.0}\n" +
         extra;
}

std::string shipped(const std::string& name) { return std::string(GEOSIM_SCENARIOS_DIR) + "/" + name; }

Eigen::MatrixXd random_relations(Rng& rng, Eigen::Index n) {
  Eigen::MatrixXd m(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) m(i, j) = i == j ? 0.0 : rng.uniform();
  return m;
}

Scenario random_world(int n, double noise, bool absent, std::uint64_t seed, int ties_per_actor) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) ids.push_back("S" + std::to_string(i));
  Scenario s = make_scenario(ids);
  s.parameters.spillover = 0.3;
  s.parameters.noise = noise;
  Rng rng(seed);
  for (auto& a : s.actors) {
    a.restraint = 0.2 * rng.uniform();
    a.reactivity = 0.3 * rng.uniform();
  }
  const auto m = std::size_t(n);
  if (absent) {
    s.absent.assign(m * m, 0);
    for (std::size_t a = 0; a + 2 < m; a += 3) s.absent[a * m + a + 2] = s.absent[(a + 2) * m + a] = 1;
  }
  const bool few = ties_per_actor >= 0 && ties_per_actor < n;
  auto none = [&](std::size_t i, std::size_t j) { return i == j || (absent && s.absent[i * m + j] != 0); };
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j) {
      s.tension[i * m + j] = none(i, j) ? 0.0 : rng.uniform();
      s.baseline[i * m + j] = none(i, j) ? 0.0 : rng.uniform();
      s.tie[i * m + j] = few || none(i, j) || rng.uniform() < 0.5 ? 0.0 : rng.uniform();
    }
  if (few)
    for (std::size_t i = 0; i < m; ++i)
      for (int t = 0; t < ties_per_actor; ++t) {
        const auto j = std::size_t(rng.uniform_int(0, n - 1));
        if (!none(i, j)) s.tie[i * m + j] = 0.2 + 0.6 * rng.uniform();
      }
  return s;
}

bool same_bits(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * std::size_t(a.size())) == 0;
}

}  // namespace geosim::testing
