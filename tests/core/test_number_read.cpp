// read_finite: the one reading of a number a user wrote, and its reasons for refusing one.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "geosim/core/number_read.hpp"

namespace geosim {
namespace {

std::string why(const std::string& text) {
  double value = -7.0;
  const char* problem = read_finite(text, value);
  if (problem) {
    EXPECT_EQ(value, -7.0) << text << ": left unchanged on failure";
  }
  return problem ? problem : "";
}

double read(const std::string& text) {
  double value = -7.0;
  EXPECT_EQ(read_finite(text, value), nullptr) << text;
  return value;
}

TEST(NumberRead, DecimalTextReadsAsFromCharsReadsIt) {
  EXPECT_EQ(read("0.25"), 0.25);
  EXPECT_EQ(read("1e-3"), 0.001);
  EXPECT_EQ(read("-0.5"), -0.5);
  EXPECT_TRUE(std::signbit(read("-0")));
  // the smallest subnormal double, 2^-1074 (about 4.94e-324), is a number that can be represented
  EXPECT_EQ(read("4.9406564584124654e-324"), std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(read("1.7976931348623157e308"), std::numeric_limits<double>::max());
}

TEST(NumberRead, APlusSignIsReadOnlyWhenAskedAndOnlyOnce) {
  double v = 0.0;
  EXPECT_EQ(read_finite("+0.5", v, true), nullptr);
  EXPECT_EQ(v, 0.5);
  EXPECT_STREQ(read_finite("+0.5", v), "not a number") << "from_chars reads no '+'";
  for (const char* text : {"+-0.1", "++0.1", "+", "+ 1", "-+1"})
    EXPECT_STREQ(read_finite(text, v, true), "not a number") << text;
  EXPECT_STREQ(read_finite("+1e-400", v, true), "too small to represent");
  EXPECT_STREQ(read_finite("+inf", v, true), "infinite");
}

TEST(NumberRead, EachRefusalSaysWhy) {
  EXPECT_EQ(why("1e-400"), "too small to represent");
  EXPECT_EQ(why("-1e-400"), "too small to represent");
  EXPECT_EQ(why("0." + std::string(400, '0') + "1"), "too small to represent") << "no exponent, still too small";
  EXPECT_EQ(why("1e400"), "too large to represent");
  EXPECT_EQ(why("-1e400"), "too large to represent");
  EXPECT_EQ(why("1" + std::string(400, '0')), "too large to represent") << "no exponent, still too large";
  EXPECT_EQ(why("inf"), "infinite");
  EXPECT_EQ(why("-infinity"), "infinite");
  EXPECT_EQ(why("nan"), "not a number");
  for (const char* text : {"", "abc", "0.5x", " 0.5", "+0.5", "0,5", "1e", "--1"})
    EXPECT_EQ(why(text), "not a number") << text;
}

}  // namespace
}  // namespace geosim
