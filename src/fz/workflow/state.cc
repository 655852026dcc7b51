#include "fz/workflow/state.h"

#include <array>

namespace fz::workflow {
namespace {

struct StateNames {
  std::string_view name;
  std::string_view name_zh;
};

constexpr std::array<StateNames, kWarningStateCount> kStateNames = {{
    {"new", "新预警"},
    {"dispatched", "已分流"},
    {"accepted", "已签收"},
    {"contacting", "劝阻中"},
    {"dissuaded", "已劝阻"},
    {"defrauded", "已被骗"},
    {"unreachable", "无法联系"},
    {"false_alarm", "误报"},
    {"handed_over", "已移交"},
    {"follow_up", "待回访"},
    {"closed", "已办结"},
}};

constexpr std::array<std::string_view, kRoleCount> kRoleNames = {
    "system",  "dispatcher", "supervisor", "officer", "grid_worker",
    "analyst", "auditor",    "admin",      "feed"};

}  // namespace

std::string_view WarningStateName(WarningState state) {
  return kStateNames[static_cast<size_t>(state)].name;
}

std::string_view WarningStateNameZh(WarningState state) {
  return kStateNames[static_cast<size_t>(state)].name_zh;
}

std::optional<WarningState> ParseWarningState(std::string_view name) {
  for (size_t i = 0; i < kStateNames.size(); ++i) {
    if (kStateNames[i].name == name || kStateNames[i].name_zh == name) {
      return static_cast<WarningState>(i);
    }
  }
  return std::nullopt;
}

std::string_view RoleName(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

std::optional<Role> ParseRole(std::string_view name) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  }
  return std::nullopt;
}

bool RoleIsCityWide(Role role) {
  return role == Role::kSystem || role == Role::kDispatcher || role == Role::kAnalyst ||
         role == Role::kAuditor || role == Role::kAdmin || role == Role::kFeed;
}

bool RoleSeesPersonalData(Role role) {
  // The people who must phone or meet the person; analysts, auditors and admins work on masked
  // data, and a feed only writes.
  return role == Role::kDispatcher || role == Role::kOfficer || role == Role::kGridWorker;
}

Actor SystemActor(const model::UnitCode& city) {
  return Actor{.user = "system", .role = Role::kSystem, .unit = city};
}

}  // namespace fz::workflow
