// FlatIndex: the open-addressing hash index under every IntelStore table. Internal to fz/intel.
//
// Maps a 64-bit hash to entry numbers (uint32) kept by the caller, who also keeps the keys: a
// slot is one word, (fingerprint << 32) | (entry + 1), 0 when empty. The fingerprint is the
// upper 32 bits of the hash and also picks the home slot, so a probe rejects most non-matching
// slots without touching the caller's entries (misses are the common case: most numbers in
// the event stream are not in any intel list) and a rehash needs no keys. Linear probing,
// load factor <= 1/2, backward-shift deletion (no tombstones).
//
// Not thread-safe for writes; Find is const and safe from many threads once writes stop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fz/common/huge_pages.h"
#include "fz/common/prefetch.h"

namespace fz::intel::internal {

// A 64-bit mixer (MurmurHash3 fmix64): spreads phone-number keys, whose high bits barely vary.
inline uint64_t Mix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

class FlatIndex {
 public:
  static constexpr uint32_t kNotFound = 0xFFFFFFFFu;

  // The entry whose key `is_key(entry)` accepts among those inserted with `hash`, or kNotFound.
  template <typename IsKey>
  uint32_t Find(uint64_t hash, IsKey&& is_key) const {
    if (size_ == 0) return kNotFound;
    const uint32_t fp = static_cast<uint32_t>(hash >> 32);
    for (size_t pos = fp & mask_;; pos = (pos + 1) & mask_) {
      const uint64_t slot = slots_[pos];
      if (slot == 0) return kNotFound;
      if (static_cast<uint32_t>(slot >> 32) == fp) {
        const uint32_t entry = static_cast<uint32_t>(slot) - 1;
        if (is_key(entry)) return entry;
      }
    }
  }

  // Adds `entry` under `hash`; the caller has checked that its key is not present.
  void Insert(uint64_t hash, uint32_t entry);

  // Removes `entry`, which was inserted under `hash`. No-op when absent.
  void Erase(uint64_t hash, uint32_t entry);

  // Makes room for `entries` entries in all without growing again (bulk loads).
  void Reserve(size_t entries);
  // Starts loading the slot `hash` probes first (bulk loads hash rows ahead of inserting them).
  void Prefetch(uint64_t hash) const {
    if (!slots_.empty()) fz::Prefetch(&slots_[(hash >> 32) & mask_]);
  }

  size_t size() const { return size_; }
  size_t MemoryBytes() const { return slots_.capacity() * sizeof(uint64_t); }

 private:
  void Grow();
  void Rehash(size_t capacity);
  void Place(uint64_t slot);

  std::vector<uint64_t, HugePageAllocator<uint64_t>> slots_;  // probed at random: huge pages
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace fz::intel::internal
