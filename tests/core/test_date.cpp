#include <geosim/core/date.hpp>
#include <geosim/core/scenario.hpp>

#include <gtest/gtest.h>

#include "support/builders.hpp"

using geosim::Date;
using geosim::format_date;
using geosim::parse_date;

TEST(Date, EpochAndKnownDayNumbers) {
  // Day numbers from Python's datetime: (date(y,m,d) - date(1970,1,1)).days.
  EXPECT_EQ(parse_date("1970-01-01")->days, 0);
  EXPECT_EQ(parse_date("1969-12-31")->days, -1);
  EXPECT_EQ(parse_date("2000-03-01")->days, 11017);
  EXPECT_EQ(parse_date("2024-02-29")->days, 19782);
}

TEST(Date, FormatParseRoundTrip) {
  for (const char* text : {"2025-08-01", "1999-12-31", "2000-02-29", "0001-01-01", "9999-12-31"})
    EXPECT_EQ(format_date(*parse_date(text)), text);
  for (int days = -200000; days <= 200000; days += 37) {
    const Date d{days};
    const auto back = parse_date(format_date(d));
    ASSERT_TRUE(back) << format_date(d);
    EXPECT_EQ(*back, d);
  }
}

TEST(Date, LeapYears) {
  EXPECT_TRUE(parse_date("2024-02-29"));
  EXPECT_FALSE(parse_date("2025-02-29"));
  EXPECT_TRUE(parse_date("2000-02-29"));   // divisible by 400
  EXPECT_FALSE(parse_date("1900-02-29"));  // divisible by 100 only
  EXPECT_EQ(parse_date("2024-03-01")->days - parse_date("2024-02-28")->days, 2);
  EXPECT_EQ(parse_date("2025-03-01")->days - parse_date("2025-02-28")->days, 1);
}

TEST(Date, GarbageIsRejected) {
  for (const char* text :
       {"", "2025-8-01", "2025-08-1", "2025/08/01", "2025-08-01 ", " 2025-08-01", "20a5-08-01", "2025-13-01",
        "2025-00-10", "2025-04-31", "2025-04-00", "2025-08-01T00", "abcd-ef-gh", "+025-08-01", "2025--8-01"})
    EXPECT_FALSE(parse_date(text)) << text;
}

TEST(Date, AddDays) {
  EXPECT_EQ(format_date(geosim::add_days(*parse_date("2024-12-25"), 7)), "2025-01-01");
  EXPECT_EQ(format_date(geosim::add_days(*parse_date("2024-03-01"), -1)), "2024-02-29");
}

TEST(Date, StepOfDate) {
  geosim::Scenario s = geosim::testing::make_scenario({"A", "B"});
  s.start = *parse_date("2025-08-01");
  s.step_days = 7;
  EXPECT_EQ(s.step_of_date(s.start), 1);
  EXPECT_EQ(s.step_of_date(geosim::add_days(s.start, 6)), 1);
  EXPECT_EQ(s.step_of_date(geosim::add_days(s.start, 7)), 2);
  EXPECT_EQ(s.step_of_date(geosim::add_days(s.start, 69)), 10);
  EXPECT_EQ(s.step_of_date(geosim::add_days(s.start, 70)), 11);
  EXPECT_EQ(s.step_of_date(geosim::add_days(s.start, -1)), 0);
  EXPECT_EQ(s.step_of_date(geosim::add_days(s.start, -7)), 0);
  EXPECT_EQ(s.step_of_date(geosim::add_days(s.start, -8)), -1);
}

TEST(Date, StepReportedDateClosesItsPeriod) {
  geosim::Scenario s = geosim::testing::make_scenario({"A", "B"});
  s.step_days = 7;
  EXPECT_EQ(format_date(s.date_of_step(0)), "2025-08-01");
  EXPECT_EQ(format_date(s.date_of_step(10)), "2025-10-10");
  // The reported date of step k is the first day of step k+1.
  for (int k = 0; k < 20; ++k) EXPECT_EQ(s.step_of_date(s.date_of_step(k)), k + 1);
}
