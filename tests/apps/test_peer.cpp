// The engine against an independent implementation of the same step: bench/peer_step.py
// (Python + NumPy) replays each shipped scenario's run from its exported start state and
// logged events and must land on the same tensions to 1e-9.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <unistd.h>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace {
namespace fs = std::filesystem;

int sh(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class Peer : public ::testing::TestWithParam<const char*> {};

TEST_P(Peer, NumPyPeerReproducesTheTrajectory) {
  if (sh("/usr/bin/python3 -c 'import numpy' 2>/dev/null") != 0) GTEST_SKIP() << "python3-numpy missing";
  const std::string name = GetParam();
  const fs::path dir = fs::temp_directory_path() / ("geosim_peer_" + name + "_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string geosim = std::string("GEOSIM_SCENARIOS=") + GEOSIM_SCENARIOS_DIR + " " + GEOSIM_BINARY;
  ASSERT_EQ(sh(geosim + " export " + name + " --step 0 --format json --out " + (dir / "start.json").string() +
               " 2>/dev/null"),
            0);
  ASSERT_EQ(sh(geosim + " run " + name + " --seed 3 --out " + dir.string() + " >/dev/null"), 0);
  const std::string peer = std::string(GEOSIM_SOURCE_DIR) + "/bench/peer_step.py";
  EXPECT_EQ(sh("/usr/bin/python3 " + peer + " check " + (dir / "start.json").string() + " " +
               (dir / "run.json").string() + " --tolerance 1e-9"),
            0);
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(ShippedScenarios, Peer,
                         ::testing::Values("baseline", "symbolic-visit", "expanded-cooperation", "intermediary",
                                           "realignment"),
                         [](const auto& info) {
                           std::string s = info.param;
                           std::replace(s.begin(), s.end(), '-', '_');
                           return s;
                         });

}  // namespace
