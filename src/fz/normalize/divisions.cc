#include "fz/normalize/divisions.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "fz/common/str_cat.h"
#include "fz/normalize/simple_csv.h"

namespace fz::embedded {
extern const std::string_view kDivisionProvincesCsv;
extern const std::string_view kDivisionCitiesCsv;
extern const std::string_view kDivisionCountiesCsv;
extern const std::string_view kDivisionTownshipsCsv;
}  // namespace fz::embedded

namespace fz::normalize {
namespace {

// City-level rows whose name is a placeholder, not a place (municipalities, 省直辖).
bool IsPlaceholderName(std::string_view name) {
  return name == "市辖区" || name == "省直辖县级行政区划" || name == "自治区直辖县级行政区划" ||
         name == "县";
}

// "宁夏回族自治区" -> "宁夏", "广西壮族自治区" -> "广西", "河北省" -> "河北", "北京市" -> "北京".
std::string_view ShortProvinceName(std::string_view name) {
  static constexpr std::array<std::string_view, 6> kSuffixes = {
      "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省"};
  for (std::string_view suffix : kSuffixes) {
    if (name.ends_with(suffix)) return name.substr(0, name.size() - suffix.size());
  }
  if (name.ends_with("市")) return name.substr(0, name.size() - 3);  // 市 is 3 bytes
  return name;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string_view DivisionLevelName(DivisionLevel level) {
  switch (level) {
    case DivisionLevel::kProvince:
      return "province";
    case DivisionLevel::kCity:
      return "city";
    case DivisionLevel::kCounty:
      return "county";
    case DivisionLevel::kTownship:
      return "township";
  }
  return "unknown";
}

std::string NormalizeDivisionCode(std::string_view code) {
  if (!AllDigits(code)) return "";
  switch (code.size()) {
    case 2:
      return StrCat(code, "0000");
    case 4:
      return StrCat(code, "00");
    case 6:
    case 9:
      return std::string(code);
    case 12:  // NBS 12-digit township/village codes: keep the township part when it is one.
      return code.substr(9) == "000" ? std::string(code.substr(0, 9)) : "";
    default:
      return "";
  }
}

const DivisionTable& DivisionTable::Builtin() {
  static const DivisionTable* table = [] {
    StatusOr<DivisionTable> built =
        FromCsv(embedded::kDivisionProvincesCsv, embedded::kDivisionCitiesCsv,
                embedded::kDivisionCountiesCsv, embedded::kDivisionTownshipsCsv);
    if (!built.ok()) {
      // The embedded data is part of the binary and covered by tests; failing here is a
      // build defect, not bad input.
      std::abort();
    }
    return new DivisionTable(std::move(*built));
  }();
  return *table;
}

StatusOr<DivisionTable> DivisionTable::FromCsv(std::string_view provinces, std::string_view cities,
                                               std::string_view counties,
                                               std::string_view townships) {
  DivisionTable table;
  struct Layer {
    std::string_view text;
    std::string_view source;
    DivisionLevel level;
    size_t parent_column;  // 0 = none
  };
  const std::array<Layer, 4> layers = {{
      {provinces, "provinces.csv", DivisionLevel::kProvince, 0},
      {cities, "cities.csv", DivisionLevel::kCity, 2},
      {counties, "areas.csv", DivisionLevel::kCounty, 2},
      {townships, "streets.csv", DivisionLevel::kTownship, 2},
  }};
  for (const Layer& layer : layers) {
    FZ_RETURN_IF_ERROR(ForEachCsvRow(
        layer.text, layer.source, [&](size_t, const std::vector<std::string>& f) -> Status {
          if (f.size() < 2 || (layer.parent_column != 0 && f.size() <= layer.parent_column)) {
            return absl::InvalidArgumentError("too few columns");
          }
          Division d;
          d.code = NormalizeDivisionCode(f[0]);
          if (d.code.empty()) return absl::InvalidArgumentError(StrCat("bad code '", f[0], "'"));
          d.name = f[1];
          d.level = layer.level;
          // Cities without counties (东莞, 中山, 儋州) repeat themselves as a county row.
          if (layer.level == DivisionLevel::kCounty && table.Find(d.code) != nullptr &&
              table.Find(d.code)->level == DivisionLevel::kCity) {
            return absl::OkStatus();
          }
          if (layer.parent_column != 0) {
            d.parent_code = NormalizeDivisionCode(f[layer.parent_column]);
            if (table.Find(d.parent_code) == nullptr) {
              return absl::InvalidArgumentError(
                  StrCat("parent '", f[layer.parent_column], "' of ", f[0], " is unknown"));
            }
          }
          return table.Add(std::move(d));
        }));
  }
  return table;
}

Status DivisionTable::Add(Division division) {
  if (by_code_.count(division.code) != 0) {
    return absl::AlreadyExistsError(StrCat("duplicate code ", division.code));
  }
  size_t index = divisions_.size();
  by_code_.emplace(division.code, index);
  if (!division.parent_code.empty()) children_[division.parent_code].push_back(index);
  divisions_.push_back(std::move(division));
  return absl::OkStatus();
}

const Division* DivisionTable::Find(std::string_view code) const {
  auto it = by_code_.find(NormalizeDivisionCode(code));
  return it == by_code_.end() ? nullptr : &divisions_[it->second];
}

std::string DivisionTable::FullName(std::string_view code) const {
  std::vector<const Division*> chain;
  for (const Division* d = Find(code); d != nullptr; d = Find(d->parent_code)) {
    chain.push_back(d);
    if (d->parent_code.empty()) break;
  }
  std::string name;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (!IsPlaceholderName((*it)->name)) name += (*it)->name;
  }
  return name;
}

std::vector<const Division*> DivisionTable::Children(std::string_view code) const {
  std::vector<const Division*> out;
  auto it = children_.find(NormalizeDivisionCode(code));
  if (it == children_.end()) return out;
  for (size_t index : it->second) out.push_back(&divisions_[index]);
  std::sort(out.begin(), out.end(),
            [](const Division* a, const Division* b) { return a->code < b->code; });
  return out;
}

const Division* DivisionTable::CityOf(std::string_view code) const {
  for (const Division* d = Find(code); d != nullptr; d = Find(d->parent_code)) {
    if (d->level == DivisionLevel::kCity) return d;
    if (d->level == DivisionLevel::kProvince) return nullptr;
  }
  return nullptr;
}

const Division* DivisionTable::FindCityInProvince(const Division& province,
                                                  std::string_view name) const {
  for (const Division* city : Children(province.code)) {
    if (city->name == name) return city;
    // County-level cities directly under the province (仙桃市 under 省直辖县级行政区划).
    if (IsPlaceholderName(city->name)) {
      for (const Division* county : Children(city->code)) {
        if (county->name == name) return county;
      }
    }
  }
  return nullptr;
}

const Division* DivisionTable::CityFromGeocoderText(std::string_view text) const {
  // Several cities share some area codes: "贵州省贵阳市、遵义市、安顺市" -> the first.
  size_t sep = text.find("、");
  if (sep != std::string_view::npos) text = text.substr(0, sep);
  if (text.empty()) return nullptr;
  for (const Division& province : divisions_) {
    if (province.level != DivisionLevel::kProvince) continue;
    std::string_view rest;
    if (text.starts_with(province.name)) {
      rest = text.substr(province.name.size());
    } else if (std::string_view s = ShortProvinceName(province.name); text.starts_with(s)) {
      rest = text.substr(s.size());
    } else {
      continue;
    }
    if (rest.empty()) {
      // A municipality ("北京市"): its single city-level row.
      std::vector<const Division*> cities = Children(province.code);
      return cities.empty() ? nullptr : cities.front();
    }
    return FindCityInProvince(province, rest);
  }
  return nullptr;
}

}  // namespace fz::normalize
