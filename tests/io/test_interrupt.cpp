// Ctrl-C: at the `play` prompt it offers to save, as at the end of input; with the commands from
// a pipe it warns of what is lost, as at the end of a script; while Graphviz draws, it stops and
// reaps the child (and what that started) and removes the temporary folder.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/cli.hpp"

namespace {
namespace fs = std::filesystem;
using geosim::testing::slurp;
using geosim::testing::temp_dir;

/// `geosim play baseline` on a pseudo-terminal (so it is interactive), in `dir`.
struct Terminal {
  int fd = -1;
  pid_t pid = -1;
  std::string seen;

  explicit Terminal(const fs::path& dir) {
    pid = ::forkpty(&fd, nullptr, nullptr, nullptr);
    if (pid == 0) {
      if (::chdir(dir.c_str()) != 0) ::_exit(127);
      ::setenv("GEOSIM_SCENARIOS", GEOSIM_SCENARIOS_DIR, 1);
      ::execl(GEOSIM_BINARY, "geosim", "play", "baseline", static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~Terminal() {
    if (pid > 0 && ::waitpid(pid, nullptr, WNOHANG) == 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    if (fd >= 0) ::close(fd);
  }
  /// Reads until `text` has appeared `times` times in all output so far; false if the program
  /// ended first (or after a minute, so that a broken build cannot hang the suite).
  bool wait_for(const std::string& text, int times = 1) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (true) {
      int found = 0;
      for (auto at = seen.find(text); at != std::string::npos; at = seen.find(text, at + 1)) ++found;
      if (found >= times) return true;
      if (std::chrono::steady_clock::now() > give_up) return false;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n <= 0) return false;
      seen.append(buffer, std::size_t(n));
    }
  }
  void type(const std::string& line) { ASSERT_EQ(::write(fd, line.data(), line.size()), ssize_t(line.size())); }
  /// Drains the output until the program ends; its exit code (-1 if killed).
  int finish() {
    char buffer[4096];
    while (true) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) > 0) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) seen.append(buffer, std::size_t(n));
      }
      int status = 0;
      const pid_t done = ::waitpid(pid, &status, WNOHANG);
      if (done == pid) {
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
    }
  }
};

