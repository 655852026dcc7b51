// Units: the police organisation that owns warnings, city → district/county → station →
// community (three-level linkage plus grid). File layout: code,name,parent_code,level.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fz/model/ids.h"

namespace fz::model {

enum class UnitLevel : uint8_t { kCity = 1, kDistrict = 2, kStation = 3, kCommunity = 4 };

std::string_view UnitLevelName(UnitLevel level);  // "city", "district", "station", "community"
std::string_view UnitLevelNameZh(UnitLevel level);  // "市局", "分局/县局", "派出所", "社区/网格"
std::optional<UnitLevel> ParseUnitLevel(std::string_view name);

struct Unit {
  UnitCode code;
  std::string name;
  UnitCode parent;  // empty for the city
  UnitLevel level = UnitLevel::kStation;
  std::string division_code;  // the GB/T 2260 / township division it covers, if any
};

}  // namespace fz::model
