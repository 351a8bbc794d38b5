// The facilitator's prompt on a terminal (a pseudo-terminal here): the up-arrow recalls the last
// command, Tab completes commands, actors and policies, and Ctrl-C offers to save. Every read
// has a timeout; the child is killed if it does not end.
#include <gtest/gtest.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <poll.h>
#include <chrono>
#include <string>
#include <thread>

namespace {

using namespace std::chrono_literals;

class Terminal {
 public:
  Terminal() {
    pid_ = ::forkpty(&fd_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      ::setenv("TERM", "xterm", 1);
      ::setenv("GEOSIM_SCENARIOS", GEOSIM_SCENARIOS_DIR, 1);
      ::unsetenv("NO_COLOR");
      for (const char* name : {"LANG", "LC_ALL", "LC_CTYPE"}) ::unsetenv(name);  // the "C" locale: the hardest case
      ::execl(GEOSIM_BINARY, GEOSIM_BINARY, "play", "realignment", static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~Terminal() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return pid_ > 0 && fd_ >= 0; }
  void type(const std::string& keys) { [[maybe_unused]] auto n = ::write(fd_, keys.data(), keys.size()); }
  /// Reads until the screen has `text` `count` times; false after `timeout`.
  bool wait_for(const std::string& text, int count = 1, std::chrono::milliseconds timeout = 10s) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (occurrences(text) < count) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, int(left.count())) <= 0) return false;
      char buffer[4096];
      const ssize_t n = ::read(fd_, buffer, sizeof buffer);
      if (n <= 0) return occurrences(text) >= count;
      screen_.append(buffer, std::size_t(n));
    }
    return true;
  }
  int occurrences(const std::string& text) const {
    int n = 0;
    for (std::size_t at = screen_.find(text); at != std::string::npos; at = screen_.find(text, at + 1)) ++n;
    return n;
  }
  /// The exit code, or -1 when it had not ended within `timeout`.
  int exit_code(std::chrono::milliseconds timeout = 10s) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (std::chrono::steady_clock::now() < end) {
      wait_for("\x01never", 1, 50ms);  // keep draining the terminal
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
    }
    return -1;
  }
  const std::string& screen() const { return screen_; }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string screen_;
};

TEST(RoomPrompt, UpArrowRecallsTheLastCommandAndCtrlCOffersToSave) {
  Terminal t;
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(t.wait_for("[main step 0 2025-08-01]> ")) << t.screen();
  t.type("step\r");
  ASSERT_TRUE(t.wait_for("now at step 1 ")) << t.screen();
  ASSERT_TRUE(t.wait_for("[main step 1 ")) << t.screen();
  t.type("\x1b[A\r");  // up-arrow: `step` again
  ASSERT_TRUE(t.wait_for("now at step 2 ")) << t.screen();
  EXPECT_EQ(t.occurrences("unknown command"), 0) << t.screen();
  ASSERT_TRUE(t.wait_for("[main step 2 ")) << t.screen();
  t.type("\x03");  // Ctrl-C
  ASSERT_TRUE(t.wait_for("The session has unsaved changes. Save to file")) << t.screen();
  t.type("\r");  // leave without saving
  EXPECT_EQ(t.exit_code(), 0) << t.screen();
}

// Text past ASCII typed at the prompt is kept as typed, with no locale set: libedit in the "C"
// locale dropped every such character ("Hà Nội" became "H Ni") and an emoji repeated the word
// before it ("cafe 🚀" became "cafe cafe"), in the log, the saved session and the report.
TEST(RoomPrompt, TextPastAsciiIsKeptAsTyped) {
  Terminal t;
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(t.wait_for("[main step 0 2025-08-01]> ")) << t.screen();
  t.type("inject adhoc \"Hà Nội café 🚀\" USA->VNM tension 0.1 \"lý do\"\r");
  ASSERT_TRUE(t.wait_for("'Hà Nội café 🚀' (adhoc-1) will fire in step 1")) << t.screen();
  t.type("log\r");
  ASSERT_TRUE(t.wait_for("tension 0.1 \"lý do\"\r\n")) << t.screen();
  t.type("quit\r");
  ASSERT_TRUE(t.wait_for("Save to file")) << t.screen();
  t.type("n\r");
  EXPECT_EQ(t.exit_code(), 0) << t.screen();
}

TEST(RoomPrompt, TabCompletesCommandsTeamsPoliciesAndBranches) {
  Terminal t;
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(t.wait_for("[main step 0 2025-08-01]> ")) << t.screen();
  // What the screen shows while completing is redrawn with cursor moves; the command's answer
  // tells what the line became: "mo SG asean-d" alone would be an unknown command.
  t.type("mo\tSG\tasean-d\t\r");
  ASSERT_TRUE(t.wait_for("'asean-dialogue' is in play")) << t.screen();
  t.type("log\r");
  ASSERT_TRUE(t.wait_for("by SGP")) << t.screen();
  // Branch names after `compare`, as after `switch`.
  t.type("branch what-if\r");
  ASSERT_TRUE(t.wait_for("now on 'what-if'")) << t.screen();
  t.type("compa\tma\t\r");
  ASSERT_TRUE(t.wait_for("'what-if' (this branch) against 'main'")) << t.screen();
  t.type("quit\r");
  ASSERT_TRUE(t.wait_for("Save to file")) << t.screen();
  t.type("n\r");
  EXPECT_EQ(t.exit_code(), 0) << t.screen();
}

}  // namespace
