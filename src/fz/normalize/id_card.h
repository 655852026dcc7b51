// Resident identity card numbers (居民身份证号码, GB 11643-1999): validation and the facts the
// number itself encodes (birth date, sex, the division where it was first issued).
//
//   StatusOr<IdCardInfo> id = NormalizeIdCard("640104 19900307 1236", absl::CivilDay(2024, 6, 1));
//   // id->number == "640104199003071236", id->age == 34, id->sex == 'M',
//   // id->division_name == "宁夏回族自治区银川市兴庆区", id->division_match == kCounty
//
// Error messages never repeat the whole number: they end up in logs, and an ID number is
// personal data. Pure and thread-safe (the division table is immutable).
#pragma once

#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "fz/common/status.h"

namespace fz::normalize {

// How much of the six-digit division code the division table knows. The table holds the 2023
// codes; counties abolished or renumbered since a number was issued (e.g. Yinchuan's old 城区,
// 640102) fall back to their city, then province.
enum class DivisionMatch { kNone, kProvince, kCity, kCounty };

// "none", "province", "city", "county".
std::string_view DivisionMatchName(DivisionMatch match);

struct IdCardInfo {
  std::string number;  // 18 characters, digits and possibly a final upper-case 'X'
  absl::CivilDay birth_date;
  int age = 0;                // whole years at `today`; a 29 February birthday counts from 1 March
  char sex = 0;               // 'M' (odd 17th digit) or 'F' (even)
  std::string division_code;  // first six digits, as written
  std::string division_name;  // full name at the matched level, "" when none matched
  DivisionMatch division_match = DivisionMatch::kNone;
  bool converted_from_15 = false;  // a first-generation 15-digit number was upgraded
};

// Accepts 18-character numbers, and 15-digit first-generation numbers (born 19YY, no check
// digit), which are converted to 18 characters. Full-width digits and 'ｘ', lower-case 'x',
// spaces and the separators of StripNumberSeparators are accepted. Rejects: other characters,
// other lengths, a wrong check digit (the message gives the expected one), an impossible birth
// date, a birth date before 1900 or after `today`, and an unknown province code.
// Province codes 71 (Taiwan), 81 and 82 (Hong Kong, Macao) and 83 (Taiwan residents' residence
// permits) are accepted although the NBS table does not list them: residence permits for
// Hong Kong, Macao and Taiwan residents use this numbering with 810000, 820000 and 830000.
StatusOr<IdCardInfo> NormalizeIdCard(std::string_view raw, absl::CivilDay today);

// The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') for the first 17 digits of an ID
// number; '\0' unless `first17` is exactly 17 ASCII digits.
char IdCardCheckDigit(std::string_view first17);

}  // namespace fz::normalize
