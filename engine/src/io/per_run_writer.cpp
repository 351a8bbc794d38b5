#include "geosim/io/per_run_writer.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include "geosim/core/date.hpp"
#include "geosim/io/escape.hpp"
#include "geosim/io/number_text.hpp"
#include "geosim/core/scenario.hpp"

namespace geosim {

struct PerRunWriter::Impl {
  const Scenario* scenario = nullptr;
  int steps = 0;
  std::filesystem::path path;
  OutputStream out;
  bool gzip = false;
  z_stream z{};
  bool z_open = false;
  std::string error;
  std::string text;  // one chunk's rows
  std::string packed;

  ~Impl() {
    if (z_open) deflateEnd(&z);
  }
  /// Passes `text` through the compressor (when gzip) to the file.
  void put(std::string_view data, int flush) {
    if (!error.empty()) return;
    if (!gzip) {
      if (!out.write(data)) error = fmt::format("cannot write '{}'", path.string());
      return;
    }
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = uInt(data.size());
    char buffer[1 << 16];
    int status = Z_OK;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buffer);
      z.avail_out = sizeof buffer;
      status = deflate(&z, flush);
      if (status == Z_STREAM_ERROR) {
        error = fmt::format("cannot compress '{}'", path.string());
        return;
      }
      const std::size_t n = sizeof buffer - z.avail_out;
      if (n > 0 && !out.write(std::string_view(buffer, n))) {
        error = fmt::format("cannot write '{}'", path.string());
        return;
      }
    } while (z.avail_out == 0 || (flush == Z_FINISH && status != Z_STREAM_END));
  }
};

PerRunWriter::PerRunWriter() = default;
PerRunWriter::~PerRunWriter() = default;

std::string PerRunWriter::open(const std::filesystem::path& path, const Scenario& scenario, int steps) {
  impl_ = std::make_unique<Impl>();
  impl_->scenario = &scenario;
  impl_->steps = steps;
  impl_->path = path;
  const std::string name = path.filename().string();
  impl_->gzip = name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0;
  if (std::string error = impl_->out.open(path); !error.empty()) return error;
  if (impl_->gzip) {
    // windowBits 15 + 16: a gzip wrapper (no file name, time 0), so the bytes depend on the data only
    if (deflateInit2(&impl_->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      return fmt::format("cannot compress '{}'", path.string());
    impl_->z_open = true;
  }
  std::string header = "run,step,date";
  for (const auto& indicator : scenario.indicators) header += "," + csv_field(indicator.id);
  header += "\n";
  impl_->put(header, Z_NO_FLUSH);
  return impl_->error;
}

void PerRunWriter::write(int first_run, int count, const double* series) {
  if (!impl_ || !impl_->error.empty()) return;
  const Scenario& s = *impl_->scenario;
  const std::size_t k_count = s.indicators.size();
  std::string& text = impl_->text;
  text.clear();
  for (int r = 0; r < count; ++r)
    for (int step = 0; step <= impl_->steps; ++step) {
      const double* row = series + (std::size_t(r) * std::size_t(impl_->steps + 1) + std::size_t(step)) * k_count;
      fmt::format_to(std::back_inserter(text), "{},{},{}", first_run + r, step, format_date(s.date_of_step(step)));
      for (std::size_t k = 0; k < k_count; ++k) {
        text += ',';
        append_number6(text, row[k]);
      }
      text += '\n';
    }
  impl_->put(text, Z_NO_FLUSH);
}

std::string PerRunWriter::finish() {
  if (!impl_) return "cannot write: no file open";
  if (impl_->gzip) impl_->put({}, Z_FINISH);
  if (!impl_->error.empty()) return impl_->error;
  return impl_->out.commit();
}

}  // namespace geosim
