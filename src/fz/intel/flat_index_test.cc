#include "fz/intel/flat_index.h"

#include <random>
#include <unordered_map>
#include <vector>

#include "gtest/gtest.h"

namespace fz::intel::internal {
namespace {

// Random inserts and erases against std::unordered_map, with deliberately colliding hashes
// (few distinct fingerprints) so that probe runs wrap and backward shifts are exercised.
TEST(FlatIndexTest, AgreesWithUnorderedMapUnderInsertAndErase) {
  std::mt19937_64 rng(7);
  FlatIndex index;
  std::vector<uint64_t> keys;  // entry -> key
  std::unordered_map<uint64_t, uint32_t> model;
  auto hash_of = [](uint64_t key) { return (Mix64(key) & 0x00FF00FF00000000ULL) | key; };
  for (int step = 0; step < 200000; ++step) {
    const uint64_t key = rng() % 5000;
    auto it = model.find(key);
    if (it == model.end()) {
      const auto entry = static_cast<uint32_t>(keys.size());
      keys.push_back(key);
      index.Insert(hash_of(key), entry);
      model[key] = entry;
    } else if (rng() % 2 == 0) {
      index.Erase(hash_of(key), it->second);
      model.erase(it);
    }
    const uint64_t probe = rng() % 5000;
    const uint32_t found = index.Find(hash_of(probe), [&](uint32_t e) { return keys[e] == probe; });
    auto m = model.find(probe);
    ASSERT_EQ(found, m == model.end() ? FlatIndex::kNotFound : m->second) << step;
  }
  EXPECT_EQ(index.size(), model.size());
}

}  // namespace
}  // namespace fz::intel::internal
