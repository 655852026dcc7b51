// Status and StatusOr for fanzha: absl::Status everywhere a thing can fail on input.
//
//   absl::StatusOr<Unit> ParseUnit(std::string_view row) {
//     FZ_ASSIGN_OR_RETURN(UnitCode code, ParseUnitCode(field));
//     FZ_RETURN_IF_ERROR(CheckParent(code));
//     return Unit{...};
//   }
//
// Policy (STYLE.md): bad input is a Status, a counter and a quarantined item, never a crash.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace fz {

using Status = absl::Status;
template <typename T>
using StatusOr = absl::StatusOr<T>;

}  // namespace fz

#define FZ_STATUS_CONCAT_INNER_(a, b) a##b
#define FZ_STATUS_CONCAT_(a, b) FZ_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (an absl::Status) is not OK.
#define FZ_RETURN_IF_ERROR(expr)              \
  do {                                        \
    const ::absl::Status fz_status_ = (expr); \
    if (!fz_status_.ok()) return fz_status_;  \
  } while (false)

// `lhs` is a declaration or an lvalue; `rexpr` yields absl::StatusOr<T>. On error the status
// is returned from the enclosing function; on success the value is moved into `lhs`.
#define FZ_ASSIGN_OR_RETURN(lhs, rexpr) \
  FZ_ASSIGN_OR_RETURN_IMPL_(FZ_STATUS_CONCAT_(fz_statusor_, __LINE__), lhs, rexpr)

#define FZ_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr)    \
  auto statusor = (rexpr);                                 \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()
