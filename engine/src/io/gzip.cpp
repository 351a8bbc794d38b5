// gzip_compress and gzip_pieces (output_file.hpp): a text, whole or piece by piece, as gzip bytes.
#include <zlib.h>

#include <algorithm>

#include "geosim/io/output_file.hpp"

namespace geosim {

std::string gzip_compress(std::string_view text, int level, std::string& error) {
  z_stream z{};
  // windowBits 15 + 16: a gzip wrapper with no file name and time 0.
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    error = "cannot start the gzip compressor";
    return {};
  }
  std::string out(deflateBound(&z, uLong(text.size())), '\0');
  std::string_view rest = text;
  int status = Z_OK;
  std::size_t written = 0;
  while (status == Z_OK) {
    // zlib counts in uInt: feed at most 1 GiB at a time.
    const std::size_t chunk = std::min<std::size_t>(rest.size(), std::size_t(1) << 30);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(rest.data()));
    z.avail_in = uInt(chunk);
    if (out.size() - written < 64) out.resize(out.size() * 2 + 64);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + written);
    z.avail_out = uInt(std::min<std::size_t>(out.size() - written, std::size_t(1) << 30));
    const uInt before_out = z.avail_out;
    status = deflate(&z, chunk == rest.size() ? Z_FINISH : Z_NO_FLUSH);
    written += before_out - z.avail_out;
    rest.remove_prefix(chunk - z.avail_in);
    if (status == Z_BUF_ERROR) status = Z_OK;  // no progress possible until more room: loop grows it
  }
  deflateEnd(&z);
  if (status != Z_STREAM_END) {
    error = "cannot compress with gzip";
    return {};
  }
  out.resize(written);
  return out;
}

OutputPieces gzip_pieces(OutputPieces text, int level) {
  return [text = std::move(text), level](const std::function<bool(std::string_view)>& write) {
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
    std::string out(std::size_t(1) << 18, '\0');
    // Deflates `piece` (all of it, then the end of the stream when `flush` is Z_FINISH),
    // writing each full buffer.
    auto put = [&](std::string_view piece, int flush) {
      while (!piece.empty() || flush == Z_FINISH) {
        const std::size_t chunk = std::min<std::size_t>(piece.size(), std::size_t(1) << 30);  // zlib counts in uInt
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
        z.avail_in = uInt(chunk);
        z.next_out = reinterpret_cast<Bytef*>(out.data());
        z.avail_out = uInt(out.size());
        const int status = deflate(&z, chunk == piece.size() ? flush : Z_NO_FLUSH);
        piece.remove_prefix(chunk - z.avail_in);
        if (status == Z_STREAM_ERROR) return false;
        if (!write(std::string_view(out.data(), out.size() - z.avail_out))) return false;
        if (status == Z_STREAM_END) return true;
        if (z.avail_out != 0 && piece.empty() && flush != Z_FINISH) return true;  // all taken in
      }
      return true;
    };
    const bool ok = text([&](std::string_view piece) { return put(piece, Z_NO_FLUSH); }) && put({}, Z_FINISH);
    deflateEnd(&z);
    return ok;
  };
}

}  // namespace geosim
