#pragma once
/// \file
/// Two guards for the live room's HTTP server that cpp-httplib lacks, so that slow or greedy
/// clients on the room's network cannot hold the threads every team's page needs:
/// - a deadline for each request to arrive (its line and headers), counted from the connection
///   or from the previous response on it: a connection that trickles its headers a line at a
///   time (each line within httplib's read timeout) is shut down when the deadline passes;
/// - off loopback, a most of connections open at once from one address: the newest beyond it
///   are shut down.
/// A request being answered (an event stream may last the whole session) has no deadline.
///
/// httplib hands an accepted socket to a worker thread and tells nothing of it until the request
/// has arrived, so the guard finds the server's connections itself: a watchdog thread looks at
/// the process's open sockets (/proc/self/fd) every few hundred milliseconds, knows each
/// connection by its peer's address and port (as httplib's Request has them), and shuts one down
/// (shutdown(2): its worker's read ends and httplib closes it) only after checking that the
/// descriptor is still that connection.

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace geosim::cli {

/// Most connections at once from one address, off loopback: a browser needs a few (a page, its
/// stream, a script). Default 16.
inline constexpr int kConnectionsPerAddress = 16;

class ConnectionGuard {
 public:
  /// Guards `server`, whose connections arrive on `port` (call before it listens; its port
  /// once bound, see watch_port): sets its pre-routing handler to `pre_routing` after the
  /// guard's own step, and its logger. `per_address`: the most connections from one address,
  /// 0 for no limit (on loopback).
  ConnectionGuard(httplib::Server& server, httplib::Server::HandlerWithResponse pre_routing,
                  std::chrono::milliseconds deadline, int per_address);
  ~ConnectionGuard();
  ConnectionGuard(const ConnectionGuard&) = delete;
  ConnectionGuard& operator=(const ConnectionGuard&) = delete;

  /// The port the server listens on: the guard looks after the connections to it from now.
  void watch_port(int port);

  /// Connections shut down at their deadline, and for their address, so far.
  std::int64_t cut_off() const;
  std::int64_t refused() const;

 private:
  struct Connection {
    int fd = -1;  ///< its descriptor, once the watchdog has seen it
    std::string address;
    std::chrono::steady_clock::time_point since;                    ///< when first known
    std::optional<std::chrono::steady_clock::time_point> deadline;  ///< none while answered
    bool shut = false;                                              ///< shut down by the guard
  };
  void arrived(const std::string& address, int port);
  void answered(const std::string& address, int port);
  void watch();
  void look();  ///< one look at the open sockets (the mutex held)

  const std::chrono::milliseconds deadline_;
  const int per_address_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool quit_ = false;
  int port_ = 0;
  std::map<std::string, Connection> open_;  ///< by "ADDRESS PORT" of the peer
  std::int64_t cut_off_ = 0, refused_ = 0;
  std::thread watchdog_;
};

}  // namespace geosim::cli
