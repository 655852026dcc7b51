// Domain name normalization: one ASCII form per name, so that "中国银行.中国", "WWW.Example.COM."
// and the punycode a phishing kit prints all compare equal, plus the registrable domain
// (eTLD+1) that a takedown request or a blocklist entry is keyed on.
//
//   StatusOr<DomainInfo> d = NormalizeDomain("A.B.Example.com.cn");
//   // d->domain == "a.b.example.com.cn", d->registrable_domain == "example.com.cn",
//   // d->public_suffix == "com.cn"
//
// IDNs are converted with libidn2 (IDNA2008 + UTS #46 non-transitional mapping, falling back to
// transitional mapping for code points IDNA2008 disallows, e.g. emoji, as curl does). Public
// suffixes come from libpsl's built-in Public Suffix List, ICANN and private sections (so
// "evil.github.io" is registrable on its own); if libpsl has no built-in list it loads the
// system file (/usr/share/publicsuffix), and failing that treats the last label as the suffix.
//
// Thread-safe; the PSL is loaded once on first use.
#pragma once

#include <string>
#include <string_view>

#include "fz/common/status.h"

namespace fz::normalize {

struct DomainInfo {
  std::string domain;              // ASCII, lower case, A-labels ("xn--..."), no trailing dot
  std::string unicode;             // the same name with U-labels: "中国银行.中国"
  std::string registrable_domain;  // eTLD+1 (ASCII); "" when `domain` is itself a public suffix
  std::string public_suffix;       // longest matching public suffix (ASCII): "com.cn"
  bool is_idn = false;             // some label is an A-label
};

// Accepts a bare host name in any case, with an optional trailing dot, in ASCII or Unicode
// (full-width letters and the ideographic full stop "。" are mapped). Rejects: '/', ':', '@'
// and other characters outside letters, digits, '-' and '_' (underscores are accepted because
// browsers resolve them and fraud sites use them in subdomains); labels that are empty, longer
// than 63 bytes in ASCII form, or start or end with '-'; names longer than 253 bytes; invalid
// A-labels; invalid UTF-8; and names whose last label is numeric (those are IPv4 addresses: see
// NormalizeIp). Error messages name the offending label.
StatusOr<DomainInfo> NormalizeDomain(std::string_view raw);

// NormalizeDomain(raw)->domain alone, with the same checks and errors: without the Unicode form
// and the public suffix look-up (libpsl, most of the cost), which event rows and intelligence
// loading do not need.
StatusOr<std::string> NormalizeDomainName(std::string_view raw);

// The event path's shortcut (domain_plain.cc): when `raw` is a plain name of at most 32 bytes
// (letters, digits, '-', '_' and single dots; no A-label; a last label not starting with a
// digit), writes NormalizeDomainName(raw) -- the lower-cased input -- into `*out` and returns
// true. Otherwise returns false and leaves `*out` as it was; NormalizeDomainName decides.
bool PlainDomainNameTo(std::string_view raw, std::string* out);

}  // namespace fz::normalize
