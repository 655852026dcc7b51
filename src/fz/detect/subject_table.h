// SubjectTable: a detector shard's per-subject state, as dense records indexed by a small id,
// found through a flat index keyed by the subject's StableHash (which the router already
// computed to pick the shard, so a shard never hashes the subject's text again).
//
//   SubjectTable<SubjectState> table;
//   uint32_t id = table.Find(subject, hash);             // kNoSubject when absent
//   if (id == kNoSubject) id = table.Insert(subject, hash);
//   table[id].score += 1;
//   table.Prefetch(hash);  ...  table.PrefetchRecord(hash);  // a few events ahead
//
// Why: the subject map was one of the detector threads' largest cache misses (docs/
// benchmarks.md "Speed round 5"): a string-keyed hash map probe, then the slot, then the
// subject's firings and window entries in separate heap blocks. Here a probe reads one 8-byte
// index slot (tag + id), then the record, which keeps its first few firings and window
// entries inline. Because the hash comes with the event, both can be prefetched ahead.
//
// Ids are dense and reused after Erase; a record is only valid until the next Insert (the
// records vector may grow) or EraseIf. Not thread-safe: one table per shard.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fz/common/huge_pages.h"

namespace fz::detect {

inline constexpr uint32_t kNoSubject = 0xffffffffu;

// `Record` must have `std::string key` and `bool live`, and be default-constructible.
template <typename Record>
class SubjectTable {
 public:
  SubjectTable() { Rehash(kMinSlots); }

  size_t size() const { return live_; }

  uint32_t Find(std::string_view key, uint64_t hash) const {
    for (size_t pos = Home(hash);; pos = (pos + 1) & mask_) {
      const Slot slot = slots_[pos];
      if (slot.id_plus_1 == 0) return kNoSubject;
      if (slot.tag == Tag(hash) && records_[slot.id_plus_1 - 1].key == key) {
        return slot.id_plus_1 - 1;
      }
    }
  }

  // Adds `key` (which must not be present) with a default record; returns its id.
  uint32_t Insert(std::string_view key, uint64_t hash) {
    if ((live_ + 1) * 2 > slots_.size()) Rehash(slots_.size() * 2);
    uint32_t id;
    if (!free_.empty()) {
      id = free_.back();
      free_.pop_back();
    } else {
      id = static_cast<uint32_t>(records_.size());
      records_.emplace_back();
      hashes_.push_back(0);
    }
    records_[id].key.assign(key);
    records_[id].live = true;
    hashes_[id] = hash;
    Place(hash, id);
    ++live_;
    return id;
  }

  Record& operator[](uint32_t id) { return records_[id]; }
  const Record& operator[](uint32_t id) const { return records_[id]; }

  // Calls fn(record) for every live record, in id order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (const Record& r : records_) {
      if (r.live) fn(r);
    }
  }

  // Erases the records for which pred(record) is true; returns how many.
  template <typename Pred>
  size_t EraseIf(Pred pred) {
    size_t erased = 0;
    for (uint32_t id = 0; id < records_.size(); ++id) {
      Record& r = records_[id];
      if (!r.live || !pred(r)) continue;
      r = Record();  // frees its heap parts now
      free_.push_back(id);
      ++erased;
    }
    if (erased > 0) {
      live_ -= erased;
      Rehash(slots_.size());  // linear probing has no tombstones: rebuild the index
    }
    return erased;
  }

  void Clear() {
    records_.clear();
    hashes_.clear();
    free_.clear();
    live_ = 0;
    Rehash(kMinSlots);
  }

  // Prefetch the index slot of `hash` (a few events ahead), then, once that has arrived, the
  // record it names (PrefetchRecord reads the slot). Hints only: no effect on results.
  void Prefetch(uint64_t hash) const { __builtin_prefetch(&slots_[Home(hash)]); }
  void PrefetchRecord(uint64_t hash) const {
    const Slot slot = slots_[Home(hash)];
    if (slot.id_plus_1 == 0 || slot.tag != Tag(hash)) return;
    const char* p = reinterpret_cast<const char*>(&records_[slot.id_plus_1 - 1]);
    for (size_t off = 0; off < sizeof(Record); off += 64) __builtin_prefetch(p + off);
  }

 private:
  struct Slot {
    uint32_t tag = 0;
    uint32_t id_plus_1 = 0;  // 0: empty
  };
  static constexpr size_t kMinSlots = 1024;

  // The router shards by hash % shards, so the low bits are the same for every subject of a
  // shard: the index position comes from the high bits, the tag from the middle ones.
  size_t Home(uint64_t hash) const { return static_cast<size_t>(hash >> shift_); }
  static uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash >> 8); }

  void Place(uint64_t hash, uint32_t id) {
    size_t pos = Home(hash);
    while (slots_[pos].id_plus_1 != 0) pos = (pos + 1) & mask_;
    slots_[pos] = Slot{Tag(hash), id + 1};
  }

  void Rehash(size_t slots) {
    while (slots < kMinSlots || live_ * 2 > slots) slots *= 2;
    slots_.assign(slots, Slot{});
    mask_ = slots - 1;
    shift_ = 64;
    for (size_t s = slots; s > 1; s >>= 1) --shift_;
    for (uint32_t id = 0; id < records_.size(); ++id) {
      if (records_[id].live) Place(hashes_[id], id);
    }
  }

  // Probed at random by every event: huge pages (common/huge_pages.h).
  std::vector<Slot, HugePageAllocator<Slot>> slots_;
  size_t mask_ = 0;
  int shift_ = 64;
  std::vector<Record, HugePageAllocator<Record>> records_;
  std::vector<uint64_t> hashes_;  // per id, to rebuild the index
  std::vector<uint32_t> free_;    // ids of erased records, reused first
  size_t live_ = 0;
};

}  // namespace fz::detect
