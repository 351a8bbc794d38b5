// GzipWriter and gzip_pieces (gzip.hpp): the one gzip stream writer.
#include "geosim/io/gzip.hpp"

#include <zlib.h>

#include <algorithm>

namespace geosim {

struct GzipWriter::Impl {
  OutputSink sink;
  z_stream z{};
  bool open = false;      // deflateInit2 succeeded (deflateEnd is owed)
  bool failed = false;    // compressing or the sink failed: every later call fails
  bool finished = false;  // the end of the stream is written
  std::string error;
  std::string out = std::string(std::size_t(1) << 18, '\0');

  ~Impl() {
    if (open) deflateEnd(&z);
  }
  bool fail(int status) {
    failed = true;
    error = std::string("gzip compression failed: ") + (z.msg ? z.msg : zError(status));
    return false;
  }
  /// Deflates all of `text` (then the end of the stream when `flush` is Z_FINISH), handing
  /// every byte made to the sink.
  bool put(std::string_view text, int flush) {
    if (failed) return false;
    if (finished) {
      failed = true;
      error = "gzip compression failed: the stream is already finished";
      return false;
    }
    do {
      // zlib counts in uInt: at most 1 GiB a call.
      const std::size_t chunk = std::min<std::size_t>(text.size(), std::size_t(1) << 30);
      const int mode = chunk == text.size() ? flush : Z_NO_FLUSH;
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
      z.avail_in = uInt(chunk);
      int status = Z_OK;
      // Until the input is taken in (room left over) and, when finishing, the stream ended.
      do {
        z.next_out = reinterpret_cast<Bytef*>(out.data());
        z.avail_out = uInt(out.size());
        status = deflate(&z, mode);
        if (status == Z_STREAM_ERROR) return fail(status);
        const std::size_t made = out.size() - z.avail_out;
        if (made > 0 && !sink(std::string_view(out.data(), made))) {
          failed = true;
          return false;
        }
      } while (z.avail_out == 0 || (mode == Z_FINISH && status != Z_STREAM_END));
      text.remove_prefix(chunk);
    } while (!text.empty());
    if (flush == Z_FINISH) finished = true;
    return true;
  }
};

GzipWriter::GzipWriter(int level, OutputSink sink) : impl_(std::make_unique<Impl>()) {
  impl_->sink = std::move(sink);
  // windowBits 15 + 16: a gzip wrapper with no file name and time 0.
  const int status = deflateInit2(&impl_->z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  if (status == Z_OK)
    impl_->open = true;
  else
    impl_->fail(status);
}

GzipWriter::~GzipWriter() = default;

bool GzipWriter::write(std::string_view text) { return impl_->put(text, Z_NO_FLUSH); }

bool GzipWriter::finish() { return impl_->put({}, Z_FINISH); }

const std::string& GzipWriter::error() const { return impl_->error; }

OutputPieces gzip_pieces(OutputPieces text, int level) {
  return [text = std::move(text), level](const OutputSink& write) -> std::string {
    GzipWriter gz(level, write);
    std::string made = text([&gz](std::string_view piece) { return gz.write(piece); });
    if (!gz.error().empty()) return gz.error();
    if (!made.empty()) return made;
    gz.finish();
    return gz.error();
  };
}

}  // namespace geosim
