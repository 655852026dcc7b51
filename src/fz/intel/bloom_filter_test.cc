#include "fz/intel/bloom_filter.h"

#include <random>
#include <vector>

#include "fz/intel/flat_index.h"
#include "fz/intel/store_impl.h"
#include "gtest/gtest.h"

namespace fz::intel::internal {
namespace {

TEST(BloomFilterTest, EmptyFilterContainsNothing) {
  BloomFilter filter;
  EXPECT_FALSE(filter.MayContain(0));
  EXPECT_FALSE(filter.MayContain(Mix64(42)));
  filter.Reset(1000);
  EXPECT_FALSE(filter.MayContain(Mix64(42)));
}

// Keys of the shapes the store hashes (phone keys through Mix64): every added key is found,
// and absent keys are rejected at about the rate the sizing promises.
TEST(BloomFilterTest, NoFalseNegativesAndFewFalsePositives) {
  constexpr size_t kKeys = 200000;
  BloomFilter filter;
  filter.Reset(kKeys);
  EXPECT_GE(filter.capacity(), kKeys);
  for (uint64_t i = 0; i < kKeys; ++i) filter.Add(Mix64(8617000000000ULL + i * 7));
  for (uint64_t i = 0; i < kKeys; ++i) {
    ASSERT_TRUE(filter.MayContain(Mix64(8617000000000ULL + i * 7))) << i;
  }
  size_t false_positives = 0;
  for (uint64_t i = 0; i < kKeys; ++i) {
    false_positives += filter.MayContain(Mix64(8613900000000ULL + i * 7)) ? 1 : 0;
  }
  EXPECT_LT(false_positives, kKeys / 100);  // < 1%; 16 bits a key gives ~0.1-0.3%
}

// The AVX2 probe (taken on CPUs that have it) answers as the portable loop, for present and
// absent keys alike, in a filter dense enough that both answers are common.
TEST(BloomFilterTest, VectorProbeAgreesWithScalarProbe) {
  BloomFilter filter;
  filter.Reset(4096);
  std::mt19937_64 rng(3);
  for (int i = 0; i < 20000; ++i) filter.Add(rng());  // 5x its sizing: many false positives
  size_t maybe = 0;
  for (int i = 0; i < 200000; ++i) {
    const uint64_t h = rng();
    ASSERT_EQ(filter.MayContain(h), filter.MayContainScalar(h)) << h;
    maybe += filter.MayContain(h) ? 1 : 0;
  }
  EXPECT_GT(maybe, 1000u);
  EXPECT_LT(maybe, 199000u);
#if defined(__x86_64__)
  EXPECT_EQ(BloomFilter::HasVectorProbe(), __builtin_cpu_supports("avx2") != 0);
#endif
}

TEST(BloomFilterTest, ResetForgetsEverything) {
  BloomFilter filter;
  filter.Reset(100);
  filter.Add(Mix64(1));
  ASSERT_TRUE(filter.MayContain(Mix64(1)));
  EXPECT_EQ(filter.size(), 1u);
  filter.Reset(100);
  EXPECT_FALSE(filter.MayContain(Mix64(1)));
  EXPECT_EQ(filter.size(), 0u);
}

// A bulk load defers the filter's bits to EndBulk (store_impl.h): the filter must end bit for
// bit as with the same Reserve and Insert calls made eagerly — keys present before the load,
// growths from Reserve and from Insert within it, duplicates, and bulk loads on top of others.
TEST(BloomFilterTest, BulkTableSameBitsAsEager) {
  std::mt19937_64 rng(11);
  Table<uint64_t> eager;
  Table<uint64_t> bulk;
  auto insert = [](Table<uint64_t>& t, uint64_t key) {
    if (t.FindForInsert(key, Mix64(key)) == FlatIndex::kNotFound) t.Insert(key, Mix64(key), {});
  };
  for (int i = 0; i < 50; ++i) {
    const uint64_t key = rng() % 1000;
    insert(eager, key);
    insert(bulk, key);
  }
  for (int round = 0; round < 3; ++round) {
    bulk.BeginBulk();
    for (const size_t block : {size_t{3}, size_t{16384}, size_t{900}, size_t{40000}}) {
      std::vector<uint64_t> keys(block);
      for (uint64_t& k : keys) k = rng() % 300000;
      eager.Reserve(keys.size());
      bulk.Reserve(keys.size());
      for (uint64_t k : keys) {
        insert(eager, k);
        insert(bulk, k);
      }
      // Inserts past the reserved room grow the filter from Insert, too.
      for (int i = 0; i < 40; ++i) {
        const uint64_t k = 1000000 + rng() % 100000;
        insert(eager, k);
        insert(bulk, k);
      }
    }
    bulk.EndBulk();
    ASSERT_EQ(bulk.keys, eager.keys);
    ASSERT_EQ(bulk.filter.size(), eager.filter.size());
    ASSERT_EQ(bulk.filter.capacity(), eager.filter.capacity());
    ASSERT_EQ(bulk.filter.MemoryBytes(), eager.filter.MemoryBytes());
    for (int i = 0; i < 200000; ++i) {
      const uint64_t probe = rng();
      ASSERT_EQ(bulk.filter.MayContain(probe), eager.filter.MayContain(probe)) << i;
    }
  }
}

}  // namespace
}  // namespace fz::intel::internal
