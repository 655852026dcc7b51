#include "fz/normalize/id_card.h"

#include <algorithm>
#include <array>

#include "absl/strings/ascii.h"
#include "fz/common/str_cat.h"
#include "fz/normalize/divisions.h"
#include "fz/normalize/text.h"

namespace fz::normalize {
namespace {

// Far longer than any formatted number; stops a 10 KB paste before any work is done.
constexpr size_t kMaxRawBytes = 128;
constexpr int kEarliestBirthYear = 1900;

Status IdError(std::string_view why) {
  return absl::InvalidArgumentError(StrCat("ID number: ", why));
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return absl::ascii_isdigit(c); });
}

// Describes the first character that is not allowed, without echoing the number.
Status BadCharacterError(std::string_view cleaned) {
  for (size_t i = 0; i < cleaned.size(); ++i) {
    char c = cleaned[i];
    if (absl::ascii_isdigit(c) || (c == 'X' && i + 1 == cleaned.size())) continue;
    std::string what = absl::ascii_isgraph(c) ? StrCat("'", std::string(1, c), "'")
                                              : std::string("a non-ASCII or control character");
    if (c == 'X') what = "'X' before the last position";
    return IdError(
        StrCat("contains ", what, "; only digits and a final check character X are allowed"));
  }
  return absl::OkStatus();
}

// Provinces that issue numbers in this format but are not in the NBS division table.
std::string_view SpecialProvinceName(std::string_view code2) {
  if (code2 == "71" || code2 == "83") return "台湾省";
  if (code2 == "81") return "香港特别行政区";
  if (code2 == "82") return "澳门特别行政区";
  return "";
}

DivisionMatch MatchOf(DivisionLevel level) {
  switch (level) {
    case DivisionLevel::kProvince:
      return DivisionMatch::kProvince;
    case DivisionLevel::kCity:
      return DivisionMatch::kCity;
    case DivisionLevel::kCounty:
    case DivisionLevel::kTownship:
      return DivisionMatch::kCounty;
  }
  return DivisionMatch::kNone;
}

// Most specific known division for the six-digit code: county, else city, else province.
Status ResolveDivision(IdCardInfo& info) {
  const DivisionTable& table = DivisionTable::Builtin();
  std::string_view code = info.division_code;
  for (size_t digits : {6, 4, 2}) {
    const Division* division = table.Find(code.substr(0, digits));
    if (division == nullptr) continue;
    info.division_name = table.FullName(division->code);
    info.division_match = MatchOf(division->level);
    return absl::OkStatus();
  }
  std::string_view special = SpecialProvinceName(code.substr(0, 2));
  if (special.empty()) {
    return IdError(StrCat("province code ", code.substr(0, 2), " does not exist"));
  }
  info.division_name = std::string(special);
  info.division_match = DivisionMatch::kProvince;
  return absl::OkStatus();
}

Status ResolveBirth(std::string_view yyyymmdd, absl::CivilDay today, IdCardInfo& info) {
  // The caller has checked that these are digits.
  auto number = [&](size_t pos, size_t len) {
    int value = 0;
    for (char c : yyyymmdd.substr(pos, len)) value = value * 10 + (c - '0');
    return value;
  };
  const int year = number(0, 4), month = number(4, 2), day = number(6, 2);
  absl::CivilDay birth(year, month, day);  // normalizes: 1990-02-30 becomes 1990-03-02
  if (birth.year() != year || birth.month() != month || birth.day() != day) {
    return IdError(StrCat("birth date ", yyyymmdd, " (digits 7-14) is not a real date"));
  }
  if (year < kEarliestBirthYear) {
    return IdError(StrCat("birth date ", yyyymmdd, " is before ", kEarliestBirthYear));
  }
  if (birth > today) {
    return IdError(
        StrCat("birth date ", yyyymmdd, " is after today (", absl::FormatCivilTime(today), ")"));
  }
  info.birth_date = birth;
  bool before_birthday = std::make_pair(today.month(), today.day()) < std::make_pair(month, day);
  info.age = static_cast<int>(today.year() - year) - (before_birthday ? 1 : 0);
  return absl::OkStatus();
}

}  // namespace

std::string_view DivisionMatchName(DivisionMatch match) {
  switch (match) {
    case DivisionMatch::kNone:
      return "none";
    case DivisionMatch::kProvince:
      return "province";
    case DivisionMatch::kCity:
      return "city";
    case DivisionMatch::kCounty:
      return "county";
  }
  return "none";
}

char IdCardCheckDigit(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr std::string_view kCheckChars = "10X98765432";
  if (first17.size() != kWeights.size() || !AllDigits(first17)) return '\0';
  int sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckChars[sum % 11];
}

StatusOr<IdCardInfo> NormalizeIdCard(std::string_view raw, absl::CivilDay today) {
  if (raw.size() > kMaxRawBytes) {
    return IdError(StrCat("input is ", raw.size(), " bytes; an ID number has 18 characters"));
  }
  std::string number = StripNumberSeparators(raw);
  std::replace(number.begin(), number.end(), 'x', 'X');
  if (number.empty()) return IdError("is empty");
  FZ_RETURN_IF_ERROR(BadCharacterError(number));
  IdCardInfo info;
  if (number.size() == 15) {
    if (!AllDigits(number)) return IdError("a 15-digit number has no check character X");
    number = StrCat(number.substr(0, 6), "19", number.substr(6));
    number += IdCardCheckDigit(number);
    info.converted_from_15 = true;
  }
  if (number.size() != 18) {
    return IdError(StrCat("has ", number.size(), " characters; expected 18 (or 15)"));
  }
  char expected = IdCardCheckDigit(number.substr(0, 17));
  if (number[17] != expected) {
    return IdError(StrCat("check digit is wrong: it is ", std::string(1, number[17]),
                          " but the first 17 digits give ", std::string(1, expected),
                          " (ISO 7064 MOD 11-2); a digit is probably mistyped"));
  }
  info.division_code = number.substr(0, 6);
  FZ_RETURN_IF_ERROR(ResolveDivision(info));
  FZ_RETURN_IF_ERROR(ResolveBirth(std::string_view(number).substr(6, 8), today, info));
  info.sex = (number[16] - '0') % 2 == 1 ? 'M' : 'F';
  info.number = std::move(number);
  return info;
}

}  // namespace fz::normalize
