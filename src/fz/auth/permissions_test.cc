// The role → permission table and the jurisdiction rule (docs/security.md).
#include "fz/auth/permissions.h"

#include <set>

#include "fz/units/units_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::auth {
namespace {

using P = Permission;
using workflow::Role;

std::vector<Role> AllRoles() {
  std::vector<Role> roles;
  for (int i = 0; i < workflow::kRoleCount; ++i) roles.push_back(static_cast<Role>(i));
  return roles;
}

TEST(PermissionsTest, NamesRoundTripAndAreUnique) {
  std::set<std::string_view> names;
  for (int i = 0; i < kPermissionCount; ++i) {
    Permission p = static_cast<Permission>(i);
    std::string_view name = PermissionName(p);
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(ParsePermission(name), p) << name;
  }
  EXPECT_EQ(PermissionName(P::kWarningWork), "warning.work");
  EXPECT_EQ(ParsePermission("warning.delete"), std::nullopt);
}

TEST(PermissionsTest, NewRolesHaveNames) {
  EXPECT_EQ(workflow::RoleName(Role::kAdmin), "admin");
  EXPECT_EQ(workflow::RoleName(Role::kFeed), "feed");
  EXPECT_EQ(workflow::ParseRole("admin"), Role::kAdmin);
  EXPECT_EQ(workflow::ParseRole("feed"), Role::kFeed);
  // Appended, so stored numbers of the older roles keep their meaning.
  EXPECT_EQ(static_cast<int>(Role::kAuditor), 6);
  EXPECT_TRUE(workflow::RoleIsCityWide(Role::kAdmin));
  EXPECT_TRUE(workflow::RoleIsCityWide(Role::kFeed));
  EXPECT_FALSE(workflow::RoleSeesPersonalData(Role::kAdmin));
  EXPECT_FALSE(workflow::RoleSeesPersonalData(Role::kFeed));
}

TEST(PermissionsTest, SystemHasEverythingAndFeedOnlyIngests) {
  EXPECT_EQ(PermissionsOf(Role::kSystem).size(), static_cast<size_t>(kPermissionCount));
  EXPECT_THAT(PermissionsOf(Role::kFeed), ::testing::ElementsAre(P::kIngestEvents));
  for (Role role : AllRoles()) {
    if (role == Role::kSystem || role == Role::kFeed) continue;
    EXPECT_FALSE(Allows(role, P::kIngestEvents)) << workflow::RoleName(role);
  }
}

TEST(PermissionsTest, KeyPermissionsPerRole) {
  struct Expect {
    Role role;
    std::vector<P> yes;
    std::vector<P> no;
  };
  std::vector<Expect> table = {
      {Role::kDispatcher,
       {P::kWarningRead, P::kWarningWork, P::kWarningDispatch, P::kSupervise, P::kStopPayment,
        P::kCaseRead, P::kIntelRead, P::kPeopleRead, P::kKpiRead, P::kPersonalData},
       {P::kIntelWrite, P::kRulesWrite, P::kUsersWrite, P::kAuditRead, P::kPeopleWrite}},
      {Role::kSupervisor,
       {P::kWarningRead, P::kWarningWork, P::kWarningDispatch, P::kSupervise, P::kStopPayment,
        P::kCaseRead, P::kKpiRead},
       {P::kPersonalData, P::kIntelWrite, P::kUsersRead, P::kAuditRead}},
      {Role::kOfficer,
       {P::kWarningRead, P::kWarningWork, P::kStopPayment, P::kCaseRead, P::kPeopleRead,
        P::kKpiRead, P::kPersonalData},
       {P::kWarningDispatch, P::kSupervise, P::kIntelWrite, P::kRulesWrite, P::kUsersWrite}},
      {Role::kGridWorker,
       {P::kWarningRead, P::kWarningWork, P::kPeopleRead, P::kPersonalData},
       {P::kStopPayment, P::kWarningDispatch, P::kKpiRead, P::kIntelRead}},
      {Role::kAnalyst,
       {P::kWarningRead, P::kIntelRead, P::kIntelWrite, P::kIntelReview, P::kPeopleRead,
        P::kPeopleWrite, P::kRulesRead, P::kRulesWrite, P::kCaseRead, P::kKpiRead},
       {P::kWarningWork, P::kPersonalData, P::kStopPayment, P::kUsersWrite}},
      {Role::kAuditor,
       {P::kWarningRead, P::kCaseRead, P::kIntelRead, P::kPeopleRead, P::kRulesRead, P::kKpiRead,
        P::kAuditRead, P::kUsersRead},
       {P::kWarningWork, P::kWarningDispatch, P::kStopPayment, P::kIntelWrite, P::kPeopleWrite,
        P::kRulesWrite, P::kUsersWrite, P::kPersonalData, P::kIntelReview}},
      {Role::kAdmin,
       {P::kUsersRead, P::kUsersWrite, P::kUnitsRead, P::kRulesRead, P::kMetrics},
       {P::kWarningRead, P::kAuditRead, P::kPersonalData, P::kRulesWrite, P::kIngestEvents}},
  };
  for (const Expect& e : table) {
    for (P p : e.yes) {
      EXPECT_TRUE(Allows(e.role, p)) << workflow::RoleName(e.role) << " " << PermissionName(p);
    }
    for (P p : e.no) {
      EXPECT_FALSE(Allows(e.role, p)) << workflow::RoleName(e.role) << " " << PermissionName(p);
    }
  }
}

TEST(PermissionsTest, PersonalDataAgreesWithTheStoreMasking) {
  // The API gates on Allows(kPersonalData), the store masks with RoleSeesPersonalData: they
  // must never disagree for a person's account.
  for (Role role : AllRoles()) {
    if (role == Role::kSystem) continue;
    EXPECT_EQ(Allows(role, P::kPersonalData), workflow::RoleSeesPersonalData(role))
        << workflow::RoleName(role);
  }
}

TEST(PermissionsTest, CityPowersOnlyForCityWideRoles) {
  // Intelligence, rules, users and the audit log are the city's: no district or station role
  // may change or read them, whatever its unit.
  for (Role role : AllRoles()) {
    bool city_power = Allows(role, P::kIntelWrite) || Allows(role, P::kRulesWrite) ||
                      Allows(role, P::kUsersWrite) || Allows(role, P::kAuditRead);
    if (city_power) {
      EXPECT_TRUE(workflow::RoleIsCityWide(role)) << workflow::RoleName(role);
    }
  }
}

class JurisdictionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<units::UnitTree> tree = units::LoadUnitsCsv(
        "code,name,parent_code,level\n"
        "640100,银川市公安局,,city\n"
        "640104,兴庆区分局,640100,district\n"
        "640105,西夏区分局,640100,district\n"
        "640104001,凤凰北街派出所,640104,station\n"
        "640104002,解放西街派出所,640104,station\n"
        "640105001,贺兰山西路派出所,640105,station\n"
        "640104001001,凤凰北街社区,640104001,community\n",
        "test-units.csv");
    ASSERT_TRUE(tree.ok()) << tree.status();
    tree_ = std::move(*tree);
  }
  bool In(Role role, const std::string& actor_unit, const std::string& object_unit) const {
    workflow::Actor actor{.user = "u", .role = role, .unit = model::UnitCode(actor_unit)};
    return InJurisdiction(actor, model::UnitCode(object_unit), tree_);
  }
  units::UnitTree tree_;
};

