#include "fz/units/units_file.h"

#include <array>
#include <fstream>
#include <optional>
#include <sstream>

#include "absl/strings/str_join.h"
#include "fz/common/str_cat.h"
#include "fz/normalize/divisions.h"
#include "fz/normalize/simple_csv.h"
#include "fz/normalize/text.h"

namespace fz::units {
namespace {

using model::Unit;

struct Columns {
  std::optional<size_t> code, name, parent_code, level, division_code;
};

StatusOr<Columns> ParseHeader(const std::vector<std::string>& header) {
  Columns c;
  for (size_t i = 0; i < header.size(); ++i) {
    std::string_view h = normalize::TrimAscii(header[i]);
    if (h == "code") c.code = i;
    if (h == "name") c.name = i;
    if (h == "parent_code") c.parent_code = i;
    if (h == "level") c.level = i;
    if (h == "division_code") c.division_code = i;
  }
  for (auto [col, label] :
       std::array<std::pair<std::optional<size_t>, const char*>, 4>{{{c.code, "code"},
                                                                     {c.name, "name"},
                                                                     {c.parent_code, "parent_code"},
                                                                     {c.level, "level"}}}) {
    if (!col) return absl::InvalidArgumentError(StrCat("header lacks column '", label, "'"));
  }
  return c;
}

std::string Field(const std::vector<std::string>& row, std::optional<size_t> col) {
  if (!col || *col >= row.size()) return "";
  return std::string(normalize::TrimAscii(row[*col]));
}

StatusOr<Unit> ParseRow(const Columns& c, const std::vector<std::string>& row) {
  Unit unit;
  unit.code = model::UnitCode(Field(row, c.code));
  unit.name = Field(row, c.name);
  unit.parent = model::UnitCode(Field(row, c.parent_code));
  if (unit.name.empty()) return absl::InvalidArgumentError("name: must not be empty");
  std::string level = Field(row, c.level);
  std::optional<model::UnitLevel> parsed = model::ParseUnitLevel(level);
  if (!parsed) {
    return absl::InvalidArgumentError(StrCat(
        "level: '", level, "' is not one of city, district (or county), station, community"));
  }
  unit.level = *parsed;
  unit.division_code = Field(row, c.division_code);
  if (!unit.division_code.empty() &&
      normalize::DivisionTable::Builtin().Find(unit.division_code) == nullptr) {
    return absl::InvalidArgumentError(
        StrCat("division_code: '", unit.division_code, "' is not a known division code"));
  }
  return unit;
}

}  // namespace

StatusOr<UnitTree> LoadUnitsCsv(std::string_view text, std::string_view source_name) {
  UnitTree tree;
  std::optional<Columns> columns;
  size_t line_no = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (normalize::TrimAscii(line).empty() || line.front() == '#') continue;
    auto located = [&](const Status& s) {
      return Status(s.code(), StrCat(source_name, ":", line_no, ": ", s.message()));
    };
    StatusOr<std::vector<std::string>> fields = normalize::SplitCsvRecord(line);
    if (!fields.ok()) return located(fields.status());
    if (!columns) {
      StatusOr<Columns> header = ParseHeader(*fields);
      if (!header.ok()) return located(header.status());
      columns = *header;
      continue;
    }
    StatusOr<Unit> unit = ParseRow(*columns, *fields);
    if (!unit.ok()) return located(unit.status());
    Status added = tree.Add(std::move(*unit));
    if (!added.ok()) return located(added);
  }
  if (tree.size() == 0) {
    return absl::InvalidArgumentError(StrCat(source_name, ": no units (empty file?)"));
  }
  return tree;
}

StatusOr<UnitTree> LoadUnitsFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat("cannot open units file ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return LoadUnitsCsv(buffer.str(), path);
}

namespace {

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\n") == std::string_view::npos) return std::string(value);
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::string UnitsToCsv(const UnitTree& tree) {
  std::string out = "code,name,parent_code,level,division_code\n";
  for (const Unit& u : tree.units()) {
    StrAppend(&out, CsvField(u.code.value()), ",", CsvField(u.name), ",",
              CsvField(u.parent.value()), ",", model::UnitLevelName(u.level), ",",
              CsvField(u.division_code), "\n");
  }
  return out;
}

}  // namespace fz::units
