// IP address normalization: one canonical text form per address, plus the coarse class that
// decides whether an address in a case file can identify anyone (a private or loopback
// address cannot be traced through a carrier).
//
//   StatusOr<IpInfo> ip = NormalizeIp("2001:0DB8:0000::0001");
//   // ip->canonical == "2001:db8::1", ip->version == 6, ip->is_reserved (documentation range)
//   StatusOr<IpInfo> v4 = NormalizeIp("::ffff:192.168.1.10");  // -> "192.168.1.10", version 4
//
// All functions are pure and thread-safe. Bad input of any bytes is an InvalidArgument status.
#pragma once

#include <string>
#include <string_view>

#include "fz/common/status.h"

namespace fz::normalize {

struct IpInfo {
  // inet_ntop form: dotted quad, or RFC 5952 compressed lower-case IPv6. An IPv4-mapped IPv6
  // address (::ffff:a.b.c.d) is the same host as a.b.c.d, so it becomes the IPv4 form.
  std::string canonical;
  int version = 4;  // 4 or 6
  // The flags are mutually exclusive: an address is at most one of them.
  bool is_private = false;   // RFC 1918 (10/8, 172.16/12, 192.168/16), IPv6 ULA fc00::/7
  bool is_loopback = false;  // 127/8, ::1
  // Other special-purpose blocks that are not globally reachable (IANA special-purpose
  // registries): this network, CGNAT 100.64/10, link-local, documentation, benchmarking,
  // multicast, 240/4 and broadcast; IPv6 ::/8, discard, documentation, link- and site-local,
  // multicast.
  bool is_reserved = false;
};

// Accepts a dotted-quad IPv4 address (no leading zeros: "010.1.1.1" is ambiguous between octal
// and decimal and is rejected) or an IPv6 address, optionally in brackets ("[::1]").
// Surrounding ASCII whitespace is ignored and full-width digits and punctuation are folded.
// Zone indices ("fe80::1%eth0") are rejected: they name an interface, not a host.
StatusOr<IpInfo> NormalizeIp(std::string_view raw);

// True when a URL host "ends in a number" (WHATWG URL Standard): its last dot-separated label
// (ignoring one trailing dot) is all decimal digits or "0x" followed by hex digits. Such a host
// is an IPv4 address, never a domain name; browsers resolve "http://3232235777/" to
// 192.168.1.1, a trick used to hide addresses in fraud SMS.
bool HostEndsInNumber(std::string_view host);

// Parses an IPv4 URL host the way browsers do (WHATWG IPv4 parser): one to four parts, each
// decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes.
// "0x7f.1" -> 127.0.0.1, "3232235777" -> 192.168.1.1. Errors when a part is malformed or out
// of range.
StatusOr<IpInfo> ParseUrlIpv4Host(std::string_view host);

}  // namespace fz::normalize
