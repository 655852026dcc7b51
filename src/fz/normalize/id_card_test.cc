#include "fz/normalize/id_card.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::normalize {
namespace {

using ::testing::HasSubstr;

constexpr absl::CivilDay kToday(2024, 6, 1);

// Check digits below were computed independently (Python, the GB 11643 weights) so that the
// tests do not trust IdCardCheckDigit to check itself.
constexpr char kYinchuanMale[] = "640104199003071236";    // 兴庆区, 1990-03-07, seq 123
constexpr char kYinchuanFemale[] = "64010419850615002X";  // 兴庆区, 1985-06-15, seq 002

TEST(IdCardCheckDigit, MatchesTheStandardsOwnExample) {
  // GB 11643-1999 appendix example: 11010519491231002X.
  EXPECT_EQ(IdCardCheckDigit("11010519491231002"), 'X');
  EXPECT_EQ(IdCardCheckDigit("64010419900307123"), '6');
  EXPECT_EQ(IdCardCheckDigit("6401041990030712"), '\0');   // 16 digits
  EXPECT_EQ(IdCardCheckDigit("6401041990030712a"), '\0');  // not a digit
}

TEST(NormalizeIdCard, YinchuanNumber) {
  StatusOr<IdCardInfo> id = NormalizeIdCard(kYinchuanMale, kToday);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->number, kYinchuanMale);
  EXPECT_EQ(id->birth_date, absl::CivilDay(1990, 3, 7));
  EXPECT_EQ(id->age, 34);
  EXPECT_EQ(id->sex, 'M');
  EXPECT_EQ(id->division_code, "640104");
  EXPECT_EQ(id->division_name, "宁夏回族自治区银川市兴庆区");
  EXPECT_EQ(id->division_match, DivisionMatch::kCounty);
  EXPECT_EQ(DivisionMatchName(id->division_match), "county");
  EXPECT_FALSE(id->converted_from_15);
}

TEST(NormalizeIdCard, FemaleWithCheckCharacterX) {
  StatusOr<IdCardInfo> id = NormalizeIdCard("64010419850615002x", kToday);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->number, kYinchuanFemale);  // lower-case x becomes X
  EXPECT_EQ(id->sex, 'F');
  EXPECT_EQ(id->age, 38);  // birthday 15 June not yet reached on 1 June
}

TEST(NormalizeIdCard, AgeTurnsOnTheBirthday) {
  EXPECT_EQ(NormalizeIdCard(kYinchuanMale, absl::CivilDay(2024, 3, 6))->age, 33);
  EXPECT_EQ(NormalizeIdCard(kYinchuanMale, absl::CivilDay(2024, 3, 7))->age, 34);
  // Born 2000-02-29: in a common year the birthday counts from 1 March.
  constexpr char kLeapling[] = "640104200002290029";
  EXPECT_EQ(NormalizeIdCard(kLeapling, absl::CivilDay(2023, 2, 28))->age, 22);
  EXPECT_EQ(NormalizeIdCard(kLeapling, absl::CivilDay(2023, 3, 1))->age, 23);
  // Born today is age 0, not an error.
  EXPECT_EQ(NormalizeIdCard("640104202406020016", absl::CivilDay(2024, 6, 2))->age, 0);
}

TEST(NormalizeIdCard, WrongCheckDigitSaysSoAndGivesTheRightOne) {
  StatusOr<IdCardInfo> id = NormalizeIdCard("640104199003071237", kToday);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(id.status().message(), HasSubstr("check digit"));
  EXPECT_THAT(id.status().message(), HasSubstr("give 6"));
  // Personal data stays out of logs.
  EXPECT_THAT(id.status().message(), ::testing::Not(HasSubstr("640104199003071237")));
}

TEST(NormalizeIdCard, TransposedDigitsFailTheCheck) {
  EXPECT_THAT(NormalizeIdCard("640104199030071236", kToday).status().message(),
              HasSubstr("check digit"));
}

TEST(NormalizeIdCard, FifteenDigitNumberIsConverted) {
  // 110105 491231 002: the standard's example in its first-generation form.
  StatusOr<IdCardInfo> id = NormalizeIdCard("110105491231002", kToday);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->number, "11010519491231002X");
  EXPECT_TRUE(id->converted_from_15);
  EXPECT_EQ(id->birth_date, absl::CivilDay(1949, 12, 31));
  EXPECT_EQ(id->sex, 'F');
  EXPECT_EQ(id->division_name, "北京市朝阳区");
}

