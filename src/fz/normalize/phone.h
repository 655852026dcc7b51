// Phone numbers as carriers, banks and people write them, reduced to one canonical key plus
// the facts a fraud detector needs: kind, home city, international origin, spoofing signs.
//
//   StatusOr<PhoneInfo> p = NormalizePhone("0951-5012345");
//   // p->canonical == "+869515012345", p->kind == PhoneKind::kFixedLine,
//   // p->area_name == "宁夏银川市", p->city_code == "640100", p->flags == {}
//
// NormalizePhone is the reference ("slow") path: every call runs libphonenumber. The event
// path uses PhoneNormalizer (phone_normalizer.h), which gives the same answers from prefix
// caches. Error messages never repeat the input: a phone number is personal data.
//
// Accepted input, after full-width folding and StripNumberSeparators (text.h):
//   - Chinese numbers: 13895101234, +86 138 9510 1234, 008613895101234, 8613895101234 (a bare
//     "86" only when 12 or 13 digits follow it), 0951-5012345, (0951)5012345, +86 (0)951 ...,
//     400/800 numbers, and an IP-dialing prefix in front (17951, 17911, 17909, 17908, 17969,
//     12593, 10193), which is removed and reported as kHiddenPrefix.
//   - Service numbers (national significant number, "+86"/"0086" allowed in front):
//       1[12]X          110, 112, 114, 119, 120, 122 ...
//       1[0-2]XXX       carrier and government lines: 10086, 10010, 10000, 12345, 12381
//       9[56]X{3,6}     95xxx national and 96xxx local service lines: 95588, 96110
//       106X{5},106X{8,15}  SMS service ports: 1069..., 10655... (9-10 digits would read as
//                       a Beijing landline without its trunk 0)
//     They have no E.164 form; their canonical form is still "+86" + digits so that every
//     Chinese subject has one shape. Their `valid` is true (the shape is known). Flags describe
//     how a number was written, so normalizing that canonical form again ("+8695588") sets
//     kServiceWithCountryCode: keep the flags of the first normalization.
//   - International: "+" or "00" followed by a country code other than 86.
//   - Pseudonymized subjects: a hex digest of 32-128 hex digits (even count, any case), bare or
//     labelled "md5:", "sha1:", "sha224:", "sha256:", "sha384:", "sha512:", "sm3:" or "h:"
//     (label case-insensitive; a labelled digest must have its algorithm's length). Canonical
//     form "h:" + lower-case hex: the label is dropped so that two feeds hashing the same number
//     with the same algorithm match. An even count of 32-128 decimal digits is a digest too: no
//     phone number is that long.
//
// Well-formed numbers that are not valid (unallocated ranges, spoofed caller IDs, local
// numbers without an area code) are returned with valid == false and their flags, not as
// errors: a forged caller ID is exactly what the detector must key on.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fz/common/status.h"

namespace fz::normalize {

enum class PhoneKind {
  kMobile,
  kFixedLine,
  kTollFree,      // 800
  kSharedCost,    // 400
  kServiceShort,  // the service shapes above, and 950 and area code + 96xxx lines (which
                  // libphonenumber files as shared cost, like 400)
  kVoip,
  kUnknown,  // invalid numbers of no recognizable shape; valid numbers libphonenumber cannot
             // type (e.g. NANP numbers, which are "fixed line or mobile")
  kOpaque,   // a hashed subject
};

// "mobile", "fixed_line", "toll_free", "shared_cost", "service", "voip", "unknown", "opaque".
std::string_view PhoneKindName(PhoneKind kind);

// Facts about the number or how it was written. A flag describes the number, not the call:
// the event ingest decides which side (caller or callee) a flag matters on.
enum class PhoneFlag : uint8_t {
  kInternational,   // country code other than 86: the most common fraud signal in China
  kSuspectedSpoof,  // set together with each of the five reasons below
  // A service number (95588, 110, 96110, 10086) written with +86/0086. Domestic calls show
  // service numbers bare; "+86 95588" is the well-known sign of a call forged abroad.
  kServiceWithCountryCode,
  // 11 digits starting 1[3-9] (a mobile shape) in a range libphonenumber knows to be
  // unallocated, e.g. 140, or an unissued block.
  kUnallocatedMobilePrefix,
  // 9-11 digits of a landline shape (area code + 7 or 8 digits, or 400/800) that
  // libphonenumber calls invalid, e.g. area code 026.
  kUnallocatedRange,
  kRepeatedDigits,    // 7+ digit national number of one digit repeated: 11111111111
  kSequentialDigits,  // 7+ digit national number counting up or down: 12345678901, 9876543
  kHiddenPrefix,      // an IP-dialing prefix (17951, 12593, ...) was removed from the front
  kMissingAreaCode,   // 7-8 digits without an area code: no home city can be known
};
inline constexpr int kPhoneFlagCount = 9;

// "international", "suspected_spoof", "service_number_with_country_code",
// "unallocated_mobile_prefix", "unallocated_range", "repeated_digits", "sequential_digits",
// "hidden_prefix", "missing_area_code".
std::string_view PhoneFlagName(PhoneFlag flag);

// A set of PhoneFlag as a bit mask: the hot path carries flags without allocating.
class PhoneFlagSet {
 public:
  void Add(PhoneFlag flag) { bits_ |= Bit(flag); }
  bool Has(PhoneFlag flag) const { return (bits_ & Bit(flag)) != 0; }
  bool empty() const { return bits_ == 0; }
  uint32_t bits() const { return bits_; }
  static PhoneFlagSet FromBits(uint32_t bits) {
    PhoneFlagSet s;
    s.bits_ = bits;
    return s;
  }
  // Names in enum order.
  std::vector<std::string> Names() const;
  friend bool operator==(PhoneFlagSet a, PhoneFlagSet b) { return a.bits_ == b.bits_; }

 private:
  static constexpr uint32_t Bit(PhoneFlag flag) { return 1u << static_cast<unsigned>(flag); }
  uint32_t bits_ = 0;
};

struct PhoneInfo {
  // E.164 ("+8613895101234", "+869515012345", "+14155552671"); "+86" + digits for service
  // numbers and for invalid Chinese numbers; "h:" + lower-case hex for opaque subjects.
  std::string canonical;
  PhoneKind kind = PhoneKind::kUnknown;
  int country_code = 0;        // 86, 1, 855, ...; 0 for opaque
  bool international = false;  // country_code != 86 (false for opaque)
  // libphonenumber IsValidNumber; true for the service shapes; false for opaque.
  bool valid = false;
  // libphonenumber's zh geocoder text for valid Chinese numbers ("宁夏银川市", "" when it
  // knows only "中国"); for international numbers the country or region in Chinese ("美国").
  std::string area_name;
  std::string city_code;           // GB/T 2260 city code of area_name ("640100"), "" if none
  std::vector<std::string> flags;  // PhoneFlagName of each flag, in enum order
  PhoneFlagSet flag_set;           // the same flags as bits
};

// The reference path: libphonenumber on every call. Thread-safe. Errors (InvalidArgument):
// empty input, a NUL byte, letters, Chinese text or invalid UTF-8, a misplaced '+', too few or
// too many digits, an unknown country code, a malformed labelled digest, input over 256 bytes.
StatusOr<PhoneInfo> NormalizePhone(std::string_view raw);

}  // namespace fz::normalize
