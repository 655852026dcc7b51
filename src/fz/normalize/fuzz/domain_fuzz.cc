// Fuzzes NormalizeDomain: any bytes give a result or an error, never a crash. An accepted name
// is a fixed point, from its ASCII form and from its Unicode form, and its public suffix and
// registrable domain are suffixes of it on a label boundary. NormalizeDomainName gives the same
// name or the same error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/match.h"
#include "fz/normalize/domain.h"

namespace {

void Check(bool invariant) {
  if (!invariant) __builtin_trap();
}

bool IsLabelSuffix(const std::string& name, const std::string& suffix) {
  return name == suffix || absl::EndsWith(name, "." + suffix);
}

bool SameName(const fz::normalize::DomainInfo& a, const fz::normalize::DomainInfo& b) {
  return a.domain == b.domain && a.unicode == b.unicode &&
         a.registrable_domain == b.registrable_domain && a.public_suffix == b.public_suffix &&
         a.is_idn == b.is_idn;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fz::normalize;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  fz::StatusOr<DomainInfo> d = NormalizeDomain(raw);
  fz::StatusOr<std::string> name = NormalizeDomainName(raw);
  Check(name.ok() == d.ok());
  if (!d.ok()) {
    Check(d.status().code() == absl::StatusCode::kInvalidArgument);
    Check(name.status() == d.status());
    return 0;
  }
  Check(*name == d->domain);
  Check(!d->domain.empty() && d->domain.size() <= 253 && d->domain.back() != '.');
  for (char c : d->domain) {
    Check((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.');
  }
  Check(d->is_idn == (d->domain != d->unicode));
  Check(!d->public_suffix.empty() && IsLabelSuffix(d->domain, d->public_suffix));
  Check(d->registrable_domain.empty() || IsLabelSuffix(d->domain, d->registrable_domain));

  fz::StatusOr<DomainInfo> from_ascii = NormalizeDomain(d->domain);
  Check(from_ascii.ok() && SameName(*from_ascii, *d));
  fz::StatusOr<DomainInfo> from_unicode = NormalizeDomain(d->unicode);
  Check(from_unicode.ok() && SameName(*from_unicode, *d));
  return 0;
}
