#include "fz/normalize/phone_shape.h"

#include <array>

namespace fz::normalize::phone_internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// string_view::starts_with calls memcmp, which was a third of the hot path's time; these
// prefixes are two or three characters.
template <size_t N>
bool HasPrefix(std::string_view s, const char (&prefix)[N]) {
  if (s.size() < N - 1) return false;
  for (size_t i = 0; i + 1 < N; ++i) {
    if (s[i] != prefix[i]) return false;
  }
  return true;
}

bool IsSeparator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '-' ||
         c == '.' || c == '(' || c == ')' || c == '/';
}

// Decodes the full-width form U+FF01..U+FF5E at `text[i]` to its ASCII twin, or U+3000 to ' ',
// exactly as FoldFullWidth does; 0 when there is none. `*width` gets the bytes consumed.
char FoldedAt(std::string_view text, size_t i, size_t* width) {
  if (i + 2 >= text.size()) return 0;
  auto b0 = static_cast<unsigned char>(text[i]);
  auto b1 = static_cast<unsigned char>(text[i + 1]);
  auto b2 = static_cast<unsigned char>(text[i + 2]);
  *width = 3;
  if (b0 == 0xE3 && b1 == 0x80 && b2 == 0x80) return ' ';
  if (b0 != 0xEF || (b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) return 0;
  unsigned code = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
  if (code < 0xFF01 || code > 0xFF5E) return 0;
  return static_cast<char>(code - 0xFF01 + 0x21);
}

// Adds one ASCII character to `out`; false when it is not part of a number.
bool Accept(char c, DigitBuffer* out) {
  if (IsDigit(c)) return out->Push(c);
  if (IsSeparator(c)) return true;
  if (c == '+' && out->size() == 0 && !out->plus()) {
    out->set_plus(true);
    return true;
  }
  return false;
}

// Prefixes that route a call through a carrier's IP network. Handsets and PBXs dial them in
// front of the real number, and some CDRs keep them.
constexpr std::array<std::string_view, 7> kIpDialPrefixes = {"17951", "17911", "17909", "17908",
                                                             "17969", "12593", "10193"};

// True when `rest` is what follows an IP-dialing prefix: a mobile, or "0" + area code + number.
bool IsDialableAfterIpPrefix(std::string_view rest) {
  if (IsMobileShape(rest)) return true;
  return rest.size() >= 10 && rest.size() <= 12 && rest[0] == '0' && rest[1] != '0';
}

std::string_view StripHiddenPrefix(std::string_view digits, bool* stripped) {
  // A prefix (5) and at least "0" + a 9-digit national number.
  if (digits.size() < 15 || digits[0] != '1') return digits;
  for (std::string_view prefix : kIpDialPrefixes) {
    if (digits.starts_with(prefix) && IsDialableAfterIpPrefix(digits.substr(prefix.size()))) {
      *stripped = true;
      return digits.substr(prefix.size());
    }
  }
  return digits;
}

bool AllSame(std::string_view d) {
  for (char c : d) {
    if (c != d[0]) return false;
  }
  return true;
}

bool Sequential(std::string_view d, int step) {
  for (size_t i = 1; i < d.size(); ++i) {
    if ((d[i - 1] - '0' + step + 10) % 10 != d[i] - '0') return false;
  }
  return true;
}

void AddPatternFlags(std::string_view national, PhoneFlagSet* flags) {
  if (national.size() < 7) return;
  // Repeated and sequential digits (either way, wrapping 9 -> 0) need the first two digits
  // to differ by 0, 1 or 9 (mod 10): most real numbers stop at this test.
  auto d0 = static_cast<unsigned>(national[0] - '0');
  auto d1 = static_cast<unsigned>(national[1] - '0');
  if (d0 <= 9 && d1 <= 9) {
    unsigned step = (d1 + 10 - d0) % 10;
    if (step != 0 && step != 1 && step != 9) return;
  }
  if (AllSame(national)) {
    flags->Add(PhoneFlag::kRepeatedDigits);
    flags->Add(PhoneFlag::kSuspectedSpoof);
  } else if (Sequential(national, 1) || Sequential(national, -1)) {
    flags->Add(PhoneFlag::kSequentialDigits);
    flags->Add(PhoneFlag::kSuspectedSpoof);
  }
}

bool IsHex(std::string_view text) {
  for (char c : text) {
    if (!IsDigit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F')) return false;
  }
  return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (c != b[i]) return false;
  }
  return true;
}

// Digest length in hex digits for a label; 0 for "h" (any valid length); -1 if unknown.
int LabelLength(std::string_view label) {
  struct Label {
    std::string_view name;
    int length;
  };
  static constexpr Label kLabels[] = {{"h", 0},        {"md5", 32},    {"sha1", 40},
                                      {"sha224", 56},  {"sha256", 64}, {"sha384", 96},
                                      {"sha512", 128}, {"sm3", 64}};
  for (const Label& l : kLabels) {
    if (EqualsIgnoreCase(label, l.name)) return l.length;
  }
  return -1;
}

bool IsDigestLength(size_t n) { return n >= 32 && n <= 128 && n % 2 == 0; }

}  // namespace

bool ScanDigits(std::string_view raw, DigitBuffer* out) {
  if (raw.size() > kMaxRawBytes) return false;
  *out = DigitBuffer();
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      size_t width = 1;
      c = FoldedAt(raw, i, &width);
      if (c == 0) return false;
      i += width - 1;
    }
    if (!Accept(c, out)) return false;
  }
  return true;
}

