#include "fz/model/warning_level.h"

#include <array>
#include <string>

namespace fz::model {
namespace {

struct LevelNames {
  WarningLevel level;
  std::array<std::string_view, 6> spellings;
};

constexpr std::array<LevelNames, 3> kLevels = {{
    {WarningLevel::kRed, {"red", "high", "l1", "红", "高", "1"}},
    {WarningLevel::kOrange, {"orange", "medium", "l2", "橙", "中", "2"}},
    {WarningLevel::kYellow, {"yellow", "low", "l3", "黄", "低", "3"}},
}};

}  // namespace

std::string_view WarningLevelName(WarningLevel level) {
  switch (level) {
    case WarningLevel::kRed:
      return "red";
    case WarningLevel::kOrange:
      return "orange";
    case WarningLevel::kYellow:
      return "yellow";
  }
  return "unknown";
}

std::string_view WarningLevelColourZh(WarningLevel level) {
  switch (level) {
    case WarningLevel::kRed:
      return "红";
    case WarningLevel::kOrange:
      return "橙";
    case WarningLevel::kYellow:
      return "黄";
  }
  return "?";
}

std::string_view WarningLevelGradeZh(WarningLevel level) {
  switch (level) {
    case WarningLevel::kRed:
      return "高";
    case WarningLevel::kOrange:
      return "中";
    case WarningLevel::kYellow:
      return "低";
  }
  return "?";
}

std::optional<WarningLevel> ParseWarningLevel(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  for (const LevelNames& names : kLevels) {
    for (std::string_view spelling : names.spellings) {
      if (lower == spelling) return names.level;
    }
  }
  return std::nullopt;
}

}  // namespace fz::model
