#include "fz/normalize/ip.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "fz/common/str_cat.h"
#include "fz/normalize/text.h"

namespace fz::normalize {
namespace {

// Longer than any textual address: "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]" is 47.
constexpr size_t kMaxIpText = 64;

using Bytes16 = std::array<uint8_t, 16>;

struct Prefix {
  std::array<uint8_t, 16> bytes;
  int bits;
};

bool InPrefix(const uint8_t* addr, const Prefix& prefix) {
  int full = prefix.bits / 8;
  if (std::memcmp(addr, prefix.bytes.data(), full) != 0) return false;
  int rest = prefix.bits % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (addr[full] & mask) == (prefix.bytes[full] & mask);
}

bool InAny(const uint8_t* addr, std::span<const Prefix> prefixes) {
  for (const Prefix& p : prefixes) {
    if (InPrefix(addr, p)) return true;
  }
  return false;
}

void ClassifyV4(const uint8_t* a, IpInfo& info) {
  static constexpr Prefix kLoopback[] = {{{127}, 8}};
  static constexpr Prefix kPrivate[] = {{{10}, 8}, {{172, 16}, 12}, {{192, 168}, 16}};
  static constexpr Prefix kReserved[] = {
      {{0}, 8},          {{100, 64}, 10},      {{169, 254}, 16},
      {{192, 0, 0}, 24}, {{192, 0, 2}, 24},    {{192, 88, 99}, 24},
      {{198, 18}, 15},   {{198, 51, 100}, 24}, {{203, 0, 113}, 24},
      {{224}, 4},        {{240}, 4},
  };
  info.is_loopback = InAny(a, kLoopback);
  info.is_private = !info.is_loopback && InAny(a, kPrivate);
  info.is_reserved = !info.is_loopback && !info.is_private && InAny(a, kReserved);
}

void ClassifyV6(const uint8_t* a, IpInfo& info) {
  static constexpr Prefix kLoopback[] = {{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128}};
  static constexpr Prefix kPrivate[] = {{{0xfc}, 7}};
  static constexpr Prefix kReserved[] = {
      {{0x00}, 8},                                 // ::/8 incl. unspecified, IPv4-compatible
      {{0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48},  // 64:ff9b:1::/48 local-use translation
      {{0x01, 0x00}, 64},                          // 100::/64 discard
      {{0x20, 0x01, 0x00, 0x02, 0x00, 0x00}, 48},  // 2001:2::/48 benchmarking
      {{0x20, 0x01, 0x0d, 0xb8}, 32},              // 2001:db8::/32 documentation
      {{0x3f, 0xff}, 20},                          // 3fff::/20 documentation (RFC 9637)
      {{0xfe, 0x80}, 10},                          // link-local
      {{0xfe, 0xc0}, 10},                          // site-local (deprecated)
      {{0xff}, 8},                                 // multicast
  };
  info.is_loopback = InAny(a, kLoopback);
  info.is_private = !info.is_loopback && InAny(a, kPrivate);
  info.is_reserved = !info.is_loopback && !info.is_private && InAny(a, kReserved);
}

IpInfo FromV4Bytes(const uint8_t* a) {
  IpInfo info;
  info.version = 4;
  info.canonical = StrCat(a[0], ".", a[1], ".", a[2], ".", a[3]);
  ClassifyV4(a, info);
  return info;
}

IpInfo FromV6Bytes(const Bytes16& a) {
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a.data(), kMappedPrefix, sizeof(kMappedPrefix)) == 0) {
    return FromV4Bytes(a.data() + 12);
  }
  IpInfo info;
  info.version = 6;
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, a.data(), text, sizeof(text));
  info.canonical = text;
  ClassifyV6(a.data(), info);
  return info;
}

std::string Escaped(std::string_view text) {
  return absl::CHexEscape(absl::string_view(text.data(), text.size()));
}

Status Invalid(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(StrCat("'", Escaped(text), "' is not an IP address: ", why));
}

// Splits on '.', dropping one trailing empty part ("1.2.3.4." is "1.2.3.4", like a DNS root).
std::vector<std::string_view> SplitHostParts(std::string_view host) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t dot = host.find('.', start);
    parts.push_back(host.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts.size() > 1 && parts.back().empty()) parts.pop_back();
  return parts;
}

