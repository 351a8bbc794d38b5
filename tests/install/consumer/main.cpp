// Loads a scenario file with the installed geosim::io, runs it with geosim::core and prints every
// relation's tension at the last step as `FROM,TO,T` (6 decimals), the last rows of the
// program's own tension.csv without the step and date.
#include <cstdio>
#include <geosim/core/run.hpp>
#include <geosim/io/loader.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: consumer SCENARIO.yaml\n");
    return 1;
  }
  const geosim::LoadResult loaded = geosim::load_scenario(argv[1]);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", geosim::format_diagnostic(e).c_str());
    return 1;
  }
  const geosim::Scenario& s = *loaded.scenario;
  geosim::RunOptions options;
  options.seed = 1;
  const geosim::RunResult result = geosim::run_scenario(s, options);
  const Eigen::MatrixXd& last = result.tension.back();
  for (std::size_t i = 0; i < s.actor_count(); ++i)
    for (std::size_t j = 0; j < s.actor_count(); ++j)
      if (i != j && s.has_relation(i, j))
        std::printf("%s,%s,%.6f\n", s.actors[i].id.c_str(), s.actors[j].id.c_str(),
                    last(Eigen::Index(i), Eigen::Index(j)));
  return 0;
}
