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

/// `text` as a gzip file (deflate level `level`, 1 fastest to 9 smallest; no file name and time
/// 0 in the header, so the bytes depend on the text only), for writing with the functions here.
/// Empty with a one-line `error` if zlib fails.
std::string gzip_compress(std::string_view text, int level, std::string& error);

/// Hands a file's bytes over piece by piece to its argument, which returns false once a write
/// failed (then stop and return false); returns true when every piece was written.
using OutputPieces = std::function<bool(const std::function<bool(std::string_view)>& write)>;

/// One file of a set written together.
struct OutputFile {
  std::string name;     ///< file name inside the folder (no '/')
  std::string content;  ///< the bytes to write, unless `pieces` is set
  /// For a file too large to hold in memory: its bytes, written as they are made (then
  /// `content` is not used). Empty: write `content`.
  OutputPieces pieces = {};
};

/// `text`'s pieces compressed as gzip_compress does (the same bytes), for a file too large to
/// hold in memory.
OutputPieces gzip_pieces(OutputPieces text, int level);

/// Writes a set of files into `dir` (created if missing) so that a failure leaves the old set
/// or the new set, never a mix: every file is written into a temporary folder inside `dir`
/// first, every target is checked (regular file or absent) before anything is replaced, and
/// the files are then moved into place; if a move fails, the ones already moved are put back.
/// `stale` names files of an earlier set that the new set replaces under another name (say
/// tension.csv when writing tension.csv.gz): each is checked like a target (a folder, a link or
/// a device there refuses the whole set) and, once the new set is in place, removed, so no
/// reader takes the old data for the new. Returns "" on success, otherwise a one-line message.
std::string write_output_files(const std::filesystem::path& dir, const std::vector<OutputFile>& files,
                               const std::vector<std::string>& stale = {});

/// One output file written a piece at a time (too large to hold in memory), by the same rules:
/// open() checks the target and creates the temporary file, write() appends, commit() flushes
/// it to disk and renames it over the target. Without a successful commit() (a failure, an
/// early return, Ctrl-C) the temporary file is removed and the target is untouched.
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
  /// "" when the file is complete and in place; otherwise a one-line message.
  std::string commit();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace geosim
