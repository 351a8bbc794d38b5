// The live room's server guard (apps/room_guard.hpp) on its own, with a short deadline: a client
// that trickles its headers is cut off at the deadline, a slow answer is not, and off loopback
// one address may hold only so many connections while another address is still served.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "room_guard.hpp"
#include "support/raw_socket.hpp"

namespace geosim::cli {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::connect_from;
using testing::read_all;
using testing::send_text;

/// A guarded server on a free port of every address, answering GET / with "ok" (after `delay`).
class Served {
 public:
  Served(std::chrono::milliseconds deadline, int per_address, std::chrono::milliseconds delay = 0ms) {
    server.new_task_queue = [] { return new httplib::ThreadPool(8); };
    guard = std::make_unique<ConnectionGuard>(
        server, [](const httplib::Request&, httplib::Response&) { return httplib::Server::HandlerResponse::Unhandled; },
        deadline, per_address);
    server.Get("/", [delay](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(delay);
      res.set_content("ok", "text/plain");
    });
    port = server.bind_to_any_port("0.0.0.0");
    guard->watch_port(port);
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(1ms);
  }
  ~Served() {
    server.stop();
    thread.join();
  }
  httplib::Server server;
  std::unique_ptr<ConnectionGuard> guard;
  int port = 0;
  std::thread thread;
};

TEST(RoomGuard, AClientThatTricklesItsHeadersIsCutOffAtTheDeadline) {
  Served served(400ms, 0);
  const int sock = connect_from("127.0.0.1", served.port);
  send_text(sock, "GET / HTTP/1.1\r\n");
  const auto start = Clock::now();
  bool closed = false;
  // A header line every 100 ms: each well within httplib's read timeout (5 s), for 3 s at most.
  while (!closed && Clock::now() - start < 3s) {
    send_text(sock, "X-Slow: 1\r\n");
    read_all(sock, 100ms, closed);
  }
  const auto lasted = Clock::now() - start;
  EXPECT_TRUE(closed) << "still open after 3 s";
  EXPECT_GE(lasted, 350ms);
  EXPECT_LT(lasted, 1500ms);
  EXPECT_EQ(served.guard->cut_off(), 1);
  ::close(sock);
}

TEST(RoomGuard, AnAnswerSlowerThanTheDeadlineIsNotCutOffNorTheNextRequestOnTheConnection) {
  Served served(300ms, 0, 700ms);
  const int sock = connect_from("127.0.0.1", served.port);
  for (int request = 0; request < 2; ++request) {
    send_text(sock, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    bool closed = false;
    std::string answer;
    const auto start = Clock::now();
    while (answer.find("\r\n\r\nok") == std::string::npos && !closed && Clock::now() - start < 3s)
      answer += read_all(sock, 50ms, closed);
    EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << request << ": " << answer;
    EXPECT_NE(answer.find("ok"), std::string::npos) << request;
    EXPECT_FALSE(closed) << request;
  }
  EXPECT_EQ(served.guard->cut_off(), 0);
  ::close(sock);
}

TEST(RoomGuard, OneAddressHoldsAtMostItsConnectionsAndAnotherIsStillServed) {
  Served served(5000ms, 3);
  int held[3];
  for (int& sock : held) sock = connect_from("127.0.0.1", served.port);  // idle: each holds a thread
  std::this_thread::sleep_for(200ms);
  const int fourth = connect_from("127.0.0.1", served.port);
  bool closed = false;
  const std::string refused = read_all(fourth, 1000ms, closed);
  EXPECT_TRUE(closed) << "the fourth connection from 127.0.0.1 is shut down within a look (100 ms)";
  EXPECT_EQ(refused, "");
  EXPECT_EQ(served.guard->refused(), 1);
  const int other = connect_from("127.0.0.2", served.port);
  send_text(other, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string answer = read_all(other, 2000ms, closed);
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  for (int sock : {held[0], held[1], held[2], fourth, other}) ::close(sock);
}

}  // namespace
}  // namespace geosim::cli
