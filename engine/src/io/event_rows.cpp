#include "geosim/io/event_rows.hpp"

#include "geosim/io/text_position.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace geosim {
namespace {

/// Splits `line` at tabs into at most `max` fields; returns the number of fields in the whole
/// line (which may be more than `max`: the rest are only counted). Sixteen bytes at a time where
/// SSE2 is there (every x86-64): a GDELT row has 60 tabs, and a call per field would cost more
/// than the rest of the reading.
std::size_t split_tabs(std::string_view line, std::string_view* fields, std::size_t max) {
  const char* base = line.data();
  const std::size_t size = line.size();
  std::size_t count = 0, start = 0, i = 0;
  auto field_ends_at = [&](std::size_t tab) {
    if (count < max) fields[count] = std::string_view(base + start, tab - start);
    ++count;
    start = tab + 1;
  };
#if defined(__SSE2__)
  const __m128i tab = _mm_set1_epi8('\t');
  for (; i + 16 <= size; i += 16) {
    auto mask =
        unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i)), tab)));
    while (mask) {
      field_ends_at(i + unsigned(__builtin_ctz(mask)));
      mask &= mask - 1;
    }
  }
#endif
  for (; i < size; ++i)
    if (base[i] == '\t') field_ends_at(i);
  if (count < max) fields[count] = std::string_view(base + start, size - start);
  return count + 1;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::optional<double> number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double value = 0.0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

/// "YYYYMMDD" (GDELT's SQLDATE) as a date.
std::optional<Date> compact_date(std::string_view s) {
  if (s.size() != 8 || !all_digits(s)) return std::nullopt;
  char iso[10] = {s[0], s[1], s[2], s[3], '-', s[4], s[5], '-', s[6], s[7]};
  return parse_date(std::string_view(iso, 10));
}

/// A field quoted in a message: at most 40 bytes, control bytes as '?'.
std::string shown(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 40)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  if (s.size() > 40) out += "...";
  return out;
}

bool event_code_ok(std::string_view s) { return s.size() >= 2 && s.size() <= 4 && all_digits(s); }

}  // namespace

const char* format_name(EventFormat format) {
  switch (format) {
    case EventFormat::gdelt1:
      return "GDELT 1.0";
    case EventFormat::gdelt2:
      return "GDELT 2.0";
    case EventFormat::icews:
      return "ICEWS";
  }
  return "?";
}

bool looks_like_icews_header(std::string_view line) {
  return line.substr(0, 8) == "Event ID" || line.find("Event Date") != std::string_view::npos;
}

std::optional<IcewsColumns> read_icews_header(std::string_view line, std::string& error) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const std::array<std::string_view, 5> names{"Event Date", "Source Country", "Target Country", "CAMEO Code",
                                              "Intensity"};
  std::array<std::optional<std::size_t>, 5> found{};
  std::size_t column = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    const std::string_view field = line.substr(start, tab == std::string_view::npos ? line.npos : tab - start);
    for (std::size_t k = 0; k < names.size(); ++k)
      if (field == names[k]) {
        if (found[k]) {
          error = "the ICEWS header names '" + std::string(names[k]) + "' twice";
          return std::nullopt;
        }
        found[k] = column;
      }
    ++column;
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  for (std::size_t k = 0; k < names.size(); ++k)
    if (!found[k]) {
      error = "the ICEWS header has no column '" + std::string(names[k]) + "'";
      return std::nullopt;
    }
  IcewsColumns columns{*found[0], *found[1], *found[2], *found[3], *found[4], std::nullopt, column};
  // The Event ID, which leaves out an event given twice: the first column of that name.
  start = 0;
  for (std::size_t k = 0; k < column; ++k) {
    const std::size_t tab = line.find('\t', start);
    if (line.substr(start, tab == std::string_view::npos ? line.npos : tab - start) == "Event ID") {
      columns.id = k;
      break;
    }
    start = tab + 1;
  }
  return columns;
}

namespace {

std::optional<EventFormat> version_of(const std::string_view* f, std::size_t n) {
  if (n == 57) return EventFormat::gdelt1;
  if (n >= 61 && f[gdelt_column::gdelt2_dateadded].size() == 14 && all_digits(f[gdelt_column::gdelt2_dateadded]))
    return EventFormat::gdelt2;
  if (n >= 58 && f[gdelt_column::gdelt1_dateadded].size() == 8 && all_digits(f[gdelt_column::gdelt1_dateadded]))
    return EventFormat::gdelt1;
  return std::nullopt;
}

}  // namespace

std::optional<EventFormat> gdelt_version(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::array<std::string_view, 61> f;
  const std::size_t n = split_tabs(line, f.data(), f.size());
  return version_of(f.data(), n);
}

