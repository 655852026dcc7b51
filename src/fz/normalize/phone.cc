#include "fz/normalize/phone.h"

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/synchronization/mutex.h"
#include "fz/common/str_cat.h"
#include "fz/normalize/divisions.h"
#include "fz/normalize/phone_shape.h"
#include "fz/normalize/text.h"

namespace fz::normalize {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;
using phone_internal::DigitBuffer;
using phone_internal::NumberParts;
using phone_internal::SplitError;

std::string_view PhoneKindName(PhoneKind kind) {
  switch (kind) {
    case PhoneKind::kMobile:
      return "mobile";
    case PhoneKind::kFixedLine:
      return "fixed_line";
    case PhoneKind::kTollFree:
      return "toll_free";
    case PhoneKind::kSharedCost:
      return "shared_cost";
    case PhoneKind::kServiceShort:
      return "service";
    case PhoneKind::kVoip:
      return "voip";
    case PhoneKind::kUnknown:
      return "unknown";
    case PhoneKind::kOpaque:
      return "opaque";
  }
  return "unknown";
}

std::string_view PhoneFlagName(PhoneFlag flag) {
  static constexpr std::string_view kNames[kPhoneFlagCount] = {"international",
                                                               "suspected_spoof",
                                                               "service_number_with_country_code",
                                                               "unallocated_mobile_prefix",
                                                               "unallocated_range",
                                                               "repeated_digits",
                                                               "sequential_digits",
                                                               "hidden_prefix",
                                                               "missing_area_code"};
  auto i = static_cast<size_t>(flag);
  return i < std::size(kNames) ? kNames[i] : "unknown";
}

std::vector<std::string> PhoneFlagSet::Names() const {
  std::vector<std::string> names;
  for (int i = 0; i < kPhoneFlagCount; ++i) {
    if (Has(static_cast<PhoneFlag>(i)))
      names.emplace_back(PhoneFlagName(static_cast<PhoneFlag>(i)));
  }
  return names;
}

namespace {

// Both are built once and are thread-safe: PhoneNumberUtil is immutable after construction and
// the geocoder guards its lazily loaded prefix maps with a mutex.
const PhoneNumberUtil& Util() { return *PhoneNumberUtil::GetInstance(); }

const PhoneNumberOfflineGeocoder& Geocoder() {
  static const PhoneNumberOfflineGeocoder geocoder;
  return geocoder;
}

const icu::Locale& Chinese() {
  static const icu::Locale zh("zh");
  return zh;
}

Status Invalid(std::string_view what) {
  return absl::InvalidArgumentError(fz::StrCat("phone number: ", what));
}

// Names the kind of offending byte, never the number around it.
Status CharError(char c) {
  auto b = static_cast<unsigned char>(c);
  if (b == 0) return Invalid("contains a NUL byte");
  if (b >= 0x80) return Invalid("contains non-ASCII text (Chinese characters or invalid UTF-8)");
  if (absl::ascii_isalpha(b)) return Invalid("contains letters");
  if (c == '+') return Invalid("'+' is allowed only in front");
  if (absl::ascii_isprint(b)) {
    return Invalid(fz::StrCat("unexpected character '", std::string_view(&c, 1), "'"));
  }
  return Invalid(fz::StrCat("unexpected control byte ", static_cast<int>(b)));
}

StatusOr<DigitBuffer> ExtractDigits(std::string_view folded) {
  std::string stripped = StripNumberSeparators(folded);
  DigitBuffer buf;
  size_t count = 0;
  for (size_t i = 0; i < stripped.size(); ++i) {
    char c = stripped[i];
    if (c == '+' && i == 0) {
      buf.set_plus(true);
    } else if (c >= '0' && c <= '9') {
      buf.Push(c);  // counted, not stored, past kMaxDigits
      ++count;
    } else {
      return CharError(c);
    }
  }
  if (count > phone_internal::kMaxDigits) {
    return Invalid(fz::StrCat("too long (", count, " digits)"));
  }
  if (count < 3) return Invalid(fz::StrCat("too short (", count, " digits)"));
  return buf;
}

Status SplitStatus(SplitError error) {
  switch (error) {
    case SplitError::kNone:
      return absl::OkStatus();
    case SplitError::kNoDigitsAfterPrefix:
      return Invalid("no digits after the country or trunk prefix");
    case SplitError::kCountryCodeZero:
      return Invalid("a country code cannot start with 0");
    case SplitError::kLeadingZeros:
      return Invalid("too many leading zeros");
  }
  return Invalid("malformed");
}

PhoneKind MapType(PhoneNumberUtil::PhoneNumberType type, bool china, std::string_view national) {
  switch (type) {
    case PhoneNumberUtil::FIXED_LINE:
      return PhoneKind::kFixedLine;
    case PhoneNumberUtil::MOBILE:
      return PhoneKind::kMobile;
    case PhoneNumberUtil::TOLL_FREE:
      return PhoneKind::kTollFree;
    case PhoneNumberUtil::VOIP:
      return PhoneKind::kVoip;
    case PhoneNumberUtil::SHARED_COST:
    case PhoneNumberUtil::UAN:
      // libphonenumber files China's 400 numbers, 950 numbers and area code + 96xxx service
      // lines together as shared cost; only 400 numbers are that.
      if (!china)
        return type == PhoneNumberUtil::UAN ? PhoneKind::kUnknown : PhoneKind::kSharedCost;
      return national.starts_with("400") ? PhoneKind::kSharedCost : PhoneKind::kServiceShort;
    default:
      return PhoneKind::kUnknown;
  }
}

PhoneInfo OpaqueInfo(std::string_view hex) {
  PhoneInfo info;
  phone_internal::WriteOpaqueCanonical(hex, &info.canonical);
  info.kind = PhoneKind::kOpaque;
  return info;
}

void SetFlags(PhoneFlagSet flags, PhoneInfo* info) {
  info->flag_set = flags;
  info->flags = flags.Names();
}

StatusOr<PhoneInfo> NormalizeChinese(const NumberParts& parts) {
  std::string_view national = parts.digits;
  PhoneInfo info;
  info.country_code = 86;
  bool service = phone_internal::IsServiceShape(national);
  if (service) {
    info.kind = PhoneKind::kServiceShort;
    info.valid = true;
  } else {
    if (national.size() < 7) return Invalid(fz::StrCat("too short (", national.size(), " digits)"));
    if (national.size() > 12) return Invalid(fz::StrCat("too long (", national.size(), " digits)"));
    phone_internal::ChineseVerdict verdict = phone_internal::ClassifyChinese(national);
    info.kind = verdict.kind;
    info.valid = verdict.valid;
    info.area_name = std::move(verdict.area_name);
    if (verdict.city != nullptr) info.city_code = verdict.city->code;
  }
  phone_internal::WriteChineseCanonical(national, &info.canonical);
  SetFlags(phone_internal::ChineseFlags(parts, service, info.valid), &info);
  return info;
}

Status ParseStatus(PhoneNumberUtil::ErrorType error) {
  switch (error) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
      return absl::OkStatus();
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return Invalid("unknown country code");
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return Invalid("too short for its country");
    case PhoneNumberUtil::TOO_LONG_NSN:
      return Invalid("too long for its country");
    default:
      return Invalid("not a phone number");
  }
}

// The country or region in Chinese ("美国", "柬埔寨"), "" when unknown.
std::string RegionNameZhUncached(const std::string& region) {
  // "001" is libphonenumber's region for non-geographic codes (+800, +882): ICU calls it "世界".
  if (region.empty() || region == "ZZ" || region == "001") return "";
  icu::UnicodeString name;
  icu::Locale("", region.c_str()).getDisplayCountry(Chinese(), name);
  std::string out;
  name.toUTF8String(out);
  return out == region ? "" : out;
}

// ICU's display-name lookup walks resource bundles on every call (about half the cost of a
// foreign number); there are only ~250 regions, so each is looked up once.
std::string RegionNameZh(const std::string& region) {
  static absl::Mutex mu(absl::kConstInit);
  static auto* names = new absl::flat_hash_map<std::string, std::string>();
  {
    absl::MutexLock lock(&mu);
    auto it = names->find(region);
    if (it != names->end()) return it->second;
  }
  std::string name = RegionNameZhUncached(region);
  absl::MutexLock lock(&mu);
  return names->try_emplace(region, std::move(name)).first->second;
}

// Parses until the E.164 form parses to itself. One round is not always enough: Parse strips
// a national prefix at most once, so "+43 0043004" gives "+43043004", whose own parse gives
// "+4343004", and a canonical form must normalize to itself.
Status ParseToFixedPoint(std::string_view digits, PhoneNumber* number, std::string* e164) {
  std::string text = fz::StrCat("+", digits);
  for (int round = 0; round < 4; ++round) {
    FZ_RETURN_IF_ERROR(ParseStatus(Util().Parse(text, "ZZ", number)));
    Util().Format(*number, PhoneNumberUtil::E164, e164);
    if (*e164 == text) return absl::OkStatus();
    text = *e164;
  }
  return Invalid("no stable international form");
}

StatusOr<PhoneInfo> NormalizeInternational(std::string_view digits) {
  PhoneNumber number;
  PhoneInfo info;
  FZ_RETURN_IF_ERROR(ParseToFixedPoint(digits, &number, &info.canonical));
  info.country_code = number.country_code();
  info.international = true;
  // IsValidNumber(n) is GetNumberType(n) != UNKNOWN in libphonenumber (both find the region,
  // then match the same type patterns): one regex pass instead of two.
  const PhoneNumberUtil::PhoneNumberType type = Util().GetNumberType(number);
  info.valid = type != PhoneNumberUtil::UNKNOWN;
  std::string national;
  Util().GetNationalSignificantNumber(number, &national);
  info.kind = info.valid ? MapType(type, false, national) : PhoneKind::kUnknown;
  std::string region;
  if (info.valid) {
    Util().GetRegionCodeForNumber(number, &region);
  } else {
    Util().GetRegionCodeForCountryCode(info.country_code, &region);
  }
  info.area_name = RegionNameZh(region);
  SetFlags(phone_internal::InternationalFlags(national), &info);
  return info;
}

// libphonenumber 8.12's zh geocoder still uses some prefecture names from before their
// reforms: "XX地区" that became "XX市" (毕节, 铜仁, 海东, 吐鲁番, 哈密 and Tibet's prefectures),
// 襄樊 (renamed 襄阳 in 2010), 莱芜 (merged into 济南 in 2019), 巢湖 (split in 2011; the city of
// 巢湖 is now under 合肥).
const Division* CityOfGeocoderText(std::string_view text) {
  const DivisionTable& table = DivisionTable::Builtin();
  if (const Division* city = table.CityFromGeocoderText(text)) return city;
  std::string modern(text.substr(0, text.find("、")));
  static constexpr std::pair<std::string_view, std::string_view> kRenamed[] = {
      {"地区", "市"}, {"襄樊", "襄阳"}, {"莱芜", "济南"}, {"巢湖", "合肥"}};
  bool changed = false;
  for (auto [old_name, new_name] : kRenamed) {
    size_t at = modern.find(old_name);
    if (at == std::string::npos) continue;
    modern.replace(at, old_name.size(), new_name);
    changed = true;
  }
  return changed ? table.CityFromGeocoderText(modern) : nullptr;
}

}  // namespace

