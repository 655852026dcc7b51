#include "fz/http/router.h"

#include <algorithm>
#include <set>

#include "fz/common/str_cat.h"

namespace fz::http {
namespace {

// "/api/warnings/{id}" → {"api", "warnings", "{id}"}; a trailing slash is a (empty) segment so
// "/a/" and "/a" stay distinct routes.
std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    segments.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool IsParam(const std::string& segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

bool Matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path) {
  if (pattern.size() != path.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (!IsParam(pattern[i]) && pattern[i] != path[i]) return false;
  }
  return true;
}

// True when `a` is more specific than `b`: at the first segment where one is literal and the
// other a parameter, the literal wins.
bool MoreSpecific(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    bool a_param = IsParam(a[i]);
    bool b_param = IsParam(b[i]);
    if (a_param != b_param) return !a_param;
  }
  return false;
}

}  // namespace

void Router::Add(std::string_view method, std::string_view pattern, Handler handler) {
  entries_.push_back(
      Entry{std::string(method), std::string(pattern), SplitPath(pattern), std::move(handler)});
}

Response Router::Dispatch(Request& request) const {
  std::vector<std::string> path = SplitPath(request.path);
  const Entry* best = nullptr;
  std::set<std::string> allowed;
  for (const Entry& entry : entries_) {
    if (!Matches(entry.segments, path)) continue;
    allowed.insert(entry.method);
    if (entry.method != request.method) continue;
    if (best == nullptr || MoreSpecific(entry.segments, best->segments)) best = &entry;
  }
  if (best == nullptr) {
    if (allowed.empty()) {
      return Response::Error(404, "not_found", StrCat("no route for ", request.path));
    }
    std::string allow;
    for (const std::string& method : allowed) {
      if (!allow.empty()) allow += ", ";
      allow += method;
    }
    Response response = Response::Error(
        405, "method_not_allowed", StrCat(request.method, " is not allowed on ", request.path));
    response.headers.push_back({"Allow", allow});
    return response;
  }
  request.path_params.clear();
  for (size_t i = 0; i < best->segments.size(); ++i) {
    const std::string& segment = best->segments[i];
    if (IsParam(segment)) {
      request.path_params[segment.substr(1, segment.size() - 2)] = path[i];
    }
  }
  return best->handler(request);
}

std::vector<Router::Route> Router::Routes() const {
  std::vector<Route> routes;
  routes.reserve(entries_.size());
  for (const Entry& entry : entries_) routes.push_back({entry.method, entry.pattern});
  return routes;
}

}  // namespace fz::http
