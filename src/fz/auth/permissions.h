// Who may do what: one table of role → permissions (docs/security.md prints it), and the
// jurisdiction rule (a user acts only on objects in their own unit's subtree; city-wide roles
// everywhere). Every API endpoint checks both, and the access-matrix test walks this table.
//
//   if (!auth::Allows(p.role, auth::Permission::kWarningWork)) return 403;
//   if (!auth::InJurisdiction(p, warning.unit, tree)) return 404;  // do not reveal it exists
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "fz/model/ids.h"
#include "fz/units/unit_tree.h"
#include "fz/workflow/state.h"

namespace fz::auth {

enum class Permission : uint8_t {
  kIngestEvents,     // POST events (machine feeds)
  kWarningRead,      // list/show warnings in jurisdiction
  kWarningWork,      // accept, contact, record steps and outcomes
  kWarningDispatch,  // re-route, bulk accept, hand over (dispatchers, supervisors)
  kSupervise,        // escalations, 督办 reminders
  kStopPayment,      // request/update 紧急止付
  kCaseRead,
  kIntelRead,
  kIntelWrite,   // add, expire, whitelist, import
  kIntelReview,  // confirm/reject pending indicators
  kPeopleRead,
  kPeopleWrite,
  kRulesRead,
  kRulesWrite,  // validate, reload
  kKpiRead,
  kAuditRead,
  kUsersRead,
  kUsersWrite,
  kUnitsRead,
  kPersonalData,  // unmasked names, ID numbers, phones, accounts (each read audited)
  kMetrics,
};
inline constexpr int kPermissionCount = 21;

std::string_view PermissionName(Permission p);  // "warning.work"
std::optional<Permission> ParsePermission(std::string_view name);

bool Allows(workflow::Role role, Permission permission);
std::vector<Permission> PermissionsOf(workflow::Role role);

// True when `object_unit` is the actor's unit or below it, or the role is city-wide. An
// empty object unit (city triage queue, 外地转办) belongs to the city: only city-wide roles.
bool InJurisdiction(const workflow::Actor& actor, const model::UnitCode& object_unit,
                    const units::UnitTree& tree);

}  // namespace fz::auth
