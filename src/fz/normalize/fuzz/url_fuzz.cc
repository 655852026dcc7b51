// Fuzzes NormalizeUrl: any bytes give a result or an error, never a crash. An accepted URL is
// printable ASCII, is a fixed point, and its parts are consistent with the whole.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "fz/normalize/url.h"

namespace {

void Check(bool invariant) {
  if (!invariant) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fz::normalize;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  fz::StatusOr<UrlInfo> u = NormalizeUrl(raw);
  if (!u.ok()) {
    Check(u.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  for (char c : u->url) Check(c > ' ' && c < 0x7F && c != '#');
  Check(u->scheme == "http" || u->scheme == "https");
  Check(absl::StartsWith(u->url, absl::StrCat(u->scheme, "://")));
  Check(absl::StartsWith(u->path_and_query, "/") && absl::EndsWith(u->url, u->path_and_query));
  Check(u->domain.has_value() != u->ip.has_value());
  Check(u->host == (u->domain.has_value() ? u->domain->domain : u->ip->canonical));
  Check(u->port >= 0 && u->port <= 65535);

  fz::StatusOr<UrlInfo> again = NormalizeUrl(u->url);
  Check(again.ok());
  Check(again->url == u->url && again->host == u->host && again->port == u->port &&
        again->path_and_query == u->path_and_query && !again->had_userinfo);
  return 0;
}
