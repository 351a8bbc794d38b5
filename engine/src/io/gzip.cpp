// gzip_compress (output_file.hpp): a whole text as gzip bytes, for `geosim run --gzip`.
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

}  // namespace geosim
