// Warning lifecycle states, roles and the actor who does things (docs/workflow.md).
//
//   Actor officer{.user = "wang", .role = Role::kOfficer, .unit = model::UnitCode("640104001")};
//   WarningStateName(WarningState::kDispatched);   // "dispatched"
//
// Plain values; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fz/model/ids.h"

namespace fz::workflow {

enum class WarningState : uint8_t {
  kNew,
  kDispatched,
  kAccepted,
  kContacting,
  kDissuaded,
  kDefrauded,
  kUnreachable,
  kFalseAlarm,
  kHandedOver,
  kFollowUp,
  kClosed,
};
inline constexpr int kWarningStateCount = 11;

std::string_view WarningStateName(WarningState state);    // "dispatched"
std::string_view WarningStateNameZh(WarningState state);  // "已分流"
std::optional<WarningState> ParseWarningState(std::string_view name);

enum class Role : uint8_t {
  kSystem,      // fanzha itself: ingest, timers
  kDispatcher,  // 市反诈中心研判员
  kSupervisor,  // 分局/县局
  kOfficer,     // 派出所民警
  kGridWorker,  // 网格员/社区民警
  kAnalyst,     // 研判/情报
  kAuditor,
  // Appended: values above keep their meaning wherever a role was stored as a number.
  kAdmin,  // 系统管理员: users and settings; city-wide, masked
  kFeed,   // a machine data feed (carrier, ISP, bank): ingests events, nothing else
};
inline constexpr int kRoleCount = 9;

std::string_view RoleName(Role role);  // "dispatcher"
std::optional<Role> ParseRole(std::string_view name);

// City-wide roles see every unit; the others only their own unit's subtree.
bool RoleIsCityWide(Role role);
// Whether the role needs unmasked personal data (names, ID numbers, phones, accounts).
bool RoleSeesPersonalData(Role role);

// Who does something: stored with every transition and every audit row.
struct Actor {
  std::string user;  // login name, "system" for fanzha itself
  Role role = Role::kSystem;
  model::UnitCode unit;  // the actor's own unit
};

// The built-in actor for ingest and timers.
Actor SystemActor(const model::UnitCode& city);

}  // namespace fz::workflow
