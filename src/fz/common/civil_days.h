// Calendar arithmetic for the hot paths (timestamp parsing, the generator) that cannot afford
// a time-zone library call per event.
//
//   int64_t days = fz::DaysFromCivil(2026, 11, 26);   // days since 1970-01-01
#pragma once

#include <cstdint>

namespace fz {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
// `m` is 1..12 and `d` 1..31; no validation (callers check the date first).
constexpr int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

static_assert(DaysFromCivil(1970, 1, 1) == 0);
static_assert(DaysFromCivil(2000, 3, 1) == 11017);

}  // namespace fz
