// The event-path phone normalizer: NormalizePhone's answers at millions of numbers per second,
// from caches that run libphonenumber once per number prefix instead of once per number.
//
//   const PhoneNormalizer& normalizer = PhoneNormalizer::Default();
//   PhoneKey key;  // reuse across events: no allocation once warm
//   for (const CallEvent& e : events) {
//     Status s = normalizer.NormalizeKey(e.caller, &key);
//     if (!s.ok()) { Quarantine(e, s); continue; }
//     windows.Add(key.canonical, key.city_code(), e);
//   }
//
// Cached shapes (everything else takes the reference path, NormalizePhone):
//   - mobiles 1[3-9]X{9}, keyed by the first 7 digits (号段): libphonenumber's validity, type
//     and geocoding for China's mobiles depend on nothing after them;
//   - landline-shaped numbers (area code + 7 or 8 digits, and 400/800), keyed by area code,
//     subscriber length and first subscriber digit;
//   - the service shapes and hashed subjects, which need no libphonenumber at all;
//   - international numbers of 15 countries common in fraud lists, keyed by country code,
//     national length and first digits (phone_country_cache.h);
// each with any of the prefixes NormalizePhone accepts (+86, 0086, 86, trunk 0, separators,
// full-width digits). Other well-formed numbers (international ones above all) are memoized
// whole after their first reference-path run, in a bounded memo. phone_normalizer_test.cc
// checks on many thousands of numbers that the paths agree field for field.
//
// Cost: a cached number takes ~0.1 µs; a miss (new prefix, new foreign number) ~15-80 µs,
// because Debian's libphonenumber matches with ICU regular expressions.
//
// Thread safety: every method is const and safe to call from any number of threads at once;
// share one instance (Default()) between the detector's threads. The prefix caches are
// lock-free arrays of atomic words filled on first use (a miss publishes libphonenumber's
// verdict with a release store; two threads missing the same prefix store the same word);
// area names are interned under a mutex that hits never take. The memo is sharded, one mutex
// per shard.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fz/common/status.h"
#include "fz/normalize/divisions.h"
#include "fz/normalize/phone.h"

namespace fz::normalize {
namespace phone_internal {
class CountryPrefixCache;
class DigitBuffer;
class PrefixCache;
class ResultMemo;
}  // namespace phone_internal

// The hot-path result. Keep one per thread and pass it to every call: `canonical` keeps its
// capacity, and Chinese canonical forms (at most 15 characters) fit the small-string buffer
// anyway.
struct PhoneKey {
  std::string canonical;  // as PhoneInfo::canonical
  PhoneKind kind = PhoneKind::kUnknown;
  int country_code = 0;
  bool valid = false;
  PhoneFlagSet flags;
  const Division* city = nullptr;  // owned by DivisionTable::Builtin(); nullptr if none

  std::string_view city_code() const {
    return city == nullptr ? std::string_view() : std::string_view(city->code);
  }
};

class PhoneNormalizer {
 public:
  // Allocates about 3 MB of cache, zeroed and filled lazily.
  PhoneNormalizer();
  ~PhoneNormalizer();
  PhoneNormalizer(const PhoneNormalizer&) = delete;
  PhoneNormalizer& operator=(const PhoneNormalizer&) = delete;

  // A process-wide instance, built on first use.
  static const PhoneNormalizer& Default();

  // Exactly NormalizePhone(raw), from the caches when the shape allows.
  StatusOr<PhoneInfo> Normalize(std::string_view raw) const;

  // Canonical form, kind, validity, flags and city of `raw`, into `*out`. Cached shapes do not
  // allocate, except a hashed subject's canonical form on a fresh `out`. Errors as
  // NormalizePhone; `*out` is unspecified after an error.
  Status NormalizeKey(std::string_view raw, PhoneKey* out) const;

  // The event path's commonest field in one step: `raw` is exactly 11 ASCII digits of a
  // Chinese mobile (1[3-9] + 9 digits, no '+', no separators) whose 号段 is already cached.
  // Then writes NormalizeKey's canonical form into `*canonical` (no allocation: 14 bytes fit
  // the small-string buffer) and its flags into `*flags`, and returns true. Anything else
  // returns false with nothing written, and the caller takes NormalizeKey (which also fills
  // the cache, so the next number of that 号段 takes this path).
  bool CanonicalBareMobile(std::string_view raw, std::string* canonical, PhoneFlagSet* flags) const;

  // How many times the prefix cache missed and libphonenumber ran (for tests and metrics).
  uint64_t cache_misses() const;
  // How many international prefix keys were filled by the reference path (for tests).
  uint64_t country_cache_fills() const;

 private:
  // The cached path: true when it produced `*out` (and `*area_name`, owned by the cache).
  // False when `raw` needs the reference path; then `*memo_key` is its ResultMemo key (a view
  // into `*buf`), or empty when it is not a well-formed number and the reference path will
  // report an error; `*foreign_digits` are an international number's digits after '+' or
  // "00" (CountryPrefixCache's input), else empty.
  bool TryCached(std::string_view raw, PhoneKey* out, std::string_view* area_name,
                 phone_internal::DigitBuffer* buf, std::string_view* memo_key,
                 std::string_view* foreign_digits) const;
  // Stores a reference-path result in the country cache or, failing that, the memo.
  void Remember(std::string_view memo_key, std::string_view foreign_digits,
                const PhoneInfo& info) const;

  std::unique_ptr<phone_internal::PrefixCache> prefixes_;
  std::unique_ptr<phone_internal::CountryPrefixCache> countries_;
  std::unique_ptr<phone_internal::ResultMemo> memo_;
};

}  // namespace fz::normalize