TEST(NormalizeIdCard, AbolishedCountyFallsBackToCity) {
  // 640102 was Yinchuan's 城区, merged away in 2002; 15-digit numbers issued there survive.
  StatusOr<IdCardInfo> id = NormalizeIdCard("640102800101001", kToday);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->number, "640102198001010010");
  EXPECT_EQ(id->division_code, "640102");
  EXPECT_EQ(id->division_match, DivisionMatch::kCity);
  EXPECT_EQ(id->division_name, "宁夏回族自治区银川市");
}

TEST(NormalizeIdCard, UnknownCityFallsBackToProvince) {
  // 6499xx is no city; check digit computed for 64990019900101001.
  StatusOr<IdCardInfo> id = NormalizeIdCard("649900199001010014", kToday);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->division_match, DivisionMatch::kProvince);
  EXPECT_EQ(id->division_name, "宁夏回族自治区");
}

TEST(NormalizeIdCard, HongKongResidencePermitProvince) {
  StatusOr<IdCardInfo> id = NormalizeIdCard("810000199001010019", kToday);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->division_name, "香港特别行政区");
  EXPECT_EQ(id->division_match, DivisionMatch::kProvince);
}

TEST(NormalizeIdCard, UnknownProvinceIsRejected) {
  // A valid check digit, but there is no province 99.
  StatusOr<IdCardInfo> id = NormalizeIdCard("990104199003071236", kToday);
  ASSERT_FALSE(id.ok());
  EXPECT_THAT(id.status().message(), HasSubstr("province code 99"));
}

TEST(NormalizeIdCard, February30IsRejected) {
  // 64010419900230123 + its check digit 9.
  StatusOr<IdCardInfo> id = NormalizeIdCard("640104199002301239", kToday);
  ASSERT_FALSE(id.ok());
  EXPECT_THAT(id.status().message(), HasSubstr("not a real date"));
}

TEST(NormalizeIdCard, FutureBirthIsRejected) {
  StatusOr<IdCardInfo> id = NormalizeIdCard("640104202406020016", kToday);
  ASSERT_FALSE(id.ok());
  EXPECT_THAT(id.status().message(), HasSubstr("after today"));
}

TEST(NormalizeIdCard, BirthBefore1900IsRejected) {
  // The standard's other example, 440524188001010014, has a valid check digit but 1880.
  StatusOr<IdCardInfo> id = NormalizeIdCard("440524188001010014", kToday);
  ASSERT_FALSE(id.ok());
  EXPECT_THAT(id.status().message(), HasSubstr("before 1900"));
}

TEST(NormalizeIdCard, FullWidthSpacesAndDashesAreAccepted) {
  for (const char* raw :
       {"６４０１０４１９９００３０７１２３６", "640104 1990 0307 1236", "640104-19900307-1236",
        "\u3000640104199003071236 ",  // ideographic space
        "６４０１０４１９８５０６１５００２ｘ"}) {
    StatusOr<IdCardInfo> id = NormalizeIdCard(raw, kToday);
    ASSERT_TRUE(id.ok()) << raw << ": " << id.status();
    EXPECT_EQ(id->division_code, "640104") << raw;
  }
}

TEST(NormalizeIdCard, BadInputIsAnErrorNotACrash) {
  const std::string nul_inside(
      "64010419900307\0"
      "1236",
      19);
  const std::string huge(10000, '6');
  const std::string invalid_utf8 =
      "6401041990\xFF\xFE"
      "071236";
  struct Case {
    std::string raw;
    std::string message;
  };
  const Case cases[] = {
      {"", "empty"},
      {"   ", "empty"},
      {"身份证号640104199003071236", "non-ASCII"},
      {"64010419900307123", "17 characters"},
      {"6401041990030712366", "19 characters"},
      {"64010419900X071236", "'X' before the last"},
      {"11010549123100X", "X"},
      {"abc", "'a'"},
      {nul_inside, "control"},
      {huge, "10000 bytes"},
      {invalid_utf8, "non-ASCII"},
  };
  for (const Case& c : cases) {
    StatusOr<IdCardInfo> id = NormalizeIdCard(c.raw, kToday);
    ASSERT_FALSE(id.ok()) << c.raw.substr(0, 40);
    EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(id.status().message(), HasSubstr(c.message)) << c.raw.substr(0, 40);
  }
}

}  // namespace
}  // namespace fz::normalize
