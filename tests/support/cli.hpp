#pragma once
// Running the geosim command line from tests: exit code, stdout and stderr.

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace geosim::testing {

/// Whether this build has AddressSanitizer, which reserves terabytes of address space: a test
/// that bounds a command's memory with `ulimit -v` cannot run under it.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

struct Output {
  int code = -1;
  std::string out;
  std::string err;
};

/// A new empty folder under the system's temp folder, unique to this process.
std::filesystem::path temp_dir(const std::string& name);
/// Writes `text` to `path` (its folder made).
void spit(const std::filesystem::path& path, const std::string& text);
/// The names in `dir`, sorted.
std::vector<std::string> names_in(const std::filesystem::path& dir);
/// The whole file as bytes ("" if it cannot be read).
std::string slurp(const std::filesystem::path& path);
/// The first of `names` found as an executable file in a folder of $PATH (in order), with its path.
std::optional<std::string> find_program(std::initializer_list<const char*> names);
/// Runs `geosim ARGS` with the shipped scenarios, no stdin, capturing stdout and stderr.
Output run_cli(const std::string& args);
/// Runs a shell command line with the shipped scenarios (GEOSIM_SCENARIOS), no stdin, capturing
/// stdout and stderr.
Output run_shell(const std::string& command);
/// The `index`-th (from 0) ```sh block of the section under the line `heading` in docs/`doc`
/// of the source tree (up to the next heading), without its fences; "" when the file, the
/// heading or the block in that section is missing.
std::string doc_sh_block(const std::string& doc, const std::string& heading, int index = 0);
/// The word after the first `what` in a shell command ("--seed" in "... --seed 7 \\" gives
/// "7"); "" when `what` is not there or no word follows it.
std::string sh_word_after(const std::string& command, const std::string& what);

/// alarm(seconds) for the scope: a hang (a FIFO opened for writing) ends the test binary by
/// SIGALRM instead of the whole suite waiting. Disarmed when the scope ends, also after a failed
/// ASSERT, so that it cannot end a later test.
class HangLimit {
 public:
  explicit HangLimit(unsigned seconds);
  ~HangLimit();
  HangLimit(const HangLimit&) = delete;
  HangLimit& operator=(const HangLimit&) = delete;
};

/// Files larger than `bytes` cannot be written for the scope (EFBIG, with SIGXFSZ ignored): a
/// write that fails half-way, as on a full disk. The old limit and SIGXFSZ's handler come back
/// when the scope ends.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(unsigned long long bytes);
  ~FileSizeLimit();
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  unsigned long long old_soft_ = 0;
  void (*old_handler_)(int) = nullptr;
};

}  // namespace geosim::testing
