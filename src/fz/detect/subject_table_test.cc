// SubjectTable and SeenIds against plain standard containers.
#include "fz/detect/subject_table.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>

#include "fz/detect/seen_ids.h"
#include "fz/detect/subject.h"

namespace fz::detect {
namespace {

struct Rec {
  std::string key;
  bool live = false;
  int value = 0;
};

TEST(SubjectTable, FindInsertEraseMatchAMap) {
  SubjectTable<Rec> table;
  std::map<std::string, int> model;
  std::mt19937 rng(7);
  for (int step = 0; step < 60000; ++step) {
    const std::string key = "+86139" + std::to_string(rng() % 20000);
    const uint64_t hash = SubjectHash(key);
    const uint32_t id = table.Find(key, hash);
    const auto it = model.find(key);
    ASSERT_EQ(id != kNoSubject, it != model.end()) << key;
    if (id == kNoSubject) {
      const uint32_t added = table.Insert(key, hash);
      table[added].value = step;
      model[key] = step;
    } else {
      ASSERT_EQ(table[id].key, key);
      ASSERT_EQ(table[id].value, it->second);
    }
    if (step % 10000 == 9999) {  // a sweep: forget the odd values
      const size_t erased = table.EraseIf([](const Rec& r) { return r.value % 2 == 1; });
      size_t expected = 0;
      for (auto m = model.begin(); m != model.end();) {
        if (m->second % 2 == 1) {
          m = model.erase(m);
          ++expected;
        } else {
          ++m;
        }
      }
      ASSERT_EQ(erased, expected);
    }
    ASSERT_EQ(table.size(), model.size());
  }
  size_t seen = 0;
  table.ForEach([&](const Rec& r) {
    ++seen;
    EXPECT_EQ(model.at(r.key), r.value);
  });
  EXPECT_EQ(seen, model.size());
}

// Keys that share a hash (as a 64-bit collision would) are still told apart by their text.
TEST(SubjectTable, SameHashDifferentKeys) {
  SubjectTable<Rec> table;
  const uint32_t a = table.Insert("+8613900000001", 42);
  const uint32_t b = table.Insert("+8613900000002", 42);
  EXPECT_NE(a, b);
  EXPECT_EQ(table.Find("+8613900000001", 42), a);
  EXPECT_EQ(table.Find("+8613900000002", 42), b);
  EXPECT_EQ(table.Find("+8613900000003", 42), kNoSubject);
  table.EraseIf([&](const Rec& r) { return r.key == "+8613900000001"; });
  EXPECT_EQ(table.Find("+8613900000001", 42), kNoSubject);
  EXPECT_EQ(table.Find("+8613900000002", 42), b);
  EXPECT_EQ(table.Insert("+8613900000009", 42), a);  // the erased id is reused
}

TEST(SeenIds, RotatesLikeTwoGenerationsOfSets) {
  constexpr size_t kCapacity = 1000;
  SeenIds seen(kCapacity);
  std::set<uint64_t> current, previous;
  std::mt19937_64 rng(11);
  for (int step = 0; step < 20000; ++step) {
    const uint64_t h = rng() % 5000;  // repeats, so that both answers occur often
    const bool expected = current.count(h) > 0 || previous.count(h) > 0;
    ASSERT_EQ(seen.Contains(h), expected) << step;
    if (rng() % 3 == 0) {
      if (current.size() >= kCapacity) {
        previous = std::move(current);
        current.clear();
      }
      current.insert(h);
      seen.Insert(h);
    }
  }
  absl::flat_hash_set<uint64_t> loaded = {1, 2, 3};
  seen.Load(loaded);
  EXPECT_TRUE(seen.Contains(2));
  EXPECT_FALSE(seen.Contains(4));
  int n = 0;
  seen.ForEach([&](uint64_t) { ++n; });
  EXPECT_EQ(n, 3);
}

}  // namespace
}  // namespace fz::detect
