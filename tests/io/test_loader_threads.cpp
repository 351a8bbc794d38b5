// Loads in two threads at once: the loader keeps nothing global (each Walker its own undefined
// node for absent keys, yaml_walk.hpp), so two threads loading scenarios at the same time get
// exactly what one thread loading them in turn gets: the same scenarios and the same diagnostics.
#include <geosim/io/ensemble_shard.hpp>
#include <geosim/io/loader.hpp>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "support/builders.hpp"

using namespace geosim;

namespace {

/// What a load gave: the scenario's fingerprint (0 when it failed) and every diagnostic, a line each.
std::string outcome(const LoadResult& r) {
  std::string out = std::to_string(r.ok() ? scenario_fingerprint(*r.scenario) : 0) + "\n";
  for (const Diagnostic& d : r.errors) out += format_diagnostic(d) + "\n";
  return out;
}

/// A scenario with absent keys, unknown keys, an unknown actor and a misspelt one.
const char* const kBroken =
    "scenario: {id: broken, title: Broken, start: 2025-08-01, steps: 4, colour: red}\n"
    "actors: [{id: VNM}, {id: PRK, restraint: 2}, {id: SGP, nmae: Singapore}]\n"
    "relations:\n  - {from: VNM, to: PRKK, tension: 0.3}\n  - {between: [VNM, SGP], tension: 0.4}\n";

std::vector<std::string> load_all(int rounds) {
  std::vector<std::string> out;
  for (int r = 0; r < rounds; ++r) {
    for (const char* name : {"world-200.yaml", "baseline.yaml", "realignment.yaml", "intermediary.yaml"})
      out.push_back(outcome(load_scenario(geosim::testing::shipped(name))));
    out.push_back(outcome(load_scenario_text(kBroken, "broken.yaml")));
  }
  return out;
}

TEST(LoaderThreads, TwoThreadsLoadingAtOnceGetWhatOneThreadGets) {
  const std::vector<std::string> alone = load_all(1);
  ASSERT_NE(alone[0].rfind("0\n", 0), 0u) << "world-200 loads";
  ASSERT_EQ(alone[4].rfind("0\n", 0), 0u) << "the broken scenario does not";
  EXPECT_NE(alone[4].find("unknown actor 'PRKK'; did you mean 'PRK'?"), std::string::npos) << alone[4];
  std::vector<std::string> first, second;
  std::thread a([&] { first = load_all(3); });
  std::thread b([&] { second = load_all(3); });
  a.join();
  b.join();
  ASSERT_EQ(first.size(), alone.size() * 3);
  ASSERT_EQ(second.size(), alone.size() * 3);
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i], alone[i % alone.size()]) << i;
    EXPECT_EQ(second[i], alone[i % alone.size()]) << i;
  }
}

}  // namespace
