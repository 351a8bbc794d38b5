// The SIGINT/SIGTERM cleanup registry (see geosim/io/interrupt.hpp). Everything the handler touches
// is a lock-free atomic, and it calls only async-signal-safe functions (kill, waitpid, unlink,
// rmdir, sigaction, raise).
#include "geosim/io/interrupt.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace geosim {

namespace {

struct Registry {
  std::atomic<const char*> paths[kMaxCleanupPaths] = {};
  std::atomic<unsigned> order[kMaxCleanupPaths] = {};  ///< registration sequence of each slot
  std::atomic<pid_t> children[kMaxCleanupChildren] = {};
  std::atomic<unsigned> next{1};
  std::atomic<int> deferred{0};
  std::atomic<bool> installed{false};
  volatile sig_atomic_t interrupted = 0;
};

Registry& registry() {
  static Registry r;  // the one process-wide state: a signal handler can reach nothing else
  return r;
}

void on_signal(int sig) {
  Registry& r = registry();
  const int saved_errno = errno;
  if (sig == SIGINT && r.deferred.load() > 0) {
    r.interrupted = 1;
    errno = saved_errno;
    return;
  }
  for (auto& child : r.children)
    if (const pid_t pid = child.exchange(0); pid > 0) {
      ::kill(-pid, SIGKILL);  // its process group, when it leads one: what it started too
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
  // Newest first, so a temporary folder's files go before the folder.
  while (true) {
    int newest = -1;
    unsigned best = 0;
    for (int i = 0; i < kMaxCleanupPaths; ++i)
      if (r.paths[i].load() && r.order[i].load() >= best) newest = i, best = r.order[i].load();
    if (newest < 0) break;
    if (const char* p = r.paths[newest].exchange(nullptr))
      if (::unlink(p) != 0) ::rmdir(p);
  }
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  ::sigaction(sig, &dfl, nullptr);
  ::raise(sig);  // delivered when this handler returns: the program ends by the signal
}

}  // namespace

void install_interrupt_cleanup() {
  Registry& r = registry();
  if (r.installed.exchange(true)) return;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a deferred SIGINT must interrupt a blocking read
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGXFSZ, &ignore, nullptr);
}

CleanupPath::CleanupPath(std::string path) : path_(std::move(path)) {
  Registry& r = registry();
  for (int i = 0; i < kMaxCleanupPaths; ++i) {
    const char* expected = nullptr;
    if (r.paths[i].compare_exchange_strong(expected, path_.c_str())) {
      r.order[i].store(r.next.fetch_add(1));
      slot_ = i;
      return;
    }
  }
}

CleanupPath::~CleanupPath() {
  if (slot_ < 0) return;
  const char* mine = path_.c_str();
  registry().paths[slot_].compare_exchange_strong(mine, nullptr);
}

CleanupChild::CleanupChild(pid_t pid) {
  Registry& r = registry();
  for (int i = 0; i < kMaxCleanupChildren; ++i) {
    pid_t expected = 0;
    if (r.children[i].compare_exchange_strong(expected, pid)) {
      slot_ = i;
      return;
    }
  }
}

CleanupChild::~CleanupChild() {
  if (slot_ >= 0) registry().children[slot_].store(0);
}

InterruptsHeld::InterruptsHeld() {
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &block, &before_);
}

InterruptsHeld::~InterruptsHeld() { ::pthread_sigmask(SIG_SETMASK, &before_, nullptr); }

InterruptDeferral::InterruptDeferral() { registry().deferred.fetch_add(1); }
InterruptDeferral::~InterruptDeferral() { registry().deferred.fetch_sub(1); }

bool interrupt_requested() { return registry().interrupted != 0; }
void clear_interrupt() { registry().interrupted = 0; }

}  // namespace geosim
