#include "fz/normalize/phone_country_cache.h"

namespace fz::normalize::phone_internal {

bool CountryPrefixCache::KeyOf(std::string_view digits, uint64_t* key,
                               const CachedCountry** country, std::string_view* national) {
  for (size_t i = 0; i < kCachedCountries.size(); ++i) {
    const CachedCountry& c = kCachedCountries[i];
    // Country calling codes are prefix-free, so the first match is libphonenumber's too.
    if (!digits.starts_with(c.code)) continue;
    std::string_view nsn = digits.substr(c.code.size());
    // A leading '0' may be a national prefix that libphonenumber strips: not cached. E.164
    // allows 15 digits in all; longer numbers are errors the reference path words.
    if (nsn.empty() || nsn[0] == '0' || digits.size() > 15) return false;
    uint64_t prefix = 0;
    size_t depth = nsn.size() < c.depth ? nsn.size() : c.depth;
    for (size_t d = 0; d < depth; ++d) prefix = prefix * 10 + static_cast<uint64_t>(nsn[d] - '0');
    // country index (3 bits) | national length (4 bits) | leading digits (< 10^5, 17 bits).
    *key = (static_cast<uint64_t>(i) << 40) | (static_cast<uint64_t>(nsn.size()) << 32) | prefix;
    *country = &c;
    *national = nsn;
    return true;
  }
  return false;
}

bool CountryPrefixCache::Find(std::string_view digits, Verdict* verdict) const {
  uint64_t key = 0;
  const CachedCountry* country = nullptr;
  std::string_view national;
  if (!KeyOf(digits, &key, &country, &national)) return false;
  const Shard& shard = shards_[key % kShards];
  absl::ReaderMutexLock lock(&shard.mu);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end()) return false;
  verdict->kind = it->second.kind;
  verdict->valid = it->second.valid;
  verdict->country_code = country->country_code;
  verdict->national = national;
  verdict->area_name = *it->second.area_name;
  return true;
}

bool CountryPrefixCache::Insert(std::string_view digits, const PhoneInfo& info) {
  uint64_t key = 0;
  const CachedCountry* country = nullptr;
  std::string_view national;
  if (!KeyOf(digits, &key, &country, &national)) return false;
  if (info.country_code != country->country_code || info.canonical.size() != digits.size() + 1 ||
      info.canonical[0] != '+' || std::string_view(info.canonical).substr(1) != digits) {
    return false;
  }
  const std::string* area_name = nullptr;
  {
    absl::MutexLock lock(&names_mu_);
    area_name = &*area_names_.insert(info.area_name).first;
  }
  Shard& shard = shards_[key % kShards];
  absl::MutexLock lock(&shard.mu);
  if (shard.entries.size() >= kMaxPerShard) return false;
  if (shard.entries.try_emplace(key, Entry{info.kind, info.valid, area_name}).second) {
    fills_.fetch_add(1, std::memory_order_relaxed);
  }
  return true;
}

}  // namespace fz::normalize::phone_internal
