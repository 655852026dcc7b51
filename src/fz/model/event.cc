#include "fz/model/event.h"

#include <array>

namespace fz::model {
namespace {

constexpr std::array<std::string_view, 7> kEventTypeNames = {
    "call", "sms", "net", "app", "transfer", "directive", "report"};

}  // namespace

std::string_view EventTypeName(EventType type) {
  auto index = static_cast<size_t>(type);
  return index < kEventTypeNames.size() ? kEventTypeNames[index] : "unknown";
}

std::optional<EventType> ParseEventType(std::string_view name) {
  for (size_t i = 0; i < kEventTypeNames.size(); ++i) {
    if (kEventTypeNames[i] == name) return static_cast<EventType>(i);
  }
  return std::nullopt;
}

}  // namespace fz::model
