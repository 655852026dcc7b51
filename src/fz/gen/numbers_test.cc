#include "fz/gen/numbers.h"

#include "absl/time/civil_time.h"
#include "fz/normalize/bank_card.h"
#include "fz/normalize/id_card.h"
#include "fz/normalize/phone.h"
#include "gtest/gtest.h"

namespace fz::gen {
namespace {

TEST(RngTest, SameSeedSameStreamDifferentIndexDifferentStream) {
  Rng a = Rng::ForStream(1, 2, 3), b = Rng::ForStream(1, 2, 3), c = Rng::ForStream(1, 2, 4);
  const uint64_t first = a.Next();
  EXPECT_EQ(first, b.Next());
  EXPECT_NE(first, c.Next());
  for (int i = 0; i < 1000; ++i) {
    const int64_t v = a.Range(-3, 3);
    EXPECT_GE(v, -3);
    EXPECT_LE(v, 3);
  }
}

TEST(NumbersTest, LuhnDigitMakesValidNumbers) {
  EXPECT_EQ(WithLuhnDigit("7992739871"), "79927398713");  // the textbook example
  Rng rng(5);
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(normalize::LuhnValid(NumberPlan::Imei(rng)));
  }
}

TEST(NumbersTest, IdNumbersAreValidAndEncodeBirthAndSex) {
  const std::string id = MakeIdNumber("640104", 1990, 3, 7, 123);
  StatusOr<normalize::IdCardInfo> info =
      normalize::NormalizeIdCard(id, absl::CivilDay(2026, 11, 23));
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->birth_date, absl::CivilDay(1990, 3, 7));
  EXPECT_EQ(info->sex, 'M');
  EXPECT_EQ(info->division_code, "640104");
}

TEST(NumbersTest, ProbedNumbersGeocodeAsIntended) {
  StatusOr<NumberPlan> plan = NumberPlan::Probe(1);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_GT(plan->yinchuan_prefixes().size(), 20u);
  Rng rng(9);
  for (int i = 0; i < 50; ++i) {
    StatusOr<normalize::PhoneInfo> yc = normalize::NormalizePhone(plan->YinchuanMobile(rng));
    ASSERT_TRUE(yc.ok());
    EXPECT_EQ(yc->city_code, "640100");
    EXPECT_EQ(yc->kind, normalize::PhoneKind::kMobile);
    StatusOr<normalize::PhoneInfo> land = normalize::NormalizePhone(plan->YinchuanLandline(rng));
    ASSERT_TRUE(land.ok());
    EXPECT_EQ(land->city_code, "640100");
    EXPECT_EQ(land->kind, normalize::PhoneKind::kFixedLine);
    StatusOr<normalize::PhoneInfo> other = normalize::NormalizePhone(plan->OtherCityMobile(rng));
    ASSERT_TRUE(other.ok());
    EXPECT_NE(other->city_code, "640100");
    EXPECT_FALSE(other->city_code.empty());
    StatusOr<normalize::PhoneInfo> hub =
        normalize::NormalizePhone(plan->FraudHubInternational(rng));
    ASSERT_TRUE(hub.ok());
    EXPECT_TRUE(hub->international);
    StatusOr<normalize::PhoneInfo> e164 =
        normalize::NormalizePhone(E164(plan->YinchuanMobile(rng)));
    ASSERT_TRUE(e164.ok());
    EXPECT_EQ(e164->city_code, "640100");
  }
}

TEST(NumbersTest, CardsAreLuhnValidOnKnownBins) {
  StatusOr<NumberPlan> plan = NumberPlan::Probe(1);
  ASSERT_TRUE(plan.ok());
  Rng rng(3);
  for (BankUse use : {BankUse::kLocal, BankUse::kNational, BankUse::kMule}) {
    for (int i = 0; i < 30; ++i) {
      StatusOr<normalize::BankCardInfo> card = normalize::NormalizeBankCard(plan->Card(use, rng));
      ASSERT_TRUE(card.ok());
      EXPECT_TRUE(card->luhn_valid) << card->number;
      EXPECT_FALSE(card->bank_code.empty()) << card->number;
      EXPECT_TRUE(card->length_matches_bin) << card->number;
    }
  }
}

}  // namespace
}  // namespace fz::gen
