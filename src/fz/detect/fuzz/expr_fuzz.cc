// Arbitrary bytes as a rule condition: compile for every event type; compiled programs are
// evaluated against a source that answers every field, so evaluation is fuzzed too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fz/detect/expr.h"

namespace {
class AnySource : public fz::detect::ValueSource {
 public:
  fz::detect::Value Get(const fz::detect::Node& node, std::string_view arg) override {
    const int f = static_cast<int>(node.field);
    if (f % 3 == 0) return fz::detect::Value::Number(f + static_cast<double>(arg.size()));
    if (f % 3 == 1) return fz::detect::Value::String(arg);
    return fz::detect::Value::Bool(f % 2 == 0);
  }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const fz::detect::RuleResolver resolve = [](std::string_view id) {
    return id.empty() ? std::vector<int32_t>{} : std::vector<int32_t>{0};
  };
  for (uint32_t type = 0; type < 7; ++type) {
    fz::detect::FieldUse use;
    absl::Duration longest = absl::ZeroDuration();
    auto program = fz::detect::CompileExpression(text, 1u << type, resolve, &use, &longest);
    if (program.ok()) {
      AnySource source;
      (void)program->Evaluate(source);
    }
  }
  return 0;
}
