// A small set-associative memo for pure normalizations of values that repeat from row to row:
// the popular domains of an ISP feed. Only successful results are stored and a lookup compares
// the whole raw text, so a memoized answer is exactly what the full path would give. Internal
// to fz/ingest; one per thread (EventBuilder owns one per value kind).
//
// Layout, and why: each entry is one 64-byte cache line holding the raw text and the value
// (once, when they are equal, as for most domains), so a hit touches one line and no heap
// string; four ways per set, because an ISP feed visits tens of thousands of domains about
// equally often and a direct-mapped memo of the same size thrashed on its collisions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace fz::ingest::internal {

class ValueMemo {
 public:
  // `slots` (entries) is rounded up to a power of two of at least kWays; memory (64 bytes an
  // entry) is allocated on first Insert.
  explicit ValueMemo(size_t slots) : set_mask_(RoundUp(slots / kWays) - 1) {}

  // The value remembered for `raw` into `*value` (valid until the next Insert); false if none.
  bool Find(std::string_view raw, std::string_view* value) const {
    if (sets_ == nullptr || raw.size() > kMaxBytes) return false;
    uint64_t hash = Hash(raw);
    const Entry* set = &sets_[(hash & set_mask_) * kWays];
    auto tag = static_cast<uint16_t>((hash >> 48) | 1);  // 0 marks an empty entry
    for (size_t way = 0; way < kWays; ++way) {
      const Entry& e = set[way];
      if (Holds(e, tag, raw)) {
        *value = e.value_length == kSameAsRaw
                     ? std::string_view(e.bytes, e.raw_length)
                     : std::string_view(e.bytes + e.raw_length, e.value_length);
        return true;
      }
    }
    return false;
  }

  // Remembers `value` for `raw`, replacing its old value or else the set's oldest entry. Texts that
  // do not fit an entry (raw and value together over kMaxBytes, or raw alone when they are equal)
  // are not kept: they rarely repeat.
  void Insert(std::string_view raw, std::string_view value) {
    const bool same = raw == value;
    const bool fits = raw.size() + (same ? 0 : value.size()) <= kMaxBytes;
    if (!fits && sets_ == nullptr) return;
    if (sets_ == nullptr) sets_ = std::make_unique<Entry[]>((set_mask_ + 1) * kWays);
    uint64_t hash = Hash(raw);
    Entry* set = &sets_[(hash & set_mask_) * kWays];
    const auto tag = static_cast<uint16_t>((hash >> 48) | 1);
    // The entry already holding `raw`, if any (a set never holds a text twice); else round
    // robin within the set: the entry after the last one written.
    Entry* target = nullptr;
    for (size_t way = 0; way < kWays && target == nullptr; ++way) {
      Entry& e = set[way];
      if (Holds(e, tag, raw)) target = &e;
    }
    if (!fits) {
      if (target != nullptr) target->tag = 0;  // forget the old value
      return;
    }
    if (target == nullptr) {
      target = &set[set[0].next_victim];
      set[0].next_victim = static_cast<uint8_t>((set[0].next_victim + 1) % kWays);
    }
    Entry& e = *target;
    e.tag = tag;
    e.raw_length = static_cast<uint8_t>(raw.size());
    e.value_length = same ? kSameAsRaw : static_cast<uint8_t>(value.size());
    std::memcpy(e.bytes, raw.data(), raw.size());
    if (!same) std::memcpy(e.bytes + raw.size(), value.data(), value.size());
  }

  static constexpr size_t kWays = 4;
  static constexpr size_t kMaxBytes = 59;

 private:
  static constexpr uint8_t kSameAsRaw = 0xFF;

  struct alignas(64) Entry {
    uint16_t tag = 0;
    uint8_t raw_length = 0;
    uint8_t value_length = 0;
    uint8_t next_victim = 0;  // used in a set's first entry only
    char bytes[kMaxBytes];
  };
  static_assert(sizeof(Entry) == 64);

  static bool Holds(const Entry& e, uint16_t tag, std::string_view raw) {
    return e.tag == tag && e.raw_length == raw.size() &&
           (raw.empty() || std::memcmp(e.bytes, raw.data(), raw.size()) == 0);
  }

  static size_t RoundUp(size_t n) {
    size_t p = 1;
    while (p < n) p <<= 1;
    return p;
  }

  // Eight bytes at a time (the last word overlapping), multiply-mixed: a domain is 10-30
  // bytes, for which a general string hash costs more than the rest of the lookup.
  static uint64_t Hash(std::string_view s) {
    uint64_t h = 0x9E3779B97F4A7C15ull * (s.size() + 1);
    const char* p = s.data();
    size_t n = s.size();
    auto mix = [&h](uint64_t word) {
      h = (h ^ word) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 29;
    };
    if (n < 8) {
      uint64_t word = 0;
      if (n > 0) std::memcpy(&word, p, n);
      mix(word);
    } else {
      for (size_t i = 0; i + 8 <= n; i += 8) {
        uint64_t word;
        std::memcpy(&word, p + i, 8);
        mix(word);
      }
      uint64_t last;
      std::memcpy(&last, p + n - 8, 8);
      mix(last);
    }
    return h * 0xC4CEB9FE1A85EC53ull;
  }

  size_t set_mask_;
  std::unique_ptr<Entry[]> sets_;
};

}  // namespace fz::ingest::internal
