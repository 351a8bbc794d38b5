#pragma once
/// \file
/// The ids of the events `geosim ingest` has counted (GLOBALEVENTID, ICEWS's Event ID), so that an
/// event given twice (files that overlap, a plain file and its gzip copy, a row repeated) counts
/// once. An open-addressing set of 64-bit keys: 8 bytes a slot, at most half full, so at most
/// 16 bytes an id; its size is bounded by the caller.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace geosim::detail {

class EventIds {
 public:
  /// The id as a key: its value when it is a whole number of up to 19 digits (GDELT's and
  /// ICEWS's are), else a 64-bit FNV-1a hash of its text with the top bit set (apart from
  /// every number's).
  static std::uint64_t key_of(std::string_view id) {
    std::uint64_t value = 0;
    bool digits = !id.empty() && id.size() <= 19;
    for (char c : id) {
      if (c < '0' || c > '9') {
        digits = false;
        break;
      }
      value = value * 10 + std::uint64_t(c - '0');
    }
    if (digits) return value;
    std::uint64_t hash = 14695981039346656037ull;
    for (char c : id) hash = (hash ^ std::uint64_t(static_cast<unsigned char>(c))) * 1099511628211ull;
    return hash | (std::uint64_t(1) << 63);
  }

  /// Adds `key`; false when it was there already.
  bool insert(std::uint64_t key) {
    if (key == kEmpty) {
      const bool fresh = !has_empty_;
      has_empty_ = true;
      count_ += fresh;
      return fresh;
    }
    if (2 * (count_ + 1) > slots_.size()) grow();
    std::size_t at = slot(key);
    while (slots_[at] != kEmpty) {
      if (slots_[at] == key) return false;
      at = (at + 1) & (slots_.size() - 1);
    }
    slots_[at] = key;
    ++count_;
    return true;
  }

  std::size_t size() const { return count_; }

 private:
  static constexpr std::uint64_t kEmpty = 0;
  std::size_t slot(std::uint64_t key) const {
    key ^= key >> 33;  // a mix of the bits (murmur3's finaliser): ids are often consecutive
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    return std::size_t(key) & (slots_.size() - 1);
  }
  void grow() {
    std::vector<std::uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, kEmpty);
    for (std::uint64_t key : old)
      if (key != kEmpty) {
        std::size_t at = slot(key);
        while (slots_[at] != kEmpty) at = (at + 1) & (slots_.size() - 1);
        slots_[at] = key;
      }
  }
  std::vector<std::uint64_t> slots_;
  std::size_t count_ = 0;
  bool has_empty_ = false;
};

}  // namespace geosim::detail
