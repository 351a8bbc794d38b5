// Writing output files safely (see geosim/io/output_file.hpp for the rules).
#include "geosim/io/output_file.hpp"

#include "geosim/io/input_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <system_error>

#include "geosim/io/interrupt.hpp"

namespace geosim {
namespace fs = std::filesystem;

namespace {

std::string reason(int error) { return std::error_code(error, std::generic_category()).message(); }

/// What is at a target now. Only an absent path or a regular file may be written.
struct Existing {
  bool exists = false;
  mode_t mode = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

std::string check_target(const fs::path& path, Existing& existing) {
  // "out/", "out/." or "..": a folder's name where a file's is wanted (the folder it would make is the path itself)
  if (const fs::path name = path.filename(); name.empty() || name == "." || name == "..")
    return fmt::format("not writing '{}': it names a folder, not a file: give a file name", path.string());
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return "";
    return fmt::format("cannot write '{}': {}", path.string(), reason(errno));
  }
  if (S_ISLNK(st.st_mode))
    return fmt::format(
        "not writing '{}': it is a symbolic link (geosim never writes through a link; "
        "give the path of the file it points to)",
        path.string());
  if (!S_ISREG(st.st_mode))
    return fmt::format("not writing '{}': it is {}, and geosim replaces only regular files", path.string(),
                       file_kind(st.st_mode));
  existing = {true, st.st_mode, st.st_uid, st.st_gid};
  return "";
}

mode_t new_file_mode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

bool write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) errno = EIO;  // nothing written and no reason given: not a stale errno's text
    if (n <= 0) return false;
    content.remove_prefix(std::size_t(n));
  }
  return true;
}

/// A temporary file that removes itself unless kept, and is removed on Ctrl-C meanwhile.
struct TempFile {
  std::string path;
  std::unique_ptr<CleanupPath> on_interrupt;
  bool keep = false;
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() { remove(); }
  void remove() {
    if (!path.empty() && !keep) ::unlink(path.c_str());
    path.clear();
    on_interrupt.reset();
  }
};

void sync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

fs::path folder_of(const fs::path& path) { return path.has_parent_path() ? path.parent_path() : fs::path("."); }

/// Whether link() failed because the file system has no hard links (or none more for this file).
bool no_hard_link(int error) {
  return error == EPERM || error == EXDEV || error == ENOTSUP || error == EOPNOTSUPP || error == EMLINK ||
         error == ENOSYS;
}

/// Copies the regular file `from` to the new file `to` (O_EXCL), with its permission bits and,
/// when allowed, its owner, flushed to disk: 0, or an errno (and no `to`).
int copy_file(const char* from, const char* to) {
  const int in = ::open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (in < 0) return errno;
  struct stat st {};
  int error = ::fstat(in, &st) != 0 ? errno : 0;
  const int out = error ? -1 : ::open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (!error && out < 0) error = errno;
  if (!error && ::fchown(out, st.st_uid, st.st_gid) != 0) st.st_mode &= 0777;
  if (!error && ::fchmod(out, st.st_mode & 07777) != 0) error = errno;
  char buffer[1 << 16];
  while (!error) {
    const ssize_t n = ::read(in, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = errno;
    if (n <= 0) break;
    if (!write_all(out, std::string_view(buffer, std::size_t(n)))) error = errno ? errno : EIO;
  }
  if (!error && ::fsync(out) != 0) error = errno;
  if (out >= 0 && ::close(out) != 0 && !error) error = errno;
  ::close(in);
  if (error && out >= 0) ::unlink(to);
  return error;
}

}  // namespace

struct OutputStream::Impl {
  fs::path target;
  Existing existing;
  TempFile temp;
  int fd = -1;
  int error = 0;           // errno of the first failed write
  std::string made_error;  // why the bytes could not be made (OutputPieces), if so
  ~Impl() {
    if (fd >= 0) ::close(fd);
  }
  bool failed() const { return error != 0 || !made_error.empty(); }
  std::string failure() const {
    return fmt::format("cannot write '{}': {}", target.string(), made_error.empty() ? reason(error) : made_error);
  }
  /// Flushes the temporary file to disk and closes it: "" when it is complete.
  std::string close() {
    if (fd < 0) return failed() ? failure() : "cannot write: no file open";
    if (!failed() && ::fsync(fd) != 0) error = errno;
    if (::close(fd) != 0 && error == 0) error = errno;
    fd = -1;
    return failed() ? failure() : "";
  }
};

OutputStream::OutputStream() = default;
OutputStream::~OutputStream() = default;

