#include "fz/api/json_util.h"

#include <cctype>

#include "absl/time/civil_time.h"
#include "fz/common/str_cat.h"
#include "fz/common/strings.h"

namespace fz::api {
namespace {

const absl::TimeZone& ChinaZone() {
  static const absl::TimeZone* zone = new absl::TimeZone(absl::FixedTimeZone(8 * 3600));
  return *zone;
}

Status FieldError(std::string_view field, std::string_view message) {
  return absl::InvalidArgumentError(fz::StrCat(field, ": ", message));
}

const nlohmann::json* Member(const nlohmann::json& object, std::string_view field) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(std::string(field));
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string_view CodeName(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
      return "invalid_argument";
    case absl::StatusCode::kUnauthenticated:
      return "unauthenticated";
    case absl::StatusCode::kPermissionDenied:
      return "permission_denied";
    case absl::StatusCode::kNotFound:
      return "not_found";
    case absl::StatusCode::kAlreadyExists:
      return "already_exists";
    case absl::StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case absl::StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case absl::StatusCode::kUnavailable:
      return "unavailable";
    default:
      return "internal";
  }
}

bool IsFieldName(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '[' ||
          c == ']')) {
      return false;
    }
  }
  return true;
}

}  // namespace

int JsonDepth(std::string_view text, int limit) {
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) max_depth = depth;
      if (max_depth > limit) return max_depth;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

StatusOr<nlohmann::json> ParseJsonBody(std::string_view body, int max_depth) {
  if (body.empty()) return absl::InvalidArgumentError("body: empty, a JSON document is required");
  if (JsonDepth(body, max_depth) > max_depth) {
    return absl::InvalidArgumentError(
        fz::StrCat("body: JSON nested deeper than ", max_depth, " levels"));
  }
  try {
    return nlohmann::json::parse(body.begin(), body.end());
  } catch (const nlohmann::json::parse_error& e) {
    // The library's message names the byte offset and, for bad UTF-8, says so.
    return absl::InvalidArgumentError(fz::StrCat("body: ", e.what()));
  }
}

StatusOr<std::string> RequiredString(const nlohmann::json& object, std::string_view field) {
  FZ_ASSIGN_OR_RETURN(std::optional<std::string> v, OptionalString(object, field));
  if (!v || v->empty()) return FieldError(field, "required");
  return *v;
}

StatusOr<std::optional<std::string>> OptionalString(const nlohmann::json& object,
                                                    std::string_view field) {
  const nlohmann::json* v = Member(object, field);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return FieldError(field, "must be a string");
  return std::optional<std::string>(v->get<std::string>());
}

StatusOr<std::optional<int64_t>> OptionalInt(const nlohmann::json& object, std::string_view field) {
  const nlohmann::json* v = Member(object, field);
  if (v == nullptr) return std::optional<int64_t>();
  if (v->is_number_integer()) return std::optional<int64_t>(v->get<int64_t>());
  if (v->is_string()) {  // ids beyond 2^53 travel as strings for JavaScript clients
    int64_t out = 0;
    if (fz::ParseDecimal(v->get<std::string>(), &out)) return std::optional<int64_t>(out);
  }
  return FieldError(field, "must be an integer");
}

StatusOr<std::optional<double>> OptionalNumber(const nlohmann::json& object,
                                               std::string_view field) {
  const nlohmann::json* v = Member(object, field);
  if (v == nullptr) return std::optional<double>();
  if (!v->is_number()) return FieldError(field, "must be a number");
  return std::optional<double>(v->get<double>());
}

StatusOr<std::optional<bool>> OptionalBool(const nlohmann::json& object, std::string_view field) {
  const nlohmann::json* v = Member(object, field);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_boolean()) return FieldError(field, "must be true or false");
  return std::optional<bool>(v->get<bool>());
}

StatusOr<absl::Time> ParseTimeText(std::string_view text, std::string_view field) {
  int64_t ms = 0;
  if (fz::ParseDecimal(text, &ms)) return absl::FromUnixMillis(ms);
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &err)) return t;
  // A bare date means midnight in China.
  absl::CivilDay day;
  if (absl::ParseCivilTime(std::string(text), &day)) return absl::FromCivil(day, ChinaZone());
  return FieldError(field, fz::StrCat("'", text,
                                      "' is not a time (ISO 8601 with offset, a date "
                                      "YYYY-MM-DD, or epoch milliseconds)"));
}

StatusOr<std::optional<absl::Time>> OptionalTime(const nlohmann::json& object,
                                                 std::string_view field) {
  const nlohmann::json* v = Member(object, field);
  if (v == nullptr) return std::optional<absl::Time>();
  if (v->is_number_integer())
    return std::optional<absl::Time>(absl::FromUnixMillis(v->get<int64_t>()));
  if (!v->is_string()) return FieldError(field, "must be a time string or epoch milliseconds");
  FZ_ASSIGN_OR_RETURN(absl::Time t, ParseTimeText(v->get<std::string>(), field));
  return std::optional<absl::Time>(t);
}

StatusOr<std::optional<int64_t>> QueryInt(const http::Request& request, std::string_view name) {
  std::optional<std::string_view> v = request.Query(name);
  if (!v || v->empty()) return std::optional<int64_t>();
  int64_t out = 0;
  if (!fz::ParseDecimal(*v, &out)) return FieldError(name, "must be an integer");
  return std::optional<int64_t>(out);
}

StatusOr<std::optional<absl::Time>> QueryTime(const http::Request& request, std::string_view name) {
  std::optional<std::string_view> v = request.Query(name);
  if (!v || v->empty()) return std::optional<absl::Time>();
  FZ_ASSIGN_OR_RETURN(absl::Time t, ParseTimeText(*v, name));
  return std::optional<absl::Time>(t);
}

std::string CursorText(const TimeCursor& at) {
  return fz::StrCat(absl::ToUnixMicros(at.first), "_", at.second);
}

StatusOr<std::optional<TimeCursor>> CursorParam(const http::Request& request) {
  std::optional<std::string_view> v = request.Query("after");
  if (!v || v->empty()) return std::optional<TimeCursor>();
  const size_t sep = v->find('_');
  int64_t us = 0, id = 0;
  if (sep == std::string_view::npos || !fz::ParseDecimal(v->substr(0, sep), &us) ||
      !fz::ParseDecimal(v->substr(sep + 1), &id)) {
    return absl::InvalidArgumentError("after: not a cursor from a previous page's 'next'");
  }
  return std::optional<TimeCursor>(TimeCursor{absl::FromUnixMicros(us), id});
}

std::string TimeText(absl::Time t) {
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) return "";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3S%Ez", t, ChinaZone());
}

nlohmann::json TimeOrNull(const std::optional<absl::Time>& t) {
  if (!t) return nullptr;
  return TimeText(*t);
}

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

http::Response ErrorResponse(const Status& status) {
  const int code = HttpStatusFor(status);
  std::string message(status.message());
  std::string field;
  if (code == 400) {
    const size_t colon = message.find(": ");
    if (colon != std::string::npos && IsFieldName(std::string_view(message).substr(0, colon))) {
      field = message.substr(0, colon);
    }
  }
  if (code == 500) message = fz::StrCat("internal error: ", message);
  return http::Response::Error(code, CodeName(status.code()), message, field);
}

http::Response JsonResponse(int status, const nlohmann::json& body) {
  return http::Response::Json(status,
                              body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace fz::api
