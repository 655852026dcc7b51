// The subject of an event: the potential victim a warning would be about (docs/formats.md
// "Events"): the callee of a call, the receiver of an SMS, the subscriber of net and app events,
// the payer of a transfer (phone, else account), the subject of a directive (phone, else
// account, else ID number) and the reporter of a report.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "fz/model/event.h"
#include "fz/model/warning.h"

namespace fz::detect {

struct SubjectRef {
  std::string_view id;  // canonical; views into the event. Empty when the event has none.
  model::SubjectKind kind = model::SubjectKind::kPhone;
  uint64_t hash = 0;  // SubjectHash(id): picks the shard and the detector's table slot
};

SubjectRef SubjectOf(const model::Event& event);
// The same when the subject's hash is already known (KeysOf(event).route): no hashing.
SubjectRef SubjectOf(const model::Event& event, uint64_t subject_hash);

// What the detector wants to know of an event before it reads it, for a reader to compute on
// the parser thread (ingest::ReadOptions::keys_of): route = SubjectOf(event).hash (the shard
// and the subject table slot), id = EventIdHash(event id) (the duplicate filter).
model::EventKeys KeysOf(const model::Event& event);

// The other party of a call or SMS (caller, sender), empty for other events.
std::string_view CounterpartOf(const model::Event& event);

// A stable 64-bit hash (FNV-1a), the same on every platform and run: used for shards,
// warning ids and checkpoint de-duplication sets.
uint64_t StableHash(std::string_view text, uint64_t seed = 0);

// The subject's hash: picks the shard and the slot in the detector's subject table, and is
// never stored (a checkpoint is routed by recomputing it). It reads 8 bytes at a time: phone
// numbers and accounts are 12-20 bytes, two or three words, for StableHash's 12-20 dependent
// multiplies.
inline uint64_t SubjectHash(std::string_view subject);
// The event id's hash (duplicate filters, kept in checkpoints).
inline uint64_t EventIdHash(std::string_view event_id) { return StableHash(event_id, 0x1d); }

// A 32-bit hash of the site a host name belongs to: its last two labels, or three under a
// generic second level of a two-letter country TLD ("m.shop.com.cn" -> "shop.com.cn"), so
// that "m.x.top" and "x.top/a" are one site. A cheap stand-in for the registrable domain on
// the hot path. Never 0.
uint32_t SiteHash(std::string_view host);

namespace subject_internal {
// The high and low halves of a 64x64-bit product folded together: every input bit reaches
// the middle bits of both halves.
__extension__ typedef unsigned __int128 UInt128;  // GCC and Clang; __extension__: -Wpedantic
inline uint64_t FoldedMultiply(uint64_t a, uint64_t b) {
  const UInt128 r = static_cast<UInt128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}
inline uint64_t LoadWord(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}
}  // namespace subject_internal

inline uint64_t SubjectHash(std::string_view subject) {
  using subject_internal::FoldedMultiply;
  using subject_internal::LoadWord;
  constexpr uint64_t kMul1 = 0x9E3779B97F4A7C15ull;
  constexpr uint64_t kMul2 = 0xbf58476d1ce4e5b9ull;
  const char* p = subject.data();
  size_t n = subject.size();
  uint64_t h = FoldedMultiply(0x5a ^ n, kMul1);
  uint64_t last = 0;
  if (n >= 8) {
    for (; n > 8; p += 8, n -= 8) h = FoldedMultiply(h ^ LoadWord(p), kMul2);
    last = LoadWord(subject.data() + subject.size() - 8);  // the last word, maybe overlapping
  } else if (n > 0) {
    std::memcpy(&last, p, n);
  }
  h = FoldedMultiply(h ^ last, kMul1);
  // Final avalanche (splitmix64), so that low bits are usable for sharding.
  h ^= h >> 30;
  h *= kMul2;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

}  // namespace fz::detect
