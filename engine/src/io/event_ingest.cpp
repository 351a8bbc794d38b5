// geosim ingest: streaming event files into counts per directed dyad and day, then per step.
#include "geosim/io/event_ingest.hpp"
#include "geosim/core/diagnostic.hpp"
#include "geosim/io/input_file.hpp"

#include "geosim/core/date.hpp"
#include "geosim/core/run_budget.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "geosim/io/gzip_reader.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <unordered_map>

#include "event_ids.hpp"
#include "geosim/io/cameo.hpp"
#include "geosim/io/escape.hpp"

namespace geosim {
namespace {

/// Days further apart than this (about 270 years) are not a calendar an ingest covers.
constexpr int kMaxSpanDays = 100000;

/// geosim's CAMEO table indexed by code: length * 10000 + the code's digits as a number.
class CodeTable {
 public:
  CodeTable() : weight_(50000, 0.0), quad_(50000, -1) {
    for (const CameoCode& c : cameo_codes()) {
      const int k = index(c.code);
      weight_[std::size_t(k)] = c.weight;
      quad_[std::size_t(k)] = static_cast<signed char>(quad_class(std::string(c.code)));
    }
  }
  /// -1 for a code not in the table (the reader has checked it is 2 to 4 digits).
  int quad(std::string_view code) const { return quad_[std::size_t(index(code))]; }
  double weight(std::string_view code) const { return weight_[std::size_t(index(code))]; }

 private:
  static int index(std::string_view code) {
    int value = 0;
    for (char c : code) value = value * 10 + (c - '0');
    return int(code.size()) * 10000 + value;
  }
  std::vector<double> weight_;
  std::vector<signed char> quad_;
};

/// Counts of one dyad on one day, before they are put into steps.
struct DayCell {
  std::uint64_t count = 0, file_scored = 0;
  std::uint64_t quad[4] = {0, 0, 0, 0};
  double goldstein_sum = 0.0, file_goldstein_sum = 0.0, mentions = 0.0;
  double top_mentions = -1.0;
  std::uint32_t top_file = 0;
  std::uint64_t top_line = 0;
  char top_code[5] = {0, 0, 0, 0, 0};
};

class Aggregator {
 public:
  Aggregator(const Scenario& actors, const IngestOptions& options, IngestResult& result)
      : actors_(actors), options_(options), result_(result), by_country_(26 * 26 * 26) {
    const auto countries = actor_countries(actors);
    for (std::size_t a = 0; a < countries.size(); ++a)
      for (const std::string& code : countries[a])
        if (const int k = country_code_index(code); k >= 0) by_country_[std::size_t(k)].push_back(a);
  }

  /// Starts a file; false (and result_.error) when it cannot be one.
  void begin_file(const std::string& path) {
    result_.files.push_back(IngestFileSummary{});
    result_.files.back().path = path;
    file_index_ = std::uint32_t(result_.files.size() - 1);
    shown_path_ = terminal_text(path);  // for messages: one line
    icews_.reset();
    first_line_ = true;
  }

