#include "play_files.hpp"

#include <sys/stat.h>

#include <filesystem>

#include <geosim/io/input_file.hpp>

namespace geosim::cli {
namespace {
namespace fs = std::filesystem;

/// The file at `path` as stat sees it, without following a link; nullopt when there is none.
std::optional<struct stat> status_of(const std::string& path) {
  struct stat s {};
  if (::lstat(path.c_str(), &s) != 0) return std::nullopt;
  return s;
}

std::int64_t modified_ns(const struct stat& s) {
  return std::int64_t(s.st_mtim.tv_sec) * 1'000'000'000 + std::int64_t(s.st_mtim.tv_nsec);
}
}  // namespace

void OwnFiles::record(const std::string& path, OwnFile kind) {
  const auto s = status_of(path);
  if (!s) return;
  files_[same_file_key(path)] = {kind, std::uint64_t(s->st_dev), std::uint64_t(s->st_ino), std::uint64_t(s->st_size),
                                 modified_ns(*s)};
}

std::optional<std::string> OwnFiles::claim(const std::string& path, OwnFile kind) const {
  const auto s = status_of(path);
  if (!s || !S_ISREG(s->st_mode)) return std::string();
  const auto own = files_.find(same_file_key(path));
  if (own == files_.end()) return std::nullopt;
  const Written& w = own->second;
  const bool same = w.device == std::uint64_t(s->st_dev) && w.inode == std::uint64_t(s->st_ino) &&
                    w.size == std::uint64_t(s->st_size) && w.modified_ns == modified_ns(*s);
  const char* kind_name = w.kind == OwnFile::session ? "this session's saved session" : "this session's report";
  if (!same) return std::string(kind_name) + ", changed since the session wrote it";
  if (w.kind != kind) return std::string(kind_name);
  return std::string();
}

}  // namespace geosim::cli
