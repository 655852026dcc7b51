// Storage behind IntelStore: entry metadata, a chunked string arena and the pool of IntelMatch
// records handed out by lookups. Internal to fz/intel.
//
// Why a pool: an IntelMatch is 56 bytes, more than a compact phone entry (32 bytes) plus its
// index slot (16), so materializing one per indicator would break the 64 MB budget for 1M
// phones. Instead an entry gets its IntelMatch on its first hit: a slot is claimed from a
// region mapped once (anonymous memory, so untouched slots cost no RAM) and published with a
// release store; concurrent first hits on one entry wait for the winner, so every entry uses
// at most one slot and the region never overflows. Lookups never call malloc.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "fz/intel/intel_store.h"

namespace fz::intel::internal {

inline constexpr int64_t kNeverMs = INT64_MAX;

// Per-indicator data common to every table (24 bytes).
struct EntryMeta {
  int64_t expires_ms = kNeverMs;  // Unix milliseconds; kNeverMs = never expires
  float confidence = 1;
  uint16_t fraud_type = 0;
  uint16_t source = 0;  // index into the store's interned sources
  // 0: no IntelMatch yet; MatchPool::kBusy: being filled; else pool slot + 1. Accessed
  // through std::atomic_ref by concurrent lookups.
  mutable uint32_t match_slot = 0;
  uint8_t key_offset = 0;  // string tables: bytes of the value before its key (URL scheme)
  bool live = true;        // false once whitelisted

  bool ActiveAt(int64_t now_ms) const { return live && now_ms < expires_ms; }
};

// Append-only storage for string values. Chunks never move, so views stay valid for the life
// of the arena.
class Arena {
 public:
  std::string_view Store(std::string_view text);
  size_t MemoryBytes() const { return bytes_; }

 private:
  static constexpr size_t kChunk = 64 * 1024;
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::vector<std::unique_ptr<char[]>> big_;
  size_t used_ = kChunk;  // bytes used in chunks_.back()
  size_t bytes_ = 0;
};

class MatchPool {
 public:
  // An IntelMatch plus room for a phone's text, which phone entries do not store.
  struct Slot {
    IntelMatch match;
    char text[16];
  };
  static constexpr uint32_t kBusy = 0xFFFFFFFFu;

  MatchPool() = default;
  ~MatchPool();
  MatchPool(const MatchPool&) = delete;
  MatchPool& operator=(const MatchPool&) = delete;

  // Makes room for `entries` entries. When the region must be replaced, every match handed
  // out so far dies and the function returns true: the caller must then set every entry's
  // match_slot to 0. Not thread-safe.
  bool Reserve(size_t entries);

  // The match of `meta`, filled by `fill(Slot*)` on first use. Thread-safe.
  template <typename Fill>
  const IntelMatch* Get(const EntryMeta& meta, Fill&& fill) const {
    std::atomic_ref<uint32_t> ref(meta.match_slot);
    uint32_t state = ref.load(std::memory_order_acquire);
    if (state == 0 && ref.compare_exchange_strong(state, kBusy, std::memory_order_acq_rel)) {
      const uint32_t slot = used_.fetch_add(1, std::memory_order_relaxed);
      Slot* s = new (&slots_[slot]) Slot{};
      fill(s);
      ref.store(slot + 1, std::memory_order_release);
      return &s->match;
    }
    while (state == 0 || state == kBusy) state = ref.load(std::memory_order_acquire);
    return &slots_[state - 1].match;
  }

  // Rewrites an already filled slot (after its entry was replaced). Not thread-safe.
  template <typename Fill>
  void Refill(const EntryMeta& meta, Fill&& fill) {
    if (meta.match_slot != 0) fill(&slots_[meta.match_slot - 1]);
  }

  // Slots filled so far (RAM actually touched, in whole pages, is close to this).
  size_t MemoryBytes() const { return used_.load(std::memory_order_relaxed) * sizeof(Slot); }

 private:
  void Unmap();

  Slot* slots_ = nullptr;
  size_t capacity_ = 0;
  mutable std::atomic<uint32_t> used_{0};
};

}  // namespace fz::intel::internal
