#include "fz/model/unit.h"

namespace fz::model {

std::string_view UnitLevelName(UnitLevel level) {
  switch (level) {
    case UnitLevel::kCity:
      return "city";
    case UnitLevel::kDistrict:
      return "district";
    case UnitLevel::kStation:
      return "station";
    case UnitLevel::kCommunity:
      return "community";
  }
  return "unknown";
}

std::string_view UnitLevelNameZh(UnitLevel level) {
  switch (level) {
    case UnitLevel::kCity:
      return "市局";
    case UnitLevel::kDistrict:
      return "分局/县局";
    case UnitLevel::kStation:
      return "派出所";
    case UnitLevel::kCommunity:
      return "社区/网格";
  }
  return "未知";
}

std::optional<UnitLevel> ParseUnitLevel(std::string_view name) {
  for (UnitLevel level :
       {UnitLevel::kCity, UnitLevel::kDistrict, UnitLevel::kStation, UnitLevel::kCommunity}) {
    if (name == UnitLevelName(level)) return level;
  }
  if (name == "county") return UnitLevel::kDistrict;
  return std::nullopt;
}

}  // namespace fz::model
