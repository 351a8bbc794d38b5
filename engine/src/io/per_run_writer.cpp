#include "geosim/io/per_run_writer.hpp"

#include <fmt/format.h>
#include <optional>

#include "geosim/core/date.hpp"
#include "geosim/core/scenario.hpp"
#include "geosim/io/escape.hpp"
#include "geosim/io/gzip.hpp"
#include "geosim/io/number_text.hpp"

namespace geosim {

struct PerRunWriter::Impl {
  const Scenario* scenario = nullptr;
  int steps = 0;
  std::filesystem::path path;
  OutputStream out;
  std::optional<GzipWriter> gzip;  // set when the file's name ends in ".gz"
  std::string text;                // one chunk's rows
  bool failed = false;             // a write or the compressor failed: finish() says why

  /// Passes `data` through the compressor (when gzip) to the file.
  void put(std::string_view data) {
    if (!failed) failed = !(gzip ? gzip->write(data) : out.write(data));
  }
};

PerRunWriter::PerRunWriter() = default;
PerRunWriter::~PerRunWriter() = default;

std::string PerRunWriter::open(const std::filesystem::path& path, const Scenario& scenario, int steps) {
  impl_ = std::make_unique<Impl>();
  impl_->scenario = &scenario;
  impl_->steps = steps;
  impl_->path = path;
  if (std::string error = impl_->out.open(path); !error.empty()) return error;
  const std::string name = path.filename().string();
  if (name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0)
    impl_->gzip.emplace(6, [out = &impl_->out](std::string_view piece) { return out->write(piece); });
  std::string header = "run,step,date";
  for (const auto& indicator : scenario.indicators) header += "," + csv_field(indicator.id);
  header += "\n";
  impl_->put(header);
  return "";
}

void PerRunWriter::write(int first_run, int count, const double* series) {
  if (!impl_ || impl_->failed) return;
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
  impl_->put(text);
}

std::string PerRunWriter::finish() {
  if (!impl_) return "cannot write: no file open";
  // A compression failure, with zlib's reason; a failed write is reported by commit().
  if (impl_->gzip && !impl_->gzip->finish() && !impl_->gzip->error().empty())
    return fmt::format("cannot write '{}': {}", impl_->path.string(), impl_->gzip->error());
  return impl_->out.commit();
}

}  // namespace geosim
