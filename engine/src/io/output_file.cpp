// Writing output files safely (see geosim/io/output_file.hpp for the rules).
#include "geosim/io/output_file.hpp"

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

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string check_target(const fs::path& path, Existing& existing) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return "";
    return fmt::format("cannot write '{}': {}", path.string(), reason(errno));
  }
  if (S_ISLNK(st.st_mode))
    return fmt::format("not writing '{}': it is a symbolic link (geosim never writes through a link; "
                       "give the path of the file it points to)",
                       path.string());
  if (!S_ISREG(st.st_mode))
    return fmt::format("not writing '{}': it is {}, and geosim replaces only regular files", path.string(),
                       kind_of(st.st_mode));
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
  ~TempFile() {
    if (!path.empty() && !keep) ::unlink(path.c_str());
  }
};

/// Writes `content` to a new file `.NAME.geosim-XXXXXX` in `folder`, with the mode (and owner)
/// of `existing`, flushed to disk. Returns "" or an error about `target`.
std::string write_temp(const fs::path& folder, const std::string& name, std::string_view content,
                       const Existing& existing, const fs::path& target, TempFile& temp,
                       const OutputPieces& pieces = {}) {
  // Keep the name within NAME_MAX (255) whatever the target's name.
  std::string pattern = (folder / ("." + name.substr(0, 200) + ".geosim-XXXXXX")).string();
  const int fd = ::mkstemp(pattern.data());  // O_CREAT | O_EXCL: never an existing file or link
  if (fd < 0) return fmt::format("cannot write '{}': {}", target.string(), reason(errno));
  temp.path = pattern;
  temp.on_interrupt = std::make_unique<CleanupPath>(pattern);
  mode_t mode = existing.exists ? (existing.mode & 07777) : new_file_mode();
  if (existing.exists && ::fchown(fd, existing.uid, existing.gid) != 0) mode &= 0777;
  errno = 0;
  bool ok = ::fchmod(fd, mode) == 0 &&
            (pieces ? pieces([fd](std::string_view piece) { return write_all(fd, piece); }) : write_all(fd, content)) &&
            ::fsync(fd) == 0;
  const int error = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok) return fmt::format("cannot write '{}': {}", target.string(), reason(error ? error : EIO));
  return "";
}

void sync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

fs::path folder_of(const fs::path& path) {
  return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

/// Blocks SIGINT and SIGTERM while alive, so a set of renames is not cut in the middle.
struct SignalsHeld {
  sigset_t old{};
  SignalsHeld() {
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    ::pthread_sigmask(SIG_BLOCK, &block, &old);
  }
  ~SignalsHeld() { ::pthread_sigmask(SIG_SETMASK, &old, nullptr); }
};

}  // namespace

std::string write_output_file(const fs::path& path, std::string_view content) {
  Existing existing;
  if (std::string error = check_target(path, existing); !error.empty()) return error;
  const fs::path folder = folder_of(path);
  TempFile temp;
  if (std::string error = write_temp(folder, path.filename().string(), content, existing, path, temp);
      !error.empty())
    return error;
  if (::rename(temp.path.c_str(), path.c_str()) != 0)
    return fmt::format("cannot write '{}': {}", path.string(), reason(errno));
  temp.keep = true;
  sync_folder(folder);
  return "";
}

struct OutputStream::Impl {
  fs::path target;
  Existing existing;
  TempFile temp;
  int fd = -1;
  int error = 0;  // errno of the first failed write
  ~Impl() {
    if (fd >= 0) ::close(fd);
  }
};

OutputStream::OutputStream() = default;
OutputStream::~OutputStream() = default;

