// Warning levels (DOMAIN.md): 红/高/L1 money moving or imminent, 橙/中/L2 contact with fraud
// plus risk factors, 黄/低/L3 weak signal. Ordered so that a higher level compares greater.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fz::model {

enum class WarningLevel : uint8_t { kYellow = 1, kOrange = 2, kRed = 3 };

std::string_view WarningLevelName(WarningLevel level);      // "red", "orange", "yellow"
std::string_view WarningLevelColourZh(WarningLevel level);  // "红", "橙", "黄"
std::string_view WarningLevelGradeZh(WarningLevel level);   // "高", "中", "低"

// Accepts red/orange/yellow, high/medium/low, L1/L2/L3, 红/橙/黄, 高/中/低 (case-insensitive
// for ASCII). nullopt otherwise.
std::optional<WarningLevel> ParseWarningLevel(std::string_view text);

inline WarningLevel MaxLevel(WarningLevel a, WarningLevel b) { return a < b ? b : a; }

}  // namespace fz::model