bool read_gdelt_row(std::string_view line, EventRow& row, std::string& error) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::array<std::string_view, 61> f;
  const std::size_t n = split_tabs(line, f.data(), f.size());
  const auto format = version_of(f.data(), n);
  row.error_column = 1;
  const auto at = [&](std::string_view field) {  // in characters, as an editor counts them
    row.error_column = std::size_t(text_position(line, std::size_t(field.data() - line.data())).column);
  };
  if (!format) {
    error = "expected 57 or 58 (GDELT 1.0) or 61 (GDELT 2.0) tab-separated columns with DATEADDED in place, found " +
            std::to_string(n) + " columns";
    return false;
  }
  const auto date = compact_date(f[gdelt_column::sqldate]);
  if (!date) {
    at(f[gdelt_column::sqldate]);
    error = "expected SQLDATE as a date YYYYMMDD, found '" + shown(f[gdelt_column::sqldate]) + "'";
    return false;
  }
  const std::string_view code = f[gdelt_column::event_code];
  if (!event_code_ok(code)) {
    at(code);
    error = "expected EventCode as a CAMEO code of 2 to 4 digits, found '" + shown(code) + "'";
    return false;
  }
  const std::string_view root = f[gdelt_column::event_root_code];
  if (root.size() != 2 || code.substr(0, 2) != root) {
    at(root);
    error = "expected EventRootCode to be the first two digits of EventCode '" + shown(code) + "', found '" +
            shown(root) + "'";
    return false;
  }
  const std::string_view quad = f[gdelt_column::quad_class];
  if (quad.size() != 1 || quad[0] < '1' || quad[0] > '4') {
    at(quad);
    error = "expected QuadClass 1 to 4, found '" + shown(quad) + "'";
    return false;
  }
  const auto goldstein = number(f[gdelt_column::goldstein]);
  if (!goldstein || *goldstein < -10.0 || *goldstein > 10.0) {
    at(f[gdelt_column::goldstein]);
    error = "expected GoldsteinScale as a number from -10 to 10, found '" + shown(f[gdelt_column::goldstein]) + "'";
    return false;
  }
  const auto mentions = number(f[gdelt_column::num_mentions]);
  if (!mentions || *mentions < 0.0 || *mentions > kMaxMentions || *mentions != std::floor(*mentions)) {
    at(f[gdelt_column::num_mentions]);
    error = "expected NumMentions as a whole number from 0 to 1000000000, found '" +
            shown(f[gdelt_column::num_mentions]) + "'";
    return false;
  }
  row.date = *date;
  row.source = f[gdelt_column::actor1_country];
  row.target = f[gdelt_column::actor2_country];
  row.code = code;
  row.id = f[0];  // GLOBALEVENTID
  row.file_quad = quad[0] - '0';
  row.file_goldstein = *goldstein;
  row.mentions = *mentions;
  row.format = *format;
  return true;
}

bool read_icews_row(std::string_view line, const IcewsColumns& columns, EventRow& row, std::string& error) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  constexpr std::size_t kMaxColumns = 64;
  std::array<std::string_view, kMaxColumns> f;
  const std::size_t n = split_tabs(line, f.data(), f.size());
  row.error_column = 1;
  const auto at = [&](std::string_view field) {  // in characters, as an editor counts them
    row.error_column = std::size_t(text_position(line, std::size_t(field.data() - line.data())).column);
  };
  if (n < columns.count || columns.count > kMaxColumns) {
    error = "expected " + std::to_string(columns.count) + " tab-separated columns (ICEWS), found " + std::to_string(n);
    return false;
  }
  const auto missing = [](std::string_view s) { return s.empty() || s == "NA"; };
  const std::string_view date_text = f[columns.date];
  const auto date = parse_date(date_text);
  if (!date) {
    at(date_text);
    error = "expected Event Date as a date YYYY-MM-DD, found '" + shown(date_text) + "'";
    return false;
  }
  const std::string_view code = f[columns.code];
  if (!event_code_ok(code)) {
    at(code);
    error = "expected CAMEO Code of 2 to 4 digits, found '" + shown(code) + "'";
    return false;
  }
  std::optional<double> intensity;
  if (!missing(f[columns.intensity])) {
    intensity = number(f[columns.intensity]);
    if (!intensity || *intensity < -10.0 || *intensity > 10.0) {
      at(f[columns.intensity]);
      error = "expected Intensity as a number from -10 to 10, found '" + shown(f[columns.intensity]) + "'";
      return false;
    }
  }
  row.date = *date;
  row.source = missing(f[columns.source]) ? std::string_view() : f[columns.source];
  row.target = missing(f[columns.target]) ? std::string_view() : f[columns.target];
  row.code = code;
  row.id = columns.id && !missing(f[*columns.id]) ? f[*columns.id] : std::string_view();
  row.file_quad.reset();
  row.file_goldstein = intensity;
  row.mentions = 1.0;
  row.format = EventFormat::icews;
  return true;
}

}  // namespace geosim
