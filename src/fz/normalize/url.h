// URL normalization for links reported in fraud SMS, chat messages and victim statements: one
// string per resource, so that "HTTP://WWW.Abc-Bank.TOP:80/a/./b#x" and "www.abc-bank.top/a/b"
// count as the same link, with the host broken out for domain and IP intelligence.
//
//   StatusOr<UrlInfo> u = NormalizeUrl("HTTPS://user@中国银行.中国:443/%7Euser/../pay?id=1#top");
//   // u->url == "https://xn--fiqs8s856bruk.xn--fiqs8s/pay?id=1", u->had_userinfo == true
//
// Follows browsers (WHATWG URL Standard) where they differ from RFC 3986, because the question
// is where a victim's browser goes: backslashes after the host count as '/', any number of
// slashes may follow "http:", and hosts like "3232235777" or "0x7f.1" are IPv4 addresses.
// Pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fz/common/status.h"
#include "fz/normalize/domain.h"
#include "fz/normalize/ip.h"

namespace fz::normalize {

struct UrlInfo {
  // scheme "://" host [":" port] path_and_query. Userinfo and fragment are dropped, a default
  // port is dropped, an empty path becomes "/", an empty query ("?" alone) is dropped.
  std::string url;
  std::string scheme;  // "http" or "https"
  // DomainInfo::domain, IpInfo::canonical for IPv4, or the IPv6 canonical form without the
  // brackets it has in `url`.
  std::string host;
  int port = 0;  // effective port: explicit, else the scheme's default (80, 443)
  // Path with dot segments removed, then "?query" if the query is not empty. Percent-encoded
  // unreserved characters are decoded, other escapes use upper-case hex, and bytes that may
  // not appear literally (space, non-ASCII, '"', '<', '>', '^', '`', '{', '|', '}', a stray
  // '%') are percent-encoded.
  std::string path_and_query;
  std::optional<DomainInfo> domain;  // set when the host is a name
  std::optional<IpInfo> ip;          // set when the host is an IP literal
  // "http://www.icbc.com.cn@evil.top/" goes to evil.top: a classic phishing disguise, so the
  // fact is kept even though the userinfo itself is not part of `url`.
  bool had_userinfo = false;
};

// Accepts an absolute http(s) URL, a scheme-relative one ("//host/x") or a bare "host/path"
// (scheme http). Rejects other schemes, a missing or malformed host or port, ASCII control
// characters, and input over 8 KiB. Errors name the part that is wrong.
StatusOr<UrlInfo> NormalizeUrl(std::string_view raw);

}  // namespace fz::normalize
