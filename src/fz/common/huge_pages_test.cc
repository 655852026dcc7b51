// HugePageAllocator: a working allocator for small and large blocks; large ones are 2 MiB
// aligned (the kernel can only back aligned 2 MiB ranges with huge pages).
#include "fz/common/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace fz {
namespace {

struct alignas(64) Wide {
  uint64_t words[8] = {};
};

TEST(HugePageAllocator, SmallAndLargeVectorsHoldTheirValues) {
  for (const size_t n : {size_t{1}, size_t{1000}, size_t{1} << 18, (size_t{3} << 20) + 5}) {
    std::vector<uint64_t, HugePageAllocator<uint64_t>> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = i * 7;
    uint64_t sum = 0;
    for (size_t i = 0; i < n; ++i) sum += v[i] - i * 7;
    EXPECT_EQ(sum, 0u) << n;
    if (n * sizeof(uint64_t) >= kHugePageBytes) {
      EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePageBytes, 0u) << n;
    }
  }
}

TEST(HugePageAllocator, KeepsTheAlignmentOfOverAlignedTypes) {
  std::vector<Wide, HugePageAllocator<Wide>> small(3);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(small.data()) % 64, 0u);
  std::vector<Wide, HugePageAllocator<Wide>> grown;
  for (int i = 0; i < 40000; ++i) grown.push_back(Wide{{static_cast<uint64_t>(i)}});
  EXPECT_EQ(reinterpret_cast<uintptr_t>(grown.data()) % 64, 0u);
  EXPECT_EQ(grown[39999].words[0], 39999u);
}

}  // namespace
}  // namespace fz
