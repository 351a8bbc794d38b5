// Graphviz as a process (graphviz_svg, report/html_report.hpp): whatever the program starts is
// stopped with it, when it overruns its deadline and when it ends on its own. The SVG it makes
// and its errors: test_html_report.cpp.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <geosim/report/html_report.hpp>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "support/cli.hpp"

namespace geosim {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;
using testing::slurp;
using testing::spit;
using testing::temp_dir;

/// A shell script standing in for Graphviz: it starts `sleep 30` in the background, writes that
/// grandchild's pid to `pid_file`, then runs `rest`.
fs::path fake_graphviz(const fs::path& dir, const fs::path& pid_file, const std::string& rest) {
  const fs::path script = dir / "fake-dot.sh";
  spit(script, "#!/bin/sh\nsleep 30 &\necho $! > '" + pid_file.string() + ".tmp'\nmv '" + pid_file.string() +
                   ".tmp' '" + pid_file.string() + "'\n" + rest + "\n");
  ::chmod(script.c_str(), 0700);
  return script;
}

/// Whether `pid` is gone: no such process, or a zombie waiting for init to reap it.
bool gone(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  const std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty()) return true;
  const auto paren = stat.rfind(')');  // the name may hold spaces; the state follows it
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z';
}

/// Whether `pid` is gone within about two seconds (an orphan is killed, then reaped by init).
bool gone_soon(pid_t pid) {
  for (int i = 0; i < 200; ++i) {
    if (gone(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

/// The grandchild's pid from `pid_file`, 0 when the script wrote none.
pid_t grandchild(const fs::path& pid_file) {
  const std::string text = slurp(pid_file);
  return text.empty() ? 0 : pid_t(std::stol(text));
}

TEST(GraphvizProcess, OverrunningProgramIsStoppedWithWhatItStarted) {
  const fs::path dir = temp_dir("graphviz-overrun"), pid_file = dir / "grandchild.pid";
  const fs::path script = fake_graphviz(dir, pid_file, "exec sleep 30");
  std::string error;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(graphviz_svg("digraph G { A -> B }", script.string(), "", error, std::chrono::seconds(1)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(error, "Graphviz '" + script.string() + "' took more than 1000 ms; stopped it");
  const pid_t pid = grandchild(pid_file);
  ASSERT_GT(pid, 0) << "the script did not start its child";
  EXPECT_TRUE(gone_soon(pid)) << "the script's child " << pid << " was left running";
  if (!gone(pid)) ::kill(pid, SIGKILL);
  fs::remove_all(dir);
}

TEST(GraphvizProcess, FailingProgramLeavesNothingRunning) {
  const fs::path dir = temp_dir("graphviz-fails"), pid_file = dir / "grandchild.pid";
  const fs::path script = fake_graphviz(dir, pid_file, "echo 'Error: no layout' >&2\nexit 3");
  std::string error;
  EXPECT_FALSE(graphviz_svg("digraph G { A -> B }", script.string(), "", error));
  EXPECT_EQ(error, "Graphviz '" + script.string() + "' failed: Error: no layout");
  const pid_t pid = grandchild(pid_file);
  ASSERT_GT(pid, 0) << "the script did not start its child";
  EXPECT_TRUE(gone_soon(pid)) << "the script's child " << pid << " was left running";
  if (!gone(pid)) ::kill(pid, SIGKILL);
  fs::remove_all(dir);
}

// Through the command: the page is still written, the note says why the diagram is left out, and
// nothing the program started outlives the report.
TEST(GraphvizProcess, ReportCommandLeavesNothingRunning) {
  const fs::path dir = temp_dir("graphviz-report"), pid_file = dir / "grandchild.pid";
  const fs::path script = fake_graphviz(dir, pid_file, "echo 'Error: no layout' >&2\nexit 3");
  const auto o =
      run_cli("report realignment --runs 5 --graphviz " + script.string() + " --out " + (dir / "r.html").string());
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.err.find("geosim: note: network diagram left out: Graphviz '" + script.string() +
                       "' failed: Error: no layout\n"),
            std::string::npos)
      << o.err;
  const pid_t pid = grandchild(pid_file);
  ASSERT_GT(pid, 0) << "the script did not start its child";
  EXPECT_TRUE(gone_soon(pid)) << "the script's child " << pid << " was left running";
  if (!gone(pid)) ::kill(pid, SIGKILL);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace geosim
