#include "fz/workflow/routing.h"

#include "fz/units/yinchuan_seed.h"
#include "gtest/gtest.h"

namespace fz::workflow {
namespace {

class FakeDirectory : public SubjectDirectory {
 public:
  std::optional<KnownPerson> FindByPhone(std::string_view phone) const override {
    if (phone == "+8613895101234") {
      return KnownPerson{"p1", "张三丰", model::UnitCode("640104001")};
    }
    return std::nullopt;
  }
  std::optional<KnownPerson> FindByIdNo(std::string_view) const override { return std::nullopt; }
};

model::Warning PhoneWarning(std::string phone) {
  model::Warning w;
  w.id = model::WarningId(1);
  w.subject = std::move(phone);
  return w;
}

class RoutingTest : public ::testing::Test {
 protected:
  RoutingTest() : tree_(*units::YinchuanSeed()) {
    config_.phone_prefix_units.emplace("+869515", model::UnitCode("640104"));
    config_.cell_units.emplace("46000-1-2", model::UnitCode("640105"));
  }
  units::UnitTree tree_;
  RoutingConfig config_;
  FakeDirectory directory_;
};

TEST_F(RoutingTest, PersonBaseWins) {
  RoutingPolicy policy(config_, tree_, &directory_);
  StatusOr<Route> r = policy.RouteWarning(PhoneWarning("+8613895101234"), {"46000-1-2"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->unit.value(), "640104001");
  EXPECT_EQ(r->basis, RouteBasis::kPersonBase);
  EXPECT_EQ(r->reason, "高危人员库：张** 属 凤凰北街派出所（640104001）");
}

TEST_F(RoutingTest, CellMapBeforeHomeArea) {
  RoutingPolicy policy(config_, tree_, nullptr);
  StatusOr<Route> r = policy.RouteWarning(PhoneWarning("+8613895101234"), {"46000-1-2"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->unit.value(), "640105");
  EXPECT_EQ(r->basis, RouteBasis::kCell);
}

TEST_F(RoutingTest, LocalNumberGoesToDistrictOrCityTriage) {
  RoutingPolicy policy(config_, tree_, nullptr);
  StatusOr<Route> landline = policy.RouteWarning(PhoneWarning("+869515012345"), {});
  ASSERT_TRUE(landline.ok());
  EXPECT_EQ(landline->unit.value(), "640104");
  EXPECT_EQ(landline->basis, RouteBasis::kPhonePrefix);
  StatusOr<Route> mobile = policy.RouteWarning(PhoneWarning("+8613895101234"), {});
  ASSERT_TRUE(mobile.ok());
  EXPECT_EQ(mobile->queue, RouteQueue::kCityTriage);
  EXPECT_EQ(mobile->unit.value(), "640100");
  EXPECT_EQ(mobile->reason, "本地号码（宁夏银川市），无住址信息，市级研判分流");
}

TEST_F(RoutingTest, OtherCityGoesToOutOfAreaQueueWithCityCode) {
  RoutingPolicy policy(config_, tree_, nullptr);
  StatusOr<Route> r = policy.RouteWarning(PhoneWarning("+8613812345678"), {});  // 江苏
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->queue, RouteQueue::kOutOfArea);
  EXPECT_FALSE(r->target_city.empty());
  EXPECT_NE(r->target_city, "640100");
  EXPECT_EQ(r->unit.value(), "640100");
}

TEST_F(RoutingTest, AccountsAndForeignNumbersGoToTriage) {
  RoutingPolicy policy(config_, tree_, nullptr);
  model::Warning w = PhoneWarning("6222021234567890128");
  w.subject_kind = model::SubjectKind::kAccount;
  StatusOr<Route> r = policy.RouteWarning(w, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->queue, RouteQueue::kCityTriage);
  EXPECT_EQ(r->basis, RouteBasis::kDefault);
}

TEST_F(RoutingTest, ManualRerouteChecksTheTree) {
  RoutingPolicy policy(config_, tree_, nullptr);
  EXPECT_TRUE(policy.Manual(model::UnitCode("640104001"), "住址在凤凰北街").ok());
  EXPECT_EQ(policy.Manual(model::UnitCode("999999"), "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace fz::workflow
