#include "fz/normalize/phone_cache.h"

#include "absl/hash/hash.h"
#include "fz/normalize/phone_shape.h"

namespace fz::normalize::phone_internal {
namespace {

constexpr size_t kMobileEntries = 2000000 - PrefixCache::kFirstMobilePrefix;
// Area codes 10, 20-29 and 300-999 (711), x subscriber length (7, 8) x the subscriber's first
// three digits. Three, because libphonenumber looks that deep: in Beijing and Shanghai
// 8-digit numbers starting 1 or 8 are valid unless the next two digits are "00".
constexpr size_t kAreaCodes = 711;
constexpr size_t kLandlineEntries = kAreaCodes * 2 * 1000;

uint32_t Number(std::string_view digits) {
  uint32_t value = 0;
  for (char c : digits) value = value * 10 + static_cast<uint32_t>(c - '0');
  return value;
}

absl::string_view AbslView(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

PrefixCache::PrefixCache()
    : mobile_(std::make_unique<std::atomic<uint16_t>[]>(kMobileEntries)),
      landline_(std::make_unique<std::atomic<uint16_t>[]>(kLandlineEntries)) {
  static_assert(kMaxAreas <= kSlotMask + 1);
  absl::MutexLock lock(&mu_);
  areas_[0] = std::make_unique<Area>();  // slot 0: no area
  area_index_.emplace("", 0);
}

std::atomic<uint16_t>* PrefixCache::Entry(std::string_view national) const {
  if (IsMobileShape(national)) {
    return &mobile_[Number(national.substr(0, 7)) - kFirstMobilePrefix];
  }
  if (!IsLandlineShape(national)) return nullptr;
  size_t area_length = (national[0] == '1' || national[0] == '2') ? 2 : 3;
  uint32_t area = Number(national.substr(0, area_length));
  size_t area_index = area == 10 ? 0 : area < 30 ? area - 19 : area - 289;  // 0..710
  size_t subscriber_length = national.size() - area_length;                 // 7 or 8 by shape
  size_t key =
      (area_index * 2 + (subscriber_length - 7)) * 1000 + Number(national.substr(area_length, 3));
  return &landline_[key];
}

bool PrefixCache::Lookup(std::string_view national, Verdict* verdict) {
  std::atomic<uint16_t>* entry = Entry(national);
  if (entry == nullptr) return false;
  uint16_t word = entry->load(std::memory_order_acquire);
  if ((word & kFilled) == 0) word = Fill(*entry, national);
  if (word == 0) return false;
  Decode(word, verdict);
  return true;
}

uint16_t PrefixCache::Fill(std::atomic<uint16_t>& entry, std::string_view national) {
  misses_.fetch_add(1, std::memory_order_relaxed);
  ChineseVerdict verdict = ClassifyChinese(national);
  uint32_t slot = Intern(verdict.area_name, verdict.city);
  if (slot >= kMaxAreas) return 0;
  auto word = static_cast<uint16_t>(kFilled | (verdict.valid ? kValid : 0) |
                                    (static_cast<uint32_t>(verdict.kind) << kKindShift) | slot);
  // Two threads missing the same key store the same word: the race is benign.
  entry.store(word, std::memory_order_release);
  return word;
}

uint32_t PrefixCache::Intern(const std::string& name, const Division* city) {
  absl::MutexLock lock(&mu_);
  auto it = area_index_.find(name);
  if (it != area_index_.end()) return it->second;
  if (area_index_.size() == kMaxAreas) return kMaxAreas;
  auto slot = static_cast<uint32_t>(area_index_.size());
  areas_[slot] = std::make_unique<Area>(Area{name, city});
  area_index_.emplace(name, slot);
  return slot;
}

ResultMemo::Shard& ResultMemo::ShardFor(absl::string_view key) const {
  return shards_[absl::Hash<absl::string_view>()(key) % kShards];
}

bool ResultMemo::Find(std::string_view key, PhoneKey* out) const {
  absl::string_view k = AbslView(key);
  Shard& shard = ShardFor(k);
  absl::MutexLock lock(&shard.mu);
  auto it = shard.results.find(k);
  if (it == shard.results.end()) return false;
  const PhoneInfo& info = it->second.info;
  out->canonical.assign(info.canonical);
  out->kind = info.kind;
  out->country_code = info.country_code;
  out->valid = info.valid;
  out->flags = info.flag_set;
  out->city = it->second.city;
  return true;
}

bool ResultMemo::Find(std::string_view key, PhoneInfo* out) const {
  absl::string_view k = AbslView(key);
  Shard& shard = ShardFor(k);
  absl::MutexLock lock(&shard.mu);
  auto it = shard.results.find(k);
  if (it == shard.results.end()) return false;
  *out = it->second.info;
  return true;
}

void ResultMemo::Insert(std::string_view key, const PhoneInfo& info) {
  const Division* city =
      info.city_code.empty() ? nullptr : DivisionTable::Builtin().Find(info.city_code);
  absl::string_view k = AbslView(key);
  Shard& shard = ShardFor(k);
  absl::MutexLock lock(&shard.mu);
  // Dropping a full shard is crude but bounded and cheap; the next events refill it with the
  // numbers that are still active.
  if (shard.results.size() >= kMaxPerShard) shard.results.clear();
  shard.results.insert_or_assign(std::string(key), Result{info, city});
}

}  // namespace fz::normalize::phone_internal
