#pragma once
/// Writing output files safely: the one place where geosim creates or replaces a file.
///
/// Rules (documented for users in README.md, "Output files"):
/// - The content goes to a new, uniquely named temporary file in the target's folder
///   (`.NAME.geosim-XXXXXX`, created with O_EXCL), is flushed to disk and renamed over the
///   target, so the target is either the old file or the complete new one.
/// - Only a regular file is replaced. A device (`/dev/null`), a folder, a FIFO or a socket is
///   refused, and so is a symbolic link (geosim never writes through a link: give the path of
///   the file it points to).
/// - A replaced file keeps its permission bits (and, when allowed, its owner); a new file gets
///   0666 less the umask, as with any program.
/// - Temporaries are removed on every failure path, and on Ctrl-C (see interrupt.hpp).
#include <stdio.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace geosim {

/// Writes `content` to `path` as described above. Returns "" on success, otherwise a one-line
/// message naming the file and the reason; on failure `path` is untouched.
std::string write_output_file(const std::filesystem::path& path, std::string_view content);

/// Takes a file's next bytes; false once the write failed (the writer knows why).
using OutputSink = std::function<bool(std::string_view piece)>;

/// Hands a file's bytes over piece by piece to `write`. When `write` returns false, stop and
/// return "" (the writer reports its own failure). Returns "" when every piece was written,
/// otherwise the reason the bytes could not be made (say, zlib's), reported with the file's name.
using OutputPieces = std::function<std::string(const OutputSink& write)>;

/// One file of a set written together.
struct OutputFile {
  std::string name;     ///< file name inside the folder (no '/')
  std::string content;  ///< the bytes to write, unless `pieces` is set
  /// For a file too large to hold in memory: its bytes, written as they are made (then
  /// `content` is not used). Empty: write `content`.
  OutputPieces pieces = {};
};

/// Writes a set of files into `dir` (created if missing) so that a failure leaves the old set
/// or the new set, never a mix: every target is checked (regular file or absent) before anything
/// is written, every file is written whole to its temporary file (an OutputStream each), and the
/// files are then moved into place; if a move fails, the ones already moved are put back (from
/// hard links to the old files, kept in a temporary folder inside `dir` meanwhile; on a file
/// system without hard links, from copies of them made there before anything is moved); one
/// that cannot be put back is named in the message with where its earlier contents are ("...;
/// 'D/a.csv' holds this run's data and could not be put back (REASON): its earlier contents are
/// in 'D/.geosim-XXXXXX/old-0'"), and that temporary folder is then kept.
/// `stale` names files of an earlier set that the new set replaces under another name (say
/// tension.csv when writing tension.csv.gz): each is checked like a target (a folder, a link or
/// a device there refuses the whole set) and, once the new set is in place, removed, so no
/// reader takes the old data for the new. Returns "" on success, otherwise a one-line message;
/// when only removing a stale file failed, the new set is complete and in place and the message
/// says so and names each stale file left ("the new files in 'D' are complete, but 'D/N' (an
/// earlier run's, not this one's) could not be removed: REASON; delete it before reading 'D'").
std::string write_output_files(const std::filesystem::path& dir, const std::vector<OutputFile>& files,
                               const std::vector<std::string>& stale = {});

/// Makes `dir` and its parents (nothing to do when it is "" or there): "" or the one message of a
/// folder that cannot be made ("cannot create output folder 'D': REASON").
std::string make_output_folder(const std::filesystem::path& dir);

/// Why `dir` could not become an output folder, found without making anything, so that a
/// command refuses before it works (not after a long run and its summary): the path, or its
/// nearest existing ancestor, is there but no folder (nor a link to one), or cannot be looked
/// at. The message is write_output_files' ("cannot create output folder 'D': Not a directory").
/// Empty when the folder can be tried (what is left, a full disk say, write_output_files finds).
/// `names`: the files the command will write in it, each checked as write_output_files checks
/// its targets (a folder, a link, a FIFO or a device there refuses the set).
std::string output_folder_error(const std::filesystem::path& dir);
std::string output_folder_error(const std::filesystem::path& dir, const std::vector<std::string>& names);

/// Why `path` could not be written as one file, found without making anything, so that a command
/// refuses before it works: something other than a regular file is there (a folder, a link, a
/// FIFO, a device), or its folder is missing or no folder (with `folder_made`, for a command
/// that makes it first: output_folder_error's refusal). The message is write_output_file's.
/// Empty when the file can be tried (what is left, a full disk say, the writer finds).
std::string output_file_error(const std::filesystem::path& path, bool folder_made = false);

namespace detail {
/// The calls write_output_files makes to keep an old file (`link`) and to move a new one into
/// place (`rename`): ::link and ::rename, or a test's, to fail as a file system can.
struct FileCalls {
  int (*link)(const char* from, const char* to) = ::link;
  int (*rename)(const char* from, const char* to) = ::rename;
};
/// write_output_files making those calls through `calls`.
std::string write_output_files(const std::filesystem::path& dir, const std::vector<OutputFile>& files,
                               const std::vector<std::string>& stale, const FileCalls& calls);
}  // namespace detail

/// One output file written a piece at a time (too large to hold in memory): the one mechanism
/// behind every function here. open() checks the target (regular file or absent, else refused)
/// and creates the temporary file next to it, write() appends, commit() flushes it to disk and
/// renames it over the target. Without a successful commit() (a failure, an early return,
/// Ctrl-C) the temporary file is removed and the target is untouched.
class OutputStream {
 public:
  OutputStream();
  ~OutputStream();
  OutputStream(const OutputStream&) = delete;
  OutputStream& operator=(const OutputStream&) = delete;
  /// "" or a one-line message naming the file and the reason.
  std::string open(const std::filesystem::path& path);
  /// Appends `content`; false (and every later write too) once a write failed.
  bool write(std::string_view content);
  /// Appends `pieces`' bytes. "" or a one-line message naming the file and the reason (a failed
  /// write's, or why the bytes could not be made); after a failure, commit() is refused.
  std::string write(const OutputPieces& pieces);
  /// "" when the file is complete and in place; otherwise a one-line message.
  std::string commit();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  friend std::string detail::write_output_files(const std::filesystem::path&, const std::vector<OutputFile>&,
                                                const std::vector<std::string>&, const detail::FileCalls&);
};

}  // namespace geosim
