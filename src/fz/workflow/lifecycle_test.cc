#include "fz/workflow/lifecycle.h"

#include "fz/workflow/mask.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::workflow {
namespace {

using S = WarningState;
using ::testing::HasSubstr;

const std::string kStationPath = "/640100/640104/640104001/";

Actor Officer(std::string unit = "640104001") {
  return Actor{.user = "wang", .role = Role::kOfficer, .unit = model::UnitCode(unit)};
}

TEST(Lifecycle, HappyPathIsAllowed) {
  model::WarningId id(7);
  Actor system = SystemActor(model::UnitCode("640100"));
  EXPECT_TRUE(CheckTransition(id, S::kNew, S::kDispatched, system, kStationPath).ok());
  EXPECT_TRUE(CheckTransition(id, S::kDispatched, S::kAccepted, Officer(), kStationPath).ok());
  EXPECT_TRUE(CheckTransition(id, S::kAccepted, S::kContacting, Officer(), kStationPath).ok());
  EXPECT_TRUE(CheckTransition(id, S::kContacting, S::kDissuaded, Officer(), kStationPath).ok());
  EXPECT_TRUE(CheckTransition(id, S::kDissuaded, S::kFollowUp, system, kStationPath).ok());
  EXPECT_TRUE(CheckTransition(id, S::kFollowUp, S::kClosed, Officer(), kStationPath).ok());
}

TEST(Lifecycle, InvalidTransitionNamesStatesAndAllowedTargets) {
  Status s =
      CheckTransition(model::WarningId(9), S::kAccepted, S::kClosed, Officer(), kStationPath);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("warning 9: cannot go from 'accepted' to 'closed' (allowed: "
                        "dispatched, contacting, handed_over, false_alarm)"));
  EXPECT_FALSE(IsTransition(S::kClosed, S::kDispatched));
}

TEST(Lifecycle, RoleAndScopeAreChecked) {
  model::WarningId id(1);
  Actor analyst{.user = "li", .role = Role::kAnalyst, .unit = model::UnitCode("640100")};
  Status s = CheckTransition(id, S::kDispatched, S::kAccepted, analyst, kStationPath);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(s.message()), HasSubstr("role 'analyst'"));
  // An officer of another station may not accept this station's warning.
  s = CheckTransition(id, S::kDispatched, S::kAccepted, Officer("640104002"), kStationPath);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(s.message()), HasSubstr("outside wang's unit 640104002"));
  // A district supervisor sees the stations below the district.
  Actor supervisor{.user = "zhao", .role = Role::kSupervisor, .unit = model::UnitCode("640104")};
  EXPECT_TRUE(CheckTransition(id, S::kDispatched, S::kAccepted, supervisor, kStationPath).ok());
}

TEST(Lifecycle, UnitPaths) {
  EXPECT_EQ(UnitPath({model::UnitCode("640100"), model::UnitCode("640104")}), "/640100/640104/");
  EXPECT_EQ(UnitOfPath(kStationPath), "640104001");
  EXPECT_EQ(ParentPath(kStationPath), "/640100/640104/");
  EXPECT_EQ(ParentPath("/640100/"), "");
  // Prefix-free: 64010 is not an ancestor of 640104.
  Actor odd{.user = "x", .role = Role::kOfficer, .unit = model::UnitCode("64010")};
  EXPECT_FALSE(InScope(odd, kStationPath));
}

TEST(Mask, PersonalDataIsMasked) {
  EXPECT_EQ(MaskPhone("+8613895101234"), "+86138****1234");
  EXPECT_EQ(MaskName("张三丰"), "张**");
  EXPECT_EQ(MaskIdNo("640104199001010021"), "640104********0021");
  EXPECT_EQ(MaskAccount("6222021234567890128"), "6222***********0128");
  EXPECT_EQ(MaskPhone("h:abcdef"), "h:abcdef");
  EXPECT_EQ(MaskAccount("123"), "***");
}

}  // namespace
}  // namespace fz::workflow
