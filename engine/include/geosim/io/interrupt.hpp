#pragma once
/// Ctrl-C (SIGINT) and SIGTERM: what geosim cleans up before it ends.
///
/// A program that calls install_interrupt_cleanup() removes, when interrupted, every temporary
/// file and folder registered with a CleanupPath, and stops (SIGKILL, then waits for) every
/// child process registered with a CleanupChild, then ends by the same signal (so its exit
/// status says "interrupted"). While an InterruptDeferral is alive, SIGINT only sets a flag
/// (interrupt_requested()) and interrupts the blocking read in progress, so an interactive
/// program can offer to save first.
///
/// The registry is the one process-wide state in geosim: a signal handler can reach nothing
/// else. It holds at most kMaxCleanupPaths paths and kMaxCleanupChildren children; a
/// registration beyond that is not cleaned up on interrupt (it still is on normal paths).
#include <signal.h>
#include <sys/types.h>
#include <string>

namespace geosim {

inline constexpr int kMaxCleanupPaths = 64;    ///< temporaries registered at once
inline constexpr int kMaxCleanupChildren = 8;  ///< child processes registered at once

/// Installs the SIGINT/SIGTERM handler (idempotent). Call once, early, from main(). It also
/// ignores SIGXFSZ, so that a write past the file size limit (`ulimit -f`) fails as a write
/// (EFBIG: reported with the file's name, its temporary removed, as on a full disk) instead of
/// ending the program with a half-written temporary file left behind.
void install_interrupt_cleanup();

/// Registers `path` (a file, or an empty folder once its files are gone) for removal on
/// interrupt while this object lives. Paths are removed in the reverse order of registration.
class CleanupPath {
 public:
  explicit CleanupPath(std::string path);
  ~CleanupPath();
  CleanupPath(const CleanupPath&) = delete;
  CleanupPath& operator=(const CleanupPath&) = delete;

 private:
  std::string path_;
  int slot_ = -1;
};

/// Registers a child process to kill and reap on interrupt while this object lives. A child that
/// leads a process group of its own (started with POSIX_SPAWN_SETPGROUP, pgroup 0) is killed with
/// its whole group, so what it started is stopped too.
class CleanupChild {
 public:
  explicit CleanupChild(pid_t pid);
  ~CleanupChild();
  CleanupChild(const CleanupChild&) = delete;
  CleanupChild& operator=(const CleanupChild&) = delete;

 private:
  int slot_ = -1;
};

/// Holds SIGINT and SIGTERM back from this thread while alive; one that arrives meanwhile is
/// delivered when it ends. For a step that must not be cut in the middle: a set of renames, or
/// starting a child and registering it (a Ctrl-C between the two would leave it running).
class InterruptsHeld {
 public:
  InterruptsHeld();
  ~InterruptsHeld();
  InterruptsHeld(const InterruptsHeld&) = delete;
  InterruptsHeld& operator=(const InterruptsHeld&) = delete;
  /// The signal mask before: what a child started meanwhile should run with.
  const sigset_t& before() const { return before_; }

 private:
  sigset_t before_{};
};

/// While alive (and the handler is installed), SIGINT sets interrupt_requested() and makes the
/// blocking read in progress fail with EINTR instead of ending the program.
class InterruptDeferral {
 public:
  InterruptDeferral();
  ~InterruptDeferral();
  InterruptDeferral(const InterruptDeferral&) = delete;
  InterruptDeferral& operator=(const InterruptDeferral&) = delete;
};

/// Whether SIGINT arrived while deferred since the last clear_interrupt().
bool interrupt_requested();
void clear_interrupt();

}  // namespace geosim
