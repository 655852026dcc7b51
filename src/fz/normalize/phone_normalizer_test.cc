#include "fz/normalize/phone_normalizer.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/normalize/phone_test_util.h"
#include "gtest/gtest.h"

// Counts heap allocations made by the current thread while `t_counting` is set, to prove the
// hot path allocation-free. Replacing the global operator new affects the whole test binary,
// which is harmless: it only forwards to malloc.
namespace {
thread_local bool t_counting = false;
thread_local int t_allocations = 0;
}  // namespace

// GCC pairs the malloc inside operator new with the free inside operator delete and warns.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t size) {
  if (t_counting) ++t_allocations;
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace fz::normalize {
namespace {

// Formats national significant number `n` the ways carriers and people write it.
std::string Format(std::string_view n, bool landline, int style, std::mt19937& rng) {
  std::string trunk = landline ? "0" : "";
  std::string nat(n);
  switch (style) {
    case 0:
      return trunk + nat;
    case 1:
      return "+86" + nat;
    case 2:
      return "+86 " + nat.substr(0, 3) + " " + nat.substr(3, 4) + " " + nat.substr(7);
    case 3:
      return "0086" + nat;
    case 4:
      return "86" + nat;
    case 5:
      return "(" + trunk + nat.substr(0, 3) + ")" + nat.substr(3);
    case 6:
      return trunk + nat.substr(0, 3) + "-" + nat.substr(3, 4) + "-" + nat.substr(7);
    case 7: {  // full-width digits with an ideographic space in front
      std::string out = "\xE3\x80\x80";
      for (char c : trunk + nat) out += std::string("\xEF\xBC") + static_cast<char>(0x90 + c - '0');
      return out;
    }
    case 8:
      return "+86 (0)" + nat;
    default:
      return " " + trunk + nat + (rng() % 2 ? "\t" : " ");
  }
}

std::string RandomDigits(int count, std::mt19937& rng) {
  std::string out;
  for (int i = 0; i < count; ++i) out += static_cast<char>('0' + rng() % 10);
  return out;
}

// Real-shaped numbers, clustered so that many share a cache key: the first of a cluster fills
// the cache, the others must get the same answer from it.
std::vector<std::string> RealShapedNumbers() {
  std::mt19937 rng(20240601);
  std::vector<std::string> out;
  for (int cluster = 0; cluster < 1500; ++cluster) {
    std::string prefix = fz::StrCat(130 + rng() % 70, RandomDigits(4, rng));
    for (int i = 0; i < 6; ++i) {
      out.push_back(
          Format(prefix + RandomDigits(4, rng), false, static_cast<int>(rng() % 10), rng));
    }
  }
  std::vector<std::string> areas = {"10", "20", "21", "22", "23", "24",
                                    "25", "26", "27", "28", "29"};
  for (int a = 300; a <= 999; ++a) areas.push_back(std::to_string(a));
  // Subscriber prefixes where libphonenumber's patterns branch ("1", "8", "9", "00").
  const std::vector<std::string> tricky = {"100", "101", "180", "108", "950", "960", "000", "010"};
  for (const std::string& area : areas) {
    for (int cluster = 0; cluster < 3; ++cluster) {
      int subscriber = 7 + static_cast<int>(rng() % 2);
      std::string start = rng() % 2 ? tricky[rng() % tricky.size()] : RandomDigits(3, rng);
      for (int i = 0; i < 4; ++i) {
        std::string nat = area + start + RandomDigits(subscriber - 3, rng);
        out.push_back(Format(nat, true, static_cast<int>(rng() % 10), rng));
      }
    }
  }
  for (const char* other :
       {"95588", "+86 95588", "10086", "110", "96110", "0086 12381", "400-810-8888", "8008108888",
        "+1 415 555 2671", "00855 12345678", "17951 13895101234", "5012345", "11111111111", "",
        "sha256:9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", "13895101234x",
        "+86 00 951 5012345", "1069012345678", "+0 12"}) {
    out.emplace_back(other);
  }
  return out;
}

using testing::ExpectSameInfo;

TEST(PhoneNormalizerTest, AgreesWithReferencePathOnRealShapedNumbers) {
  PhoneNormalizer normalizer;
  std::vector<std::string> numbers = RealShapedNumbers();
  PhoneKey key;
  for (const std::string& raw : numbers) {
    StatusOr<PhoneInfo> slow = NormalizePhone(raw);
    StatusOr<PhoneInfo> fast = normalizer.Normalize(raw);
    Status key_status = normalizer.NormalizeKey(raw, &key);
    ASSERT_EQ(fast.status(), slow.status()) << raw;
    ASSERT_EQ(key_status, slow.status()) << raw;
    if (!slow.ok()) continue;
    ExpectSameInfo(*fast, *slow, raw);
    EXPECT_EQ(key.canonical, slow->canonical) << raw;
    EXPECT_EQ(key.kind, slow->kind) << raw;
    EXPECT_EQ(key.city_code(), slow->city_code) << raw;
    EXPECT_EQ(key.valid, slow->valid) << raw;
    EXPECT_TRUE(key.flags == slow->flag_set) << raw;
  }
  // The clusters share keys: libphonenumber ran far fewer times than there were numbers.
  EXPECT_LT(normalizer.cache_misses(), numbers.size() / 2);
}

// Plain digit strings (maybe after '+') skip ScanDigits. Every length around the limits, the
// prefixes SplitNumber branches on, repeated and sequential runs: the answer must be the
// reference path's, and the same as for the number written with a separator (which takes
// ScanDigits).
std::vector<std::string> PlainDigitStrings() {
  std::mt19937 rng(20261127);
  const std::vector<std::string> starts = {
      "",      "1",       "13",      "139",   "1395", "106",  "1069",  "86",    "8613",
      "86106", "0086",    "00",      "000",   "0",    "0951", "010",   "02",    "17951",
      "12593", "179510",  "855",     "63",    "95",   "96",   "400",   "800",   "12",
      "11",    "1111111", "1234567", "98765", "0123", "9",    "00855", "008613"};
  std::vector<std::string> out;
  for (const std::string& start : starts) {
    for (int length = 0; length <= 26; ++length) {
      for (int i = 0; i < 4; ++i) {
        std::string digits = start.substr(0, std::min<size_t>(start.size(), length));
        if (i == 3 && !digits.empty()) {
          while (static_cast<int>(digits.size()) < length) digits += digits.back();  // repeated
        } else if (i == 2 && !digits.empty()) {
          while (static_cast<int>(digits.size()) < length) {
            digits += static_cast<char>('0' + (digits.back() - '0' + 1) % 10);  // sequential
          }
        }
        digits += RandomDigits(length - static_cast<int>(digits.size()), rng);
        out.push_back(digits);
        out.push_back("+" + digits);
      }
    }
  }
  return out;
}

TEST(PhoneNormalizerTest, PlainDigitsAgreeWithReferenceAndWithScannedForm) {
  PhoneNormalizer normalizer;
  PhoneKey key;
  PhoneKey scanned;
  for (const std::string& raw : PlainDigitStrings()) {
    StatusOr<PhoneInfo> slow = NormalizePhone(raw);
    StatusOr<PhoneInfo> fast = normalizer.Normalize(raw);
    Status key_status = normalizer.NormalizeKey(raw, &key);
    ASSERT_EQ(fast.status(), slow.status()) << raw;
    ASSERT_EQ(key_status, slow.status()) << raw;
    // A trailing space: same number, but not plain digits.
    Status scanned_status = normalizer.NormalizeKey(raw + " ", &scanned);
    ASSERT_EQ(scanned_status.ok(), slow.ok()) << raw;
    if (!slow.ok()) continue;
    ExpectSameInfo(*fast, *slow, raw);
    EXPECT_EQ(key.canonical, slow->canonical) << raw;
    EXPECT_EQ(key.kind, slow->kind) << raw;
    EXPECT_EQ(key.country_code, slow->country_code) << raw;
    EXPECT_EQ(key.city_code(), slow->city_code) << raw;
    EXPECT_EQ(key.valid, slow->valid) << raw;
    EXPECT_TRUE(key.flags == slow->flag_set) << raw;
    EXPECT_EQ(key.canonical, scanned.canonical) << raw;
    EXPECT_TRUE(key.flags == scanned.flags) << raw;
    EXPECT_EQ(key.city, scanned.city) << raw;
  }
}

// The flags a number's digits carry (not how it was written) are the same whether it is
// normalized as written or from its canonical form: ingest keeps the first with the event, so
// the detector need not normalize the canonical form again to read them (caller.spoofed).
TEST(PhoneNormalizerTest, ContentFlagsOfTheRawFormAreThoseOfTheCanonicalForm) {
  PhoneNormalizer normalizer;
  PhoneKey raw_key;
  PhoneKey canonical_key;
  const PhoneFlag content[] = {PhoneFlag::kUnallocatedMobilePrefix, PhoneFlag::kUnallocatedRange,
                               PhoneFlag::kRepeatedDigits, PhoneFlag::kSequentialDigits};
  std::vector<std::string> numbers = PlainDigitStrings();
  std::mt19937 rng(31);
  for (int prefix = 100; prefix <= 199; ++prefix) {
    for (int i = 0; i < 10; ++i) {
      const std::string digits = fz::StrCat(prefix, RandomDigits(8, rng));
      numbers.push_back(digits);
      numbers.push_back("+86 " + digits);
      numbers.push_back("17951" + digits);  // an IP-dialing prefix
      numbers.push_back(digits.substr(0, 3) + "-" + digits.substr(3));
    }
  }
  for (const char* odd :
       {"+86 95588", "0086 10086", "11111111111", "13333333333", "12345678901", "0951-5012345",
        "0951 1234567", "+85517652903", "5012345", "02612345678"}) {
    numbers.push_back(odd);
  }
  int flagged = 0;
  for (const std::string& raw : numbers) {
    if (!normalizer.NormalizeKey(raw, &raw_key).ok()) continue;
    ASSERT_TRUE(normalizer.NormalizeKey(raw_key.canonical, &canonical_key).ok()) << raw;
    for (PhoneFlag flag : content) {
      EXPECT_EQ(raw_key.flags.Has(flag), canonical_key.flags.Has(flag))
          << raw << " " << raw_key.canonical << " " << PhoneFlagName(flag);
      flagged += raw_key.flags.Has(flag) ? 1 : 0;
    }
  }
  EXPECT_GT(flagged, 50);
}

// One byte that is not a digit, at every position of digit strings of lengths 1-24: bytes
// next to '0'-'9' in ASCII, separators, letters, a full-width digit's lead byte. The answer
// (or the error) must be the reference path's.
TEST(PhoneNormalizerTest, OneNonDigitAnywhereAgreesWithReference) {
  PhoneNormalizer normalizer;
  PhoneKey key;
  std::mt19937 rng(5);
  const std::string odd = "/:;?@ -.()aZ+\x7f\x80\xEF";
  for (int length = 1; length <= 24; ++length) {
    std::string digits = fz::StrCat("139", RandomDigits(length, rng)).substr(0, length);
    for (int at = 0; at < length; ++at) {
      std::string raw = digits;
      raw[at] = odd[rng() % odd.size()];
      StatusOr<PhoneInfo> slow = NormalizePhone(raw);
      Status key_status = normalizer.NormalizeKey(raw, &key);
      ASSERT_EQ(key_status, slow.status()) << raw;
      if (slow.ok()) {
        EXPECT_EQ(key.canonical, slow->canonical) << raw;
      }
    }
  }
}

TEST(PhoneNormalizerTest, RunsLibphonenumberOncePerMobilePrefix) {
  PhoneNormalizer normalizer;
  PhoneKey key;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(normalizer.NormalizeKey(fz::StrCat("1389510", 1000 + i), &key).ok());
    EXPECT_EQ(key.city_code(), "640100");
  }
  EXPECT_EQ(normalizer.cache_misses(), 1u);
  // Landlines: one run per area code, subscriber length and first three subscriber digits.
  ASSERT_TRUE(normalizer.NormalizeKey("0951-5012345", &key).ok());
  ASSERT_TRUE(normalizer.NormalizeKey("0951-5019999", &key).ok());
  ASSERT_TRUE(normalizer.NormalizeKey("0951-5022345", &key).ok());
  EXPECT_EQ(normalizer.cache_misses(), 3u);
}

// Found by the fuzzer: in Beijing and Shanghai, whether an 8-digit number starting 1 or 8 is
// valid depends on its second and third digits, so a key on the first digit alone mixed up
// 010-1001xxxx (unallocated) and 010-1059xxxx (valid).
TEST(PhoneNormalizerTest, BeijingValidityDependsOnThreeSubscriberDigits) {
  PhoneNormalizer normalizer;
  for (const char* raw : {"010-1001 2345", "010-1059 5588", "021-8001 2345", "021-8012 3456"}) {
    StatusOr<PhoneInfo> slow = NormalizePhone(raw);
    StatusOr<PhoneInfo> fast = normalizer.Normalize(raw);
    ASSERT_TRUE(slow.ok() && fast.ok()) << raw;
    EXPECT_EQ(fast->valid, slow->valid) << raw;
    EXPECT_EQ(fast->flags, slow->flags) << raw;
    EXPECT_EQ(fast->city_code, slow->city_code) << raw;
  }
  EXPECT_FALSE(normalizer.Normalize("010-1001 2345")->valid);
  EXPECT_TRUE(normalizer.Normalize("010-1059 5588")->valid);
}

TEST(PhoneNormalizerTest, HotPathDoesNotAllocateWithAReusedKey) {
  const PhoneNormalizer& normalizer = PhoneNormalizer::Default();
  const std::vector<std::string> inputs = {
      "13895101234",
      "+86 138 9510 1234",
      "0951-5012345",
      "010 6552 9988",
      "95588",
      "+86 95588",
      "400-810-8888",
      "14012345678",
      "+1 415 555 2671",
      "0085512345678",
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"};
  PhoneKey key;
  for (const std::string& raw : inputs) ASSERT_TRUE(normalizer.NormalizeKey(raw, &key).ok());
  t_allocations = 0;
  t_counting = true;
  for (int round = 0; round < 10; ++round) {
    for (const std::string& raw : inputs) {
      if (!normalizer.NormalizeKey(raw, &key).ok()) ADD_FAILURE() << raw;
    }
  }
  t_counting = false;
  EXPECT_EQ(t_allocations, 0);
}

TEST(PhoneNormalizerTest, FallsBackForShapesItDoesNotCache) {
  PhoneNormalizer normalizer;
  PhoneKey key;
  ASSERT_TRUE(normalizer.NormalizeKey("+1 415 555 2671", &key).ok());
  EXPECT_EQ(key.canonical, "+14155552671");
  EXPECT_EQ(key.country_code, 1);
  EXPECT_TRUE(key.flags.Has(PhoneFlag::kInternational));
  ASSERT_TRUE(normalizer.NormalizeKey("17951 13895101234", &key).ok());
  EXPECT_EQ(key.canonical, "+8613895101234");
  EXPECT_EQ(key.city_code(), "640100");
  EXPECT_TRUE(key.flags.Has(PhoneFlag::kHiddenPrefix));
  Status bad = normalizer.NormalizeKey("138 9510 1234 张三", &key);
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
}

TEST(PhoneNormalizerTest, ThreadsSharingOneInstanceAgreeWithReference) {
  std::vector<std::string> numbers = RealShapedNumbers();
  std::vector<std::string> expected;
  for (const std::string& raw : numbers) {
    StatusOr<PhoneInfo> info = NormalizePhone(raw);
    expected.push_back(info.ok() ? fz::StrCat(info->canonical, "|", info->city_code) : "error");
  }
  PhoneNormalizer normalizer;
  std::atomic<int> mismatches{0};
  auto worker = [&](size_t start) {
    PhoneKey key;
    for (size_t i = 0; i < numbers.size(); ++i) {
      size_t j = (start + i) % numbers.size();
      Status s = normalizer.NormalizeKey(numbers[j], &key);
      std::string got = s.ok() ? fz::StrCat(key.canonical, "|", key.city_code()) : "error";
      if (got != expected[j] && mismatches.fetch_add(1) < 5)
        ADD_FAILURE() << numbers[j] << ": " << got << " != " << expected[j];
    }
  };
  std::thread a(worker, 0);
  std::thread b(worker, numbers.size() / 3);
  a.join();
  b.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// Whether NormalizeKey's shortcut for bare mobiles should take `raw`.
bool IsBareMobile(std::string_view raw) {
  if (raw.size() != 11 || raw[0] != '1' || raw[1] < '3' || raw[1] > '9') return false;
  return std::all_of(raw.begin(), raw.end(), [](char c) { return c >= '0' && c <= '9'; });
}

TEST(PhoneNormalizerTest, BareMobileShortcutAgreesWithNormalizeKey) {
  PhoneNormalizer normalizer;
  std::mt19937 rng(7);
  std::vector<std::string> inputs;
  // Every 号段 region, allocated or not (so both flag outcomes occur), with random subscribers.
  for (uint32_t prefix = 1000000; prefix <= 1999999; prefix += 1009) {
    inputs.push_back(fz::StrCat(prefix, RandomDigits(4, rng)));
  }
  for (const char* other : {"13895101234", "+8613895101234", "138 9510 1234", "1389510123",
                            "138951012345", "1389510123x", "1389510123:", "13/95101234",
                            "x3895101234", "12895101234", "10012345678", "23895101234",
                            "\xEF\xBC\x91"
                            "3895101234",
                            "95588", "", "8613895101234"}) {
    inputs.emplace_back(other);
  }
  // Previous contents of the recycled field: longer, shorter and equal in length.
  const std::vector<std::string> before = {"", "+8613800000000", "h:" + std::string(64, 'a'),
                                           "+14155552671"};
  int taken = 0;
  int unallocated = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string& raw = inputs[i];
    std::string canonical = before[i % before.size()];
    PhoneFlagSet flags = PhoneFlagSet::FromBits(0xFFFF);
    // Nothing cached yet for this 号段: the shortcut declines and writes nothing.
    ASSERT_FALSE(normalizer.CanonicalBareMobile(raw, &canonical, &flags)) << raw;
    EXPECT_EQ(canonical, before[i % before.size()]) << raw;
    PhoneKey key;
    Status s = normalizer.NormalizeKey(raw, &key);
    bool took = normalizer.CanonicalBareMobile(raw, &canonical, &flags);
    ASSERT_EQ(took, IsBareMobile(raw)) << raw;
    if (!took) {
      EXPECT_EQ(canonical, before[i % before.size()]) << raw;
      continue;
    }
    ASSERT_TRUE(s.ok()) << raw << ": " << s;
    EXPECT_EQ(canonical, key.canonical) << raw;
    EXPECT_EQ(flags, key.flags) << raw;
    ++taken;
    if (key.flags.Has(PhoneFlag::kUnallocatedMobilePrefix)) ++unallocated;
  }
  EXPECT_GT(taken, 650);                // 1[3-9] of 1[0-9]
  EXPECT_GT(unallocated, 50);           // some 号段 are not allocated
  EXPECT_GT(taken - unallocated, 300);  // and most are

  // Warm, the shortcut allocates nothing.
  std::string canonical;
  PhoneFlagSet flags;
  t_allocations = 0;
  t_counting = true;
  for (const std::string& raw : inputs) normalizer.CanonicalBareMobile(raw, &canonical, &flags);
  t_counting = false;
  EXPECT_EQ(t_allocations, 0);
}

}  // namespace
}  // namespace fz::normalize
