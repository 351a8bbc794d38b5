// `geosim play --resume` of a session file that is not what was saved: nothing of a file that
// changed since the save is quoted.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/cli.hpp"

namespace {
namespace fs = std::filesystem;

using geosim::testing::Output;
using geosim::testing::slurp;

/// A folder to play in; `geosim(ARGS, INPUT)` runs there with INPUT on stdin.
struct PlayDir {
  fs::path dir = geosim::testing::temp_dir("play_resume_changed");
  ~PlayDir() { fs::remove_all(dir); }
  Output geosim(const std::string& args, const std::string& input) const {
    std::ofstream(dir / "stdin.txt") << input;
    return geosim::testing::run_shell("cd " + dir.string() + " && " + GEOSIM_BINARY + " " + args + " <stdin.txt");
  }
};

// A session file is untrusted: edited to name another file (a password table), or resumed after
// its scenario was changed into one that does not load, it is refused as a changed file, and
// nothing of that file's text is quoted (the loader's messages would quote its lines).
TEST(PlayCli, ResumeQuotesNothingOfAFileThatChangedSinceTheSave) {
  const PlayDir d;
  fs::copy_file(std::string(GEOSIM_SCENARIOS_DIR) + "/baseline.yaml", d.dir / "mine.yaml");
  for (const char* include : {"actors.yaml", "common"})
    fs::create_symlink(std::string(GEOSIM_SCENARIOS_DIR) + "/" + include, d.dir / include);
  ASSERT_EQ(d.geosim("play mine.yaml", "step\nsave s.json\n").code, 0);
  std::ofstream(d.dir / "secret.txt") << "root:$6$secret-hash:20228:0:99999:7:::\n";
  std::string text = slurp(d.dir / "s.json");
  const std::string field = "\"file\": \"mine.yaml\"";
  const std::size_t at = text.find(field);
  ASSERT_NE(at, std::string::npos) << text;
  text.replace(at, field.size(), "\"file\": \"secret.txt\"");
  std::ofstream(d.dir / "edited.json") << text;
  Output o = d.geosim("play --resume edited.json", "");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err.find("secret-hash"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("the scenario has changed since the session was saved ('secret.txt' had checksum"),
            std::string::npos)
      << o.err;
  std::ofstream(d.dir / "mine.yaml") << "private: words\n";
  o = d.geosim("play --resume s.json", "");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err.find("private"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("and no longer loads: restore the files as they were"), std::string::npos) << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

}  // namespace