// Parses one WHATWG IPv4 part; nullopt when malformed. Values saturate above 2^32 so that
// "99999999999999999999" is rejected as out of range rather than overflowing.
std::optional<uint64_t> ParseIpv4Part(std::string_view part) {
  int base = 10;
  if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    base = 16;
    part.remove_prefix(2);
  } else if (part.size() >= 2 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  uint64_t value = 0;
  for (char c : part) {
    int digit;
    if (absl::ascii_isdigit(c)) {
      digit = c - '0';
    } else if (base == 16 && absl::ascii_isxdigit(c)) {
      digit = absl::ascii_tolower(c) - 'a' + 10;
    } else {
      return std::nullopt;
    }
    if (digit >= base) return std::nullopt;
    value = value * base + digit;
    if (value > (uint64_t{1} << 32)) value = uint64_t{1} << 32;
  }
  return value;
}

}  // namespace

StatusOr<IpInfo> NormalizeIp(std::string_view raw) {
  std::string_view trimmed = TrimAscii(raw);
  if (trimmed.empty()) return absl::InvalidArgumentError("IP address is empty");
  if (trimmed.size() > kMaxIpText * 3) return Invalid(trimmed.substr(0, 16), "too long");
  std::string text(TrimAscii(FoldFullWidth(trimmed)));
  if (text.size() > kMaxIpText) return Invalid(text.substr(0, 16), "too long");
  if (text.find('\0') != std::string::npos) return Invalid(text, "contains a NUL byte");
  bool bracketed = text.size() >= 2 && text.front() == '[' && text.back() == ']';
  if (bracketed) text = text.substr(1, text.size() - 2);
  if (text.find('%') != std::string::npos) {
    return Invalid(text, "zone indices (%...) name an interface, not a host");
  }
  if (text.find(':') != std::string::npos) {
    Bytes16 bytes{};
    if (inet_pton(AF_INET6, text.c_str(), bytes.data()) != 1) {
      return Invalid(text, "malformed IPv6 address");
    }
    return FromV6Bytes(bytes);
  }
  if (bracketed) return Invalid(text, "only IPv6 addresses go in brackets");
  uint8_t bytes[4] = {};
  if (inet_pton(AF_INET, text.c_str(), bytes) != 1) {
    return Invalid(text, "expected four decimal numbers 0-255 without leading zeros");
  }
  return FromV4Bytes(bytes);
}

bool HostEndsInNumber(std::string_view host) {
  std::string_view last = SplitHostParts(host).back();
  if (!last.empty() && std::all_of(last.begin(), last.end(), absl::ascii_isdigit)) return true;
  if (last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X')) {
    return std::all_of(last.begin() + 2, last.end(), absl::ascii_isxdigit);
  }
  return false;
}

StatusOr<IpInfo> ParseUrlIpv4Host(std::string_view host) {
  if (host.size() > kMaxIpText) return Invalid(host.substr(0, 16), "too long");
  std::vector<std::string_view> parts = SplitHostParts(host);
  if (parts.size() > 4) return Invalid(host, "more than four parts");
  std::vector<uint64_t> values;
  for (std::string_view part : parts) {
    std::optional<uint64_t> value = part.empty() ? std::nullopt : ParseIpv4Part(part);
    if (!value.has_value()) return Invalid(host, StrCat("bad part '", Escaped(part), "'"));
    values.push_back(*value);
  }
  uint64_t address = 0;
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    if (values[i] > 255) return Invalid(host, "a part other than the last exceeds 255");
    address |= values[i] << (8 * (3 - i));
  }
  uint64_t last_limit = uint64_t{1} << (8 * (5 - values.size()));
  if (values.back() >= last_limit) return Invalid(host, "the last part is out of range");
  address |= values.back();
  uint8_t bytes[4] = {static_cast<uint8_t>(address >> 24), static_cast<uint8_t>(address >> 16),
                      static_cast<uint8_t>(address >> 8), static_cast<uint8_t>(address)};
  return FromV4Bytes(bytes);
}

}  // namespace fz::normalize
