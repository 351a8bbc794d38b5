#pragma once
// `geosim play ... --serve` as a child process the test types into: commands go to its standard
// input (a pipe, so the prompt runs as for a script), its standard output is collected as it
// comes. The child is ended (stdin closed, then killed after a timeout) when this goes away.

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace geosim::testing {

class LivePlay {
 public:
  /// Starts `geosim ARGS` (with the shipped scenarios) and waits up to 10 s for the line
  /// "live page: http://HOST:PORT/..." to learn the port; port() is 0 when it did not come.
  explicit LivePlay(const std::vector<std::string>& args);
  /// Any other program (e.g. node), typed into the same way; nothing is waited for.
  LivePlay(const std::string& program, const std::vector<std::string>& args);
  ~LivePlay();
  LivePlay(const LivePlay&) = delete;
  LivePlay& operator=(const LivePlay&) = delete;

  int port() const { return port_; }
  /// The first URL printed after "live page: " ("" if none).
  const std::string& url() const { return url_; }
  /// Types one line.
  void send(const std::string& line);
  /// Waits until the output has `text` (after `from`); false on timeout or when the output ended without it.
  bool wait_for(const std::string& text, std::chrono::milliseconds timeout, std::size_t from = 0);
  std::string output();
  /// Closes the input (the session ends) and waits up to `timeout` for the exit; the exit code,
  /// or -1 when it had to be killed.
  int finish(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  int pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  int port_ = 0;
  std::string url_;
  std::thread reader_;
  std::mutex mutex_;
  std::string output_;
  int exit_code_ = -2;
  std::atomic<bool> ended_{false};  ///< the output has ended (the child closed it or exited)
  void spawn(const std::string& program, const std::vector<std::string>& args);
};

/// The indicator lines of `status` in `out` ("  TITLE  0.123 -> 0.456  (+0.333)", or "(0.000)"
/// when it has not moved): title -> now as printed.
std::map<std::string, std::string> status_indicators(const std::string& out);

}  // namespace geosim::testing
