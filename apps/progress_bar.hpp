#pragma once
// A tiny progress bar on stderr, fed by the engine's progress callbacks. Presentation only: it
// draws nothing unless stderr is a terminal, nothing for work that ends within a moment, at
// most ten times a second, and erases itself when done. It never touches stdout or files.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace geosim::cli {

class ProgressBar {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ProgressBar(std::string label) : label_(std::move(label)), enabled_(::isatty(STDERR_FILENO) == 1) {}
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar() { finish(); }

  /// False when stderr is not a terminal: callers then need not report progress at all.
  bool enabled() const { return enabled_; }

  /// `done` of `total` units of work are finished.
  void update(long done, long total) {
    if (!enabled_ || total <= 0) return;
    const auto now = Clock::now();
    if (now - start_ < std::chrono::milliseconds(400)) return;  // short work: no bar at all
    if (drawn_ && now - last_ < std::chrono::milliseconds(100) && done < total) return;
    last_ = now;
    drawn_ = true;
    constexpr int width = 30;
    const int filled = int(width * done / total);
    std::string bar(std::size_t(filled), '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "\r%s [%s] %ld/%ld%s\033[K", label_.c_str(), bar.c_str(), done, total,
                 time_left(now - start_, done, total).c_str());
    std::fflush(stderr);
  }

  /// ", about 40 s left" from the pace so far, once a second has passed and some work is done.
  static std::string time_left(Clock::duration elapsed, long done, long total) {
    const double seconds = std::chrono::duration<double>(elapsed).count();
    if (seconds < 1.0 || done <= 0 || done >= total) return "";
    const double left = seconds * double(total - done) / double(done);
    if (left < 90.0) return ", about " + std::to_string(long(left + 0.5)) + " s left";
    if (left < 5400.0) return ", about " + std::to_string(long(left / 60.0 + 0.5)) + " min left";
    return ", about " + std::to_string(long(left / 3600.0 + 0.5)) + " h left";
  }

  /// Erases the bar if one was drawn.
  void finish() {
    if (!drawn_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
  }

 private:
  std::string label_;
  bool enabled_ = false;
  bool drawn_ = false;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_{};
};

}  // namespace geosim::cli
