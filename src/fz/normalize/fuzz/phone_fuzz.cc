// Fuzzes both phone paths on arbitrary bytes and checks that they agree with each other and
// that every canonical form normalizes to itself. A violated invariant traps, so libFuzzer
// keeps the input; the corpus replay test runs the same checks in every build.
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "fz/normalize/phone.h"
#include "fz/normalize/phone_normalizer.h"

namespace {

using fz::normalize::NormalizePhone;
using fz::normalize::PhoneInfo;
using fz::normalize::PhoneKey;
using fz::normalize::PhoneKind;
using fz::normalize::PhoneNormalizer;

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "phone_fuzz: invariant violated: %s\n", what);
  __builtin_trap();
}

bool SameInfo(const PhoneInfo& a, const PhoneInfo& b) {
  return a.canonical == b.canonical && a.kind == b.kind && a.country_code == b.country_code &&
         a.international == b.international && a.valid == b.valid && a.area_name == b.area_name &&
         a.city_code == b.city_code && a.flags == b.flags && a.flag_set == b.flag_set;
}

void CheckShape(const PhoneInfo& info) {
  bool opaque = info.kind == PhoneKind::kOpaque;
  Check(opaque == info.canonical.starts_with("h:"), "opaque iff canonical starts with h:");
  Check(opaque || info.canonical.starts_with("+"), "canonical starts with +");
  Check(opaque == (info.country_code == 0), "country code 0 iff opaque");
  Check(info.international == (info.country_code != 86 && !opaque), "international iff not 86");
  Check(info.flags.size() <= static_cast<size_t>(fz::normalize::kPhoneFlagCount), "flag count");
  Check(info.city_code.empty() || info.city_code.size() == 6, "city code has 6 digits");
  if (info.country_code == 86) Check(info.canonical.starts_with("+86"), "+86 for China");
}

void CheckRenormalizes(const PhoneInfo& info) {
  fz::StatusOr<PhoneInfo> again = NormalizePhone(info.canonical);
  Check(again.ok(), "canonical form normalizes");
  Check(again->canonical == info.canonical, "canonical form is a fixed point");
  Check(again->kind == info.kind, "kind survives re-normalization");
  Check(again->city_code == info.city_code, "city survives re-normalization");
  Check(again->valid == info.valid, "validity survives re-normalization");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  const PhoneNormalizer& normalizer = PhoneNormalizer::Default();
  fz::StatusOr<PhoneInfo> slow = NormalizePhone(raw);
  fz::StatusOr<PhoneInfo> fast = normalizer.Normalize(raw);
  PhoneKey key;
  fz::Status key_status = normalizer.NormalizeKey(raw, &key);
  Check(fast.status() == slow.status(), "cached and reference paths give the same status");
  Check(key_status == slow.status(), "NormalizeKey and reference path give the same status");
  if (!slow.ok()) return 0;
  Check(SameInfo(*fast, *slow), "cached and reference paths agree");
  Check(key.canonical == slow->canonical && key.kind == slow->kind &&
            key.city_code() == slow->city_code && key.valid == slow->valid &&
            key.country_code == slow->country_code && key.flags == slow->flag_set,
        "NormalizeKey agrees with the reference path");
  CheckShape(*slow);
  CheckRenormalizes(*slow);
  return 0;
}
