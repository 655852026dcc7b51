// Percent-decoding of request targets (RFC 3986): the path and the query string of
// "/api/warnings?level=red&limit=50". Used by the server before a handler sees a Request.
//
//   FZ_ASSIGN_OR_RETURN(std::string path, http::PercentDecode("/a%20b", /*plus_is_space=*/false));
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "fz/common/status.h"

namespace fz::http {

// Decodes %XX escapes; with plus_is_space, '+' becomes ' ' (query strings). A '%' not followed
// by two hex digits is InvalidArgument.
StatusOr<std::string> PercentDecode(std::string_view in, bool plus_is_space);

// Splits "a=1&b=x%20y&c" into {a: 1, b: "x y", c: ""}; empty pairs are skipped.
StatusOr<std::multimap<std::string, std::string>> ParseQuery(std::string_view query);

struct DecodedTarget {
  std::string path;
  std::multimap<std::string, std::string> query;
};

// "/p%41th?x=1" → {"/pAth", {x: 1}}. The fragment, if a client sends one, is dropped.
StatusOr<DecodedTarget> DecodeTarget(std::string_view target);

}  // namespace fz::http
