// Request bodies and answers as JSON, with the limits and error shapes every endpoint shares.
//
//   FZ_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonBody(request.body));
//   FZ_ASSIGN_OR_RETURN(std::string note, OptionalString(body, "note"));
//   return ErrorResponse(status);  // 400 {"error":{"code":"invalid_argument","field":"note",...}}
//
// Field errors are InvalidArgument statuses whose message starts with the field name and a
// colon ("level: unknown level 'purple'"); ErrorResponse moves that name into "field".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/time/time.h"
#include "fz/common/status.h"
#include "fz/http/message.h"
#include "nlohmann/json.hpp"

namespace fz::api {

// Bodies nest at most this deep: a 1000-deep array is refused before it is parsed, so the
// parser's recursion is bounded.
inline constexpr int kMaxJsonDepth = 32;

// Parses `body` as one JSON value. Errors (InvalidArgument): empty body, nesting deeper than
// `max_depth`, invalid JSON or invalid UTF-8, with the byte offset.
StatusOr<nlohmann::json> ParseJsonBody(std::string_view body, int max_depth = kMaxJsonDepth);
// Nesting depth of a JSON text (strings skipped); stops counting past `limit`.
int JsonDepth(std::string_view text, int limit);

// Field getters. Absent or null → nullopt / default; wrong type → InvalidArgument naming it.
StatusOr<std::string> RequiredString(const nlohmann::json& object, std::string_view field);
StatusOr<std::optional<std::string>> OptionalString(const nlohmann::json& object,
                                                    std::string_view field);
StatusOr<std::optional<int64_t>> OptionalInt(const nlohmann::json& object, std::string_view field);
StatusOr<std::optional<double>> OptionalNumber(const nlohmann::json& object,
                                               std::string_view field);
StatusOr<std::optional<bool>> OptionalBool(const nlohmann::json& object, std::string_view field);
// ISO 8601 with offset ("2026-11-26T10:00:00+08:00") or epoch milliseconds.
StatusOr<std::optional<absl::Time>> OptionalTime(const nlohmann::json& object,
                                                 std::string_view field);
StatusOr<absl::Time> ParseTimeText(std::string_view text, std::string_view field);

// Query-string getters, same error convention.
StatusOr<std::optional<int64_t>> QueryInt(const http::Request& request, std::string_view name);
StatusOr<std::optional<absl::Time>> QueryTime(const http::Request& request, std::string_view name);

// List paging cursor for (time, id) keyset pages: "<unix micros>_<id>", opaque to clients.
using TimeCursor = std::pair<absl::Time, int64_t>;
std::string CursorText(const TimeCursor& at);
// ?after= as a cursor; nullopt when absent; InvalidArgument naming "after" when malformed.
StatusOr<std::optional<TimeCursor>> CursorParam(const http::Request& request);

// RFC 3339 in China time (UTC+8), the form every answer uses: "2026-11-26T10:00:00+08:00".
std::string TimeText(absl::Time t);
nlohmann::json TimeOrNull(const std::optional<absl::Time>& t);

// Status → HTTP: InvalidArgument 400, Unauthenticated 401, PermissionDenied 403, NotFound 404,
// AlreadyExists/FailedPrecondition 409, ResourceExhausted 429, Unavailable 503, else 500.
int HttpStatusFor(const Status& status);
http::Response ErrorResponse(const Status& status);
http::Response JsonResponse(int status, const nlohmann::json& body);

}  // namespace fz::api
