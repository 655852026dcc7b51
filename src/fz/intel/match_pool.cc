#include "fz/intel/match_pool.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>

namespace fz::intel::internal {

std::string_view Arena::Store(std::string_view text) {
  if (text.empty()) return {};
  if (text.size() > kChunk / 4) {
    // A large value gets a block of its own so that the current chunk keeps filling.
    big_.push_back(std::make_unique<char[]>(text.size()));
    std::memcpy(big_.back().get(), text.data(), text.size());
    bytes_ += text.size();
    return {big_.back().get(), text.size()};
  }
  if (used_ + text.size() > kChunk) {
    chunks_.push_back(std::make_unique<char[]>(kChunk));
    bytes_ += kChunk;
    used_ = 0;
  }
  char* out = chunks_.back().get() + used_;
  std::memcpy(out, text.data(), text.size());
  used_ += text.size();
  return {out, text.size()};
}

MatchPool::~MatchPool() { Unmap(); }

void MatchPool::Unmap() {
  if (slots_ != nullptr) munmap(slots_, capacity_ * sizeof(Slot));
  slots_ = nullptr;
  capacity_ = 0;
  used_.store(0, std::memory_order_relaxed);
}

bool MatchPool::Reserve(size_t entries) {
  if (entries <= capacity_) return false;
  const bool had_slots = used_.load(std::memory_order_relaxed) != 0;
  Unmap();
  const size_t capacity = std::max<size_t>(4096, entries * 2);
  // Anonymous private memory is committed page by page on first write, so a large region
  // costs only address space until matches are actually filled.
  void* p = mmap(nullptr, capacity * sizeof(Slot), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  slots_ = static_cast<Slot*>(p);
  capacity_ = capacity;
  return had_slots;
}

}  // namespace fz::intel::internal
