// Arbitrary bytes as a rules file: RuleSet::Parse must return a Status, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fz/detect/rule_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* types =
      new fz::model::FraudTypeRegistry(fz::model::FraudTypeRegistry::WithBuiltins());
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)fz::detect::RuleSet::Parse(text, "fuzz.toml", *types);
  return 0;
}
