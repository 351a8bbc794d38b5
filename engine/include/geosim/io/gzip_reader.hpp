#pragma once
/// Reading a file that may be gzip: the one place where geosim decompresses (ingest's event
/// files). zlib's gzread stopped silently at bytes after a member that were no gzip member (a
/// second member corrupt at its first byte, a download with junk appended): half a file's
/// events went uncounted with no word. Here every byte is accounted for.
#include <memory>
#include <string>

namespace geosim {

/// A file's bytes, decompressed when it starts with the gzip magic (1f 8b): one member or
/// several (as `cat a.gz b.gz` makes), each checked to its end (CRC and length). A member cut
/// short, corrupt data, or bytes after a member that do not start another are an error.
/// Anything else is read as it is.
class GzipReader {
 public:
  /// Reads from `fd` (open, at its start; not closed here).
  explicit GzipReader(int fd);
  ~GzipReader();
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;
  /// Up to `size` bytes into `out`: how many, 0 at the end, -1 on error (then error()).
  long long read(char* out, std::size_t size);
  /// Why reading failed: "corrupt or truncated gzip data (REASON)", or the system's reason.
  const std::string& error() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace geosim
