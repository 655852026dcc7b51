#include "fz/ingest/value_memo.h"

#include <map>
#include <random>
#include <string>
#include <string_view>

#include "fz/common/str_cat.h"
#include "gtest/gtest.h"

namespace fz::ingest::internal {
namespace {

// Against a map of everything ever inserted: a hit must give the last value inserted for that
// exact raw text, and a key inserted just before must be found (nothing evicts it yet).
TEST(ValueMemoTest, HitsAreExactAndRecentKeysStay) {
  ValueMemo memo(256);  // small, so that sets overflow and evict
  std::map<std::string, std::string> model;
  std::mt19937 rng(11);
  std::string_view value;
  EXPECT_FALSE(memo.Find("empty.example", &value));
  int hits = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string raw = fz::StrCat("www.Site", rng() % 2000, ".example");
    if (rng() % 7 == 0) raw.resize(rng() % raw.size());  // short and empty texts too
    if (memo.Find(raw, &value)) {
      ++hits;
      ASSERT_TRUE(model.count(raw)) << raw;
      ASSERT_EQ(value, model[raw]) << raw;
    }
    // Half the values equal their raw text (stored once), half differ (stored after it).
    std::string normalized = rng() % 2 ? raw : fz::StrCat("v", i % 97, raw);
    memo.Insert(raw, normalized);
    model[raw] = normalized;
    if (raw.size() + (normalized == raw ? 0 : normalized.size()) <= ValueMemo::kMaxBytes) {
      ASSERT_TRUE(memo.Find(raw, &value)) << raw;
      ASSERT_EQ(value, normalized) << raw;
    }
  }
  EXPECT_GT(hits, 1000);
}

TEST(ValueMemoTest, TextsThatDoNotFitAreNotKept) {
  ValueMemo memo(64);
  std::string_view value;
  std::string long_raw(ValueMemo::kMaxBytes + 1, 'a');
  memo.Insert(long_raw, long_raw);
  EXPECT_FALSE(memo.Find(long_raw, &value));
  std::string fits(ValueMemo::kMaxBytes, 'b');
  memo.Insert(fits, fits);
  ASSERT_TRUE(memo.Find(fits, &value));
  EXPECT_EQ(value, fits);
  memo.Insert("Raw.Example", "raw.example");
  ASSERT_TRUE(memo.Find("Raw.Example", &value));
  EXPECT_EQ(value, "raw.example");
  // Together too long: not kept, and the old value is forgotten rather than left stale.
  memo.Insert("Raw.Example", std::string(ValueMemo::kMaxBytes, 'c'));
  EXPECT_FALSE(memo.Find("Raw.Example", &value));
}

}  // namespace
}  // namespace fz::ingest::internal