SplitError SplitNumber(std::string_view digits, bool plus, NumberParts* parts) {
  *parts = NumberParts();
  std::string_view national = digits;
  if (plus || HasPrefix(digits, "00")) {
    std::string_view rest = plus ? digits : digits.substr(2);
    if (rest.empty()) return SplitError::kNoDigitsAfterPrefix;
    if (rest[0] == '0') return SplitError::kCountryCodeZero;
    if (!HasPrefix(rest, "86")) {
      parts->china = false;
      parts->digits = rest;
      return SplitError::kNone;
    }
    national = rest.substr(2);
    parts->with_country_code = true;
  } else if (HasPrefix(digits, "86") && (digits.size() == 12 || digits.size() == 13) &&
             digits[2] != '0') {
    // Some carrier exports put a bare "86" in front of every number. No domestic number is
    // 12-13 digits long and starts with 86, so this cannot swallow a real number.
    national = digits.substr(2);
    parts->with_country_code = true;
  }
  national = StripHiddenPrefix(national, &parts->hidden_prefix);
  if (!national.empty() && national[0] == '0') national.remove_prefix(1);  // trunk prefix
  if (national.empty()) return SplitError::kNoDigitsAfterPrefix;
  if (national[0] == '0') return SplitError::kLeadingZeros;
  parts->digits = national;
  return SplitError::kNone;
}

bool IsServiceShape(std::string_view n) {
  if (n.size() == 3) return n[0] == '1' && (n[1] == '1' || n[1] == '2');
  if (n.size() == 5 && n[0] == '1' && n[1] >= '0' && n[1] <= '2') return true;
  if (n.size() >= 5 && n.size() <= 8 && n[0] == '9' && (n[1] == '5' || n[1] == '6')) return true;
  // SMS ports of 9-10 digits would read as Beijing landlines written without the trunk "0"
  // (10 + 7-8 digits), so those lengths are left to the landline rules.
  return HasPrefix(n, "106") && (n.size() == 8 || (n.size() >= 11 && n.size() <= 18));
}

bool IsMobileShape(std::string_view n) {
  return n.size() == 11 && n[0] == '1' && n[1] >= '3' && n[1] <= '9';
}

bool IsLandlineShape(std::string_view n) {
  if (n.size() < 9 || n.size() > 11) return false;
  bool two_digit_area = HasPrefix(n, "10") || n[0] == '2';
  if (two_digit_area) return n.size() <= 10;
  return n[0] >= '3' && n[0] <= '9' && n.size() >= 10;
}

PhoneKind ShapeKind(std::string_view national) {
  if (IsMobileShape(national)) return PhoneKind::kMobile;
  if (IsLandlineShape(national)) return PhoneKind::kFixedLine;
  return PhoneKind::kUnknown;
}

PhoneFlagSet ChineseFlags(const NumberParts& parts, bool service, bool valid) {
  PhoneFlagSet flags;
  std::string_view n = parts.digits;
  if (parts.hidden_prefix) flags.Add(PhoneFlag::kHiddenPrefix);
  if (service) {
    if (parts.with_country_code) {
      flags.Add(PhoneFlag::kServiceWithCountryCode);
      flags.Add(PhoneFlag::kSuspectedSpoof);
    }
  } else if (!valid) {
    if (IsMobileShape(n)) {
      flags.Add(PhoneFlag::kUnallocatedMobilePrefix);
      flags.Add(PhoneFlag::kSuspectedSpoof);
    } else if (IsLandlineShape(n)) {
      flags.Add(PhoneFlag::kUnallocatedRange);
      flags.Add(PhoneFlag::kSuspectedSpoof);
    } else if ((n.size() == 7 || n.size() == 8) && n[0] >= '2') {
      flags.Add(PhoneFlag::kMissingAreaCode);
    }
  }
  AddPatternFlags(n, &flags);
  return flags;
}

PhoneFlagSet InternationalFlags(std::string_view national) {
  PhoneFlagSet flags;
  flags.Add(PhoneFlag::kInternational);
  AddPatternFlags(national, &flags);
  return flags;
}

OpaqueMatch MatchOpaque(std::string_view text, std::string_view* hex) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    if (!IsDigestLength(text.size()) || !IsHex(text)) return OpaqueMatch::kNo;
    *hex = text;
    return OpaqueMatch::kYes;
  }
  int expected = LabelLength(text.substr(0, colon));
  if (expected < 0) return OpaqueMatch::kNo;
  *hex = text.substr(colon + 1);
  bool length_ok =
      expected == 0 ? IsDigestLength(hex->size()) : hex->size() == static_cast<size_t>(expected);
  return length_ok && IsHex(*hex) ? OpaqueMatch::kYes : OpaqueMatch::kMalformed;
}

void WriteChineseCanonical(std::string_view national, std::string* out) {
  // One resize and plain stores instead of assign + append (two library calls, each with its
  // own capacity check): this runs for nearly every phone field of every event.
  out->resize(3 + national.size());
  char* p = out->data();
  p[0] = '+';
  p[1] = '8';
  p[2] = '6';
  national.copy(p + 3, national.size());
}

void WriteOpaqueCanonical(std::string_view hex, std::string* out) {
  out->assign("h:");
  for (char c : hex) out->push_back(c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c);
}

}  // namespace fz::normalize::phone_internal
