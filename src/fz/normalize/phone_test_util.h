// Test-only: the field-by-field comparison of a cached phone answer with the reference path
// (NormalizePhone), shared by the differential tests of PhoneNormalizer and the country cache.
#pragma once

#include <string>

#include "fz/normalize/phone.h"
#include "gtest/gtest.h"

namespace fz::normalize::testing {

inline void ExpectSameInfo(const PhoneInfo& fast, const PhoneInfo& slow, const std::string& raw) {
  EXPECT_EQ(fast.canonical, slow.canonical) << raw;
  EXPECT_EQ(fast.kind, slow.kind) << raw;
  EXPECT_EQ(fast.country_code, slow.country_code) << raw;
  EXPECT_EQ(fast.international, slow.international) << raw;
  EXPECT_EQ(fast.valid, slow.valid) << raw;
  EXPECT_EQ(fast.area_name, slow.area_name) << raw;
  EXPECT_EQ(fast.city_code, slow.city_code) << raw;
  EXPECT_EQ(fast.flags, slow.flags) << raw;
  EXPECT_TRUE(fast.flag_set == slow.flag_set) << raw;
}

}  // namespace fz::normalize::testing
