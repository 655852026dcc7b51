#include <type_traits>
#include <unordered_set>

#include "absl/container/flat_hash_set.h"
#include "fz/model/event.h"
#include "fz/model/fraud_type.h"
#include "fz/model/indicator.h"
#include "fz/model/unit.h"
#include "fz/model/warning_level.h"
#include "gtest/gtest.h"

namespace fz::model {
namespace {

TEST(StrongIdTest, DistinctTypesDoNotConvert) {
  static_assert(!std::is_convertible_v<WarningId, CaseId>);
  static_assert(!std::is_convertible_v<int64_t, WarningId>);
  static_assert(!std::is_convertible_v<PhoneNumber, AccountNo>);
  EXPECT_LT(WarningId(1), WarningId(2));
  EXPECT_EQ(PhoneNumber("+8613895101234"), PhoneNumber("+8613895101234"));
}

TEST(StrongIdTest, Hashable) {
  std::unordered_set<PhoneNumber> std_set{PhoneNumber("a"), PhoneNumber("a"), PhoneNumber("b")};
  absl::flat_hash_set<UnitCode> absl_set{UnitCode("640100"), UnitCode("640104")};
  EXPECT_EQ(std_set.size(), 2u);
  EXPECT_TRUE(absl_set.contains(UnitCode("640104")));
}

TEST(WarningLevelTest, OrderAndNames) {
  EXPECT_GT(WarningLevel::kRed, WarningLevel::kOrange);
  EXPECT_GT(WarningLevel::kOrange, WarningLevel::kYellow);
  EXPECT_EQ(MaxLevel(WarningLevel::kYellow, WarningLevel::kRed), WarningLevel::kRed);
  EXPECT_EQ(WarningLevelColourZh(WarningLevel::kOrange), "橙");
  EXPECT_EQ(WarningLevelGradeZh(WarningLevel::kRed), "高");
}

TEST(WarningLevelTest, ParsesEverySpelling) {
  for (const char* s : {"red", "RED", "high", "L1", "红", "高"}) {
    EXPECT_EQ(ParseWarningLevel(s), WarningLevel::kRed) << s;
  }
  for (const char* s : {"orange", "l2", "橙", "中"}) {
    EXPECT_EQ(ParseWarningLevel(s), WarningLevel::kOrange) << s;
  }
  for (const char* s : {"yellow", "Low", "黄", "低"}) {
    EXPECT_EQ(ParseWarningLevel(s), WarningLevel::kYellow) << s;
  }
  EXPECT_EQ(ParseWarningLevel("purple"), std::nullopt);
  EXPECT_EQ(ParseWarningLevel(""), std::nullopt);
}

TEST(FraudTypeTest, BuiltinsAreTheTenNationalTypesPlusOther) {
  FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  EXPECT_EQ(types.All().size(), 11u);
  EXPECT_EQ(types.Info(FraudTypeRegistry::kOther).code, "other");
  std::optional<FraudType> t = types.Find("刷单返利");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(types.Info(*t).code, "task_rebate");
  EXPECT_EQ(types.Find("杀猪盘"), types.Find("romance"));
  EXPECT_EQ(types.Find("网络婚恋交友"), types.Find("romance"));
}

TEST(FraudTypeTest, CentersCanAddTypes) {
  FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  StatusOr<FraudType> pension = types.Add("pension", "养老诈骗");
  ASSERT_TRUE(pension.ok());
  EXPECT_EQ(types.Find("养老诈骗"), *pension);
  EXPECT_FALSE(types.Add("pension", "别的").ok());
  EXPECT_FALSE(types.Add("x", "刷单返利").ok());
  EXPECT_FALSE(types.Add("Bad Code", "坏").ok());
  EXPECT_FALSE(types.Add("ok_code", "").ok());
}

TEST(FraudTypeTest, ParseErrorListsKnownCodes) {
  FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  StatusOr<FraudType> t = types.Parse("lottery");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("unknown fraud type 'lottery'"), std::string_view::npos);
  EXPECT_NE(t.status().message().find("task_rebate"), std::string_view::npos);
}

TEST(EventTest, TypeNamesRoundTrip) {
  for (EventType type : {EventType::kCall, EventType::kSms, EventType::kNet, EventType::kApp,
                         EventType::kTransfer, EventType::kDirective, EventType::kReport}) {
    EXPECT_EQ(ParseEventType(EventTypeName(type)), type);
  }
  EXPECT_EQ(ParseEventType("fax"), std::nullopt);
  Event e{.header = {.id = EventId("cdr-1"), .type = EventType::kCall},
          .body = CallEvent{.caller = PhoneNumber("+85512345678"), .duration_s = 300}};
  ASSERT_NE(std::get_if<CallEvent>(&e.body), nullptr);
  EXPECT_EQ(std::get<CallEvent>(e.body).duration_s, 300);
}

TEST(IndicatorTest, KindsRoundTripAndActivity) {
  for (const char* k : {"phone", "domain", "url", "ip", "account", "app", "imei"}) {
    std::optional<IndicatorKind> kind = ParseIndicatorKind(k);
    ASSERT_TRUE(kind.has_value()) << k;
    EXPECT_EQ(IndicatorKindName(*kind), k);
  }
  EXPECT_EQ(ParseIndicatorKind("email"), std::nullopt);
  absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  Indicator ind{.expires_at = now + absl::Hours(1)};
  EXPECT_TRUE(ind.ActiveAt(now));
  EXPECT_FALSE(ind.ActiveAt(now + absl::Hours(2)));
  ind.whitelisted = true;
  EXPECT_FALSE(ind.ActiveAt(now));
}

TEST(UnitTest, Levels) {
  EXPECT_EQ(ParseUnitLevel("station"), UnitLevel::kStation);
  EXPECT_EQ(ParseUnitLevel("county"), UnitLevel::kDistrict);
  EXPECT_EQ(ParseUnitLevel("village"), std::nullopt);
  EXPECT_EQ(UnitLevelNameZh(UnitLevel::kStation), "派出所");
}

}  // namespace
}  // namespace fz::model
