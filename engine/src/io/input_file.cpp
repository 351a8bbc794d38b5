#include "geosim/io/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

namespace geosim {

const char* file_kind(unsigned mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string non_file_at(const std::string& path) {
  struct ::stat info {};
  if (path.empty() || ::stat(path.c_str(), &info) != 0 || S_ISREG(info.st_mode)) return "";
  return file_kind(info.st_mode);
}

std::string same_file_key(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) return path;
  const std::filesystem::path resolved = std::filesystem::weakly_canonical(absolute, ec);
  return ec ? path : resolved.string();
}

bool is_one_of_files(const std::string& path, const std::vector<std::string>& files) {
  const std::string key = same_file_key(path);
  return std::any_of(files.begin(), files.end(), [&](const std::string& f) { return same_file_key(f) == key; });
}

InputText read_input_file(const std::string& path, std::size_t max_bytes, std::string buffer) {
  InputText out;
  // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    out.error = errno == ENOENT || errno == ENOTDIR ? "cannot open file: no such file" : "cannot open file for reading";
    return out;
  }
  struct ::stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    out.error = std::string("expected a regular file, found ") + file_kind(info.st_mode);
  } else if (std::size_t(info.st_size) > max_bytes) {
    out.error = "expected a file of at most " + std::to_string(max_bytes >> 20) + " MiB, found " +
                std::to_string(info.st_size) + " bytes";
  } else {
    // Read into a buffer of the size measured (one copy, each page faulted in once), then on in
    // case the file grew since.
    std::string text = std::move(buffer);
    text.resize(std::size_t(info.st_size));
    std::size_t have = 0;
    ssize_t got = 1;
    while (have < text.size() && (got = ::read(fd, text.data() + have, text.size() - have)) > 0)
      have += std::size_t(got);
    text.resize(have);
    char chunk[65536];
    while (got > 0 && text.size() <= max_bytes && (got = ::read(fd, chunk, sizeof chunk)) > 0)
      text.append(chunk, std::size_t(got));
    if (got < 0)
      out.error = "cannot read the file";
    else if (text.size() > max_bytes)  // it grew since it was measured
      out.error = "expected a file of at most " + std::to_string(max_bytes >> 20) + " MiB, found more";
    else
      out.text = std::move(text);
  }
  ::close(fd);
  return out;
}

}  // namespace geosim
