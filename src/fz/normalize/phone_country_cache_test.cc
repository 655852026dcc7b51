// The international prefix cache (phone_country_cache.h) against the reference path: for every
// cached country, numbers clustered on shared keys (same country, national length and leading
// digits, different tails), so that the first of a cluster fills the cache and the others must
// get NormalizePhone's answer from it.
#include "fz/normalize/phone_country_cache.h"

#include <random>
#include <string>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/normalize/phone_normalizer.h"
#include "fz/normalize/phone_test_util.h"
#include "gtest/gtest.h"

namespace fz::normalize {
namespace {

using phone_internal::kCachedCountries;

std::string RandomDigits(size_t count, std::mt19937& rng) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += static_cast<char>('0' + rng() % 10);
  return out;
}

// The ways intelligence lists and CDRs write a foreign number.
std::string Written(std::string_view code, const std::string& national, int style) {
  switch (style) {
    case 0:
      return fz::StrCat("+", code, national);
    case 1:
      return fz::StrCat("00", code, national);
    case 2:
      return fz::StrCat("+", code, " ", national.substr(0, 2), " ", national.substr(2));
    default:
      return fz::StrCat("+", code, "-", national.substr(0, 3), "-", national.substr(3));
  }
}

using testing::ExpectSameInfo;

// Per country: every 3-digit start of the national number (so every range the metadata
// allocates is visited), at national lengths 6-11, each extended at random to the key's depth,
// and two numbers per key that differ after it. ~10.8k numbers per country.
TEST(CountryPrefixCacheTest, AgreesWithReferencePathForEveryCachedCountry) {
  std::mt19937 rng(20261126);
  for (const phone_internal::CachedCountry& country : kCachedCountries) {
    ASSERT_GE(country.depth, 3u) << "the clusters below start with three digits";
    PhoneNormalizer normalizer;
    int checked = 0;
    int valid = 0;
    int mismatches = 0;
    for (size_t length = 6; length <= 11; ++length) {
      for (int start = 100; start <= 999; ++start) {
        std::string key = fz::StrCat(start, RandomDigits(country.depth - 3, rng));
        for (int i = 0; i < 2; ++i) {
          std::string national = (key + RandomDigits(length, rng)).substr(0, length);
          std::string raw = Written(country.code, national, static_cast<int>(rng() % 4));
          StatusOr<PhoneInfo> slow = NormalizePhone(raw);
          StatusOr<PhoneInfo> fast = normalizer.Normalize(raw);
          PhoneKey fast_key;
          Status key_status = normalizer.NormalizeKey(raw, &fast_key);
          ASSERT_EQ(fast.status(), slow.status()) << raw;
          ASSERT_EQ(key_status, slow.status()) << raw;
          ++checked;
          if (!slow.ok()) continue;
          valid += slow->valid ? 1 : 0;
          ExpectSameInfo(*fast, *slow, raw);
          EXPECT_EQ(fast_key.canonical, slow->canonical) << raw;
          EXPECT_EQ(fast_key.kind, slow->kind) << raw;
          EXPECT_EQ(fast_key.valid, slow->valid) << raw;
          EXPECT_TRUE(fast_key.flags == slow->flag_set) << raw;
          if (fast->valid != slow->valid || fast->kind != slow->kind) ++mismatches;
          if (mismatches > 20) FAIL() << "too many mismatches for +" << country.code;
        }
      }
    }
    // The clusters visited real ranges (some valid numbers) and shared keys (fewer fills
    // than numbers): otherwise the comparison above would prove nothing.
    EXPECT_GT(valid, 200) << "+" << country.code;
    EXPECT_GT(normalizer.country_cache_fills(), 0u) << "+" << country.code;
    EXPECT_LT(normalizer.country_cache_fills(), static_cast<uint64_t>(checked) * 3 / 4)
        << "+" << country.code;
  }
}

TEST(CountryPrefixCacheTest, RunsLibphonenumberOncePerKey) {
  PhoneNormalizer normalizer;
  PhoneKey key;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(normalizer.NormalizeKey(fz::StrCat("+85512345", 1000 + i), &key).ok());
    EXPECT_EQ(key.canonical, fz::StrCat("+85512345", 1000 + i));
    EXPECT_EQ(key.country_code, 855);
    EXPECT_TRUE(key.valid);
    EXPECT_EQ(key.kind, PhoneKind::kMobile);
    EXPECT_TRUE(key.flags.Has(PhoneFlag::kInternational));
  }
  EXPECT_EQ(normalizer.country_cache_fills(), 1u);
  StatusOr<PhoneInfo> info = normalizer.Normalize("0085512345999");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->area_name, "柬埔寨");
  EXPECT_TRUE(info->international);
  // Flags still describe each number: a run of one digit is flagged even on a cached key.
  ASSERT_TRUE(normalizer.NormalizeKey("+855 11111111", &key).ok());
  ASSERT_TRUE(normalizer.NormalizeKey("+855 11111112", &key).ok());
  EXPECT_FALSE(key.flags.Has(PhoneFlag::kRepeatedDigits));
  ASSERT_TRUE(normalizer.NormalizeKey("+855 11111111", &key).ok());
  EXPECT_TRUE(key.flags.Has(PhoneFlag::kRepeatedDigits));
}

TEST(CountryPrefixCacheTest, LeavesOtherCountriesAndNationalPrefixesToTheReferencePath) {
  PhoneNormalizer normalizer;
  for (const char* raw : {"+1 415 555 2671", "+44 20 7946 0958", "+855 012 345 678",
                          "+855 12 345 678 901 234", "+85"}) {
    StatusOr<PhoneInfo> slow = NormalizePhone(raw);
    StatusOr<PhoneInfo> fast = normalizer.Normalize(raw);
    ASSERT_EQ(fast.status(), slow.status()) << raw;
    if (slow.ok()) ExpectSameInfo(*fast, *slow, raw);
  }
  EXPECT_EQ(normalizer.country_cache_fills(), 0u);
}

TEST(CountryPrefixCacheTest, KeepsOnlyResultsThatAreTheNumberAsWritten) {
  phone_internal::CountryPrefixCache cache;
  PhoneInfo info;
  info.canonical = "+85512345678";
  info.country_code = 855;
  info.valid = true;
  info.kind = PhoneKind::kMobile;
  info.area_name = "柬埔寨";
  EXPECT_FALSE(cache.Insert("85512345679", info));  // another number's result
  EXPECT_FALSE(cache.Insert("14155552671", info));  // not a cached country
  EXPECT_TRUE(cache.Insert("85512345678", info));
  phone_internal::CountryPrefixCache::Verdict verdict;
  ASSERT_TRUE(cache.Find("85512345000", &verdict));
  EXPECT_EQ(verdict.national, "12345000");
  EXPECT_EQ(verdict.area_name, "柬埔寨");
  EXPECT_FALSE(cache.Find("8551234500", &verdict));  // another length: another key
}

}  // namespace
}  // namespace fz::normalize
