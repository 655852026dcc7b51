#include "fz/workflow/lifecycle.h"

#include <algorithm>
#include <vector>

#include "fz/common/str_cat.h"

namespace fz::workflow {
namespace {

using S = WarningState;
using R = Role;

struct Edge {
  S from;
  S to;
  std::vector<Role> roles;  // not initializer_list: its array would not outlive the table
};

// The table of docs/workflow.md, one row per (from, to).
const std::vector<Edge>& Edges() {
  static const std::vector<Edge> kEdges = {
      {S::kNew, S::kDispatched, {R::kSystem, R::kDispatcher}},
      {S::kDispatched, S::kDispatched, {R::kDispatcher, R::kSupervisor, R::kSystem}},
      // The city dispatcher accepts what the city center itself takes on (its triage and
      // out-of-area queues, or a batch it sends its rapid-response squad to) — the console's
      // bulk accept; jurisdiction still limits every actor to their unit subtree.
      {S::kDispatched, S::kAccepted, {R::kOfficer, R::kGridWorker, R::kSupervisor, R::kDispatcher}},
      {S::kAccepted, S::kDispatched, {R::kDispatcher, R::kSupervisor}},
      {S::kHandedOver, S::kDispatched, {R::kDispatcher, R::kSupervisor}},
      {S::kAccepted, S::kContacting, {R::kOfficer, R::kGridWorker}},
      {S::kAccepted, S::kHandedOver, {R::kOfficer, R::kGridWorker, R::kSupervisor}},
      {S::kContacting, S::kHandedOver, {R::kOfficer, R::kGridWorker, R::kSupervisor}},
      {S::kAccepted, S::kFalseAlarm, {R::kOfficer, R::kGridWorker, R::kDispatcher}},
      {S::kContacting, S::kDissuaded, {R::kOfficer, R::kGridWorker}},
      {S::kContacting, S::kDefrauded, {R::kOfficer, R::kGridWorker}},
      {S::kContacting, S::kUnreachable, {R::kOfficer, R::kGridWorker}},
      {S::kContacting, S::kFalseAlarm, {R::kOfficer, R::kGridWorker}},
      {S::kUnreachable, S::kContacting, {R::kOfficer, R::kGridWorker}},
      {S::kUnreachable, S::kClosed, {R::kOfficer, R::kGridWorker, R::kSupervisor, R::kDispatcher}},
      {S::kFalseAlarm, S::kClosed, {R::kOfficer, R::kGridWorker, R::kSupervisor, R::kDispatcher}},
      {S::kDefrauded, S::kClosed, {R::kOfficer, R::kGridWorker, R::kSupervisor, R::kDispatcher}},
      {S::kDissuaded, S::kFollowUp, {R::kSystem, R::kOfficer, R::kGridWorker}},
      {S::kFollowUp, S::kClosed, {R::kOfficer, R::kGridWorker, R::kSystem}},
      {S::kFollowUp, S::kDefrauded, {R::kOfficer, R::kGridWorker, R::kDispatcher}},
      {S::kDissuaded, S::kDefrauded, {R::kOfficer, R::kGridWorker, R::kDispatcher}},
      {S::kClosed, S::kDefrauded, {R::kOfficer, R::kGridWorker, R::kDispatcher}},
  };
  return kEdges;
}

const Edge* FindEdge(S from, S to) {
  for (const Edge& e : Edges()) {
    if (e.from == from && e.to == to) return &e;
  }
  return nullptr;
}

}  // namespace

std::vector<WarningState> AllowedTargets(WarningState from) {
  std::vector<WarningState> out;
  for (const Edge& e : Edges()) {
    if (e.from == from) out.push_back(e.to);
  }
  return out;
}

bool IsTransition(WarningState from, WarningState to) { return FindEdge(from, to) != nullptr; }

std::string UnitPath(const std::vector<model::UnitCode>& root_first) {
  std::string path = "/";
  for (const model::UnitCode& code : root_first) {
    path += code.value();
    path += '/';
  }
  return path;
}

std::string_view UnitOfPath(std::string_view unit_path) {
  if (unit_path.size() < 2) return {};
  std::string_view inner = unit_path.substr(0, unit_path.size() - 1);
  return inner.substr(inner.rfind('/') + 1);
}

std::string_view ParentPath(std::string_view unit_path) {
  if (unit_path.size() < 2) return {};
  std::string_view inner = unit_path.substr(0, unit_path.size() - 1);
  size_t slash = inner.rfind('/');
  if (slash == 0) return {};
  return unit_path.substr(0, slash + 1);
}

bool InScope(const Actor& actor, std::string_view unit_path) {
  if (RoleIsCityWide(actor.role)) return true;
  std::string needle = StrCat("/", actor.unit.value(), "/");
  return unit_path.find(needle) != std::string_view::npos;
}

Status CheckTransition(model::WarningId id, WarningState from, WarningState to, const Actor& actor,
                       std::string_view unit_path) {
  const Edge* edge = FindEdge(from, to);
  if (edge == nullptr) {
    std::string allowed;
    for (WarningState s : AllowedTargets(from)) {
      if (!allowed.empty()) allowed += ", ";
      allowed += WarningStateName(s);
    }
    return absl::FailedPreconditionError(
        StrCat("warning ", id.value(), ": cannot go from '", WarningStateName(from), "' to '",
               WarningStateName(to), "' (allowed: ", allowed.empty() ? "none" : allowed, ")"));
  }
  if (std::find(edge->roles.begin(), edge->roles.end(), actor.role) == edge->roles.end()) {
    return absl::PermissionDeniedError(
        StrCat("warning ", id.value(), ": role '", RoleName(actor.role), "' may not go from '",
               WarningStateName(from), "' to '", WarningStateName(to), "'"));
  }
  if (!InScope(actor, unit_path)) {
    return absl::PermissionDeniedError(StrCat("warning ", id.value(), ": unit ",
                                              UnitOfPath(unit_path), " is outside ", actor.user,
                                              "'s unit ", actor.unit.value()));
  }
  return absl::OkStatus();
}

bool IsOutcome(WarningState state) {
  return state == S::kDissuaded || state == S::kDefrauded || state == S::kUnreachable ||
         state == S::kFalseAlarm || state == S::kHandedOver;
}

}  // namespace fz::workflow
