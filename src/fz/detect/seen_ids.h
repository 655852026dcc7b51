// SeenIds: the event ids (EventIdHash) a detector shard has recorded, for dropping re-delivered
// events. Two generations of at most `capacity` ids each: when the current one is full it
// becomes the previous one and the oldest ids are forgotten.
//
//   SeenIds seen(1 << 20);
//   if (seen.Contains(h)) return;  // duplicate
//   ...
//   seen.Insert(h);
//
// Every event is checked, but few are ever inserted (only those a window records), so almost
// every check is a miss. Two hash sets of up to a million ids each made that two or four cache
// misses; a filter in front (two bits per id in one 64-bit word: the low half for the current
// generation, the high half for the previous one, so that a rotation is a shift) answers
// most misses with one, and can be prefetched. The filter has no false negatives; its false
// positives only cost the exact look-up they skip otherwise. Not thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "fz/common/huge_pages.h"

namespace fz::detect {

class SeenIds {
 public:
  explicit SeenIds(size_t capacity) : capacity_(capacity) {}

  bool Contains(uint64_t h) const {
    if (words_.empty()) return false;
    const uint64_t word = words_[h & mask_];
    const uint64_t m = Bits(h);
    if ((word & m) != m && ((word >> 32) & m) != m) return false;
    return current_.contains(h) || previous_.contains(h);
  }

  void Insert(uint64_t h) {
    if (current_.size() >= capacity_) {
      previous_ = std::move(current_);
      current_ = {};
      for (uint64_t& word : words_) word <<= 32;  // current -> previous, previous forgotten
    }
    current_.insert(h);
    if (current_.size() > words_.size() * kIdsPerWord) {
      Rebuild(std::max<size_t>(64, words_.size() * 2));
    } else {
      words_[h & mask_] |= Bits(h);
    }
  }

  void Prefetch(uint64_t h) const {
    if (!words_.empty()) __builtin_prefetch(&words_[h & mask_]);
  }

  // Replaces the contents with `ids` as the current generation (checkpoint load).
  void Load(absl::flat_hash_set<uint64_t> ids) {
    current_ = std::move(ids);
    previous_.clear();
    words_.clear();
    size_t words = 64;
    while (current_.size() > words * kIdsPerWord) words *= 2;
    if (!current_.empty()) Rebuild(words);
  }

  // The ids, previous generation first (checkpoint save).
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (const uint64_t h : previous_) fn(h);
    for (const uint64_t h : current_) fn(h);
  }

 private:
  // Two of the 32 bits of a half word, from hash bits the word index does not use.
  static uint64_t Bits(uint64_t h) {
    return (uint64_t{1} << ((h >> 40) & 31)) | (uint64_t{1} << ((h >> 48) & 31));
  }

  // The filter grows with the ids (never past what a full generation needs), so that it stays
  // smaller than the sets it guards: 16 to 32 bits per id of the current generation (about
  // 1.4% false positives at 16).
  static constexpr size_t kIdsPerWord = 2;
  void Rebuild(size_t words) {
    words_.assign(words, 0);
    mask_ = words - 1;
    for (const uint64_t h : previous_) words_[h & mask_] |= Bits(h) << 32;
    for (const uint64_t h : current_) words_[h & mask_] |= Bits(h);
  }

  size_t capacity_;
  absl::flat_hash_set<uint64_t> current_, previous_;
  std::vector<uint64_t, HugePageAllocator<uint64_t>> words_;
  size_t mask_ = 0;
};

}  // namespace fz::detect
