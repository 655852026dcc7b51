#include "fz/normalize/phone.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::normalize {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

PhoneInfo MustNormalize(std::string_view raw) {
  StatusOr<PhoneInfo> info = NormalizePhone(raw);
  EXPECT_TRUE(info.ok()) << "input " << testing::PrintToString(std::string(raw)) << ": "
                         << info.status();
  return info.ok() ? *std::move(info) : PhoneInfo();
}

TEST(NormalizePhoneTest, MobileInEveryCommonForm) {
  for (const char* raw :
       {"13895101234", "+86 138 9510 1234", "+86-138-9510-1234", "008613895101234", "8613895101234",
        "(+86)13895101234", "+86 (0)138 9510 1234", "013895101234", "138.9510.1234",
        "  13895101234\t\n", "　138 9510 1234　", "＋８６ １３８９５１０１２３４"}) {
    PhoneInfo p = MustNormalize(raw);
    EXPECT_EQ(p.canonical, "+8613895101234") << raw;
    EXPECT_EQ(p.kind, PhoneKind::kMobile) << raw;
    EXPECT_EQ(p.country_code, 86) << raw;
    EXPECT_FALSE(p.international) << raw;
    EXPECT_TRUE(p.valid) << raw;
    EXPECT_EQ(p.area_name, "宁夏银川市") << raw;
    EXPECT_EQ(p.city_code, "640100") << raw;
    EXPECT_THAT(p.flags, IsEmpty()) << raw;
  }
}

TEST(NormalizePhoneTest, YinchuanLandlineInEveryCommonForm) {
  for (const char* raw :
       {"0951-5012345", "(0951)5012345", "09515012345", "+86 951 5012345", "+86 (0)951 5012345",
        "0086 951 5012345", "869515012345", "0951 501 2345", "０９５１－5012345"}) {
    PhoneInfo p = MustNormalize(raw);
    EXPECT_EQ(p.canonical, "+869515012345") << raw;
    EXPECT_EQ(p.kind, PhoneKind::kFixedLine) << raw;
    EXPECT_TRUE(p.valid) << raw;
    EXPECT_EQ(p.area_name, "宁夏银川市") << raw;
    EXPECT_EQ(p.city_code, "640100") << raw;
    EXPECT_THAT(p.flags, IsEmpty()) << raw;
  }
}

TEST(NormalizePhoneTest, LandlinesOfOtherCities) {
  struct Case {
    const char* raw;
    const char* canonical;
    const char* city;
  };
  for (const Case& c : {Case{"010-6552 9988", "+861065529988", "110100"},
                        Case{"021-6321 5566", "+862163215566", "310100"},
                        Case{"0755-8376 5432", "+8675583765432", "440300"},
                        Case{"0952-2012345", "+869522012345", "640200"},
                        // The geocoder's pre-reform names: 毕节地区, 襄樊市, 日喀则地区.
                        Case{"0857-8221234", "+868578221234", "520500"},
                        Case{"0710-3212345", "+867103212345", "420600"},
                        Case{"0892-8821234", "+868928821234", "540200"}}) {
    PhoneInfo p = MustNormalize(c.raw);
    EXPECT_EQ(p.canonical, c.canonical);
    EXPECT_EQ(p.kind, PhoneKind::kFixedLine) << c.raw;
    EXPECT_EQ(p.city_code, c.city) << c.raw << " " << p.area_name;
  }
}

TEST(NormalizePhoneTest, EveryGeocodedAreaCodeMapsToACity) {
  int geocoded = 0;
  for (int area = 10; area <= 999; ++area) {
    if (area > 29 && area < 300) continue;
    std::string raw = "0" + std::to_string(area) + (area < 300 ? "23456789" : "2345678");
    StatusOr<PhoneInfo> p = NormalizePhone(raw);
    if (!p.ok() || p->area_name.empty()) continue;
    ++geocoded;
    EXPECT_NE(p->city_code, "") << raw << " " << p->area_name;
  }
  EXPECT_GT(geocoded, 280);  // 287 with libphonenumber 8.12.57
}

TEST(NormalizePhoneTest, VirtualOperatorMobileHasNoHomeCity) {
  PhoneInfo p = MustNormalize("170 1234 5678");
  EXPECT_EQ(p.kind, PhoneKind::kMobile);
  EXPECT_TRUE(p.valid);
  EXPECT_EQ(p.area_name, "");  // the geocoder only says "中国"
  EXPECT_EQ(p.city_code, "");
}

