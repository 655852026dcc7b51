// IntelStore: adding, whitelisting and matching. Loading from CSV is in intel_csv.cc.
#include "fz/intel/intel_store.h"

#include <utility>

#include "fz/common/str_cat.h"
#include "fz/intel/store_impl.h"

namespace fz::intel {
namespace {

using internal::EncodePhone;
using internal::FlatIndex;
using internal::HashString;
using internal::kNeverMs;
using internal::Mix64;
using model::IndicatorKind;

size_t KindIndex(IndicatorKind kind) { return static_cast<size_t>(kind); }

// Bytes before the part of a normalized URL that is matched: "https://" is not part of the
// key, so an indicator for http://x/a also matches https://x/a.
uint8_t SchemeLength(std::string_view url) {
  const size_t p = url.find("://");
  return p == std::string_view::npos || p > 16 ? 0 : static_cast<uint8_t>(p + 3);
}

// The host of a normalized URL key (the part after the scheme): up to '/', '?' or '#', without
// userinfo or port; IPv6 without its brackets.
std::string_view UrlHost(std::string_view rest) {
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  const size_t at = host.rfind('@');
  if (at != std::string_view::npos) host.remove_prefix(at + 1);
  if (!host.empty() && host[0] == '[') {
    const size_t close = host.find(']');
    return close == std::string_view::npos ? std::string_view() : host.substr(1, close - 1);
  }
  return host.substr(0, host.find(':'));
}

// Position of the first '.' of a domain, npos when none. A byte loop: labels are a few
// bytes, and string_view::find calls memchr (4 calls per net event: prefetch and match).
size_t FirstDot(std::string_view domain) {
  for (size_t i = 0; i < domain.size(); ++i) {
    if (domain[i] == '.') return i;
  }
  return std::string_view::npos;
}

bool LooksLikeIpv4(std::string_view host) {
  if (host.empty()) return false;
  for (char c : host) {
    if ((c < '0' || c > '9') && c != '.') return false;
  }
  return true;
}

}  // namespace

IntelStore::IntelStore() : impl_(std::make_unique<Impl>()) {}
IntelStore::~IntelStore() = default;
IntelStore::IntelStore(IntelStore&&) noexcept = default;
IntelStore& IntelStore::operator=(IntelStore&&) noexcept = default;

StatusOr<uint16_t> IntelStore::Impl::InternSource(std::string_view source) {
  // Feeds name a handful of sources, row after row: check the last one before hashing.
  if (last_source != nullptr && *last_source == source) return last_source_id;
  auto it = source_ids.find(source);
  if (it != source_ids.end()) {
    last_source = &sources[it->second];
    last_source_id = it->second;
    return it->second;
  }
  if (sources.size() >= 0xFFFF) {
    return absl::ResourceExhaustedError("source: more than 65535 distinct sources");
  }
  const std::string& stored = sources.emplace_back(source);
  const auto id = static_cast<uint16_t>(sources.size() - 1);
  source_ids.emplace(stored, id);
  return id;
}

void IntelStore::Impl::ResetMatchSlots() {
  for (EntryMeta& m : phones.meta) m.match_slot = 0;
  for (StringTable& t : strings) {
    for (EntryMeta& m : t.meta) m.match_slot = 0;
  }
}

void IntelStore::Impl::FillMatch(MatchPool::Slot* s, IndicatorKind kind, const EntryMeta& m,
                                 std::string_view value) const {
  s->match.kind = kind;
  s->match.fraud_type = model::FraudType{m.fraud_type};
  s->match.confidence = m.confidence;
  s->match.expires_at =
      m.expires_ms == kNeverMs ? absl::InfiniteFuture() : absl::FromUnixMillis(m.expires_ms);
  s->match.value = value;
  s->match.source = sources[m.source];
}

namespace {

// Writes "+<digits>" of a PhoneTable key into `text` (16 bytes) and returns it.
std::string_view PhoneText(uint64_t key, char* text) {
  const size_t len = key & 0xF;
  uint64_t digits = key >> 4;
  text[0] = '+';
  for (size_t i = len; i >= 1; --i) {
    text[i] = static_cast<char>('0' + digits % 10);
    digits /= 10;
  }
  return {text, len + 1};
}

}  // namespace

namespace internal {
TableKey KeyOf(IndicatorKind kind, std::string_view canonical) {
  TableKey key;
  if (kind == IndicatorKind::kPhone && EncodePhone(canonical, &key.phone)) {
    key.in_phone_table = true;
    key.hash = Mix64(key.phone);
    return key;
  }
  key.key_offset = kind == IndicatorKind::kUrl ? SchemeLength(canonical) : 0;
  key.hash = HashString(canonical.substr(key.key_offset));
  return key;
}
}  // namespace internal

Status IntelStore::Impl::AddCanonical(IndicatorKind kind, std::string_view canonical,
                                      model::FraudType fraud_type, std::string_view source,
                                      float confidence, int64_t expires_ms) {
  return AddKeyed(kind, canonical, internal::KeyOf(kind, canonical), fraud_type, source, confidence,
                  expires_ms);
}

void IntelStore::Impl::Reserve(size_t phone_entries,
                               const std::array<size_t, kKindCount>& string_entries) {
  size_t total = phone_entries;
  if (phone_entries > 0) phones.Reserve(phone_entries);
  for (size_t k = 0; k < kKindCount; ++k) {
    if (string_entries[k] > 0) strings[k].Reserve(string_entries[k]);
    total += string_entries[k];
  }
  if (pool.Reserve(entries + total)) ResetMatchSlots();
}

void IntelStore::Impl::BeginBulk() {
  phones.BeginBulk();
  for (StringTable& t : strings) t.BeginBulk();
}

void IntelStore::Impl::EndBulk() {
  phones.EndBulk();
  for (StringTable& t : strings) t.EndBulk();
}

void IntelStore::Impl::Prefetch(IndicatorKind kind, const internal::TableKey& key) const {
  if (key.in_phone_table) {
    phones.Prefetch(key.hash);
  } else {
    strings[KindIndex(kind)].Prefetch(key.hash);
  }
}

Status IntelStore::Impl::AddKeyed(IndicatorKind kind, std::string_view canonical,
                                  const internal::TableKey& key, model::FraudType fraud_type,
                                  std::string_view source, float confidence, int64_t expires_ms) {
  const size_t k = KindIndex(kind);
  if (!whitelist[k].empty() &&
      whitelist[k].contains(absl::string_view(canonical.data(), canonical.size()))) {
    ++whitelisted_skips;
    return absl::OkStatus();
  }
  FZ_ASSIGN_OR_RETURN(const uint16_t source_id, InternSource(source));
  EntryMeta meta;
  meta.expires_ms = expires_ms;
  meta.confidence = confidence;
  meta.fraud_type = fraud_type.id;
  meta.source = source_id;

  if (key.in_phone_table) {
    const uint32_t e = phones.FindForInsert(key.phone, key.hash);
    if (e != FlatIndex::kNotFound) {  // newest intelligence wins
      meta.match_slot = phones.meta[e].match_slot;
      phones.meta[e] = meta;
      pool.Refill(meta, [&](MatchPool::Slot* s) { FillMatch(s, kind, meta, s->match.value); });
      return absl::OkStatus();
    }
    if (pool.Reserve(entries + 1)) ResetMatchSlots();
    phones.Insert(key.phone, key.hash, meta);
    ++entries;
    return absl::OkStatus();
  }

  StringTable& t = strings[k];
  meta.key_offset = key.key_offset;
  const std::string_view key_text = canonical.substr(meta.key_offset);
  const uint64_t hash = key.hash;
  const uint32_t e = t.FindForInsert(key_text, hash);
  if (e != FlatIndex::kNotFound) {
    const std::string_view old_value(t.keys[e].data() - t.meta[e].key_offset,
                                     t.keys[e].size() + t.meta[e].key_offset);
    if (old_value != canonical) {  // same key, other scheme: keep the newest text
      const std::string_view stored = arena.Store(canonical);
      t.keys[e] = stored.substr(meta.key_offset);
    }
    meta.match_slot = t.meta[e].match_slot;
    t.meta[e] = meta;
    const std::string_view value(t.keys[e].data() - meta.key_offset,
                                 t.keys[e].size() + meta.key_offset);
    pool.Refill(meta, [&](MatchPool::Slot* s) { FillMatch(s, kind, meta, value); });
    return absl::OkStatus();
  }
  if (pool.Reserve(entries + 1)) ResetMatchSlots();
  const std::string_view stored = arena.Store(canonical);
  t.Insert(stored.substr(meta.key_offset), hash, meta);
  ++entries;
  return absl::OkStatus();
}

void IntelStore::Impl::WhitelistCanonical(IndicatorKind kind, std::string_view canonical) {
  const size_t k = KindIndex(kind);
  if (whitelist[k].emplace(canonical).second) ++whitelist_size;
  uint64_t key = 0;
  if (kind == IndicatorKind::kPhone && EncodePhone(canonical, &key)) {
    const uint64_t hash = Mix64(key);
    const uint32_t e = phones.Find(key, hash);
    if (e == FlatIndex::kNotFound) return;
    phones.meta[e].live = false;
    phones.index.Erase(hash, e);
    --phones.live;
    return;
  }
  StringTable& t = strings[k];
  const std::string_view key_text =
      canonical.substr(kind == IndicatorKind::kUrl ? SchemeLength(canonical) : 0);
  const uint64_t hash = HashString(key_text);
  const uint32_t e = t.Find(key_text, hash);
  if (e == FlatIndex::kNotFound) return;
  t.meta[e].live = false;
  t.index.Erase(hash, e);
  --t.live;
}

const IntelMatch* IntelStore::Impl::Lookup(const PhoneTable& t, uint64_t key,
                                           int64_t now_ms) const {
  const uint32_t e = t.Find(key, Mix64(key));
  if (e == FlatIndex::kNotFound || !t.meta[e].ActiveAt(now_ms)) return nullptr;
  const EntryMeta& m = t.meta[e];
  return pool.Get(m, [&](MatchPool::Slot* s) {
    FillMatch(s, IndicatorKind::kPhone, m, PhoneText(key, s->text));
  });
}

const IntelMatch* IntelStore::Impl::Lookup(const StringTable& t, IndicatorKind kind,
                                           std::string_view key, uint64_t hash,
                                           int64_t now_ms) const {
  const uint32_t e = t.Find(key, hash);
  if (e == FlatIndex::kNotFound || !t.meta[e].ActiveAt(now_ms)) return nullptr;
  const EntryMeta& m = t.meta[e];
  const std::string_view value(t.keys[e].data() - m.key_offset, t.keys[e].size() + m.key_offset);
  return pool.Get(m, [&](MatchPool::Slot* s) { FillMatch(s, kind, m, value); });
}

Status IntelStore::Add(const model::Indicator& indicator) {
  FZ_ASSIGN_OR_RETURN(std::string canonical, CanonicalValue(indicator.kind, indicator.value));
  if (indicator.whitelisted) {
    impl_->WhitelistCanonical(indicator.kind, canonical);
    return absl::OkStatus();
  }
  if (!(indicator.confidence >= 0 && indicator.confidence <= 1)) {
    return absl::InvalidArgumentError(
        fz::StrCat("confidence: ", indicator.confidence, " is not in [0, 1]"));
  }
  const int64_t expires_ms = indicator.expires_at == absl::InfiniteFuture()
                                 ? kNeverMs
                                 : absl::ToUnixMillis(indicator.expires_at);
  return impl_->AddCanonical(indicator.kind, canonical, indicator.fraud_type, indicator.source,
                             static_cast<float>(indicator.confidence), expires_ms);
}

Status IntelStore::Whitelist(IndicatorKind kind, std::string_view value) {
  FZ_ASSIGN_OR_RETURN(std::string canonical, CanonicalValue(kind, value));
  impl_->WhitelistCanonical(kind, canonical);
  return absl::OkStatus();
}

const IntelMatch* IntelStore::MatchPhone(std::string_view e164, int64_t now_ms) const {
  uint64_t key = 0;
  if (EncodePhone(e164, &key)) return impl_->Lookup(impl_->phones, key, now_ms);
  const auto& t = impl_->strings[KindIndex(IndicatorKind::kPhone)];
  if (t.live == 0) return nullptr;
  return impl_->Lookup(t, IndicatorKind::kPhone, e164, HashString(e164), now_ms);
}

void IntelStore::PrefetchPhone(std::string_view e164) const {
  uint64_t key = 0;
  if (EncodePhone(e164, &key)) impl_->phones.filter.Prefetch(Mix64(key));
}

void IntelStore::PrefetchDomain(std::string_view domain) const {
  const auto& t = impl_->strings[KindIndex(IndicatorKind::kDomain)];
  if (t.live == 0) return;
  if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  while (!domain.empty()) {  // as MatchDomain walks it
    t.filter.Prefetch(HashString(domain));
    const size_t dot = FirstDot(domain);
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
}

void IntelStore::PrefetchAccount(std::string_view account) const {
  const auto& t = impl_->strings[KindIndex(IndicatorKind::kAccount)];
  if (t.live != 0) t.filter.Prefetch(HashString(account));
}

namespace {
template <typename ImplT>
const IntelMatch* MatchExact(const ImplT& impl, IndicatorKind kind, std::string_view value,
                             int64_t now_ms) {
  const auto& t = impl.strings[KindIndex(kind)];
  if (t.live == 0) return nullptr;
  return impl.Lookup(t, kind, value, HashString(value), now_ms);
}
}  // namespace

const IntelMatch* IntelStore::MatchAccount(std::string_view account, int64_t now_ms) const {
  return MatchExact(*impl_, IndicatorKind::kAccount, account, now_ms);
}
const IntelMatch* IntelStore::MatchApp(std::string_view app_id, int64_t now_ms) const {
  return MatchExact(*impl_, IndicatorKind::kApp, app_id, now_ms);
}
const IntelMatch* IntelStore::MatchImei(std::string_view imei, int64_t now_ms) const {
  return MatchExact(*impl_, IndicatorKind::kImei, imei, now_ms);
}
const IntelMatch* IntelStore::MatchIp(std::string_view ip, int64_t now_ms) const {
  return MatchExact(*impl_, IndicatorKind::kIp, ip, now_ms);
}

const IntelMatch* IntelStore::MatchDomain(std::string_view domain, int64_t now_ms) const {
  const auto& t = impl_->strings[KindIndex(IndicatorKind::kDomain)];
  if (t.live == 0) return nullptr;
  if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  // Most specific first: a.b.bad.top, b.bad.top, bad.top, top.
  while (!domain.empty()) {
    const IntelMatch* m =
        impl_->Lookup(t, IndicatorKind::kDomain, domain, HashString(domain), now_ms);
    if (m != nullptr) return m;
    const size_t dot = FirstDot(domain);
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  return nullptr;
}

const IntelMatch* IntelStore::MatchUrl(std::string_view normalized_url, int64_t now_ms) const {
  const std::string_view rest = normalized_url.substr(SchemeLength(normalized_url));
  const auto& t = impl_->strings[KindIndex(IndicatorKind::kUrl)];
  if (t.live != 0 && !rest.empty()) {
    const IntelMatch* m = impl_->Lookup(t, IndicatorKind::kUrl, rest, HashString(rest), now_ms);
    if (m != nullptr) return m;
  }
  const std::string_view host = UrlHost(rest);
  if (host.empty()) return nullptr;
  if (host.find(':') != std::string_view::npos || LooksLikeIpv4(host)) return MatchIp(host, now_ms);
  return MatchDomain(host, now_ms);
}

size_t IntelStore::size() const {
  size_t n = impl_->phones.live;
  for (const auto& t : impl_->strings) n += t.live;
  return n;
}

size_t IntelStore::CountOfKind(IndicatorKind kind) const {
  const size_t n = impl_->strings[KindIndex(kind)].live;
  return kind == IndicatorKind::kPhone ? n + impl_->phones.live : n;
}

size_t IntelStore::MemoryBytes() const {
  const Impl& i = *impl_;
  size_t n = sizeof(Impl) + i.phones.MemoryBytes() + i.arena.MemoryBytes() + i.pool.MemoryBytes();
  for (const auto& t : i.strings) n += t.MemoryBytes();
  for (const std::string& s : i.sources) n += sizeof(std::string) + s.capacity() + 48;
  // Whitelist sets: node, string and bucket, roughly.
  n += i.whitelist_size * 80;
  return n;
}

size_t IntelStore::whitelist_size() const { return impl_->whitelist_size; }

bool IntelStore::IsWhitelisted(IndicatorKind kind, std::string_view canonical) const {
  const auto& set = impl_->whitelist[KindIndex(kind)];
  return !set.empty() && set.contains(absl::string_view(canonical.data(), canonical.size()));
}

bool IntelStore::IsWhitelistedDomain(std::string_view domain) const {
  const auto& set = impl_->whitelist[KindIndex(IndicatorKind::kDomain)];
  if (set.empty()) return false;
  // "m.baidu.com" is known when "m.baidu.com" or "baidu.com" is listed (not the bare TLD).
  while (domain.find('.') != std::string_view::npos) {
    if (set.contains(absl::string_view(domain.data(), domain.size()))) return true;
    domain.remove_prefix(domain.find('.') + 1);
  }
  return false;
}
size_t IntelStore::rejected_count() const { return impl_->rejected; }
size_t IntelStore::whitelisted_skips() const { return impl_->whitelisted_skips; }

}  // namespace fz::intel