  /// One line (without its '\n'). False when reading must stop (result_.error set).
  bool line(std::string_view text, std::uint64_t number) {
    IngestFileSummary& file = result_.files.back();
    // A UTF-8 byte order mark (a spreadsheet's save) is no part of the header: with it, the
    // ICEWS header went unseen (its rows malformed, their ids not kept) or lost its first column.
    if (first_line_ && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (text.empty() || (text.size() == 1 && text[0] == '\r')) return true;
    if (first_line_) {
      first_line_ = false;
      if (looks_like_icews_header(text)) {
        std::string error;
        icews_ = read_icews_header(text, error);
        if (!icews_) return fail(file.path, number, error);
        if (icews_->count > 64) return fail(file.path, number, "expected at most 64 columns in the ICEWS header");
        if (options_.country_names.empty())
          return fail(file.path, number,
                      "an ICEWS file names countries: they are resolved through Debian's iso-codes "
                      "(apt-get install iso-codes), which was not found");
        file.format = format_name(EventFormat::icews);
        return true;
      }
    }
    ++file.rows;
    const bool ok = icews_ ? read_icews_row(text, *icews_, row_, error_) : read_gdelt_row(text, row_, error_);
    if (!ok) return malformed(number, row_.error_column, error_);
    if (file.format.empty()) file.format = format_name(row_.format);
    const int quad = codes_.quad(row_.code);
    if (quad < 0) {
      ++result_.unknown_codes;
      return malformed(number, std::size_t(row_.code.data() - text.data()) + 1,
                       "unknown CAMEO code '" + std::string(row_.code) + "' (not in geosim's table)");
    }
    const std::vector<std::size_t>* source = actors_of(row_.source);
    const std::vector<std::size_t>* target = source ? actors_of(row_.target) : nullptr;
    if (!source || !target) {
      ++file.unmapped;
      return true;
    }
    if ((options_.from && row_.date < *options_.from) || (options_.to && row_.date > *options_.to)) {
      ++file.out_of_range;
      // Its date, if a wider window would count it (a pair of different actors with a relation).
      for (std::size_t a : *source)
        for (std::size_t b : *target)
          if (a != b && actors_.has_relation(a, b)) {
            ++outside_count_;
            outside_first_ = std::min(outside_first_, row_.date.days);
            outside_last_ = std::max(outside_last_, row_.date.days);
            return true;
          }
      return true;
    }
    // An event counted already (its id seen in this ingest, in a file of the same source: GDELT's
    // and ICEWS's numbers are their own, and the same number names two events): left out, counted
    // as a duplicate.
    if (!row_.id.empty() && has_pair(*source, *target)) {
      if (!(icews_ ? icews_ids_ : ids_).insert(detail::EventIds::key_of(row_.id))) {
        ++file.duplicates;
        return true;
      }
      if (ids_.size() + icews_ids_.size() > options_.max_event_ids)
        return fail(file.path, number,
                    "more than " + std::to_string(options_.max_event_ids) +
                        " events between the actors (each one's id is kept, to count it once): narrow --from/--to "
                        "or the actors");
    }
    const double weight = codes_.weight(row_.code);
    const std::size_t n = actors_.actor_count();
    bool used = false;
    for (std::size_t a : *source)
      for (std::size_t b : *target) {
        if (a == b || !actors_.has_relation(a, b)) continue;
        const std::uint64_t key = (std::uint64_t(a * n + b) << 32) | std::uint32_t(row_.date.days + (1 << 30));
        auto it = cells_.find(key);
        if (it == cells_.end()) {
          if (cells_.size() >= options_.max_cells)
            return fail(
                file.path, number,
                "more than " + std::to_string(options_.max_cells) + " dyad-days: narrow --from/--to or the actors");
          it = cells_.emplace(key, DayCell{}).first;
        }
        add(it->second, weight, quad, number);
        used = true;
      }
    if (used)
      ++file.used;
    else
      ++file.unmapped;
    return true;
  }

  /// Whether some actor of `source` and a different one of `target` have a relation (the row
  /// would be counted).
  bool has_pair(const std::vector<std::size_t>& source, const std::vector<std::size_t>& target) const {
    for (std::size_t a : source)
      for (std::size_t b : target)
        if (a != b && actors_.has_relation(a, b)) return true;
    return false;
  }

  /// A line longer than the reader's limit.
  bool too_long(std::uint64_t number) {
    ++result_.files.back().rows;
    return malformed(number, 1,
                     "expected a row of at most " + std::to_string(kMaxEventRowBytes) + " bytes, found a longer one");
  }

  bool fail(const std::string&, std::uint64_t number, const std::string& message) {
    // A line's problem is the line's as a whole: said at its first column.
    result_.error = number ? format_diagnostic({shown_path_, int(std::min<std::uint64_t>(number, INT_MAX)), 1, message})
                           : shown_path_ + ": " + message;
    return false;
  }

  /// Puts the day cells into steps (result_.cells, from, to, steps).
  void finish() {
    if (!result_.error.empty()) return;
    std::vector<std::pair<std::uint64_t, const DayCell*>> sorted;
    sorted.reserve(cells_.size());
    for (const auto& [key, cell] : cells_) sorted.emplace_back(key, &cell);
    std::sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    auto day_of = [](std::uint64_t key) { return int(std::uint32_t(key)) - (1 << 30); };
    if (sorted.empty() && !options_.from && !options_.to) {
      std::uint64_t rows = 0, malformed = 0;
      for (const auto& f : result_.files) rows += f.rows, malformed += f.malformed;
      result_.error = rows > 0 && malformed == rows
                          ? "no row of these files could be read: all " + std::to_string(rows) +
                                " are malformed (see the warnings; GDELT and ICEWS files are tab-separated)"
                          : "no event of these files is between two of the actors (" + std::to_string(rows) +
                                " rows read" +
                                (malformed ? ", " + std::to_string(malformed) + " of them malformed" : std::string()) +
                                "): nothing to count";
      return;
    }
    if (sorted.empty() && !(options_.from && options_.to && *options_.to < *options_.from)) {
      // A window with no event in it: empty outputs would say nothing.
      const std::string window = options_.from && options_.to
                                     ? "from " + format_date(*options_.from) + " to " + format_date(*options_.to)
                                 : options_.from ? "from " + format_date(*options_.from) + " on"
                                                 : "up to " + format_date(*options_.to);
      result_.error =
          "no event between two of the actors " + window +
          (outside_count_ == 0 ? ": nothing to count"
           : outside_count_ == 1
               ? " (the one such event is dated " + format_date(Date{outside_first_}) + "): widen --from/--to"
               : " (" + std::to_string(outside_count_) + " such events are dated " + format_date(Date{outside_first_}) +
                     " to " + format_date(Date{outside_last_}) + "): widen --from/--to");
      return;
    }
    int first = INT_MAX, last = INT_MIN;
    for (const auto& [key, cell] : sorted) first = std::min(first, day_of(key)), last = std::max(last, day_of(key));
    result_.from = options_.from ? *options_.from : Date{first};
    result_.to = options_.to ? *options_.to : Date{last};
    if (result_.to < result_.from) {
      result_.error = "expected --to on or after --from";
      return;
    }
    if (result_.to.days - result_.from.days >= kMaxSpanDays) {
      result_.error = "expected at most " + std::to_string(kMaxSpanDays) + " days from the first to the last, found " +
                      std::to_string(result_.to.days - result_.from.days + 1) + " (" + format_date(result_.from) +
                      " to " + format_date(result_.to) + "): keep a shorter span with --from and --to";
      return;
    }
    result_.step_days = options_.step_days;
    result_.steps = (result_.to.days - result_.from.days) / options_.step_days + 1;
    // The series' last date (the end of its last step) must be one geosim writes and reads back.
    if ((long long)result_.from.days + (long long)result_.steps * options_.step_days > kLastDate.days) {
      // The last day of the last whole step that ends by kLastDate.
      const Date last_to =
          add_days(result_.from, (kLastDate.days - result_.from.days) / options_.step_days * options_.step_days - 1);
      result_.error = "the last step (" + std::to_string(options_.step_days) + " days from " +
                      format_date(add_days(result_.from, (result_.steps - 1) * options_.step_days)) + ") ends after " +
                      format_date(kLastDate) + ", the last date written as YYYY-MM-DD: " +
                      (last_to < result_.from ? std::string("start earlier with --from")
                                              : "end by " + format_date(last_to) + " with --to");
      return;
    }
    const std::size_t n = actors_.actor_count();
    std::vector<DyadStep> out;
    for (const auto& [key, cell] : sorted) {
      const std::size_t pair = std::size_t(key >> 32);
      const int step = (day_of(key) - result_.from.days) / options_.step_days + 1;
      if (out.empty() || out.back().from != pair / n || out.back().to != pair % n || out.back().step != step) {
        out.push_back(DyadStep{});
        out.back().from = pair / n;
        out.back().to = pair % n;
        out.back().step = step;
      }
      DyadStep& d = out.back();
      d.count += cell->count;
      d.goldstein_sum += cell->goldstein_sum;
      d.file_goldstein_sum += cell->file_goldstein_sum;
      d.file_scored += cell->file_scored;
      for (int q = 0; q < 4; ++q) d.quad[q] += cell->quad[q];
      d.mentions += cell->mentions;
      if (cell->top_mentions > d.top_mentions) {  // days in order: the first day's wins a tie
        d.top_mentions = cell->top_mentions;
        d.top_file = result_.files[cell->top_file].path;
        d.top_line = cell->top_line;
        d.top_code = cell->top_code;
      }
    }
    std::stable_sort(out.begin(), out.end(), [](const DyadStep& x, const DyadStep& y) {
      return x.step != y.step ? x.step < y.step : x.from != y.from ? x.from < y.from : x.to < y.to;
    });
    result_.cells = std::move(out);
  }

 private:
  /// A row left out, said at file:line:col (`column`: 1-based characters, where the field at fault starts).
  bool malformed(std::uint64_t number, std::size_t column, const std::string& reason) {
    ++result_.files.back().malformed;
    ++result_.malformed;
    if (result_.problems.size() < options_.shown_problems)
      result_.problems.push_back(shown_path_ + ":" + std::to_string(number) + ":" + std::to_string(column) +
                                 ": warning: " + terminal_text(reason));
    return true;
  }

  void add(DayCell& cell, double weight, int quad, std::uint64_t number) {
    ++cell.count;
    cell.goldstein_sum += weight;
    if (row_.file_goldstein) {
      cell.file_goldstein_sum += *row_.file_goldstein;
      ++cell.file_scored;
    }
    ++cell.quad[quad];
    cell.mentions += row_.mentions;
    if (row_.mentions > cell.top_mentions) {
      cell.top_mentions = row_.mentions;
      cell.top_file = file_index_;
      cell.top_line = number;
      std::memcpy(cell.top_code, row_.code.data(), row_.code.size());
      cell.top_code[row_.code.size()] = 0;
    }
  }

  /// The actors standing for a country code (GDELT) or name (ICEWS); nullptr for none.
  const std::vector<std::size_t>* actors_of(std::string_view country) {
    if (country.empty()) return nullptr;
    if (icews_) {
      lower_.assign(country.begin(), country.end());
      for (char& c : lower_) c = char(std::tolower(static_cast<unsigned char>(c)));
      const auto it = options_.country_names.find(lower_);
      if (it == options_.country_names.end()) {
        auto& names = result_.unknown_names;
        if (auto known = names.find(std::string(country)); known != names.end())  // as written, as kept
          ++known->second;
        else if (names.size() < 50)
          names.emplace(std::string(country), 1);
        return nullptr;
      }
      country = it->second;
    }
    const int k = country_code_index(country);
    if (k < 0 || by_country_[std::size_t(k)].empty()) return nullptr;
    return &by_country_[std::size_t(k)];
  }

  const Scenario& actors_;
  const IngestOptions& options_;
  IngestResult& result_;
  CodeTable codes_;
  std::vector<std::vector<std::size_t>> by_country_;
  std::unordered_map<std::uint64_t, DayCell> cells_;
  /// The rows a wider --from/--to would count: how many, their first and last days.
  std::uint64_t outside_count_ = 0;
  int outside_first_ = INT_MAX, outside_last_ = INT_MIN;
  std::optional<IcewsColumns> icews_;
  detail::EventIds ids_;        ///< the ids of the GDELT events counted, in every file
  detail::EventIds icews_ids_;  ///< the same of ICEWS's
  bool first_line_ = true;
  std::uint32_t file_index_ = 0;
  EventRow row_;
  std::string error_, lower_, shown_path_;
};

/// Feeds the lines of a byte stream to `agg`: `read` fills a buffer and returns the bytes read,
/// 0 at the end, -1 on error (with `error` set). Memory: one buffer of 1 MiB.
bool read_lines(Aggregator& agg, const std::function<long long(char*, std::size_t, std::string&)>& read,
                const std::string& path, std::uint64_t max_bytes) {
  constexpr std::size_t kBuffer = std::size_t(1) << 20;
  static_assert(kBuffer > kMaxEventRowBytes);
  std::unique_ptr<char[]> buffer(new char[kBuffer]);
  std::size_t held = 0;  // bytes of an unfinished line at the buffer's start
  std::uint64_t number = 0, total = 0;
  bool skipping = false;  // inside a line that is too long
  std::string error;
  while (true) {
    const long long got = read(buffer.get() + held, kBuffer - held, error);
    if (got < 0) return agg.fail(path, 0, error);
    total += std::uint64_t(got);
    if (total > max_bytes)
      return agg.fail(path, 0, "expected at most " + std::to_string(max_bytes) + " bytes, found more");
    const std::size_t end = held + std::size_t(got);
    std::size_t start = 0;
    while (true) {
      const void* hit = std::memchr(buffer.get() + start, '\n', end - start);
      if (!hit) break;
      const std::size_t stop = std::size_t(static_cast<const char*>(hit) - buffer.get());
      ++number;
      if (skipping)
        skipping = false;
      else if (stop - start > kMaxEventRowBytes) {
        if (!agg.too_long(number)) return false;
      } else if (!agg.line(std::string_view(buffer.get() + start, stop - start), number))
        return false;
      start = stop + 1;
    }
    if (got == 0) {  // the end: a last line without '\n'
      if (start < end) {
        ++number;
        if (!skipping && !agg.line(std::string_view(buffer.get() + start, end - start), number)) return false;
      }
      return true;
    }
    held = end - start;
    if (held > kMaxEventRowBytes) {  // a line too long to keep: report it once, drop its bytes
      if (!skipping) {
        if (!agg.too_long(number + 1)) return false;
        skipping = true;
      }
      held = 0;
    } else {
      std::memmove(buffer.get(), buffer.get() + start, held);
    }
  }
}

bool read_file(Aggregator& agg, const std::string& path, std::uint64_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return agg.fail(path, 0, std::string("cannot open: ") + std::strerror(errno));
  struct stat st {};
  const bool statted = ::fstat(fd, &st) == 0;
  if (!statted || !S_ISREG(st.st_mode)) {
    const std::string why = statted
                                ? std::string("expected a regular file (plain or gzip), found ") + file_kind(st.st_mode)
                                : std::string("cannot read: ") + std::strerror(errno);
    ::close(fd);
    return agg.fail(path, 0, why);
  }
  // A zip archive (GDELT publishes its exports zipped) read as text would be rows of noise.
  char magic[4] = {};
  if (::pread(fd, magic, sizeof magic, 0) == 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0) {
    ::close(fd);
    return agg.fail(path, 0, "a zip archive: unzip it first (geosim reads plain or gzip files)");
  }
  GzipReader gz(fd);  // plain or gzip, every member to its end
  const bool ok = read_lines(
      agg,
      [&gz](char* out, std::size_t size, std::string& error) -> long long {
        const long long got = gz.read(out, size);
        if (got < 0) error = (gz.error().starts_with("cannot read") ? "" : "cannot read: ") + gz.error();
        return got;
      },
      path, max_bytes);
  ::close(fd);
  return ok;
}

}  // namespace

IngestResult ingest_event_files(const std::vector<std::string>& paths, const Scenario& actors,
                                const IngestOptions& options) {
  IngestResult result;
  Aggregator agg(actors, options, result);
  // Each file once, checked before any is read: given twice, its events would count twice.
  std::vector<std::pair<std::pair<dev_t, ino_t>, std::size_t>> seen;  // (file, its first argument)
  for (std::size_t i = 0; i < paths.size(); ++i) {
    struct stat st {};
    if (::stat(paths[i].c_str(), &st) != 0) continue;  // read_file names what is wrong with it
    const std::pair<dev_t, ino_t> id{st.st_dev, st.st_ino};
    const auto earlier = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == id; });
    if (earlier != seen.end()) {
      agg.begin_file(paths[i]);
      agg.fail(paths[i], 0, "the same file as '" + terminal_text(paths[earlier->second]) + "': given twice");
      return result;
    }
    seen.push_back({id, i});
  }
  for (const auto& path : paths) {
    agg.begin_file(path);
    if (!read_file(agg, path, options.max_file_bytes)) return result;
  }
  agg.finish();
  return result;
}

IngestResult ingest_event_text(const std::string& text, const std::string& name, const Scenario& actors,
                               const IngestOptions& options) {
  IngestResult result;
  Aggregator agg(actors, options, result);
  agg.begin_file(name);
  std::size_t at = 0;
  const bool ok = read_lines(
      agg,
      [&](char* out, std::size_t size, std::string&) -> long long {
        const std::size_t n = std::min(size, text.size() - at);
        std::memcpy(out, text.data() + at, n);
        at += n;
        return static_cast<long long>(n);
      },
      name, options.max_file_bytes);
  if (ok) agg.finish();
  return result;
}

}  // namespace geosim
