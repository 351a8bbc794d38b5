#include "synthetic_world.hpp"

#include <geosim/core/rng.hpp>

#include <string>

namespace geosim::bench {

Scenario synthetic_world(std::size_t n, int steps, std::uint64_t seed) {
  Rng rng(seed);
  Scenario s;
  s.id = "synthetic-" + std::to_string(n);
  s.title = s.id;
  s.start = *parse_date("2025-08-01");
  s.steps = steps;
  s.parameters.spillover = 0.05;
  s.parameters.noise = 0.01;
  for (std::size_t i = 0; i < n; ++i) {
    Actor a;
    a.id = "A" + std::to_string(i);
    a.name = a.id;
    a.restraint = 0.04 + 0.04 * rng.uniform();
    a.reactivity = 0.01 + 0.02 * rng.uniform();
    s.actors.push_back(a);
  }
  s.tension.assign(n * n, 0.0);
  s.baseline.assign(n * n, 0.0);
  s.tie.assign(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j) s.baseline[i * n + j] = s.tension[i * n + j] = 0.1 + 0.8 * rng.uniform();
  for (std::size_t i = 0; i < n; ++i)
    for (int k = 0; k < 4 && n > 1; ++k) {
      const std::size_t j = std::size_t(rng.uniform_int(0, std::int64_t(n) - 1));
      if (j != i) s.tie[i * n + j] = 0.2 + 0.6 * rng.uniform();
    }
  for (int step = 1; step <= steps; ++step) {
    Event e;
    e.id = "e" + std::to_string(step);
    e.title = e.id;
    e.timing = Timing::at_step;
    e.step = step;
    e.probability = 0.7;
    Effect effect;
    const std::size_t a = std::size_t(rng.uniform_int(0, std::int64_t(n) - 1));
    const std::size_t b = (a + 1 + std::size_t(rng.uniform_int(0, std::int64_t(n) - 2))) % n;
    effect.from = ActorSet{{a}, s.actors[a].id};
    effect.to = ActorSet{{b}, s.actors[b].id};
    effect.both_directions = true;
    effect.tension = Magnitude{0.05, 0.02};
    e.effects.push_back(effect);
    s.events.push_back(e);
  }
  Indicator mean;
  mean.id = "first_pair";
  mean.relations = {{0, 1}, {1, 0}};
  s.indicators.push_back(mean);
  return s;
}

}  // namespace geosim::bench
