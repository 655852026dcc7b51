// Internal to PhoneNormalizer: libphonenumber's verdict on international numbers of a few
// countries, cached per number prefix. Safe for concurrent use by any number of threads.
//
// Fraud intelligence lists hundreds of thousands of foreign numbers (+855, +63, ...), each
// seen once at start-up: the whole-number memo (ResultMemo) cannot help, and the reference path
// costs ~25 µs a number (ICU regular expressions in libphonenumber's Parse and type patterns).
// For the countries in kCountries, libphonenumber 8.12's metadata decides validity, type and
// region from the country code, the national number's length and its first few digits; the
// differential test in phone_country_cache_test.cc checks, over tens of thousands of numbers
// per country clustered on shared keys, that the cached verdict is NormalizePhone's.
//
// Only numbers whose E.164 form is the digits as written are cached (a national number that
// does not start with '0', so no national prefix is stripped); everything else, and every other
// country, takes the reference path as before.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "fz/normalize/phone.h"

namespace fz::normalize::phone_internal {

// A country whose numbers are cached, and how many leading national digits the key holds.
struct CachedCountry {
  std::string_view code;  // country calling code, e.g. "855"
  int country_code;
  size_t depth;  // leading digits of the national significant number in the key
};

// The south-east Asian countries where the scam compounds that call China sit (and whose
// numbers `fanzha gen` and the benchmarks use), and other origins common in fraud lists. Depth
// 5 for all: the differential test fails at depth 3 for most of them (Cambodia, Laos, Myanmar,
// Hong Kong, Taiwan, Korea, ... branch on the fourth digit) and passes at 4; 5 is a margin.
// Add a country only with the test passing at one digit less than its depth.
inline constexpr std::array<CachedCountry, 15> kCachedCountries = {{
    {"855", 855, 5},  // Cambodia
    {"856", 856, 5},  // Laos
    {"63", 63, 5},    // Philippines
    {"95", 95, 5},    // Myanmar
    {"60", 60, 5},    // Malaysia
    {"66", 66, 5},    // Thailand
    {"84", 84, 5},    // Vietnam
    {"852", 852, 5},  // Hong Kong
    {"853", 853, 5},  // Macau
    {"886", 886, 5},  // Taiwan
    {"65", 65, 5},    // Singapore
    {"62", 62, 5},    // Indonesia
    {"81", 81, 5},    // Japan
    {"82", 82, 5},    // South Korea
    {"971", 971, 5},  // United Arab Emirates
}};

class CountryPrefixCache {
 public:
  struct Verdict {
    PhoneKind kind = PhoneKind::kUnknown;
    bool valid = false;
    int country_code = 0;
    std::string_view national;   // the national significant number (a view into the digits)
    std::string_view area_name;  // owned by the cache
  };

  // `digits`: what followed '+' or "00", country code first. True, with `*verdict` filled,
  // when the number is of a cached country and shape and its key has been seen.
  bool Find(std::string_view digits, Verdict* verdict) const;

  // Remembers the reference path's `info` for `digits` when the country and shape are cached
  // and `info.canonical` is "+" + digits (the E.164 form is the number as written). True when
  // the key now holds a verdict.
  bool Insert(std::string_view digits, const PhoneInfo& info);

  // How many verdicts were stored (each one a reference-path run that a later number reuses).
  uint64_t fills() const { return fills_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    PhoneKind kind = PhoneKind::kUnknown;
    bool valid = false;
    const std::string* area_name = nullptr;  // points into area_names_
  };
  struct Shard {
    mutable absl::Mutex mu;
    absl::flat_hash_map<uint64_t, Entry> entries ABSL_GUARDED_BY(mu);
  };
  static constexpr size_t kShards = 8;
  // Bounded: a key is a country, a length and at most 5 digits, but a hostile list could still
  // spread over millions of them. Past this, numbers take the reference path.
  static constexpr size_t kMaxPerShard = 1 << 17;

  // The key of `digits`, or false when they are not of a cached country and shape.
  static bool KeyOf(std::string_view digits, uint64_t* key, const CachedCountry** country,
                    std::string_view* national);

  mutable std::array<Shard, kShards> shards_;
  std::atomic<uint64_t> fills_{0};
  mutable absl::Mutex names_mu_;
  // A node-based set: entries keep pointers to its strings.
  std::set<std::string, std::less<>> area_names_ ABSL_GUARDED_BY(names_mu_);
};

}  // namespace fz::normalize::phone_internal
