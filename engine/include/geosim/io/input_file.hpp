#pragma once
/// \file
/// Reading an untrusted input file (a scenario, a policy, a saved session) with a bound: only
/// a regular file, never more than a limit, never blocking on a FIFO or a device.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace geosim {

/// Most bytes of one scenario or policy file: 4 MiB.
inline constexpr std::size_t kMaxInputFileBytes = std::size_t(4) << 20;

/// The text of a file, or why it could not be read.
struct InputText {
  std::optional<std::string> text;  ///< the whole file; nullopt on error
  std::string error;                ///< one line, without the path: "expected a regular file, ..."
};

/// Reads the regular file at `path`, refusing directories, devices, FIFOs and sockets (opened
/// without blocking, checked on the open file) and files over `max_bytes` (checked before and
/// while reading, so a file that grows is refused too).
/// `buffer`: memory to read into (its capacity reused, its contents lost), so that reading file
/// after file of the same size faults no fresh pages in; take it back from the result's `text`.
InputText read_input_file(const std::string& path, std::size_t max_bytes = kMaxInputFileBytes, std::string buffer = {});

/// What a file mode (stat's st_mode) holds when it is no regular file: "a folder", "a device",
/// "a FIFO", "a socket", else "not a regular file". The one naming of what geosim refuses to read
/// or replace.
const char* file_kind(unsigned mode);

/// file_kind of what is at `path` (a link followed); "" when it is a regular file or nothing is
/// there.
std::string non_file_at(const std::string& path);

/// The path made absolute and resolved (links, `.` and `..`) as far as it exists, so that two
/// paths naming the same file give the same key; the path as given when it cannot be resolved.
/// The one comparison of "is this the same file" (an input named as an output, a file named twice).
std::string same_file_key(const std::string& path);

/// Whether `path` names the same file (same_file_key) as one of `files`: a policy given twice
/// however it is spelled, an output that is one of the inputs.
bool is_one_of_files(const std::string& path, const std::vector<std::string>& files);

}  // namespace geosim
