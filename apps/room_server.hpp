#pragma once
// The live page of `geosim play --serve`: an HTTP server (cpp-httplib) on its own thread in the
// same process. It only reads: every method but GET is refused, and the session is never
// touched from its thread; the prompt publishes each change of state (room_snapshot.hpp), which
// the server renders into pages (room_page.hpp) and pushes to every open page with server-sent
// events. On a loopback address anyone on the machine may look; on any other address every
// request must carry the random token printed at the facilitator's terminal.
#include <geosim/report/room_page.hpp>
#include <geosim/tabletop/session.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace geosim::cli {

/// How long a page's request may take to arrive (its line and headers) before its connection is
/// cut off (room_guard.hpp: slow clients must not hold the server's threads). Default 10 s.
inline constexpr std::chrono::milliseconds kRequestDeadline{10000};

/// Where and how the live page is served.
struct RoomServerOptions {
  std::string host = "127.0.0.1";  ///< address to listen on; loopback needs no token
  int port = 8080;                 ///< 0: any free port (see RoomServer::port)
  std::string scenarios_dir;       ///< for the team views' options ("" = the default lookup)
  /// How long a request may take to arrive before its connection is cut off (room_guard.hpp).
  std::chrono::milliseconds request_deadline = kRequestDeadline;
};

/// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback(const std::string& host);

class RoomServer {
 public:
  /// Reads the templates and the network library, binds and starts serving; nullptr and
  /// `error` (one line) when it cannot.
  static std::unique_ptr<RoomServer> start(const RoomServerOptions& options, std::string& error);
  ~RoomServer();
  RoomServer(const RoomServer&) = delete;
  RoomServer& operator=(const RoomServer&) = delete;

  /// Builds every view of the session as it is now and pushes it to the open pages. Call from
  /// the thread that owns the session.
  void publish(const Session& session);
  /// Tells the open pages the session ended, and stops serving. Idempotent.
  void stop();

  int port() const;
  /// The address to open, with the token when one is needed ("http://127.0.0.1:8080/").
  std::string url(const std::string& path = "/") const;

  struct Impl;

 private:
  explicit RoomServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace geosim::cli
