// The units file: CSV `code,name,parent_code,level[,division_code]` with a header row; lines
// starting with '#' are comments. Parents come before children. Unknown columns are ignored.
//
// A bad file never half-loads: the first error is returned naming the file, line and field.
#pragma once

#include <string>
#include <string_view>

#include "fz/common/status.h"
#include "fz/units/unit_tree.h"

namespace fz::units {

StatusOr<UnitTree> LoadUnitsCsv(std::string_view text, std::string_view source_name);
StatusOr<UnitTree> LoadUnitsFile(const std::string& path);

// Writes the tree in the file layout above (header included), parents first.
std::string UnitsToCsv(const UnitTree& tree);

}  // namespace fz::units