std::string OutputStream::open(const fs::path& path) {
  impl_ = std::make_unique<Impl>();
  impl_->target = path;
  if (std::string error = check_target(path, impl_->existing); !error.empty()) return error;
  // An empty temporary file (mode and owner set), then kept open for appending.
  if (std::string error = write_temp(folder_of(path), path.filename().string(), "", impl_->existing, path, impl_->temp);
      !error.empty())
    return error;
  impl_->fd = ::open(impl_->temp.path.c_str(), O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
  if (impl_->fd < 0) return fmt::format("cannot write '{}': {}", path.string(), reason(errno));
  return "";
}

bool OutputStream::write(std::string_view content) {
  if (!impl_ || impl_->fd < 0 || impl_->error != 0) return false;
  if (write_all(impl_->fd, content)) return true;
  impl_->error = errno ? errno : EIO;
  return false;
}

std::string OutputStream::commit() {
  if (!impl_ || impl_->fd < 0) return "cannot write: no file open";
  const std::string target = impl_->target.string();
  if (impl_->error == 0 && ::fsync(impl_->fd) != 0) impl_->error = errno;
  if (::close(impl_->fd) != 0 && impl_->error == 0) impl_->error = errno;
  impl_->fd = -1;
  if (impl_->error != 0) return fmt::format("cannot write '{}': {}", target, reason(impl_->error));
  if (::rename(impl_->temp.path.c_str(), impl_->target.c_str()) != 0)
    return fmt::format("cannot write '{}': {}", target, reason(errno));
  impl_->temp.keep = true;
  sync_folder(folder_of(impl_->target));
  return "";
}

std::string write_output_files(const fs::path& dir, const std::vector<OutputFile>& files,
                               const std::vector<std::string>& stale) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fmt::format("cannot create output folder '{}': {}", dir.string(), ec.message());
  std::vector<Existing> existing(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (files[i].name.empty() || files[i].name.find('/') != std::string::npos)
      return fmt::format("cannot write '{}' in '{}': not a file name", files[i].name, dir.string());
    if (std::string error = check_target(dir / files[i].name, existing[i]); !error.empty()) return error;
  }
  std::vector<std::string> stale_found;  // the stale names there now (each checked, so a regular file)
  for (const std::string& name : stale) {
    if (name.empty() || name.find('/') != std::string::npos) continue;
    Existing old;
    if (std::string error = check_target(dir / name, old); !error.empty()) return error;
    if (old.exists) stale_found.push_back(name);
  }
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

  std::vector<TempFile> temps(files.size());
  for (std::size_t i = 0; i < files.size(); ++i)
    if (std::string error =
            write_temp(staging, files[i].name, files[i].content, existing[i], dir / files[i].name, temps[i],
                       files[i].pieces);
        !error.empty())
      return error;
  // Hard links to the old files, to put them back if a move fails.
  std::vector<std::string> backups(files.size());
  std::vector<std::unique_ptr<CleanupPath>> backups_on_interrupt;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!existing[i].exists) continue;
    backups[i] = (staging / fmt::format("old-{}", i)).string();
    if (::link((dir / files[i].name).c_str(), backups[i].c_str()) != 0)
      return fmt::format("cannot write '{}': {}", (dir / files[i].name).string(), reason(errno));
    backups_on_interrupt.push_back(std::make_unique<CleanupPath>(backups[i]));
  }
  SignalsHeld held;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const fs::path target = dir / files[i].name;
    if (::rename(temps[i].path.c_str(), target.c_str()) == 0) {
      temps[i].keep = true;
      continue;
    }
    const std::string error = fmt::format("cannot write '{}': {}", target.string(), reason(errno));
    for (std::size_t j = 0; j < i; ++j) {  // put the old set back
      const fs::path moved = dir / files[j].name;
      if (backups[j].empty()) ::unlink(moved.c_str());
      else ::rename(backups[j].c_str(), moved.c_str());
    }
    return error;
  }
  for (const std::string& name : stale_found)  // the new set is in place: the old data goes
    if (::unlink((dir / name).c_str()) != 0 && errno != ENOENT)
      return fmt::format("wrote the new files in '{}' but cannot remove the old '{}' beside them: {}", dir.string(),
                         name, reason(errno));
  sync_folder(dir);
  return "";
}

}  // namespace geosim
