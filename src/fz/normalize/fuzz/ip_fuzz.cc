// Fuzzes NormalizeIp and the URL-host IPv4 parser: any bytes give a result or an error, never a
// crash; a canonical form normalizes to itself with the same class.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fz/normalize/ip.h"

namespace {

void Check(bool invariant) {
  if (!invariant) __builtin_trap();
}

void CheckFixedPoint(const fz::normalize::IpInfo& ip) {
  Check(ip.version == 4 || ip.version == 6);
  Check(int{ip.is_private} + int{ip.is_loopback} + int{ip.is_reserved} <= 1);
  fz::StatusOr<fz::normalize::IpInfo> again = fz::normalize::NormalizeIp(ip.canonical);
  Check(again.ok());
  Check(again->canonical == ip.canonical && again->version == ip.version &&
        again->is_private == ip.is_private && again->is_loopback == ip.is_loopback &&
        again->is_reserved == ip.is_reserved);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fz::normalize;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  fz::StatusOr<IpInfo> ip = NormalizeIp(raw);
  if (ip.ok()) {
    CheckFixedPoint(*ip);
  } else {
    Check(ip.status().code() == absl::StatusCode::kInvalidArgument);
  }
  if (HostEndsInNumber(raw)) {
    fz::StatusOr<IpInfo> host = ParseUrlIpv4Host(raw);
    if (host.ok()) {
      Check(host->version == 4);
      CheckFixedPoint(*host);
    }
  }
  return 0;
}
