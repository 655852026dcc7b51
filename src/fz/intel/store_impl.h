// IntelStore's representation, shared by intel_store.cc (matching) and intel_csv.cc
// (loading). Internal to fz/intel.
//
// Phones whose canonical form is "+" and 1-15 digits (every E.164 number) live in PhoneTable
// keyed by a uint64 (digits << 4 | digit count); everything else — hashed subjects, domains,
// URLs, IPs, accounts, apps, IMEIs — lives in a StringTable per kind, values in the arena.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "fz/intel/bloom_filter.h"
#include "fz/intel/flat_index.h"
#include "fz/intel/intel_store.h"
#include "fz/intel/match_pool.h"

namespace fz::intel::internal {

inline constexpr size_t kKindCount = 7;

// The value of 8 ASCII digits (the first the most significant) when all 8 bytes are digits.
// SWAR (as simdjson's parse_eight_digits_unrolled): three multiplies instead of a chain of
// eight multiply-adds, for the phone of every call and SMS, probed once or twice per event.
inline bool ParseEightDigits(const char* p, uint64_t* value) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if (((v & 0xF0F0F0F0F0F0F0F0ULL) |
       (((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) != 0x3333333333333333ULL) {
    return false;
  }
  if constexpr (std::endian::native != std::endian::little) {
    uint64_t d = 0;
    for (int i = 0; i < 8; ++i) d = d * 10 + static_cast<uint64_t>(p[i] - '0');
    *value = d;
    return true;
  }
  v -= 0x3030303030303030ULL;
  v = (v * 10) + (v >> 8);
  v = (((v & 0x000000FF000000FFULL) * 0x000F424000000064ULL) +
       (((v >> 16) & 0x000000FF000000FFULL) * 0x0000271000000001ULL)) >>
      32;
  *value = static_cast<uint32_t>(v);
  return true;
}

// "+" then 1-15 digits -> true and `*key`; anything else false.
inline bool EncodePhone(std::string_view e164, uint64_t* key) {
  if (e164.size() < 2 || e164.size() > 16 || e164[0] != '+') return false;
  uint64_t digits = 0;
  size_t i = 1;
  if (e164.size() >= 9) {
    if (!ParseEightDigits(e164.data() + 1, &digits)) return false;
    // The 0-7 digits after the first eight: the string's last 8 bytes, those before them
    // (already parsed above, or the '+') overwritten with '0', as one more SWAR parse. A
    // digit loop here mispredicted its exit about once per number (lengths vary by country).
    const size_t rest = e164.size() - 9;
    static constexpr uint64_t kPow10[8] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
    uint64_t word;
    std::memcpy(&word, e164.data() + e164.size() - 8, 8);
    const uint64_t keep = rest == 0 ? 0 : ~uint64_t{0} << (8 * (8 - rest));  // little endian
    word = (word & keep) | (0x3030303030303030ULL & ~keep);
    uint64_t tail = 0;
    if constexpr (std::endian::native == std::endian::little) {
      char bytes[8];
      std::memcpy(bytes, &word, 8);
      if (!ParseEightDigits(bytes, &tail)) return false;
      *key = ((digits * kPow10[rest] + tail) << 4) | (e164.size() - 1);
      return true;
    }
    i = 9;
  }
  for (; i < e164.size(); ++i) {
    const unsigned d = static_cast<unsigned char>(e164[i]) - '0';
    if (d > 9) return false;
    digits = digits * 10 + d;
  }
  *key = (digits << 4) | (e164.size() - 1);
  return true;
}

// The hash of a string key (domain, account, URL, IMEI...): 8 bytes at a time, the last 1-8
// bytes read as two overlapping words, then Mix64. Inline: std::hash (libstdc++'s murmur, a
// call per key) was ~2% of the detector's time at 7 hashes per net event (filter prefetch and
// match of the domain and its parents, 3 each). Any good mix works: loading and matching use
// this one function, and the index compares the keys themselves.
inline uint64_t HashString(std::string_view s) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = (n + 1) * kMul;
  for (; n > 8; n -= 8, p += 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  uint64_t tail = 0;
  if (n >= 4) {
    uint32_t a;
    uint32_t b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    tail = (uint64_t{a} << 32) | b;
  } else if (n > 0) {
    const auto byte = [&](size_t i) { return uint64_t{static_cast<unsigned char>(p[i])}; };
    tail = (byte(0) << 16) | (byte(n >> 1) << 8) | byte(n - 1);
  }
  return Mix64(h ^ tail);
}

inline uint64_t HashKey(uint64_t phone_key) { return Mix64(phone_key); }
inline uint64_t HashKey(std::string_view s) { return HashString(s); }

// Keys and metadata of one kind, in entry order; the index maps hashes to entries. The filter
// holds the hash of every key ever inserted (whitelisted ones too: a false "maybe" only costs
// the probe), so most absent values are rejected before the index is touched.
//
// Bulk loads (BeginBulk .. EndBulk) defer the filter's bits: inserts only count what the
// filter would hold and the size it would have, and EndBulk sets the bits of every key at
// once. The filter ends bit for bit as if each insert had added its key (a Bloom filter is the
// OR of its keys' bits at its final size), without re-adding all keys on each of its ~17
// growths and without a random write per insert.
template <typename Key>
struct Table {
  std::vector<Key> keys;
  std::vector<EntryMeta> meta;
  FlatIndex index;
  BloomFilter filter;
  size_t live = 0;

  uint32_t Find(Key key, uint64_t hash) const {
    if (!filter.MayContain(hash)) return FlatIndex::kNotFound;
    return index.Find(hash, [&](uint32_t e) { return keys[e] == key; });
  }
  // Find for the insert side: during a bulk load the filter has no bits yet.
  uint32_t FindForInsert(Key key, uint64_t hash) const {
    if (!bulk_.active) return Find(key, hash);
    return index.Find(hash, [&](uint32_t e) { return keys[e] == key; });
  }
  // Appends a new entry; `hash` is HashKey(key).
  void Insert(Key key, uint64_t hash, const EntryMeta& m) {
    const auto e = static_cast<uint32_t>(keys.size());
    index.Insert(hash, e);
    keys.push_back(key);
    meta.push_back(m);
    ++live;
    if (FilterSize() < FilterCapacity()) {
      if (bulk_.active) {
        ++bulk_.size;
      } else {
        filter.Add(hash);
      }
      return;
    }
    // Full: size for twice the keys and add them all again (amortized O(1) per insert).
    Refilter(keys.size() * 2);
  }
  // Called per block of a bulk load, so capacity grows geometrically as in Insert.
  void Reserve(size_t more) {
    const size_t want = keys.size() + more;
    if (want > keys.capacity()) {
      const size_t capacity = std::max(want, 2 * keys.capacity());
      keys.reserve(capacity);
      meta.reserve(capacity);
    }
    index.Reserve(index.size() + more);
    if (FilterSize() + more > FilterCapacity()) Refilter(std::max(want, 2 * keys.size()));
  }
  void Prefetch(uint64_t hash) const {
    if (!bulk_.active) filter.Prefetch(hash);
    index.Prefetch(hash);
  }
  // Sizes the filter for `expected` keys and adds every key again.
  void Refilter(size_t expected) {
    if (bulk_.active) {
      bulk_.reset_to = expected;
      bulk_.capacity = BloomFilter::CapacityFor(expected);
      bulk_.size = keys.size();
      return;
    }
    filter.Reset(expected);
    for (const Key& k : keys) filter.Add(HashKey(k));
  }
  void BeginBulk() {
    bulk_ = Bulk{.active = true,
                 .first_new = keys.size(),
                 .size = filter.size(),
                 .capacity = filter.capacity()};
  }
  // Sets the deferred bits: all keys when the filter was resized during the load, else those
  // inserted since BeginBulk.
  void EndBulk() {
    if (!bulk_.active) return;
    size_t from = bulk_.first_new;
    if (bulk_.reset_to != 0) {
      filter.Reset(bulk_.reset_to);
      from = 0;
    }
    for (size_t i = from; i < keys.size(); ++i) filter.Add(HashKey(keys[i]));
    bulk_ = Bulk{};
  }
  size_t MemoryBytes() const {
    return keys.capacity() * sizeof(Key) + meta.capacity() * sizeof(EntryMeta) +
           index.MemoryBytes() + filter.MemoryBytes();
  }

 private:
  size_t FilterSize() const { return bulk_.active ? bulk_.size : filter.size(); }
  size_t FilterCapacity() const { return bulk_.active ? bulk_.capacity : filter.capacity(); }

  struct Bulk {
    bool active = false;
    size_t first_new = 0;  // keys before it are in the filter already
    size_t size = 0;       // what filter.size() and capacity() would be
    size_t capacity = 0;
    size_t reset_to = 0;  // != 0: the filter was resized for this many keys
  };
  Bulk bulk_;
};

// Where a canonical value lives: the phone table under `phone` (E.164 numbers) or its kind's
// string table under the text after `key_offset` (a URL's scheme is not part of its key).
struct TableKey {
  bool in_phone_table = false;
  uint8_t key_offset = 0;
  uint64_t phone = 0;
  uint64_t hash = 0;
};
// Thread-safe: a pure function of the value.
TableKey KeyOf(model::IndicatorKind kind, std::string_view canonical);

using PhoneTable = Table<uint64_t>;
using StringTable = Table<std::string_view>;  // keys point into the arena

}  // namespace fz::intel::internal

namespace fz::intel {

struct IntelStore::Impl {
  using Arena = internal::Arena;
  using EntryMeta = internal::EntryMeta;
  using MatchPool = internal::MatchPool;
  using PhoneTable = internal::PhoneTable;
  using StringTable = internal::StringTable;
  static constexpr size_t kKindCount = internal::kKindCount;

  PhoneTable phones;
  std::array<StringTable, kKindCount> strings;  // by IndicatorKind; [kPhone]: non-E.164 forms
  Arena arena;
  MatchPool pool;
  std::deque<std::string> sources;  // deque: views into it stay valid as it grows
  std::unordered_map<std::string_view, uint16_t> source_ids;
  const std::string* last_source = nullptr;  // InternSource's memo
  uint16_t last_source_id = 0;
  // Whitelisted canonical values, one set per kind (phones included as text). flat_hash_set
  // for lookups by string_view without building a std::string.
  std::array<absl::flat_hash_set<std::string>, kKindCount> whitelist;
  size_t whitelist_size = 0;
  size_t rejected = 0;
  size_t whitelisted_skips = 0;
  // Entries in all tables (whitelisted ones included: they keep their slot in `keys`), the
  // match pool's room; counted rather than summed over the 8 tables per insert.
  size_t entries = 0;

  // Adds or replaces one indicator whose value is already canonical for `kind`.
  // `expires_ms` as EntryMeta. Fails only when the source table is full.
  Status AddCanonical(model::IndicatorKind kind, std::string_view canonical,
                      model::FraudType fraud_type, std::string_view source, float confidence,
                      int64_t expires_ms);
  // AddCanonical with the table key already computed (KeyOf), so that bulk loads can hash
  // rows on several threads and prefetch ahead of the inserts.
  Status AddKeyed(model::IndicatorKind kind, std::string_view canonical,
                  const internal::TableKey& key, model::FraudType fraud_type,
                  std::string_view source, float confidence, int64_t expires_ms);
  // Room for `phones` more phone-table entries and `strings[k]` more entries of kind k.
  void Reserve(size_t phones, const std::array<size_t, kKindCount>& strings);
  // Between these two, AddKeyed defers the tables' filter bits (Table::BeginBulk); no lookup
  // may run before EndBulk.
  void BeginBulk();
  void EndBulk();
  // Starts loading what AddKeyed(key) will touch first.
  void Prefetch(model::IndicatorKind kind, const internal::TableKey& key) const;
  // Whitelists a canonical value and removes any entry for it.
  void WhitelistCanonical(model::IndicatorKind kind, std::string_view canonical);

  StatusOr<uint16_t> InternSource(std::string_view source);
  // After the pool was replaced: forget every entry's slot.
  void ResetMatchSlots();

  const IntelMatch* Lookup(const PhoneTable& t, uint64_t key, int64_t now_ms) const;
  const IntelMatch* Lookup(const StringTable& t, model::IndicatorKind kind, std::string_view key,
                           uint64_t hash, int64_t now_ms) const;
  void FillMatch(MatchPool::Slot* s, model::IndicatorKind kind, const EntryMeta& m,
                 std::string_view value) const;
};

}  // namespace fz::intel
