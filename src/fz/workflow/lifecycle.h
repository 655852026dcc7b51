// The warning lifecycle: which transitions exist, who may make them, and which unit scope an
// actor has (docs/workflow.md "Transitions and who may make them").
//
//   FZ_RETURN_IF_ERROR(CheckTransition(id, WarningState::kDispatched, WarningState::kAccepted,
//                                      officer, unit_path));
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fz/common/status.h"
#include "fz/model/ids.h"
#include "fz/workflow/state.h"

namespace fz::workflow {

// States reachable from `from` in one transition, in table order.
std::vector<WarningState> AllowedTargets(WarningState from);

// True when the transition exists at all (ignoring who asks).
bool IsTransition(WarningState from, WarningState to);

// The unit path of a warning: "/640100/640104/640104001/" (root first, '/' around each code),
// so that "is this warning in my subtree" is a prefix test, in C++ and in SQL.
std::string UnitPath(const std::vector<model::UnitCode>& root_first);
// The last code of a unit path ("640104001"); "" for an empty path.
std::string_view UnitOfPath(std::string_view unit_path);
// The path of the parent of the path's last unit ("/640100/640104/"), "" for the root.
std::string_view ParentPath(std::string_view unit_path);

// True when the actor may see and act on a warning whose unit path is `unit_path`: city-wide
// roles everywhere, the others when their unit appears in the path.
bool InScope(const Actor& actor, std::string_view unit_path);

// OK, or FailedPrecondition naming the warning, both states and the allowed targets, or
// PermissionDenied naming the role (or the unit scope) that may not do it.
Status CheckTransition(model::WarningId id, WarningState from, WarningState to, const Actor& actor,
                       std::string_view unit_path);

// States that end active work (an outcome was recorded).
bool IsOutcome(WarningState state);

}  // namespace fz::workflow
