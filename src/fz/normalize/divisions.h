// China's administrative divisions (统计用区划代码 / GB/T 2260), compiled into the binary.
//
//   const DivisionTable& t = DivisionTable::Builtin();
//   const Division* yc = t.Find("640100");           // 银川市
//   const Division* c = t.CityFromGeocoderText("宁夏银川市");  // also 640100
//   std::string n = t.FullName("640104");            // 宁夏回族自治区银川市兴庆区
//
// Codes are normalized to six digits for province/city/county ("64" -> "640000",
// "6401" -> "640100") and kept at nine digits for townships (only Yinchuan's are embedded).
// The table is immutable after construction and safe to share between threads.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fz/common/status.h"

namespace fz::normalize {

enum class DivisionLevel { kProvince, kCity, kCounty, kTownship };

std::string_view DivisionLevelName(DivisionLevel level);

struct Division {
  std::string code;  // "640000", "640100", "640104", "640104001"
  std::string name;  // "宁夏回族自治区", "银川市", "兴庆区", "凤凰北街街道"
  std::string parent_code;  // empty for provinces
  DivisionLevel level;
};

class DivisionTable {
 public:
  // The table built from the embedded CSVs under data/divisions. Built once, on first use.
  static const DivisionTable& Builtin();

  // Builds a table from CSV texts in the layout of data/divisions (header rows included).
  // `townships` may be empty. Errors name the table and line.
  static StatusOr<DivisionTable> FromCsv(std::string_view provinces, std::string_view cities,
                                         std::string_view counties, std::string_view townships);

  // Accepts 2-, 4-, 6- or 9-digit codes; returns nullptr when unknown.
  const Division* Find(std::string_view code) const;

  // Province, city and county names joined, e.g. "宁夏回族自治区银川市兴庆区". Placeholder
  // city names ("市辖区", "省直辖县级行政区划") are left out. Empty when unknown.
  std::string FullName(std::string_view code) const;

  // Maps libphonenumber's zh geocoder text ("宁夏银川市", "北京市", "江苏省常州市",
  // "贵州省贵阳市、遵义市、安顺市" -> the first) to a city-level division (or a county-level
  // city directly under a province, e.g. 仙桃市). nullptr for "中国", foreign countries, "".
  const Division* CityFromGeocoderText(std::string_view text) const;

  // Direct children in code order.
  std::vector<const Division*> Children(std::string_view code) const;

  // The city-level ancestor (or self) of a county or township code; nullptr when none.
  const Division* CityOf(std::string_view code) const;

  size_t size() const { return divisions_.size(); }

 private:
  Status Add(Division division);
  const Division* FindCityInProvince(const Division& province, std::string_view name) const;

  std::vector<Division> divisions_;
  std::unordered_map<std::string, size_t> by_code_;
  std::unordered_map<std::string, std::vector<size_t>> children_;
};

// Normalizes a 2/4/6/9-digit division code to its 6- or 9-digit form; "" if malformed.
std::string NormalizeDivisionCode(std::string_view code);

}  // namespace fz::normalize
