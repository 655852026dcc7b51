// Internal to PhoneNormalizer: the two caches behind its hot path. Both are safe for
// concurrent use by any number of threads.
//
// libphonenumber on Debian matches its patterns with ICU regular expressions: 15-80 µs per
// number. The caches make that a once-per-prefix (PrefixCache) or once-per-number (ResultMemo)
// cost.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "fz/normalize/divisions.h"
#include "fz/normalize/phone.h"
#include "fz/normalize/phone_normalizer.h"

namespace fz::normalize::phone_internal {

// libphonenumber's verdict (PhoneKind, valid, area) for Chinese mobiles, keyed by their first
// 7 digits, and for landline-shaped numbers, keyed by area code, subscriber length and first
// three subscriber digits: within one key, libphonenumber 8.12's Chinese metadata and
// geocoding data give every number the same verdict (the differential test checks this).
// Lock-free arrays of 16-bit atomic words (4.3 MB), filled on first use.
class PrefixCache {
 public:
  struct Verdict {
    PhoneKind kind = PhoneKind::kUnknown;
    bool valid = false;
    std::string_view area_name;      // owned by the cache
    const Division* city = nullptr;  // owned by DivisionTable::Builtin()
  };

  PrefixCache();

  // True when `national` (a Chinese national significant number) has a cached shape;
  // then `*verdict` is filled, running libphonenumber on a miss. False for other shapes and
  // in the unlikely case that the area table is full.
  bool Lookup(std::string_view national, Verdict* verdict);

  // Lookup for a number known to be mobile-shaped (IsMobileShape): the event path's commonest
  // case, inline so that it costs no call and no second shape test.
  bool LookupMobile(std::string_view national, Verdict* verdict) {
    uint32_t prefix = 0;
    for (size_t i = 0; i < 7; ++i) prefix = prefix * 10 + static_cast<uint32_t>(national[i] - '0');
    std::atomic<uint16_t>& entry = mobile_[prefix - kFirstMobilePrefix];
    uint16_t word = entry.load(std::memory_order_acquire);
    if ((word & kFilled) == 0) word = Fill(entry, national);
    if (word == 0) return false;
    Decode(word, verdict);
    return true;
  }

  // The cache word of mobile 号段 `prefix` (1300000..1999999) as it stands, without filling
  // it: 0 (no kFilled bit) until some lookup has run libphonenumber for that prefix.
  uint16_t PeekMobile(uint32_t prefix) const {
    return mobile_[prefix - kFirstMobilePrefix].load(std::memory_order_acquire);
  }

  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

  // A cache word: bit 15 filled, bit 14 valid, bits 11-13 PhoneKind, bits 0-10 area slot.
  static constexpr uint16_t kFilled = 1u << 15;
  static constexpr uint16_t kValid = 1u << 14;
  static constexpr int kKindShift = 11;
  static constexpr uint16_t kSlotMask = 0x7FF;
  static constexpr uint32_t kFirstMobilePrefix = 1300000;

 private:
  void Decode(uint16_t word, Verdict* verdict) const {
    const Area& area = *areas_[word & kSlotMask];
    verdict->kind = static_cast<PhoneKind>((word >> kKindShift) & 7);
    verdict->valid = (word & kValid) != 0;
    verdict->area_name = area.name;
    verdict->city = area.city;
  }

  struct Area {
    std::string name;
    const Division* city = nullptr;
  };
  static constexpr size_t kMaxAreas = 2048;

  std::atomic<uint16_t>* Entry(std::string_view national) const;
  uint16_t Fill(std::atomic<uint16_t>& entry, std::string_view national);
  uint32_t Intern(const std::string& name, const Division* city) ABSL_LOCKS_EXCLUDED(mu_);

  std::unique_ptr<std::atomic<uint16_t>[]> mobile_;
  std::unique_ptr<std::atomic<uint16_t>[]> landline_;
  std::atomic<uint64_t> misses_{0};
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, uint32_t> area_index_ ABSL_GUARDED_BY(mu_);
  // Each slot is written once, under mu_, before any cache word naming it is released; it is
  // read without mu_ after acquiring such a word.
  std::array<std::unique_ptr<Area>, kMaxAreas> areas_;
};

// Memoized reference-path results for numbers no prefix can answer for (international
// numbers, IP-dialing prefixes, odd lengths), keyed by their digits and leading '+'. Fraud
// traffic repeats its foreign numbers, so this turns ~50 µs per event into one lookup.
// Bounded: a shard that fills up is cleared. Sharded mutexes keep two detector threads from
// queueing behind each other.
class ResultMemo {
 public:
  // Copies the remembered result for `key` into `*out`; false when there is none. The PhoneKey
  // variant does not allocate once `out->canonical` has capacity.
  bool Find(std::string_view key, PhoneKey* out) const;
  bool Find(std::string_view key, PhoneInfo* out) const;

  void Insert(std::string_view key, const PhoneInfo& info);

 private:
  struct Result {
    PhoneInfo info;
    const Division* city = nullptr;
  };
  struct Shard {
    mutable absl::Mutex mu;
    absl::flat_hash_map<std::string, Result> results ABSL_GUARDED_BY(mu);
  };
  static constexpr size_t kShards = 16;
  static constexpr size_t kMaxPerShard = 2048;

  Shard& ShardFor(absl::string_view key) const;

  mutable std::array<Shard, kShards> shards_;
};

}  // namespace fz::normalize::phone_internal