TEST_F(JurisdictionTest, StationOfficerOwnStationAndBelowOnly) {
  EXPECT_TRUE(In(Role::kOfficer, "640104001", "640104001"));
  EXPECT_TRUE(In(Role::kOfficer, "640104001", "640104001001"));
  EXPECT_FALSE(In(Role::kOfficer, "640104001", "640104002"));  // sibling station
  EXPECT_FALSE(In(Role::kOfficer, "640104001", "640104"));     // its own district
  EXPECT_FALSE(In(Role::kOfficer, "640104001", "640105001"));
  EXPECT_FALSE(In(Role::kOfficer, "640104001", "nope"));
}

TEST_F(JurisdictionTest, SupervisorSeesTheDistrictSubtree) {
  EXPECT_TRUE(In(Role::kSupervisor, "640104", "640104"));
  EXPECT_TRUE(In(Role::kSupervisor, "640104", "640104002"));
  EXPECT_TRUE(In(Role::kSupervisor, "640104", "640104001001"));
  EXPECT_FALSE(In(Role::kSupervisor, "640104", "640105001"));
  EXPECT_FALSE(In(Role::kSupervisor, "640104", "640100"));
  EXPECT_FALSE(In(Role::kGridWorker, "640104001001", "640104001"));
}

TEST_F(JurisdictionTest, CityWideRolesEverywhereAndEmptyUnitOnlyForThem) {
  for (Role role : {Role::kSystem, Role::kDispatcher, Role::kAnalyst, Role::kAuditor, Role::kAdmin,
                    Role::kFeed}) {
    EXPECT_TRUE(In(role, "640100", "640105001")) << workflow::RoleName(role);
    EXPECT_TRUE(In(role, "640100", "")) << workflow::RoleName(role);
  }
  for (Role role : {Role::kSupervisor, Role::kOfficer, Role::kGridWorker}) {
    EXPECT_FALSE(In(role, "640104", "")) << workflow::RoleName(role);
    // Even a unit-bound role placed at the city root does not get the city queue.
    EXPECT_FALSE(In(role, "640100", "")) << workflow::RoleName(role);
    EXPECT_FALSE(In(role, "", "640104")) << workflow::RoleName(role);
  }
}

}  // namespace
}  // namespace fz::auth
