#pragma once
/// Writing gzip: the one place where geosim compresses (`run --gzip`'s tension.csv.gz,
/// `ensemble --per-run FILE.gz`). zlib's deflate with a gzip header that has no file name and
/// time 0, window 2^15, memLevel 8, the default strategy: the bytes depend on the text and the
/// level only, never on how the text is cut into pieces or on the clock.
#include <memory>
#include <string>
#include <string_view>

#include "geosim/io/output_file.hpp"

namespace geosim {

/// One gzip stream: text goes in by write() in pieces of any size, the compressed bytes go out
/// to `sink` as they are made (in pieces of at most 256 KiB), finish() ends the stream.
class GzipWriter {
 public:
  /// `level`: deflate level, 1 fastest to 9 smallest. A bad level fails the first write with
  /// zlib's reason in error().
  GzipWriter(int level, OutputSink sink);
  ~GzipWriter();
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;
  /// Compresses `text`; false (and every later call too) once compressing or the sink failed.
  bool write(std::string_view text);
  /// Ends the stream (once); false as write().
  bool finish();
  /// Why compressing failed ("gzip compression failed: <zlib's reason>"); "" when it did not,
  /// and when only the sink failed (whose owner knows why).
  const std::string& error() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// `text`'s pieces through a GzipWriter, for an OutputFile too large to hold in memory; a
/// compression failure is returned as the reason.
OutputPieces gzip_pieces(OutputPieces text, int level);

}  // namespace geosim