TEST(NormalizePhoneTest, ServiceNumbers) {
  for (const char* raw : {"95588", "96110", "10086", "12381", "110", "120", "12345", "955555",
                          "1069012345678", "10658139"}) {
    PhoneInfo p = MustNormalize(raw);
    EXPECT_EQ(p.canonical, std::string("+86") + raw);
    EXPECT_EQ(p.kind, PhoneKind::kServiceShort) << raw;
    EXPECT_TRUE(p.valid) << raw;
    EXPECT_EQ(p.city_code, "") << raw;
    EXPECT_THAT(p.flags, IsEmpty()) << raw;
  }
}

TEST(NormalizePhoneTest, SharedCostAndTollFree) {
  PhoneInfo shared = MustNormalize("400-810-8888");
  EXPECT_EQ(shared.canonical, "+864008108888");
  EXPECT_EQ(shared.kind, PhoneKind::kSharedCost);
  EXPECT_TRUE(shared.valid);
  EXPECT_EQ(shared.city_code, "");
  PhoneInfo free = MustNormalize("800 810 8888");
  EXPECT_EQ(free.canonical, "+868008108888");
  EXPECT_EQ(free.kind, PhoneKind::kTollFree);
  EXPECT_TRUE(free.valid);
}

TEST(NormalizePhoneTest, AreaCodePlusLocalServiceLine) {
  PhoneInfo p = MustNormalize("010-96110");  // Beijing's 96110, dialed from another city
  EXPECT_EQ(p.canonical, "+861096110");
  EXPECT_EQ(p.kind, PhoneKind::kServiceShort);
  EXPECT_TRUE(p.valid);
}

TEST(NormalizePhoneTest, InternationalNumbersAreFlagged) {
  PhoneInfo us = MustNormalize("+1 415 555 2671");
  EXPECT_EQ(us.canonical, "+14155552671");
  EXPECT_EQ(us.country_code, 1);
  EXPECT_TRUE(us.international);
  EXPECT_TRUE(us.valid);
  EXPECT_EQ(us.area_name, "美国");
  EXPECT_EQ(us.city_code, "");
  EXPECT_THAT(us.flags, ElementsAre("international"));

  PhoneInfo kh = MustNormalize("00855 12 345 678");
  EXPECT_EQ(kh.canonical, "+85512345678");
  EXPECT_EQ(kh.country_code, 855);
  EXPECT_TRUE(kh.international);
  EXPECT_EQ(kh.kind, PhoneKind::kMobile);
  EXPECT_EQ(kh.area_name, "柬埔寨");
  EXPECT_TRUE(kh.flag_set.Has(PhoneFlag::kInternational));

  PhoneInfo hk = MustNormalize("+852 5123 4567");
  EXPECT_EQ(hk.country_code, 852);
  EXPECT_TRUE(hk.international);  // outside the mainland numbering plan
  EXPECT_THAT(hk.area_name, HasSubstr("香港"));
}

TEST(NormalizePhoneTest, InvalidInternationalNumberKeepsItsCountry) {
  PhoneInfo p = MustNormalize("+1 000 000 0001");
  EXPECT_FALSE(p.valid);
  EXPECT_EQ(p.kind, PhoneKind::kUnknown);
  EXPECT_EQ(p.country_code, 1);
  EXPECT_TRUE(p.international);
  EXPECT_EQ(p.area_name, "美国");
}

TEST(NormalizePhoneTest, RejectsGarbageWithClearMessages) {
  struct Case {
    std::string raw;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"", "empty"},
      {" \t\xE3\x80\x80 ", "empty"},
      {"abc", "letters"},
      {"138abcd1234", "letters"},
      {"张三", "non-ASCII"},
      {"13895101234 张三", "non-ASCII"},
      {"\xFF\xFE"
       "13895101234",
       "non-ASCII"},
      {"138\xE3\x80", "non-ASCII"},  // truncated UTF-8
      {std::string("138\0"
                   "95101234",
                   12),
       "NUL"},
      {"12", "too short"},
      {"+", "too short"},
      {"+86", "too short"},
      {"+86 1389", "too short"},
      {"138+95101234", "'+'"},
      {"++8613895101234", "'+'"},
      {"138#9510", "'#'"},
      {"+0 123 4567", "country code"},
      {"000 123 4567", "country code"},
      {"+86 00 951 5012345", "leading zeros"},
      {"+999 1234 5678", "unknown country code"},
      {"1389510123456789012345", "too long"},
      {"13895101234567890123456", "too long"},
      {"+86 1389510123456", "too long"},
      {std::string(10000, '1'), "too long"},
      {std::string(10000, 'a'), "too long"},
      {"sha256:abcd", "malformed digest"},
      {"md5:" + std::string(64, 'a'), "malformed digest"},
      {std::string(33, 'a'), "letters"},  // odd length: not a digest
  };
  for (const Case& c : cases) {
    StatusOr<PhoneInfo> p = NormalizePhone(c.raw);
    ASSERT_FALSE(p.ok()) << testing::PrintToString(c.raw) << " gave " << p->canonical;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(p.status().message()), HasSubstr(c.message))
        << testing::PrintToString(c.raw);
  }
}

