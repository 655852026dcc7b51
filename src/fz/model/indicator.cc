#include "fz/model/indicator.h"

#include <array>

namespace fz::model {
namespace {

constexpr std::array<std::string_view, 7> kKindNames = {"phone",   "domain", "url", "ip",
                                                        "account", "app",    "imei"};

}  // namespace

std::string_view IndicatorKindName(IndicatorKind kind) {
  auto index = static_cast<size_t>(kind);
  return index < kKindNames.size() ? kKindNames[index] : "unknown";
}

std::optional<IndicatorKind> ParseIndicatorKind(std::string_view name) {
  for (size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) return static_cast<IndicatorKind>(i);
  }
  return std::nullopt;
}

}  // namespace fz::model
