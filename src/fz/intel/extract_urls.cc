// ExtractUrls: links in SMS and report text. Text is cut into tokens of URL characters (CJK
// text, full-width punctuation, spaces, quotes and brackets end a token); each token yields an
// http(s):// URL where a scheme appears, and bare names ("www.x.top", "x.top/path") elsewhere.
#include <cstring>
#include <string_view>
#include <vector>

#include "fz/intel/text_patterns.h"

namespace fz::intel {
namespace {

bool IsUrlByte(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  if (c <= 0x20 || c >= 0x7F) return false;
  switch (c) {
    case '"':
    case '\'':
    case '`':
    case '<':
    case '>':
    case '(':
    case ')':
    case '[':
    case ']':
    case '{':
    case '}':
    case '\\':
    case '|':
    case '^':
      return false;
    default:
      return true;
  }
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
bool IsHostByte(char c) { return IsAlnum(c) || c == '.' || c == '-' || c == '_'; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// A name of 2+ non-empty labels whose last label is 2+ letters or an "xn--" IDN label: "3.5",
// "1.2.3" and "v2.0" are not names.
bool IsDomainName(std::string_view host) {
  const size_t dot = host.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const std::string_view tld = host.substr(dot + 1);
  bool alpha = tld.size() >= 2;
  for (char c : tld) alpha = alpha && IsAlpha(c);
  const bool idn = tld.size() > 4 && Lower(tld[0]) == 'x' && Lower(tld[1]) == 'n' &&
                   tld[2] == '-' && tld[3] == '-';
  if (!alpha && !idn) return false;
  for (size_t i = 0; i < host.size(); ++i) {
    if (host[i] == '.' && (i == 0 || host[i - 1] == '.')) return false;  // empty label
  }
  return true;
}

// Browsers read hosts like "1.2.3.4", "3232235777" and "0x7f.1" as IPv4 addresses.
bool IsIpv4Form(std::string_view host) {
  if (host.empty()) return false;
  for (char c : host) {
    if (!IsDigit(c) && c != '.' && c != 'x' && c != 'X' && !IsAlpha(c)) return false;
  }
  const std::string_view last = host.substr(host.rfind('.') + 1);
  if (last.empty()) return false;
  bool digits = true;
  for (char c : last) digits = digits && IsDigit(c);
  const bool hex = last.size() > 2 && last[0] == '0' && Lower(last[1]) == 'x';
  return digits || hex;
}

std::string_view TrimTrailingPunctuation(std::string_view s) {
  while (!s.empty()) {
    const char c = s.back();
    if (c != '.' && c != ',' && c != ';' && c != ':' && c != '!' && c != '?') break;
    s.remove_suffix(1);
  }
  return s;
}

// Position of "http://" or "https://" (any case) in `token` at or after `from`, and its length.
size_t FindScheme(std::string_view token, size_t from, size_t* scheme_len) {
  for (size_t i = from; i + 7 <= token.size(); ++i) {
    if (Lower(token[i]) != 'h' || Lower(token[i + 1]) != 't' || Lower(token[i + 2]) != 't' ||
        Lower(token[i + 3]) != 'p') {
      continue;
    }
    size_t j = i + 4;
    if (Lower(token[j]) == 's') ++j;
    if (token.substr(j, 3) == "://") {
      *scheme_len = j + 3 - i;
      return i;
    }
  }
  return std::string_view::npos;
}

// An http(s) URL running from the scheme to the end of the token, if its host is plausible.
void TakeSchemeUrl(std::string_view url, size_t scheme_len, std::vector<std::string_view>* out) {
  url = TrimTrailingPunctuation(url);
  std::string_view authority = url.substr(scheme_len);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority.substr(0, authority.find(':'));
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  bool host_bytes = !host.empty();
  for (char c : host) host_bytes = host_bytes && IsHostByte(c);
  if (host_bytes && (IsDomainName(host) || IsIpv4Form(host))) out->push_back(url);
}

// Bare names in a token without a scheme: "www.x.top", "x.top/path?q", "x.top:8080/a".
void TakeBareUrls(std::string_view s, std::vector<std::string_view>* out) {
  size_t i = 0;
  while (i < s.size()) {
    if (!IsAlnum(s[i])) {
      ++i;
      continue;
    }
    const size_t start = i;
    while (i < s.size() && IsHostByte(s[i])) ++i;
    std::string_view host = s.substr(start, i - start);
    while (!host.empty() && (host.back() == '.' || host.back() == '-')) host.remove_suffix(1);
    if (!IsDomainName(host)) continue;
    size_t end = start + host.size();
    if (end == i && end < s.size()) {
      size_t j = end;
      if (s[j] == ':') {  // port
        ++j;
        while (j < s.size() && IsDigit(s[j])) ++j;
        if (j > end + 1) end = j;
      }
      if (end < s.size() && (s[end] == '/' || s[end] == '?' || s[end] == '#')) end = s.size();
    }
    const std::string_view url = TrimTrailingPunctuation(s.substr(start, end - start));
    out->push_back(url);
    i = std::max(i, start + url.size());
  }
}

void ExtractFromToken(std::string_view token, std::vector<std::string_view>* out) {
  size_t scheme_len = 0;
  const size_t p = FindScheme(token, 0, &scheme_len);
  if (p == std::string_view::npos) {
    TakeBareUrls(token, out);
    return;
  }
  TakeBareUrls(token.substr(0, p), out);
  // The URL runs to the end of the token: a query may itself hold "=https://...".
  TakeSchemeUrl(token.substr(p), scheme_len, out);
}

}  // namespace

bool MayHoldUrl(std::string_view text) {
  // Every URL ExtractUrls returns has a scheme ("://") or a host whose last label starts with a
  // letter right after a dot (IsDomainName: 2+ letters or "xn--"). Two memchr walks rule out
  // the usual SMS ("消费100.00元") instead of cutting every byte into tokens.
  const char* const end = text.data() + text.size();
  for (const char* p = text.data(); p < end;) {
    p = static_cast<const char*>(std::memchr(p, '.', static_cast<size_t>(end - p)));
    if (p == nullptr) break;
    if (++p < end && IsAlpha(*p)) return true;
  }
  for (const char* p = text.data(); p < end;) {
    p = static_cast<const char*>(std::memchr(p, ':', static_cast<size_t>(end - p)));
    if (p == nullptr) break;
    if (end - p >= 3 && p[1] == '/' && p[2] == '/') return true;
    ++p;
  }
  return false;
}

namespace internal {
void ExtractUrlsUnscreened(std::string_view text, std::vector<std::string_view>* out) {
  out->clear();
  size_t i = 0;
  while (i < text.size()) {
    if (!IsUrlByte(text[i])) {
      ++i;
      continue;
    }
    const size_t start = i;
    while (i < text.size() && IsUrlByte(text[i])) ++i;
    // A token needs a dot to hold a name or an address worth a look.
    const std::string_view token = text.substr(start, i - start);
    if (token.find('.') != std::string_view::npos || token.find("://") != std::string_view::npos) {
      ExtractFromToken(token, out);
    }
  }
}

}  // namespace internal

void ExtractUrls(std::string_view text, std::vector<std::string_view>* out) {
  if (!MayHoldUrl(text)) {
    out->clear();
    return;
  }
  internal::ExtractUrlsUnscreened(text, out);
}

std::vector<std::string_view> ExtractUrls(std::string_view text) {
  std::vector<std::string_view> out;
  ExtractUrls(text, &out);
  return out;
}

}  // namespace fz::intel
