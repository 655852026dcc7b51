#include "fz/normalize/url.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "fz/common/str_cat.h"
#include "fz/normalize/text.h"

namespace fz::normalize {
namespace {

constexpr size_t kMaxUrlBytes = 8192;

Status UrlError(std::string_view why) { return absl::InvalidArgumentError(StrCat("URL ", why)); }

// Untrusted text for an error message.
std::string Shown(std::string_view text) {
  text = text.substr(0, 64);
  return absl::CHexEscape(absl::string_view(text.data(), text.size()));
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = absl::ascii_tolower(c);
  return out;
}

bool IsSchemeChar(char c) { return absl::ascii_isalnum(c) || c == '+' || c == '-' || c == '.'; }

bool IsUnreserved(char c) {
  return absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 3986 pchar plus '/' (and '?' in a query), minus '%' which is handled separately.
bool MayAppearLiterally(char c, bool in_query) {
  if (IsUnreserved(c)) return true;
  switch (c) {
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
    case '/':
      return true;
    case '?':
      return in_query;
    default:
      return false;
  }
}

int HexValue(char c) {
  return absl::ascii_isdigit(c) ? c - '0' : absl::ascii_tolower(c) - 'a' + 10;
}

bool IsEscapeAt(std::string_view s, size_t i) {
  return i + 2 < s.size() && s[i] == '%' && absl::ascii_isxdigit(s[i + 1]) &&
         absl::ascii_isxdigit(s[i + 2]);
}

// One spelling per byte sequence: escapes of unreserved characters are decoded (RFC 3986
// 6.2.2.2), other escapes get upper-case hex, and anything that may not appear literally,
// including a '%' that starts no escape, is escaped.
std::string NormalizeEscapes(std::string_view s, bool in_query) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsEscapeAt(s, i)) {
      char decoded = static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      if (IsUnreserved(decoded)) {
        out += decoded;
      } else {
        StrAppend(&out, '%', absl::ascii_toupper(s[i + 1]), absl::ascii_toupper(s[i + 2]));
      }
      i += 2;
    } else if (s[i] != '%' && MayAppearLiterally(s[i], in_query)) {
      out += s[i];
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      auto byte = static_cast<unsigned char>(s[i]);
      StrAppend(&out, '%', kHex[byte >> 4], kHex[byte & 0xF]);
    }
  }
  return out;
}

// RFC 3986 5.2.4 on a path that starts with '/'.
std::string RemoveDotSegments(std::string_view path) {
  std::vector<std::string_view> out;
  for (size_t start = 1, end = 0; start <= path.size(); start = end + 1) {
    end = std::min(path.find('/', start), path.size());
    bool last = end == path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "." || segment == "..") {
      if (segment == ".." && !out.empty()) out.pop_back();
      if (last) out.emplace_back();  // "/a/b/.." is the directory "/a/"
      continue;
    }
    out.push_back(segment);
  }
  std::string joined;
  for (std::string_view segment : out) StrAppend(&joined, '/', segment);
  return joined.empty() ? "/" : joined;
}

std::string NormalizePath(std::string_view raw_path) {
  std::string path(raw_path);
  std::replace(path.begin(), path.end(), '\\', '/');  // browsers do this for http(s)
  if (path.empty()) return "/";
  return RemoveDotSegments(NormalizeEscapes(path, /*in_query=*/false));
}

struct SchemeSplit {
  std::string scheme;
  std::string_view rest;  // after "scheme:" and its slashes
  bool bare = false;      // neither a scheme nor "//": "www.abc-bank.top/x"
};

StatusOr<SchemeSplit> SplitScheme(std::string_view text) {
  size_t end = 0;
  if (!text.empty() && absl::ascii_isalpha(text[0])) {
    while (end < text.size() && IsSchemeChar(text[end])) ++end;
  }
  bool has_scheme = end > 0 && end < text.size() && text[end] == ':';
  // "host:8080/x" is a host and a port, not a scheme named "host".
  if (has_scheme && end + 1 < text.size() && absl::ascii_isdigit(text[end + 1])) {
    has_scheme = false;
  }
  SchemeSplit split{"http", text, false};
  if (has_scheme) {
    split.scheme = AsciiLower(text.substr(0, end));
    if (split.scheme != "http" && split.scheme != "https") {
      return UrlError(StrCat("scheme '", Shown(split.scheme), "' is not supported (http, https)"));
    }
    split.rest = text.substr(end + 1);
  } else if (!text.starts_with("//")) {
    split.bare = true;
    return split;
  }
  // Browsers accept any run of '/' and '\' here: http:\\evil.top goes to evil.top.
  size_t host_start = split.rest.find_first_not_of("/\\");
  split.rest = host_start == std::string_view::npos ? "" : split.rest.substr(host_start);
  return split;
}

