// GzipReader (gzip_reader.hpp): plain or gzip bytes, every gzip member checked to its end.
#include "geosim/io/gzip_reader.hpp"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace geosim {

struct GzipReader::Impl {
  int fd = -1;
  z_stream z{};
  bool open = false;       // inflateInit2 succeeded (inflateEnd is owed)
  bool checked = false;    // the first bytes were looked at
  bool gzip = false;       // the file starts with the gzip magic
  bool in_member = false;  // inside a gzip member (between its header and its end)
  bool end_of_file = false;
  bool failed = false;
  std::string error;
  std::string in = std::string(std::size_t(1) << 18, '\0');
  std::size_t plain_held = 0;  // plain mode: bytes of `in` read while looking, not yet handed out

  ~Impl() {
    if (open) inflateEnd(&z);
  }
  long long fail(std::string why) {
    failed = true;
    error = std::move(why);
    return -1;
  }
  long long corrupt(const std::string& why) { return fail("corrupt or truncated gzip data (" + why + ")"); }
  /// Reads more input after what is held (z.next_in .. +avail_in moved to the front); false on
  /// a read error (error set). At the end of the file sets end_of_file.
  bool fill() {
    if (z.avail_in > 0 && z.next_in != reinterpret_cast<Bytef*>(in.data()))
      std::memmove(in.data(), z.next_in, z.avail_in);
    z.next_in = reinterpret_cast<Bytef*>(in.data());
    while (true) {
      const ssize_t got = ::read(fd, in.data() + z.avail_in, in.size() - z.avail_in);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return fail(std::string("cannot read: ") + std::strerror(errno)), false;
      if (got == 0) end_of_file = true;
      z.avail_in += uInt(got);
      return true;
    }
  }
};

GzipReader::GzipReader(int fd) : impl_(std::make_unique<Impl>()) { impl_->fd = fd; }
GzipReader::~GzipReader() = default;
const std::string& GzipReader::error() const { return impl_->error; }

long long GzipReader::read(char* out, std::size_t size) {
  Impl& m = *impl_;
  if (m.failed) return -1;
  if (!m.checked) {  // the first two bytes say which: at most two reads (a file of one byte)
    while (m.z.avail_in < 2 && !m.end_of_file)
      if (!m.fill()) return -1;
    m.checked = true;
    m.gzip = m.z.avail_in >= 2 && m.in[0] == '\x1f' && m.in[1] == '\x8b';
    m.plain_held = m.gzip ? 0 : m.z.avail_in;
    if (m.gzip) {
      if (inflateInit2(&m.z, 16 + MAX_WBITS) != Z_OK) return m.fail("cannot read: out of memory");
      m.open = m.in_member = true;
    }
  }
  if (!m.gzip) {  // what was read while looking, then the file as it is
    if (m.plain_held > 0) {
      const std::size_t n = std::min(size, m.plain_held);
      std::memcpy(out, m.z.next_in, n);
      m.z.next_in += n;
      m.z.avail_in -= uInt(n);
      m.plain_held -= n;
      return (long long)n;
    }
    while (true) {
      const ssize_t got = ::read(m.fd, out, size);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return m.fail(std::string("cannot read: ") + std::strerror(errno));
      return got;
    }
  }
  m.z.next_out = reinterpret_cast<Bytef*>(out);
  m.z.avail_out = uInt(std::min<std::size_t>(size, 1u << 30));
  const uInt asked = m.z.avail_out;
  while (m.z.avail_out == asked) {
    if (!m.in_member) {  // after a member: the end, or another member
      while (m.z.avail_in < 2 && !m.end_of_file)
        if (!m.fill()) return -1;
      if (m.z.avail_in == 0) return 0;
      if (m.z.avail_in < 2 || m.z.next_in[0] != 0x1f || m.z.next_in[1] != 0x8b)
        return m.corrupt("bytes after the last complete member that start no other member");
      inflateReset(&m.z);
      m.in_member = true;
    }
    if (m.z.avail_in == 0) {
      if (m.end_of_file) return m.corrupt("the file ends inside a gzip member");
      if (!m.fill()) return -1;
      continue;
    }
    const int status = inflate(&m.z, Z_NO_FLUSH);
    if (status == Z_STREAM_END) {
      m.in_member = false;
    } else if (status == Z_BUF_ERROR) {  // no progress: more input is needed
      if (m.end_of_file) return m.corrupt("the file ends inside a gzip member");
      if (!m.fill()) return -1;
    } else if (status != Z_OK) {
      return m.corrupt(m.z.msg ? m.z.msg : zError(status));
    }
  }
  return (long long)(asked - m.z.avail_out);
}

}  // namespace geosim
