// The one signed change text (io/number_text.hpp): a sign on what does not round to zero, and
// "0.000" on what does, whichever side of zero it lies (fmt's "{:+.3f}" writes "-0.000" and
// "+0.000" for those).
#include <gtest/gtest.h>

#include "geosim/io/number_text.hpp"

namespace geosim {
namespace {

TEST(SignedChange, ASignOnlyOnWhatDoesNotRoundToZero) {
  EXPECT_EQ(signed_change(0.012), "+0.012");
  EXPECT_EQ(signed_change(-0.3), "-0.300");
  EXPECT_EQ(signed_change(0.0), "0.000");
  EXPECT_EQ(signed_change(-0.0), "0.000");
  EXPECT_EQ(signed_change(-0.0004), "0.000");
  EXPECT_EQ(signed_change(0.0004), "0.000");
  EXPECT_EQ(signed_change(-0.0006), "-0.001");
  EXPECT_EQ(signed_change(-0.00004, 4), "0.0000");
  EXPECT_EQ(signed_change(0.00006, 4), "+0.0001");
  EXPECT_EQ(signed_change(-12.5, 1), "-12.5");
}

}  // namespace
}  // namespace geosim
