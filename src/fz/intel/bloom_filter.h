// BloomFilter: a split-block Bloom filter over 64-bit hashes, checked before every IntelStore
// table probe. Internal to fz/intel.
//
//   BloomFilter filter;
//   filter.Reset(expected_keys);
//   filter.Add(hash);
//   if (!filter.MayContain(other_hash)) { /* certainly never added: skip the table */ }
//
// Why: 99% of events touch no intelligence, and a miss in the 1.24M-entry tables is a cache
// miss into ~40 MB of index and keys. The filter is 2 bytes per key (2.5 MB for 1.24M keys), so
// its one probe mostly hits the CPU cache and rejects ~99.5% of absent values.
//
// Layout (Putze, Sanders, Singler, "Cache-, Hash- and Space-Efficient Bloom Filters"; the
// variant Apache Parquet and Impala use): 32-byte blocks of eight 32-bit words; the hash's upper
// 32 bits pick the block, its lower 32 bits times eight odd constants set one bit in each word.
// No false negatives: a value added is always reported as maybe present.
//
// Not thread-safe for writes; MayContain is const and safe from many threads once writes stop.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fz/common/huge_pages.h"
#include "fz/common/prefetch.h"

namespace fz::intel::internal {

class BloomFilter {
 public:
  // Empties the filter and sizes it for `expected_keys` (at least 16 bits per key).
  void Reset(size_t expected_keys) {
    const size_t blocks = BlocksFor(expected_keys);
    blocks_.assign(blocks, Block{});
    mask_ = blocks - 1;
    capacity_ = blocks * kBitsPerBlock / kBitsPerKey;
    size_ = 0;
  }
  // capacity() after Reset(expected_keys).
  static size_t CapacityFor(size_t expected_keys) {
    return BlocksFor(expected_keys) * kBitsPerBlock / kBitsPerKey;
  }

  void Add(uint64_t hash) {
    if (blocks_.empty()) Reset(16);
    Block& block = blocks_[(hash >> 32) & mask_];
    const auto h = static_cast<uint32_t>(hash);
    for (size_t i = 0; i < kWords; ++i) block.words[i] |= uint32_t{1} << ((h * kSalts[i]) >> 27);
    ++size_;
  }

  // False only when `hash` was never added since the last Reset.
  bool MayContain(uint64_t hash) const {
    if (blocks_.empty()) return false;
    const Block& block = blocks_[(hash >> 32) & mask_];
    const auto h = static_cast<uint32_t>(hash);
    if (probe_ != nullptr) return probe_(block.words, h, kSalts.data());
    return MayContainScalar(block, h);
  }
  // The portable probe (MayContain uses the AVX2 one when the CPU has it; the test compares).
  bool MayContainScalar(uint64_t hash) const {
    if (blocks_.empty()) return false;
    return MayContainScalar(blocks_[(hash >> 32) & mask_], static_cast<uint32_t>(hash));
  }
  static bool HasVectorProbe() { return probe_ != nullptr; }

  // Starts loading the block MayContain(hash) will read (the shards, a few events ahead; bulk
  // loads, a few rows ahead).
  void Prefetch(uint64_t hash) const {
    if (!blocks_.empty()) fz::Prefetch(&blocks_[(hash >> 32) & mask_]);
  }

  // Adds made since the last Reset, and how many it was sized for: past that the false
  // positive rate climbs, and the owner should Reset to a larger size and add its keys again.
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  size_t MemoryBytes() const { return blocks_.capacity() * sizeof(Block); }

 private:
  static constexpr size_t kWords = 8;
  static constexpr size_t kBitsPerBlock = kWords * 32;
  static constexpr size_t kBitsPerKey = 16;
  // Parquet's salts: odd constants whose products spread the lower hash bits over 0..31.
  static constexpr std::array<uint32_t, kWords> kSalts = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU,
                                                          0xa2b7289dU, 0x705495c7U, 0x2df1424bU,
                                                          0x9efc4947U, 0x5c6bfb31U};
  static size_t BlocksFor(size_t expected_keys) {
    size_t blocks = 1;
    while (blocks * kBitsPerBlock < expected_keys * kBitsPerKey) blocks *= 2;
    return blocks;
  }
  // Aligned so that a block never straddles two cache lines.
  struct alignas(32) Block {
    uint32_t words[kWords] = {};
  };

  static bool MayContainScalar(const Block& block, uint32_t h) {
    uint32_t missing = 0;
    for (size_t i = 0; i < kWords; ++i) {
      missing |= ~block.words[i] & (uint32_t{1} << ((h * kSalts[i]) >> 27));
    }
    return missing == 0;
  }
  // The AVX2 probe of one block (bloom_probe.cc), or nullptr when the CPU lacks AVX2.
  static bool (*const probe_)(const uint32_t* words, uint32_t h, const uint32_t* salts);

  std::vector<Block, HugePageAllocator<Block>> blocks_;  // probed at random: huge pages
  size_t mask_ = 0;
  size_t capacity_ = 0;
  size_t size_ = 0;
};

}  // namespace fz::intel::internal
