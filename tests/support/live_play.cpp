#include "support/live_play.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <regex>

namespace geosim::testing {

LivePlay::LivePlay(const std::string& program, const std::vector<std::string>& args) { spawn(program, args); }

LivePlay::LivePlay(const std::vector<std::string>& args) {
  spawn(GEOSIM_BINARY, args);
  if (!wait_for("live page: ", std::chrono::seconds(10))) return;
  wait_for("\n", std::chrono::seconds(2), output().find("live page: "));
  const std::string text = output();
  const std::size_t at = text.find("live page: ") + 11;
  url_ = text.substr(at, text.find_first_of(" \n", at) - at);
  const std::size_t colon = url_.find(':', 7);
  if (colon != std::string::npos) port_ = std::atoi(url_.c_str() + colon + 1);
}

void LivePlay::spawn(const std::string& program, const std::vector<std::string>& args) {
  int in[2], out[2];
  if (::pipe(in) != 0 || ::pipe(out) != 0) return;
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::close(in[0]);
    ::close(in[1]);
    ::close(out[0]);
    ::close(out[1]);
    ::setenv("GEOSIM_SCENARIOS", GEOSIM_SCENARIOS_DIR, 1);
    std::vector<char*> argv{const_cast<char*>(program.c_str())};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(program.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  in_ = in[1];
  out_ = out[0];
  ::signal(SIGPIPE, SIG_IGN);
  reader_ = std::thread([this] {
    char buffer[4096];
    for (ssize_t n; (n = ::read(out_, buffer, sizeof buffer)) > 0;) {
      std::lock_guard lock(mutex_);
      output_.append(buffer, std::size_t(n));
    }
    ended_ = true;
  });
}

LivePlay::~LivePlay() { finish(std::chrono::seconds(5)); }

void LivePlay::send(const std::string& line) {
  const std::string text = line + "\n";
  if (in_ >= 0) [[maybe_unused]]
    auto n = ::write(in_, text.data(), text.size());
}

std::string LivePlay::output() {
  std::lock_guard lock(mutex_);
  return output_;
}

bool LivePlay::wait_for(const std::string& text, std::chrono::milliseconds timeout, std::size_t from) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    {
      std::lock_guard lock(mutex_);
      if (output_.size() >= from && output_.find(text, from) != std::string::npos) return true;
    }
    if (ended_) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

int LivePlay::finish(std::chrono::milliseconds timeout) {
  if (in_ >= 0) {
    ::close(in_);
    in_ = -1;
  }
  if (pid_ > 0) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    pid_t done = 0;
    while ((done = ::waitpid(pid_, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < end)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (done == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      exit_code_ = -1;
    } else {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    pid_ = -1;
  }
  if (reader_.joinable()) reader_.join();
  if (out_ >= 0) {
    ::close(out_);
    out_ = -1;
  }
  return exit_code_;
}

std::map<std::string, std::string> status_indicators(const std::string& out) {
  std::map<std::string, std::string> values;
  const std::regex line(R"(\n  (\S.*?) +([0-9.]+) -> ([0-9.]+)  \([-+]?[0-9.]+\))");
  for (std::sregex_iterator it(out.begin(), out.end(), line), end; it != end; ++it) values[(*it)[1]] = (*it)[3];
  return values;
}

}  // namespace geosim::testing
