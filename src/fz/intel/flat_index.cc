#include "fz/intel/flat_index.h"

namespace fz::intel::internal {

void FlatIndex::Insert(uint64_t hash, uint32_t entry) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  Place((hash & 0xFFFFFFFF00000000ULL) | (static_cast<uint64_t>(entry) + 1));
  ++size_;
}

void FlatIndex::Place(uint64_t slot) {
  size_t pos = (slot >> 32) & mask_;
  while (slots_[pos] != 0) pos = (pos + 1) & mask_;
  slots_[pos] = slot;
}

void FlatIndex::Grow() { Rehash(slots_.empty() ? 16 : slots_.size() * 2); }

void FlatIndex::Reserve(size_t entries) {
  size_t capacity = slots_.empty() ? 16 : slots_.size();
  while (entries * 2 > capacity) capacity *= 2;
  if (capacity > slots_.size()) Rehash(capacity);
}

void FlatIndex::Rehash(size_t capacity) {
  std::vector<uint64_t, HugePageAllocator<uint64_t>> old = std::move(slots_);
  slots_.assign(capacity, 0);
  mask_ = capacity - 1;
  for (uint64_t slot : old) {
    if (slot != 0) Place(slot);
  }
}

void FlatIndex::Erase(uint64_t hash, uint32_t entry) {
  if (size_ == 0) return;
  const uint64_t wanted = (hash & 0xFFFFFFFF00000000ULL) | (static_cast<uint64_t>(entry) + 1);
  size_t pos = (wanted >> 32) & mask_;
  while (slots_[pos] != wanted) {
    if (slots_[pos] == 0) return;
    pos = (pos + 1) & mask_;
  }
  // Backward-shift deletion: move later members of the probe run into the hole when their
  // home slot does not lie (cyclically) after the hole, so every Find still reaches them.
  size_t hole = pos;
  for (size_t next = (hole + 1) & mask_; slots_[next] != 0; next = (next + 1) & mask_) {
    const size_t home = (slots_[next] >> 32) & mask_;
    const bool home_after_hole =
        hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
    if (!home_after_hole) {
      slots_[hole] = slots_[next];
      hole = next;
    }
  }
  slots_[hole] = 0;
  --size_;
}

}  // namespace fz::intel::internal
