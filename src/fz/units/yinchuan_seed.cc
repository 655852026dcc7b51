#include "fz/units/yinchuan_seed.h"

#include <array>

#include "fz/common/str_cat.h"
#include "fz/normalize/divisions.h"

namespace fz::units {

using model::Unit;
using model::UnitCode;
using model::UnitLevel;

std::string StationNameForTownship(std::string_view township) {
  // Stations are usually called after the street or town without its administrative suffix.
  static constexpr std::array<std::string_view, 3> kSuffixes = {"街道", "镇", "乡"};
  for (std::string_view suffix : kSuffixes) {
    if (township.ends_with(suffix) && township.size() > suffix.size()) {
      return StrCat(township.substr(0, township.size() - suffix.size()), "派出所");
    }
  }
  return StrCat(township, "派出所");
}

std::string BureauNameForCounty(std::string_view county) {
  // City districts have 分局 of the city bureau; counties and county-level cities their own 公安局.
  if (county.ends_with("区")) return StrCat(county, "分局");
  return StrCat(county, "公安局");
}

StatusOr<UnitTree> YinchuanSeed() {
  const normalize::DivisionTable& divisions = normalize::DivisionTable::Builtin();
  const normalize::Division* city = divisions.Find(kYinchuanCityCode);
  if (city == nullptr) return absl::InternalError("embedded divisions lack 640100 银川市");
  UnitTree tree;
  FZ_RETURN_IF_ERROR(tree.Add(Unit{.code = UnitCode(city->code),
                                   .name = StrCat(city->name, "公安局"),
                                   .level = UnitLevel::kCity,
                                   .division_code = city->code}));
  for (const normalize::Division* county : divisions.Children(city->code)) {
    FZ_RETURN_IF_ERROR(tree.Add(Unit{.code = UnitCode(county->code),
                                     .name = BureauNameForCounty(county->name),
                                     .parent = UnitCode(city->code),
                                     .level = UnitLevel::kDistrict,
                                     .division_code = county->code}));
    for (const normalize::Division* township : divisions.Children(county->code)) {
      FZ_RETURN_IF_ERROR(tree.Add(Unit{.code = UnitCode(township->code),
                                       .name = StationNameForTownship(township->name),
                                       .parent = UnitCode(county->code),
                                       .level = UnitLevel::kStation,
                                       .division_code = township->code}));
    }
  }
  return tree;
}

}  // namespace fz::units