std::string OutputStream::open(const fs::path& path) {
  impl_ = std::make_unique<Impl>();
  Impl& s = *impl_;
  s.target = path;
  if (std::string error = check_target(path, s.existing); !error.empty()) return error;
  // Keep the name within NAME_MAX (255) whatever the target's name.
  std::string pattern = (folder_of(path) / ("." + path.filename().string().substr(0, 200) + ".geosim-XXXXXX")).string();
  s.fd = ::mkostemp(pattern.data(), O_CLOEXEC);  // O_CREAT | O_EXCL: never an existing file or link
  if (s.fd < 0) return fmt::format("cannot write '{}': {}", path.string(), reason(errno));
  s.temp.path = pattern;
  s.temp.on_interrupt = std::make_unique<CleanupPath>(pattern);
  mode_t mode = s.existing.exists ? (s.existing.mode & 07777) : new_file_mode();
  if (s.existing.exists && ::fchown(s.fd, s.existing.uid, s.existing.gid) != 0) mode &= 0777;
  if (::fchmod(s.fd, mode) != 0) {
    s.error = errno;
    return s.close();
  }
  return "";
}

bool OutputStream::write(std::string_view content) {
  if (!impl_ || impl_->fd < 0 || impl_->failed()) return false;
  if (write_all(impl_->fd, content)) return true;
  impl_->error = errno ? errno : EIO;
  return false;
}

std::string OutputStream::write(const OutputPieces& pieces) {
  if (!impl_ || impl_->fd < 0) return "cannot write: no file open";
  std::string made = pieces([this](std::string_view piece) { return write(piece); });
  if (!impl_->failed() && !made.empty()) impl_->made_error = std::move(made);
  return impl_->failed() ? impl_->failure() : "";
}

std::string OutputStream::commit() {
  if (!impl_) return "cannot write: no file open";
  std::string error = impl_->close();
  if (error.empty() && ::rename(impl_->temp.path.c_str(), impl_->target.c_str()) != 0)
    error = fmt::format("cannot write '{}': {}", impl_->target.string(), reason(errno));
  if (!error.empty()) {
    impl_->temp.remove();  // now, not when the stream goes
    return error;
  }
  impl_->temp.keep = true;
  sync_folder(folder_of(impl_->target));
  return "";
}

std::string write_output_file(const fs::path& path, std::string_view content) {
  OutputStream out;
  if (std::string error = out.open(path); !error.empty()) return error;
  out.write(content);
  return out.commit();
}

std::string write_output_files(const fs::path& dir, const std::vector<OutputFile>& files,
                               const std::vector<std::string>& stale) {
  return detail::write_output_files(dir, files, stale, detail::FileCalls{});
}

std::string output_folder_error(const fs::path& dir, const std::vector<std::string>& names) {
  if (dir.empty()) return "";
  if (std::string error = output_folder_error(dir); !error.empty() || names.empty()) return error;
  for (const std::string& name : names) {
    Existing existing;
    if (std::string error = check_target(dir / name, existing); !error.empty()) return error;
  }
  return "";
}

std::string make_output_folder(const fs::path& dir) {
  std::error_code ec;
  if (!dir.empty()) fs::create_directories(dir, ec);
  return ec ? fmt::format("cannot create output folder '{}': {}", dir.string(), ec.message()) : std::string();
}

std::string output_folder_error(const fs::path& dir) {
  auto refused = [&](const std::error_code& ec) {
    return fmt::format("cannot create output folder '{}': {}", dir.string(), ec.message());
  };
  for (fs::path at = dir; !at.empty();) {
    std::error_code ec;
    const fs::file_status status = fs::status(at, ec);  // through links: a link to a folder is one
    if (!ec) {
      if (fs::is_directory(status)) return "";
      return refused(std::make_error_code(std::errc::not_a_directory));
    }
    if (ec != std::errc::no_such_file_or_directory) return refused(ec);  // a file on the way: Not a directory
    if (fs::is_symlink(fs::symlink_status(at, ec)))  // a link to nothing: no folder can be made there
      return refused(std::make_error_code(std::errc::file_exists));
    const fs::path parent = at.parent_path();
    if (parent == at) break;
    at = parent;
  }
  return "";
}

std::string output_file_error(const fs::path& path, bool folder_made) {
  Existing existing;
  if (std::string error = check_target(path, existing); !error.empty()) return error;
  const fs::path folder = folder_of(path);
  if (folder_made) return output_folder_error(folder);
  struct stat st {};
  if (::stat(folder.c_str(), &st) != 0) return fmt::format("cannot write '{}': {}", path.string(), reason(errno));
  if (!S_ISDIR(st.st_mode)) return fmt::format("cannot write '{}': {}", path.string(), reason(ENOTDIR));
  return "";
}