StatusOr<int> ParsePort(std::string_view text, int default_port) {
  if (text.empty()) return default_port;
  if (!std::all_of(text.begin(), text.end(), absl::ascii_isdigit)) {
    return UrlError(StrCat("port '", Shown(text), "' is not a number"));
  }
  size_t first = text.find_first_not_of('0');
  text = first == std::string_view::npos ? "0" : text.substr(first);
  int port = 0;
  for (char c : text.substr(0, 6)) port = port * 10 + (c - '0');
  if (text.size() > 5 || port > 65535) {
    return UrlError(StrCat("port ", text, " is out of range (0-65535)"));
  }
  return port;
}

StatusOr<std::string> PercentDecodeHost(std::string_view host) {
  std::string out;
  for (size_t i = 0; i < host.size(); ++i) {
    if (host[i] != '%') {
      out += host[i];
    } else if (IsEscapeAt(host, i)) {
      out += static_cast<char>(HexValue(host[i + 1]) * 16 + HexValue(host[i + 2]));
      i += 2;
    } else {
      return UrlError(StrCat("host '", Shown(host), "' has a bad percent-escape"));
    }
  }
  return out;
}

// Fills host, domain or ip, and returns the host as written in the URL.
StatusOr<std::string> NormalizeHost(std::string_view raw_host, bool bracketed, UrlInfo& info) {
  if (bracketed) {
    StatusOr<IpInfo> ip = NormalizeIp(StrCat("[", raw_host, "]"));
    if (!ip.ok()) return UrlError(StrCat("host: ", ip.status().message()));
    info.ip = *ip;
  } else {
    FZ_ASSIGN_OR_RETURN(std::string host, PercentDecodeHost(raw_host));
    if (TrimAscii(host).empty()) return UrlError("has no host");
    std::string folded(TrimAscii(FoldFullWidth(host)));
    if (HostEndsInNumber(folded)) {
      StatusOr<IpInfo> ip = ParseUrlIpv4Host(folded);
      if (!ip.ok()) return UrlError(StrCat("host: ", ip.status().message()));
      info.ip = *ip;
    } else {
      StatusOr<DomainInfo> domain = NormalizeDomain(host);
      if (!domain.ok()) return UrlError(StrCat("host: ", domain.status().message()));
      info.host = domain->domain;
      info.domain = *std::move(domain);
      return info.host;
    }
  }
  info.host = info.ip->canonical;
  return info.ip->version == 6 ? StrCat("[", info.host, "]") : info.host;
}

// Splits "userinfo@host:port" and normalizes host and port.
StatusOr<std::string> NormalizeAuthority(std::string_view authority, UrlInfo& info) {
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    info.had_userinfo = true;
    authority = authority.substr(at + 1);
  }
  std::string_view host = authority;
  std::string_view port;
  bool bracketed = authority.starts_with('[');
  if (bracketed) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return UrlError("host has '[' without ']'");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after[0] != ':') {
      return UrlError(StrCat("has '", Shown(after), "' after the IPv6 host"));
    }
    port = after.empty() ? after : after.substr(1);
  } else if (size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  int default_port = info.scheme == "https" ? 443 : 80;
  FZ_ASSIGN_OR_RETURN(info.port, ParsePort(port, default_port));
  FZ_ASSIGN_OR_RETURN(std::string host_in_url, NormalizeHost(host, bracketed, info));
  if (info.port != default_port) StrAppend(&host_in_url, ":", info.port);
  return host_in_url;
}

}  // namespace

StatusOr<UrlInfo> NormalizeUrl(std::string_view raw) {
  std::string_view text = TrimAscii(raw);
  if (text.empty()) return UrlError("is empty");
  if (text.size() > kMaxUrlBytes) {
    return UrlError(StrCat("is ", text.size(), " bytes; at most ", kMaxUrlBytes));
  }
  if (std::any_of(text.begin(), text.end(),
                  [](char c) { return absl::ascii_iscntrl(static_cast<unsigned char>(c)); })) {
    return UrlError("contains a control character (tab, newline, NUL ...)");
  }
  UrlInfo info;
  FZ_ASSIGN_OR_RETURN(SchemeSplit split, SplitScheme(text));
  info.scheme = split.scheme;
  std::string_view rest =
      split.rest.substr(0, split.rest.find('#'));  // the fragment never reaches the server
  size_t authority_end = std::min(rest.find_first_of("/\\?"), rest.size());
  FZ_ASSIGN_OR_RETURN(std::string host_in_url,
                      NormalizeAuthority(rest.substr(0, authority_end), info));
  // Without a scheme, "点击领取" or "hello" would be a one-label host: text, not a link.
  if (split.bare && info.domain.has_value() && info.host.find('.') == std::string::npos) {
    return UrlError("has no scheme and its host has no dot; it is not a link");
  }
  std::string_view tail = rest.substr(authority_end);
  size_t question = std::min(tail.find('?'), tail.size());
  info.path_and_query = NormalizePath(tail.substr(0, question));
  if (question + 1 < tail.size()) {
    StrAppend(&info.path_and_query, "?",
              NormalizeEscapes(tail.substr(question + 1), /*in_query=*/true));
  }
  info.url = StrCat(info.scheme, "://", host_in_url, info.path_and_query);
  return info;
}

}  // namespace fz::normalize
