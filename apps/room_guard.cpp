#include "room_guard.hpp"

#include <dirent.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace geosim::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::string key_of(const std::string& address, int port) { return address + " " + std::to_string(port); }

/// The numeric address and port of a socket's peer (`peer`) or its own end; false when it has none.
bool socket_end(int fd, bool peer, std::string& address, int& port) {
  sockaddr_storage addr{};
  socklen_t length = sizeof addr;
  if ((peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &length)
            : ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length)) != 0)
    return false;
  if (addr.ss_family == AF_INET)
    port = ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
  else if (addr.ss_family == AF_INET6)
    port = ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
  else
    return false;
  char host[NI_MAXHOST] = {};
  if (::getnameinfo(reinterpret_cast<sockaddr*>(&addr), length, host, sizeof host, nullptr, 0, NI_NUMERICHOST) != 0)
    return false;
  address = host;
  return true;
}

/// The process's TCP connections whose own end is `port`: peer key -> (descriptor, address).
std::map<std::string, std::pair<int, std::string>> connections_to(int port) {
  std::map<std::string, std::pair<int, std::string>> found;
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return found;
  const int own = ::dirfd(dir);
  while (const dirent* entry = ::readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == own) continue;
    struct stat info {};
    if (::fstat(int(fd), &info) != 0 || !S_ISSOCK(info.st_mode)) continue;
    std::string address;
    int local = 0, remote = 0;
    if (!socket_end(int(fd), false, address, local) || local != port) continue;
    if (!socket_end(int(fd), true, address, remote)) continue;  // the listening socket has no peer
    found[key_of(address, remote)] = {int(fd), address};
  }
  ::closedir(dir);
  return found;
}

/// Shuts `fd` down if it is still the connection from `key` (a descriptor closed since may be
/// another's now: the same peer address and port cannot be, while the old one is in TIME_WAIT).
bool shut_down_if(int fd, const std::string& key) {
  std::string address;
  int port = 0;
  if (!socket_end(fd, true, address, port) || key_of(address, port) != key) return false;
  return ::shutdown(fd, SHUT_RDWR) == 0;
}

}  // namespace

ConnectionGuard::ConnectionGuard(httplib::Server& server, httplib::Server::HandlerWithResponse pre_routing,
                                 std::chrono::milliseconds deadline, int per_address)
    : deadline_(deadline), per_address_(per_address) {
  server.set_pre_routing_handler([this, pre_routing](const httplib::Request& req, httplib::Response& res) {
    arrived(req.remote_addr, req.remote_port);
    return pre_routing(req, res);
  });
  server.set_logger(
      [this](const httplib::Request& req, const httplib::Response&) { answered(req.remote_addr, req.remote_port); });
  watchdog_ = std::thread([this] { watch(); });
}

ConnectionGuard::~ConnectionGuard() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  wake_.notify_all();
  watchdog_.join();
}

void ConnectionGuard::watch_port(int port) {
  std::lock_guard lock(mutex_);
  port_ = port;
}

void ConnectionGuard::arrived(const std::string& address, int port) {
  std::lock_guard lock(mutex_);
  Connection& c = open_[key_of(address, port)];
  if (c.address.empty()) c = {-1, address, Clock::now(), std::nullopt};
  c.deadline.reset();
}

void ConnectionGuard::answered(const std::string& address, int port) {
  std::lock_guard lock(mutex_);
  if (auto it = open_.find(key_of(address, port)); it != open_.end()) it->second.deadline = Clock::now() + deadline_;
}

std::int64_t ConnectionGuard::cut_off() const {
  std::lock_guard lock(mutex_);
  return cut_off_;
}

std::int64_t ConnectionGuard::refused() const {
  std::lock_guard lock(mutex_);
  return refused_;
}

void ConnectionGuard::look() {
  const auto now = Clock::now();
  const auto found = connections_to(port_);
  for (auto it = open_.begin(); it != open_.end();) {  // gone: closed since (or never seen, and long ago)
    const bool gone = it->second.fd >= 0 ? !found.count(it->first) : now - it->second.since > deadline_;
    it = gone ? open_.erase(it) : std::next(it);
  }
  for (const auto& [key, socket] : found) {
    Connection& c = open_[key];
    if (c.fd < 0 && c.address.empty()) c = {socket.first, socket.second, now, now + deadline_};  // new
    c.fd = socket.first;
  }
  for (auto& [key, c] : open_)
    if (c.fd >= 0 && !c.shut && c.deadline && now >= *c.deadline) {
      if (shut_down_if(c.fd, key)) ++cut_off_;
      c.shut = true;
    }
  if (per_address_ <= 0) return;
  std::map<std::string, std::vector<std::pair<Clock::time_point, std::string>>> by_address;
  for (const auto& [key, c] : open_)
    if (c.fd >= 0 && !c.shut) by_address[c.address].push_back({c.since, key});
  for (auto& [address, keys] : by_address) {
    if (int(keys.size()) <= per_address_) continue;
    std::sort(keys.begin(), keys.end());  // the oldest keep their place
    for (std::size_t k = std::size_t(per_address_); k < keys.size(); ++k)
      if (Connection& c = open_[keys[k].second]; shut_down_if(c.fd, keys[k].second)) {
        ++refused_;
        c.shut = true;
      }
  }
}

void ConnectionGuard::watch() {
  // Looks a tenth of the deadline apart (100 ms at most): a connection is cut off soon after.
  const auto every = std::clamp(deadline_ / 10, std::chrono::milliseconds(10), std::chrono::milliseconds(100));
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, every, [this] { return quit_; }))
    if (port_ > 0) look();
}

}  // namespace geosim::cli
