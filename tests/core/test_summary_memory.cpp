// The memory of a summary's values (detail::summary_allocate): from 2 MiB on, aligned to 2 MiB
// so that its whole 2 MiB pages can be huge pages; below, as operator new. Values are kept as
// written whatever the size (the pages are advice only).
#include <gtest/gtest.h>

#include <cstdint>

#include "geosim/core/ensemble_partial.hpp"

namespace geosim {
namespace {

constexpr std::size_t kTwoMiB = std::size_t(2) << 20;

TEST(SummaryMemory, LargeBlocksAreAlignedToTwoMiBAndHoldTheirValues) {
  for (const std::size_t bytes : {kTwoMiB, kTwoMiB + 8, 3 * kTwoMiB + 4096, 5 * kTwoMiB}) {
    void* p = detail::summary_allocate(bytes);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % kTwoMiB, 0u) << bytes;
    auto* d = static_cast<double*>(p);
    const std::size_t n = bytes / sizeof(double);
    for (std::size_t i = 0; i < n; ++i) d[i] = double(i);
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += d[i];
    EXPECT_EQ(sum, double(n) * double(n - 1) / 2.0) << bytes;  // exact: every partial sum is below 2^53
    detail::summary_deallocate(p, bytes);
  }
}

TEST(SummaryMemory, SmallBlocksAndTheAllocatorOfSummaryValues) {
  void* small = detail::summary_allocate(64);
  ASSERT_NE(small, nullptr);
  detail::summary_deallocate(small, 64);
  SummaryValues v;
  v.resize(kTwoMiB / sizeof(double) + 1);  // through UninitializedAllocator::allocate
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % kTwoMiB, 0u);
  v.back() = 1.5;
  SummaryValues copy = v;
  EXPECT_EQ(copy.back(), 1.5);
  v.resize(3);
  v.shrink_to_fit();  // a small block now: freed and allocated by the matching functions
  EXPECT_EQ(v.size(), 3u);
}

}  // namespace
}  // namespace geosim