TEST(NormalizePhoneTest, ErrorsDoNotRepeatTheNumber) {
  for (const char* raw : {"13895101234x", "138 9510 1234 张三", "+999 13895101234"}) {
    StatusOr<PhoneInfo> p = NormalizePhone(raw);
    ASSERT_FALSE(p.ok()) << raw;
    EXPECT_THAT(std::string(p.status().message()), Not(HasSubstr("9510"))) << raw;
  }
}

TEST(NormalizePhoneTest, HashedSubjectsAreOpaque) {
  const std::string hex(64, 'a');
  const std::string upper = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
  const std::string lower = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  for (const std::string& raw : {upper, lower, "sha256:" + upper, "SHA256:" + lower, "sm3:" + lower,
                                 "h:" + lower, "  " + lower + "\n"}) {
    PhoneInfo p = MustNormalize(raw);
    EXPECT_EQ(p.canonical, "h:" + lower) << raw;
    EXPECT_EQ(p.kind, PhoneKind::kOpaque);
    EXPECT_EQ(p.country_code, 0);
    EXPECT_FALSE(p.international);
    EXPECT_FALSE(p.valid);
    EXPECT_EQ(p.area_name, "");
    EXPECT_THAT(p.flags, IsEmpty());
  }
  EXPECT_EQ(MustNormalize("md5:" + std::string(32, 'B')).canonical, "h:" + std::string(32, 'b'));
  // No phone number has 32 digits, so a digest that happens to be all decimal is still one.
  EXPECT_EQ(MustNormalize(std::string(32, '7')).kind, PhoneKind::kOpaque);
}

std::vector<std::string> FlagsOf(std::string_view raw) { return MustNormalize(raw).flags; }

TEST(NormalizePhoneTest, ServiceNumberWithCountryCodeIsSuspectedSpoof) {
  for (const char* raw : {"+86 95588", "0086 110", "+8696110", "+86 10086", "+86-12381"}) {
    PhoneInfo p = MustNormalize(raw);
    EXPECT_EQ(p.kind, PhoneKind::kServiceShort) << raw;
    EXPECT_THAT(p.flags, ElementsAre("suspected_spoof", "service_number_with_country_code")) << raw;
  }
  EXPECT_EQ(MustNormalize("+86 95588").canonical, MustNormalize("95588").canonical);
}

TEST(NormalizePhoneTest, UnallocatedMobilePrefixIsSuspectedSpoof) {
  PhoneInfo p = MustNormalize("+86 140 1234 5678");
  EXPECT_EQ(p.canonical, "+8614012345678");
  EXPECT_EQ(p.kind, PhoneKind::kMobile);  // by shape
  EXPECT_FALSE(p.valid);
  EXPECT_EQ(p.city_code, "");
  EXPECT_THAT(p.flags, ElementsAre("suspected_spoof", "unallocated_mobile_prefix"));
}

TEST(NormalizePhoneTest, UnallocatedLandlineRangeIsSuspectedSpoof) {
  PhoneInfo p = MustNormalize("026-1234 5678");  // 026 is not an area code
  EXPECT_EQ(p.canonical, "+862612345678");
  EXPECT_EQ(p.kind, PhoneKind::kFixedLine);
  EXPECT_FALSE(p.valid);
  EXPECT_THAT(p.flags, ElementsAre("suspected_spoof", "unallocated_range"));
}

