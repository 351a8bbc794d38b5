#pragma once
/// \file
/// Calendar dates (proleptic Gregorian) as day numbers, parsed from ISO 8601.

#include <optional>
#include <string>
#include <string_view>

namespace geosim {

/// A calendar date stored as days since 1970-01-01.
struct Date {
  int days = 0;  ///< days since the Unix epoch

  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;
};

/// Parses "YYYY-MM-DD"; nullopt when the text is not a valid date.
std::optional<Date> parse_date(std::string_view text);
/// Formats as "YYYY-MM-DD".
std::string format_date(Date date);
/// The date `days` days later.
inline Date add_days(Date date, int days) { return Date{date.days + days}; }

}  // namespace geosim
