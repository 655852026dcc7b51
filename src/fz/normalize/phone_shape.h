// Internal to the phone normalizer: the shape rules shared by the reference path (phone.cc)
// and the cached path (phone_normalizer.cc). Sharing them is what keeps the two paths equal;
// only libphonenumber's verdicts (valid, kind, area) are cached, and the differential test in
// phone_normalizer_test.cc checks those. Thread-safe; nothing but ClassifyChinese allocates.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "fz/normalize/divisions.h"
#include "fz/normalize/phone.h"

namespace fz::normalize::phone_internal {

// More digits than any phone number or SMS port (E.164 allows 15, "00" adds 2; a 106 port
// has up to 18, "0086" adds 4): fail early rather than hand libphonenumber a 10 kB string.
inline constexpr size_t kMaxDigits = 22;
inline constexpr size_t kMaxRawBytes = 256;

// Digits of a number with separators removed, and whether a '+' led them.
class DigitBuffer {
 public:
  DigitBuffer() { chars_[0] = '+'; }
  // False, adding nothing, when kMaxDigits digits are already there.
  bool Push(char digit) {
    if (size_ == kMaxDigits) return false;
    chars_[1 + size_++] = digit;
    return true;
  }
  void set_plus(bool plus) { plus_ = plus; }
  bool plus() const { return plus_; }
  size_t size() const { return size_; }
  std::string_view digits() const { return {chars_ + 1, size_}; }
  // The digits with their '+', if any: what the number means, as one string.
  std::string_view text() const { return {plus_ ? chars_ : chars_ + 1, size_ + (plus_ ? 1 : 0)}; }

 private:
  char chars_[kMaxDigits + 1];
  size_t size_ = 0;
  bool plus_ = false;
};

// Scans `raw` the way StripNumberSeparators (text.h) followed by the digit checks of
// NormalizePhone would, without allocating. Returns false (leaving no promise about `out`) for
// anything else: letters, other non-ASCII, more than kMaxDigits digits. The caller then takes
// the reference path, which explains the problem.
bool ScanDigits(std::string_view raw, DigitBuffer* out);

enum class SplitError {
  kNone,
  kNoDigitsAfterPrefix,  // "+", "00", "+86", "0"
  kCountryCodeZero,      // "+0..." or "000..."
  kLeadingZeros,         // "00" left after removing the trunk prefix, e.g. "+86 00951..."
};

// A number split into country and national parts.
struct NumberParts {
  bool china = true;
  // China: the national significant number (no country code, no trunk "0", no IP prefix).
  // Otherwise: the digits after "+" or "00", country code first.
  std::string_view digits;
  bool with_country_code = false;  // China: written with +86, 0086 or a bare 86
  bool hidden_prefix = false;      // China: an IP-dialing prefix was removed
};

SplitError SplitNumber(std::string_view digits, bool plus, NumberParts* parts);

// The service shapes listed in phone.h, on a national significant number.
bool IsServiceShape(std::string_view national);

// 11 digits, 1[3-9]...
bool IsMobileShape(std::string_view national);

// An area code and 7 or 8 digits: "10" or "2X" and 9-10 digits in all, or "[3-9]XX" and 10-11.
// 400/800 numbers have this shape too.
bool IsLandlineShape(std::string_view national);

// The kind of a Chinese number libphonenumber calls invalid: mobile or landline by shape.
PhoneKind ShapeKind(std::string_view national);

// Flags of a Chinese number, given libphonenumber's verdict (`valid`; ignored for services).
PhoneFlagSet ChineseFlags(const NumberParts& parts, bool service, bool valid);

// Flags of an international number with national significant number `national`.
PhoneFlagSet InternationalFlags(std::string_view national);

enum class OpaqueMatch { kNo, kYes, kMalformed };

// Recognizes a hashed subject in trimmed text (see phone.h). On kYes `hex` is the digest
// without its label; on kMalformed (a known label with a bad digest) `hex` is what followed it.
OpaqueMatch MatchOpaque(std::string_view text, std::string_view* hex);

// libphonenumber's verdict on a Chinese national significant number (defined in phone.cc).
struct ChineseVerdict {
  PhoneKind kind = PhoneKind::kUnknown;
  bool valid = false;
  std::string area_name;           // PhoneInfo::area_name
  const Division* city = nullptr;  // from DivisionTable::Builtin(); nullptr if none
};

// Precondition: `national` is 7-12 ASCII digits, not starting with '0', not a service shape.
ChineseVerdict ClassifyChinese(std::string_view national);

// Writes "+86" + national into `out`, reusing its capacity.
void WriteChineseCanonical(std::string_view national, std::string* out);

// Writes "h:" + lower-case hex into `out`, reusing its capacity.
void WriteOpaqueCanonical(std::string_view hex, std::string* out);

}  // namespace fz::normalize::phone_internal