namespace phone_internal {

ChineseVerdict ClassifyChinese(std::string_view national) {
  uint64_t value = 0;
  for (char c : national) value = value * 10 + static_cast<uint64_t>(c - '0');
  // Built directly rather than parsed: Parse() would strip what it takes for carrier codes
  // (e.g. "17914..." becomes country code 51), and the split rules are ours to decide.
  PhoneNumber number;
  number.set_country_code(86);
  number.set_national_number(value);
  ChineseVerdict verdict;
  const PhoneNumberUtil::PhoneNumberType type = Util().GetNumberType(number);
  verdict.valid = type != PhoneNumberUtil::UNKNOWN;  // = IsValidNumber, see above
  if (!verdict.valid) {
    verdict.kind = ShapeKind(national);
    return verdict;
  }
  verdict.kind = MapType(type, true, national);
  std::string area = Geocoder().GetDescriptionForNumber(number, Chinese());
  // "中国" is the geocoder's fallback when it knows no area (e.g. virtual operators, 400).
  if (area == "中国") area.clear();
  verdict.city = CityOfGeocoderText(area);
  verdict.area_name = std::move(area);
  return verdict;
}

}  // namespace phone_internal

StatusOr<PhoneInfo> NormalizePhone(std::string_view raw) {
  if (raw.size() > phone_internal::kMaxRawBytes) {
    return Invalid(fz::StrCat("too long (", raw.size(), " bytes)"));
  }
  std::string folded_storage = FoldFullWidth(raw);
  std::string_view folded = TrimAscii(folded_storage);
  if (folded.empty()) return Invalid("empty");
  std::string_view hex;
  switch (phone_internal::MatchOpaque(folded, &hex)) {
    case phone_internal::OpaqueMatch::kYes:
      return OpaqueInfo(hex);
    case phone_internal::OpaqueMatch::kMalformed:
      return Invalid(fz::StrCat("malformed digest: ", hex.size(), " characters after the label"));
    case phone_internal::OpaqueMatch::kNo:
      break;
  }
  FZ_ASSIGN_OR_RETURN(DigitBuffer buf, ExtractDigits(folded));
  NumberParts parts;
  FZ_RETURN_IF_ERROR(SplitStatus(phone_internal::SplitNumber(buf.digits(), buf.plus(), &parts)));
  if (!parts.china) return NormalizeInternational(parts.digits);
  return NormalizeChinese(parts);
}

}  // namespace fz::normalize
