// The built-in Yinchuan seed: 银川市公安局 (640100), its six district/county bureaus, and one
// police station per street/town (62), built from the embedded division codes.
//
// ILLUSTRATIVE: no public list of Yinchuan's police stations exists, so each station is named
// after the township it covers ("凤凰北街街道" → "凤凰北街派出所"). A center replaces this with
// its own units file (`fanzha units load FILE`).
#pragma once

#include "fz/common/status.h"
#include "fz/units/unit_tree.h"

namespace fz::units {

inline constexpr char kYinchuanCityCode[] = "640100";

StatusOr<UnitTree> YinchuanSeed();

// "凤凰北街街道" → "凤凰北街派出所", "掌政镇" → "掌政派出所", "黄羊滩农场" → "黄羊滩农场派出所".
std::string StationNameForTownship(std::string_view township);

// "兴庆区" → "兴庆区分局", "永宁县" → "永宁县公安局", "灵武市" → "灵武市公安局".
std::string BureauNameForCounty(std::string_view county);

}  // namespace fz::units
