// A small direct-mapped memo for pure normalizations of values that repeat from row to row:
// the popular domains of an ISP feed, the timestamp text shared by the rows of one second.
// Only successful results are stored and a lookup compares the whole raw text, so a memoized
// answer is exactly what the full path would give. Internal to fz/ingest; one per thread
// (EventBuilder owns one per value kind).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace fz::ingest::internal {

class ValueMemo {
 public:
  // `slots` is rounded up to a power of two; memory is allocated on first Insert.
  explicit ValueMemo(size_t slots) : mask_(RoundUp(slots) - 1) {}

  // The value remembered for `raw`, or nullptr.
  const std::string* Find(std::string_view raw) const {
    if (slots_.empty()) return nullptr;
    const Slot& slot = slots_[Index(raw)];
    return slot.used && slot.raw == raw ? &slot.value : nullptr;
  }

  // Remembers `value` for `raw`, replacing whatever shared its slot. Values longer than
  // kMaxBytes are not kept (they rarely repeat).
  void Insert(std::string_view raw, std::string_view value) {
    if (raw.size() > kMaxBytes || value.size() > kMaxBytes) return;
    if (slots_.empty()) slots_.resize(mask_ + 1);
    Slot& slot = slots_[Index(raw)];
    slot.raw.assign(raw);
    slot.value.assign(value);
    slot.used = true;
  }

  static constexpr size_t kMaxBytes = 128;

 private:
  struct Slot {
    std::string raw;
    std::string value;
    bool used = false;
  };

  static size_t RoundUp(size_t n) {
    size_t p = 1;
    while (p < n) p <<= 1;
    return p;
  }
  size_t Index(std::string_view raw) const { return std::hash<std::string_view>()(raw) & mask_; }

  size_t mask_;
  std::vector<Slot> slots_;
};

}  // namespace fz::ingest::internal