TEST(PlayInterrupt, CtrlCAtThePromptOffersToSaveAndNDoesNotSaveToAFileNamedN) {
  const fs::path dir = temp_dir("ctrlc_no");
  Terminal t(dir);
  if (t.pid < 0) GTEST_SKIP() << "no pseudo-terminal available";
  ASSERT_TRUE(t.wait_for("]> ")) << t.seen;
  t.type("step 2\n");
  ASSERT_TRUE(t.wait_for("]> ", 2)) << t.seen;
  ::kill(t.pid, SIGINT);
  ASSERT_TRUE(t.wait_for("The session has unsaved changes. Save to file")) << t.seen;
  t.type("n\n");
  EXPECT_EQ(t.finish(), 0) << t.seen;
  EXPECT_FALSE(fs::exists(dir / "n"));
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST(PlayInterrupt, CtrlCAtThePromptCanSaveTheSession) {
  const fs::path dir = temp_dir("ctrlc_save");
  Terminal t(dir);
  if (t.pid < 0) GTEST_SKIP() << "no pseudo-terminal available";
  ASSERT_TRUE(t.wait_for("]> ")) << t.seen;
  t.type("step 3\n");
  ASSERT_TRUE(t.wait_for("]> ", 2)) << t.seen;
  ::kill(t.pid, SIGINT);
  ASSERT_TRUE(t.wait_for("Save to file")) << t.seen;
  t.type("y\n");
  ASSERT_TRUE(t.wait_for("File to save to")) << t.seen;
  t.type("kept.json\n");
  EXPECT_EQ(t.finish(), 0) << t.seen;
  EXPECT_NE(slurp(dir / "kept.json").find("\"step 3\""), std::string::npos) << t.seen;
  fs::remove_all(dir);
}

// `printf 'step\n' | geosim play baseline`, then Ctrl-C while it waits for more: it ended
// silently, the unsaved step lost without the warning a script's end gives.
TEST(PlayInterrupt, CtrlCWithCommandsFromAPipeWarnsOfUnsavedChangesAndKeepsWhatWasSaved) {
  const fs::path dir = temp_dir("ctrlc_pipe"), work = dir / "work";
  fs::create_directories(work);
  int in[2];
  ASSERT_EQ(::pipe(in), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::close(in[0]);
    ::close(in[1]);
    if (!std::freopen((dir / "out").c_str(), "w", stdout) || !std::freopen((dir / "err").c_str(), "w", stderr) ||
        ::chdir(work.c_str()) != 0)
      ::_exit(127);
    ::setenv("GEOSIM_SCENARIOS", GEOSIM_SCENARIOS_DIR, 1);
    ::execl(GEOSIM_BINARY, "geosim", "play", "baseline", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(in[0]);
  const std::string commands = "step\nsave kept.json\nstep 2\n";
  ASSERT_EQ(::write(in[1], commands.data(), commands.size()), ssize_t(commands.size()));
  bool waiting = false;                                    // all three commands done: it waits for the next
  for (int tries = 0; tries < 600 && !waiting; ++tries) {  // at most a minute
    waiting = slurp(dir / "out").find("now at step 3") != std::string::npos;
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(waiting) << slurp(dir / "out") << slurp(dir / "err");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // into the read
  ::kill(pid, SIGINT);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ::close(in[1]);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << status;  // still ends as interrupted
  EXPECT_EQ(slurp(dir / "err"),
            "geosim: warning: interrupted: the session has unsaved changes, now lost; add `save FILE` to the "
            "script to keep them\n");
  EXPECT_NE(slurp(work / "kept.json").find("\"step\""), std::string::npos);  // what was saved stays
  EXPECT_EQ(geosim::testing::names_in(work), std::vector<std::string>{"kept.json"});
  fs::remove_all(dir);
}

TEST(ReportInterrupt, CtrlCWhileGraphvizDrawsStopsTheChildAndLeavesNoTemporaryFolder) {
  const fs::path dir = temp_dir("ctrlc_graphviz");
  const fs::path tmp = dir / "tmp";
  fs::create_directories(tmp);
  // A stand-in for Graphviz that never finishes and says who it is.
  const fs::path fake = dir / "slow-graphviz";
  std::ofstream(fake) << "#!/bin/sh\nsleep 60 &\necho $! > " << (dir / "grandchild.pid").string() << "\necho $$ > "
                      << (dir / "child.pid").string() << "\nexec sleep 60\n";
  fs::permissions(fake, fs::perms::owner_all);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::setenv("GEOSIM_SCENARIOS", GEOSIM_SCENARIOS_DIR, 1);
    ::setenv("TMPDIR", tmp.c_str(), 1);
    ::execl(GEOSIM_BINARY, "geosim", "report", "baseline", "--graphviz", fake.c_str(), "--out",
            (dir / "r.html").c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  pid_t child = 0;
  for (int tries = 0; tries < 600 && child == 0; ++tries) {  // at most a minute
    std::ifstream in(dir / "child.pid");
    if (!(in >> child)) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GT(child, 0) << "the stand-in was never started";
  ::kill(pid, SIGINT);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
  const bool alive = ::kill(child, 0) == 0;
  if (alive) ::kill(child, SIGKILL);
  EXPECT_FALSE(alive) << "Graphviz left running";
  // What it started is stopped with it (killed, then at most a zombie until init reaps it).
  pid_t grandchild = 0;
  std::ifstream(dir / "grandchild.pid") >> grandchild;
  ASSERT_GT(grandchild, 0);
  bool gone = false;
  for (int tries = 0; tries < 200 && !gone; ++tries) {
    const std::string stat = slurp("/proc/" + std::to_string(grandchild) + "/stat");
    gone = stat.empty() || stat.find(") Z") != std::string::npos;
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!gone) ::kill(grandchild, SIGKILL);
  EXPECT_TRUE(gone) << "what Graphviz started was left running";
  EXPECT_TRUE(fs::is_empty(tmp)) << "a geosim-report-* folder was left behind";
  EXPECT_FALSE(fs::exists(dir / "r.html"));
  fs::remove_all(dir);
}

}  // namespace
