#include "fz/auth/permissions.h"

#include <array>
#include <initializer_list>

namespace fz::auth {
namespace {

using workflow::Role;
using P = Permission;

constexpr std::array<std::string_view, kPermissionCount> kPermissionNames = {
    "events.ingest", "warning.read", "warning.work", "warning.dispatch", "supervise",
    "stop_payment",  "case.read",    "intel.read",   "intel.write",      "intel.review",
    "people.read",   "people.write", "rules.read",   "rules.write",      "kpi.read",
    "audit.read",    "users.read",   "users.write",  "units.read",       "personal_data",
    "metrics"};

// A set of permissions as bits, so the table below reads as one line per role.
using PermissionBits = uint32_t;
static_assert(kPermissionCount <= 32);

constexpr PermissionBits Bits(std::initializer_list<Permission> permissions) {
  PermissionBits bits = 0;
  for (Permission p : permissions) bits |= PermissionBits{1} << static_cast<int>(p);
  return bits;
}

constexpr PermissionBits kAll = (PermissionBits{1} << kPermissionCount) - 1;

// THE table (docs/security.md prints it; keep the two in step). Decisions beyond DESIGN.md:
// - units.read for every person: the unit tree is not secret and re-routing, hand-over and
//   filters need it; a feed does not.
// - dispatchers review pending indicators (intel.review), as the store already allows them
//   (docs/workflow.md): they triage the warnings the indicators come from.
// - supervisors see masked personal data: DOMAIN.md gives them no need to phone or meet the
//   person (their stations do), and workflow::RoleSeesPersonalData agrees.
// - admins do not read the audit log (三员分立: the auditor checks what the admin did) and
//   see no warnings, only users, units, rules and metrics.
struct RolePermissions {
  Role role;
  PermissionBits bits;
};
constexpr std::array<RolePermissions, workflow::kRoleCount> kTable = {{
    {Role::kSystem, kAll},
    {Role::kDispatcher, Bits({P::kWarningRead, P::kWarningWork, P::kWarningDispatch, P::kSupervise,
                              P::kStopPayment, P::kCaseRead, P::kIntelRead, P::kIntelReview,
                              P::kPeopleRead, P::kKpiRead, P::kUnitsRead, P::kPersonalData})},
    {Role::kSupervisor, Bits({P::kWarningRead, P::kWarningWork, P::kWarningDispatch, P::kSupervise,
                              P::kStopPayment, P::kCaseRead, P::kKpiRead, P::kUnitsRead})},
    {Role::kOfficer, Bits({P::kWarningRead, P::kWarningWork, P::kStopPayment, P::kCaseRead,
                           P::kPeopleRead, P::kKpiRead, P::kUnitsRead, P::kPersonalData})},
    {Role::kGridWorker,
     Bits({P::kWarningRead, P::kWarningWork, P::kPeopleRead, P::kUnitsRead, P::kPersonalData})},
    {Role::kAnalyst, Bits({P::kWarningRead, P::kCaseRead, P::kIntelRead, P::kIntelWrite,
                           P::kIntelReview, P::kPeopleRead, P::kPeopleWrite, P::kRulesRead,
                           P::kRulesWrite, P::kKpiRead, P::kUnitsRead})},
    {Role::kAuditor,
     Bits({P::kWarningRead, P::kCaseRead, P::kIntelRead, P::kPeopleRead, P::kRulesRead, P::kKpiRead,
           P::kAuditRead, P::kUsersRead, P::kUnitsRead, P::kMetrics})},
    {Role::kAdmin,
     Bits({P::kUsersRead, P::kUsersWrite, P::kUnitsRead, P::kRulesRead, P::kMetrics})},
    {Role::kFeed, Bits({P::kIngestEvents})},
}};

// The table is indexed by role value; a role appended to the enum without a row fails here.
constexpr bool TableInRoleOrder() {
  for (size_t i = 0; i < kTable.size(); ++i) {
    if (static_cast<size_t>(kTable[i].role) != i) return false;
  }
  return true;
}
static_assert(TableInRoleOrder(), "kTable must list every workflow::Role in enum order");

PermissionBits BitsOf(Role role) {
  size_t i = static_cast<size_t>(role);
  return i < kTable.size() ? kTable[i].bits : 0;
}

}  // namespace

std::string_view PermissionName(Permission p) {
  size_t i = static_cast<size_t>(p);
  return i < kPermissionNames.size() ? kPermissionNames[i] : std::string_view("unknown");
}

std::optional<Permission> ParsePermission(std::string_view name) {
  for (size_t i = 0; i < kPermissionNames.size(); ++i) {
    if (kPermissionNames[i] == name) return static_cast<Permission>(i);
  }
  return std::nullopt;
}

bool Allows(workflow::Role role, Permission permission) {
  return (BitsOf(role) >> static_cast<int>(permission)) & 1;
}

std::vector<Permission> PermissionsOf(workflow::Role role) {
  std::vector<Permission> out;
  for (int i = 0; i < kPermissionCount; ++i) {
    if (Allows(role, static_cast<Permission>(i))) out.push_back(static_cast<Permission>(i));
  }
  return out;
}

bool InJurisdiction(const workflow::Actor& actor, const model::UnitCode& object_unit,
                    const units::UnitTree& tree) {
  if (workflow::RoleIsCityWide(actor.role)) return true;
  // The city triage queue and 外地转办 have no unit: they belong to the city-wide roles.
  if (object_unit.value().empty() || actor.unit.value().empty()) return false;
  return tree.Contains(actor.unit, object_unit);
}

}  // namespace fz::auth