TEST(NormalizePhoneTest, RepeatedAndSequentialDigitsAreSuspectedSpoof) {
  EXPECT_THAT(FlagsOf("11111111111"), ElementsAre("suspected_spoof", "repeated_digits"));
  EXPECT_THAT(FlagsOf("+86 12345678901"), ElementsAre("suspected_spoof", "sequential_digits"));
  EXPECT_THAT(FlagsOf("0987654321"), ElementsAre("suspected_spoof", "sequential_digits"));
  EXPECT_THAT(FlagsOf("+1 222 222 2222"),
              ElementsAre("international", "suspected_spoof", "repeated_digits"));
  // Vanity numbers and service lines are real: no flag.
  EXPECT_THAT(FlagsOf("13333333333"), IsEmpty());
  EXPECT_THAT(FlagsOf("13812345678"), IsEmpty());
  EXPECT_THAT(FlagsOf("12345"), IsEmpty());
  EXPECT_THAT(FlagsOf("95555"), IsEmpty());
}

TEST(NormalizePhoneTest, IpDialingPrefixIsRemoved) {
  PhoneInfo mobile = MustNormalize("17951 138 9510 1234");
  EXPECT_EQ(mobile.canonical, "+8613895101234");
  EXPECT_EQ(mobile.city_code, "640100");
  EXPECT_THAT(mobile.flags, ElementsAre("hidden_prefix"));
  PhoneInfo landline = MustNormalize("12593 0951 5012345");
  EXPECT_EQ(landline.canonical, "+869515012345");
  EXPECT_THAT(landline.flags, ElementsAre("hidden_prefix"));
  // Not followed by a dialable number: left alone (12593 is then a service line).
  EXPECT_EQ(MustNormalize("12593").kind, PhoneKind::kServiceShort);
}

TEST(NormalizePhoneTest, LocalNumberWithoutAreaCode) {
  PhoneInfo p = MustNormalize("501 2345");
  EXPECT_EQ(p.canonical, "+865012345");
  EXPECT_FALSE(p.valid);
  EXPECT_EQ(p.city_code, "");
  EXPECT_THAT(p.flags, ElementsAre("missing_area_code"));
}

TEST(NormalizePhoneTest, CanonicalFormsRenormalizeToThemselves) {
  for (const char* raw :
       {"13895101234", "0951-5012345", "400-810-8888", "+1 415 555 2671", "00855 12 345 678",
        "+86 140 1234 5678", "95588", "501 2345", "17951 138 9510 1234", "+44 20 7946 0958",
        "+39 06 6982 1234", "106901234567890123", "+43 0043004"}) {
    PhoneInfo first = MustNormalize(raw);
    PhoneInfo again = MustNormalize(first.canonical);
    EXPECT_EQ(again.canonical, first.canonical) << raw;
    EXPECT_EQ(again.kind, first.kind) << raw;
    EXPECT_EQ(again.city_code, first.city_code) << raw;
  }
}

TEST(PhoneNamesTest, KindAndFlagNames) {
  EXPECT_EQ(PhoneKindName(PhoneKind::kMobile), "mobile");
  EXPECT_EQ(PhoneKindName(PhoneKind::kFixedLine), "fixed_line");
  EXPECT_EQ(PhoneKindName(PhoneKind::kTollFree), "toll_free");
  EXPECT_EQ(PhoneKindName(PhoneKind::kSharedCost), "shared_cost");
  EXPECT_EQ(PhoneKindName(PhoneKind::kServiceShort), "service");
  EXPECT_EQ(PhoneKindName(PhoneKind::kVoip), "voip");
  EXPECT_EQ(PhoneKindName(PhoneKind::kUnknown), "unknown");
  EXPECT_EQ(PhoneKindName(PhoneKind::kOpaque), "opaque");
  EXPECT_EQ(PhoneFlagName(PhoneFlag::kInternational), "international");
  EXPECT_EQ(PhoneFlagName(PhoneFlag::kMissingAreaCode), "missing_area_code");
  PhoneFlagSet set;
  EXPECT_TRUE(set.empty());
  set.Add(PhoneFlag::kHiddenPrefix);
  set.Add(PhoneFlag::kInternational);
  EXPECT_TRUE(set.Has(PhoneFlag::kHiddenPrefix));
  EXPECT_FALSE(set.Has(PhoneFlag::kSuspectedSpoof));
  EXPECT_THAT(set.Names(), ElementsAre("international", "hidden_prefix"));
}

}  // namespace
}  // namespace fz::normalize
