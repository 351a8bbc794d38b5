#pragma once
/// \file
/// Sizes that saturate instead of overflowing (the memory a request would need is counted before
/// anything is allocated, from untrusted sizes).

#include <cstddef>
#include <limits>

namespace geosim::detail {

/// a * b, or SIZE_MAX when that overflows.
inline std::size_t times(std::size_t a, std::size_t b) {
  return b != 0 && a > std::numeric_limits<std::size_t>::max() / b ? std::numeric_limits<std::size_t>::max() : a * b;
}

/// a + b, or SIZE_MAX when that overflows.
inline std::size_t plus(std::size_t a, std::size_t b) {
  return a > std::numeric_limits<std::size_t>::max() - b ? std::numeric_limits<std::size_t>::max() : a + b;
}

}  // namespace geosim::detail
