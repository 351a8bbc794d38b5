#pragma once
// Plain TCP connections for the live server's tests: from a chosen loopback address, writing raw
// request bytes and reading what comes back until the server closes the connection.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace geosim::testing {

/// A TCP connection to 127.0.0.1:`port` from `from` (any address of 127.0.0.0/8); -1 on failure.
inline int connect_from(const char* from, int port) {
  const int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, from, &local.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(std::uint16_t(port));
  ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (sock < 0 || ::bind(sock, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      ::connect(sock, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    if (sock >= 0) ::close(sock);
    return -1;
  }
  return sock;
}

inline void send_text(int sock, const std::string& text) { ::send(sock, text.data(), text.size(), MSG_NOSIGNAL); }

/// What the server sends until it closes the connection (`closed`) or until `timeout`.
inline std::string read_all(int sock, std::chrono::milliseconds timeout, bool& closed) {
  std::string text;
  const auto end = std::chrono::steady_clock::now() + timeout;
  closed = false;
  while (std::chrono::steady_clock::now() < end) {
    pollfd p{sock, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    char buffer[4096];
    const ssize_t got = ::recv(sock, buffer, sizeof buffer, 0);
    if (got <= 0) {
      closed = true;
      break;
    }
    text.append(buffer, std::size_t(got));
  }
  return text;
}

}  // namespace geosim::testing
