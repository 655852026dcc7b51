// HugePageAllocator<T>: a std::allocator for the large tables that the event path probes at
// random (intelligence Bloom filters and indexes, the detector's subject table). Blocks of
// 2 MiB or more are 2 MiB-aligned and advised MADV_HUGEPAGE, so that the kernel backs them
// with huge pages where transparent huge pages are enabled in `madvise` mode (this machine's
// default): one TLB entry then covers 2 MiB instead of 4 KiB, and a probe that misses the
// cache no longer also misses the TLB (a page walk, nested under a hypervisor). Smaller blocks
// are ordinary allocations. Only a hint: results never depend on it.
//
//   std::vector<uint64_t, HugePageAllocator<uint64_t>> slots(1 << 22);
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace fz {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

template <typename T>
struct HugePageAllocator {
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: rebinding, as std::allocator

  T* allocate(size_t n) {
    if (n > static_cast<size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) {
      return static_cast<T*>(::operator new(bytes, std::align_val_t(alignof(T))));
    }
    const size_t rounded = (bytes + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
    void* p = std::aligned_alloc(kHugePageBytes, rounded);
    if (p == nullptr) throw std::bad_alloc();
    // Before the first touch, so the pages are huge from the start (no khugepaged wait).
    // Failure (THP disabled, an old kernel) only leaves normal pages.
    (void)madvise(p, rounded, MADV_HUGEPAGE);
    return static_cast<T*>(p);
  }

  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < kHugePageBytes) {
      ::operator delete(p, std::align_val_t(alignof(T)));
    } else {
      std::free(p);
    }
  }

  template <typename U>
  friend bool operator==(const HugePageAllocator&, const HugePageAllocator<U>&) {
    return true;
  }
};

}  // namespace fz
