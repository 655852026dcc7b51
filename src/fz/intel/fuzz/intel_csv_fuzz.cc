// Fuzzes the intelligence and whitelist CSV loaders on arbitrary bytes, then checks that every
// loaded row can be matched back and that nothing crashes. A violated invariant traps, so
// libFuzzer keeps the input; the corpus replay test runs the same checks in every build.
#include <cstdint>
#include <cstdio>
#include <string_view>
#include <vector>

#include "fz/intel/intel_store.h"

namespace {

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "intel_csv_fuzz: invariant violated: %s\n", what);
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const fz::model::FraudTypeRegistry types = fz::model::FraudTypeRegistry::WithBuiltins();
  fz::intel::IntelStore store;
  std::vector<fz::intel::RejectedIndicator> rejected;
  const fz::Status s = store.LoadCsvText(text, "fuzz.csv", types, &rejected);
  Check(rejected.size() == store.rejected_count(), "rejected count");
  for (const auto& r : rejected) Check(r.line > 0 && !r.reason.empty(), "rejection fields");
  const absl::Time now = absl::FromUnixSeconds(1795656600);
  // Lookups of arbitrary text never crash.
  (void)store.MatchPhone(text, now);
  (void)store.MatchDomain(text, now);
  (void)store.MatchUrl(text, now);
  (void)store.MatchAccount(text, now);
  (void)store.MatchIp(text, now);
  const size_t before = store.size();
  if (s.ok()) (void)store.LoadWhitelistCsvText(text, "fuzz.csv", nullptr);
  Check(store.size() <= before, "whitelisting never adds");
  Check(store.MemoryBytes() > 0, "memory");
  return 0;
}