std::string detail::write_output_files(const fs::path& dir, const std::vector<OutputFile>& files,
                                       const std::vector<std::string>& stale, const FileCalls& calls) {
  if (std::string error = make_output_folder(dir); !error.empty()) return error;
  for (const OutputFile& file : files)
    if (file.name.empty() || file.name.find('/') != std::string::npos)
      return fmt::format("cannot write '{}' in '{}': not a file name", file.name, dir.string());
  // Every target is checked (and its temporary made) before anything is written.
  std::vector<OutputStream> out(files.size());
  for (std::size_t i = 0; i < files.size(); ++i)
    if (std::string error = out[i].open(dir / files[i].name); !error.empty()) return error;
  std::vector<std::string> stale_found;  // the stale names there now (each checked, so a regular file)
  for (const std::string& name : stale) {
    if (name.empty() || name.find('/') != std::string::npos) continue;
    Existing old;
    if (std::string error = check_target(dir / name, old); !error.empty()) return error;
    if (old.exists) stale_found.push_back(name);
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (files[i].pieces)
      out[i].write(files[i].pieces);
    else
      out[i].write(files[i].content);
    if (std::string error = out[i].impl_->close(); !error.empty()) return error;
  }
  // Hard links to the old files (copies where the file system has none), in a temporary folder,
  // to put them back if a move fails.
  std::string pattern = (dir / ".geosim-XXXXXX").string();
  if (!::mkdtemp(pattern.data()))
    return fmt::format("cannot create a temporary folder in '{}': {}", dir.string(), reason(errno));
  const fs::path staging = pattern;
  CleanupPath staging_on_interrupt(pattern);  // registered first, so removed after its files
  struct RemoveStaging {
    fs::path path;
    ~RemoveStaging() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  } remove_staging{staging};
  std::vector<std::string> backups(files.size());
  std::vector<std::unique_ptr<CleanupPath>> backups_on_interrupt;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!out[i].impl_->existing.exists) continue;
    backups[i] = (staging / fmt::format("old-{}", i)).string();
    const fs::path old = dir / files[i].name;
    backups_on_interrupt.push_back(std::make_unique<CleanupPath>(backups[i]));  // before it exists
    int error = calls.link(old.c_str(), backups[i].c_str()) == 0 ? 0 : errno;
    if (no_hard_link(error)) error = copy_file(old.c_str(), backups[i].c_str());
    if (error != 0) return fmt::format("cannot write '{}': {}", old.string(), reason(error));
  }
  const InterruptsHeld held;  // a set of renames is not cut in the middle
  for (std::size_t i = 0; i < files.size(); ++i) {
    const fs::path target = dir / files[i].name;
    if (calls.rename(out[i].impl_->temp.path.c_str(), target.c_str()) == 0) {
      out[i].impl_->temp.keep = true;
      continue;
    }
    std::string error = fmt::format("cannot write '{}': {}", target.string(), reason(errno));
    // Put the old set back. A file that cannot be is named, with where its earlier contents
    // are: the temporary folder then stays (the user's data is in it).
    bool kept = false;
    for (std::size_t j = 0; j < i; ++j) {
      const fs::path moved = dir / files[j].name;
      if (backups[j].empty()) {
        if (::unlink(moved.c_str()) != 0 && errno != ENOENT)
          error += fmt::format("; '{}' (this run's, where there was none) could not be removed: {}", moved.string(),
                               reason(errno));
      } else if (calls.rename(backups[j].c_str(), moved.c_str()) != 0) {
        error += fmt::format(
            "; '{}' holds this run's data and could not be put back ({}): its earlier contents are "
            "in '{}'",
            moved.string(), reason(errno), backups[j]);
        kept = true;
      }
    }
    if (kept) {
      for (std::size_t j = i; j < files.size(); ++j)  // links to old files still in place
        if (!backups[j].empty()) ::unlink(backups[j].c_str());
      remove_staging.path.clear();
      backups_on_interrupt.clear();
    }
    return error;
  }
  // The new set is in place: the old data goes. A stale file that cannot go is named, with the
  // news that the new set is complete (the caller reports it and exits 1: the folder still holds
  // a file that is not this run's).
  std::string left;
  int left_count = 0;
  for (const std::string& name : stale_found)
    if (::unlink((dir / name).c_str()) != 0 && errno != ENOENT)
      left += fmt::format("{}'{}' (an earlier run's, not this one's) could not be removed: {}",
                          left_count++ == 0 ? "" : "; ", (dir / name).string(), reason(errno));
  sync_folder(dir);
  if (left_count == 0) return "";
  return fmt::format("the new files in '{}' are complete, but {}; delete {} before reading '{}'", dir.string(), left,
                     left_count == 1 ? "it" : "them", dir.string());
}

}  // namespace geosim
