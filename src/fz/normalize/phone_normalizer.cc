#include "fz/normalize/phone_normalizer.h"

#include <cstdint>
#include <cstring>
#include <utility>

#include "fz/normalize/phone_cache.h"
#include "fz/normalize/phone_country_cache.h"
#include "fz/normalize/phone_shape.h"
#include "fz/normalize/text.h"

namespace fz::normalize {
namespace {

using phone_internal::DigitBuffer;
using phone_internal::NumberParts;

bool TryOpaque(std::string_view raw, PhoneKey* out) {
  std::string_view hex;
  if (raw.size() > phone_internal::kMaxRawBytes ||
      phone_internal::MatchOpaque(TrimAscii(raw), &hex) != phone_internal::OpaqueMatch::kYes) {
    return false;
  }
  phone_internal::WriteOpaqueCanonical(hex, &out->canonical);
  out->kind = PhoneKind::kOpaque;
  out->country_code = 0;
  out->valid = false;
  out->flags = PhoneFlagSet();
  out->city = nullptr;
  return true;
}

// Whether the 8 bytes of `w` are all '0'..'9': a byte is a digit iff its high nibble is 3 and
// adding 6 keeps it 3; with every high nibble 3 no byte carries into the next, so the
// additions can run on the whole word.
bool EightAsciiDigits(uint64_t w) {
  constexpr uint64_t kHigh = 0xF0F0F0F0F0F0F0F0ull;
  constexpr uint64_t kThrees = 0x3030303030303030ull;
  constexpr uint64_t kSixes = 0x0606060606060606ull;
  return (w & kHigh) == kThrees && ((w + kSixes) & kHigh) == kThrees;
}

// Whether every byte of `s` is '0'..'9', eight at a time (the last word overlapping).
bool AllAsciiDigits(std::string_view s) {
  const size_t n = s.size();
  if (n < 8) {
    for (char c : s) {
      if (static_cast<unsigned char>(c - '0') > 9) return false;
    }
    return true;
  }
  uint64_t word;
  for (size_t i = 0; i + 8 <= n; i += 8) {
    std::memcpy(&word, s.data() + i, 8);
    if (!EightAsciiDigits(word)) return false;
  }
  std::memcpy(&word, s.data() + n - 8, 8);
  return EightAsciiDigits(word);
}

// The value of 8 ASCII digits loaded little-endian (first digit in the low byte): pairs, then
// quads, then the whole, by multiply-and-shift within the word.
uint32_t EightDigitValue(uint64_t w) {
  w -= 0x3030303030303030ull;
  w = (w * 10 + (w >> 8)) & 0x00FF00FF00FF00FFull;
  w = (w * 100 + (w >> 16)) & 0x0000FFFF0000FFFFull;
  w = (w * 10000 + (w >> 32)) & 0xFFFFFFFFull;
  return static_cast<uint32_t>(w);
}

// Event feeds write almost every number as plain ASCII digits, maybe after a '+'. Then the
// digits are the raw text itself and ScanDigits (full-width folding, separators, copying into
// a DigitBuffer) has nothing to do: it would give the same digits and '+'. More digits than
// ScanDigits accepts go its way, so that it rejects them as before.
bool PlainDigits(std::string_view raw, std::string_view* digits, bool* plus) {
  size_t start = !raw.empty() && raw[0] == '+' ? 1 : 0;
  size_t count = raw.size() - start;
  if (count == 0 || count > phone_internal::kMaxDigits) return false;
  if (!AllAsciiDigits(raw.substr(start))) return false;
  *digits = raw.substr(start);
  *plus = start == 1;
  return true;
}

}  // namespace

PhoneNormalizer::PhoneNormalizer()
    : prefixes_(std::make_unique<phone_internal::PrefixCache>()),
      countries_(std::make_unique<phone_internal::CountryPrefixCache>()),
      memo_(std::make_unique<phone_internal::ResultMemo>()) {}

PhoneNormalizer::~PhoneNormalizer() = default;

const PhoneNormalizer& PhoneNormalizer::Default() {
  static const PhoneNormalizer normalizer;
  return normalizer;
}

uint64_t PhoneNormalizer::cache_misses() const { return prefixes_->misses(); }

uint64_t PhoneNormalizer::country_cache_fills() const { return countries_->fills(); }

bool PhoneNormalizer::TryCached(std::string_view raw, PhoneKey* out, std::string_view* area_name,
                                DigitBuffer* buf, std::string_view* memo_key,
                                std::string_view* foreign_digits) const {
  *area_name = "";
  *memo_key = "";
  *foreign_digits = "";
  std::string_view digits;
  bool plus = false;
  std::string_view text;  // the digits with their '+', if any (the memo's key)
  if (PlainDigits(raw, &digits, &plus)) {
    text = raw;
  } else {
    if (!phone_internal::ScanDigits(raw, buf)) return TryOpaque(raw, out);
    digits = buf->digits();
    plus = buf->plus();
    text = buf->text();
  }
  NumberParts parts;
  // A bare mobile, the commonest field of all: SplitNumber would leave it whole (no "00" or
  // "86" in front, too short to carry an IP-dialing prefix, no trunk "0"), and it is not a
  // service shape.
  const bool bare_mobile = !plus && phone_internal::IsMobileShape(digits);
  if (bare_mobile) {
    parts.digits = digits;
  } else if (digits.size() < 3 || phone_internal::SplitNumber(digits, plus, &parts) !=
                                      phone_internal::SplitError::kNone) {
    return false;  // an error: the reference path words it
  }
  if (!parts.china) {
    phone_internal::CountryPrefixCache::Verdict foreign;
    if (!countries_->Find(parts.digits, &foreign)) {
      *memo_key = text;
      *foreign_digits = parts.digits;
      return false;
    }
    // Written by hand: assign("+") + append() trips g++ 12's -Wrestrict false positive.
    out->canonical.resize(parts.digits.size() + 1);
    out->canonical[0] = '+';
    parts.digits.copy(out->canonical.data() + 1, parts.digits.size());
    out->kind = foreign.kind;
    out->country_code = foreign.country_code;
    out->valid = foreign.valid;
    out->flags = phone_internal::InternationalFlags(foreign.national);
    out->city = nullptr;
    *area_name = foreign.area_name;
    return true;
  }
  std::string_view national = parts.digits;
  bool service = !bare_mobile && phone_internal::IsServiceShape(national);
  phone_internal::PrefixCache::Verdict verdict;
  if (service) {
    verdict.kind = PhoneKind::kServiceShort;
    verdict.valid = true;
  } else if (!(bare_mobile ? prefixes_->LookupMobile(national, &verdict)
                           : prefixes_->Lookup(national, &verdict))) {
    *memo_key = text;
    return false;
  }
  phone_internal::WriteChineseCanonical(national, &out->canonical);
  out->kind = verdict.kind;
  out->country_code = 86;
  out->valid = verdict.valid;
  out->flags = phone_internal::ChineseFlags(parts, service, verdict.valid);
  out->city = verdict.city;
  *area_name = verdict.area_name;
  return true;
}

bool PhoneNormalizer::CanonicalBareMobile(std::string_view raw, std::string* canonical,
                                          PhoneFlagSet* flags) const {
  if (raw.size() != 11) return false;
  // Digits 0-7 and 3-10: two overlapping words cover all eleven.
  uint64_t head;
  uint64_t tail;
  std::memcpy(&head, raw.data(), 8);
  std::memcpy(&tail, raw.data() + 3, 8);
  if (!EightAsciiDigits(head) || !EightAsciiDigits(tail)) return false;
  if (raw[0] != '1' || raw[1] < '3') return false;  // a digit, so at most '9'
  const uint16_t word = prefixes_->PeekMobile(EightDigitValue(head) / 10);
  if ((word & phone_internal::PrefixCache::kFilled) == 0) return false;
  // What TryCached + ChineseFlags give a bare mobile: no hidden prefix, no country code, not a
  // service shape; and AddPatternFlags never fires, since the first two digits (1, then 3-9)
  // are neither repeated nor sequential.
  *flags = PhoneFlagSet();
  if ((word & phone_internal::PrefixCache::kValid) == 0) {
    flags->Add(PhoneFlag::kUnallocatedMobilePrefix);
    flags->Add(PhoneFlag::kSuspectedSpoof);
  }
  // A recycled event's field usually held a mobile already: then no resize is needed.
  if (canonical->size() != 14) canonical->resize(14);
  char* p = canonical->data();
  std::memcpy(p, "+86", 3);
  std::memcpy(p + 3, &head, 8);
  std::memcpy(p + 6, &tail, 8);
  return true;
}

StatusOr<PhoneInfo> PhoneNormalizer::Normalize(std::string_view raw) const {
  PhoneKey key;
  std::string_view area_name;
  DigitBuffer buf;
  std::string_view memo_key;
  std::string_view foreign_digits;
  PhoneInfo info;
  if (TryCached(raw, &key, &area_name, &buf, &memo_key, &foreign_digits)) {
    info.canonical = std::move(key.canonical);
    info.kind = key.kind;
    info.country_code = key.country_code;
    info.international = key.country_code != 86 && key.country_code != 0;
    info.valid = key.valid;
    info.area_name = std::string(area_name);
    info.city_code = std::string(key.city_code());
    info.flag_set = key.flags;
    info.flags = key.flags.Names();
    return info;
  }
  if (!memo_key.empty() && memo_->Find(memo_key, &info)) return info;
  StatusOr<PhoneInfo> result = NormalizePhone(raw);
  if (result.ok()) Remember(memo_key, foreign_digits, *result);
  return result;
}

void PhoneNormalizer::Remember(std::string_view memo_key, std::string_view foreign_digits,
                               const PhoneInfo& info) const {
  // Numbers the country cache answers for need no memo slot: intelligence lists hold hundreds
  // of thousands of them, which would only churn the memo.
  if (!foreign_digits.empty() && countries_->Insert(foreign_digits, info)) return;
  if (!memo_key.empty()) memo_->Insert(memo_key, info);
}

Status PhoneNormalizer::NormalizeKey(std::string_view raw, PhoneKey* out) const {
  std::string_view area_name;
  DigitBuffer buf;
  std::string_view memo_key;
  std::string_view foreign_digits;
  if (TryCached(raw, out, &area_name, &buf, &memo_key, &foreign_digits)) return absl::OkStatus();
  if (!memo_key.empty() && memo_->Find(memo_key, out)) return absl::OkStatus();
  FZ_ASSIGN_OR_RETURN(PhoneInfo info, NormalizePhone(raw));
  Remember(memo_key, foreign_digits, info);
  out->canonical.assign(info.canonical);
  out->kind = info.kind;
  out->country_code = info.country_code;
  out->valid = info.valid;
  out->flags = info.flag_set;
  out->city = info.city_code.empty() ? nullptr : DivisionTable::Builtin().Find(info.city_code);
  return absl::OkStatus();
}

}  // namespace fz::normalize
