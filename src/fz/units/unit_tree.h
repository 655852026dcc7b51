// UnitTree: the police units that own warnings, city → district/county → station → community.
// Every user sees only their own unit's subtree, so subtree checks are on every request path.
//
//   FZ_ASSIGN_OR_RETURN(UnitTree tree, LoadUnitsCsv(text, "units.csv"));
//   tree.Contains(UnitCode("640104"), UnitCode("640104001"));  // true: station under district
//
// Immutable once built (Add returns errors until then); const methods are thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fz/common/status.h"
#include "fz/model/unit.h"

namespace fz::units {

class UnitTree {
 public:
  // Adds a unit. The first unit must be the root (no parent, level city); every other unit's
  // parent must already exist and sit at a higher level. Codes are unique.
  Status Add(model::Unit unit);

  const model::Unit* Find(const model::UnitCode& code) const;
  const model::Unit* Root() const { return units_.empty() ? nullptr : &units_.front(); }

  // Direct children, in insertion order.
  std::vector<const model::Unit*> Children(const model::UnitCode& code) const;

  // True when `code` is `ancestor` or lies below it.
  bool Contains(const model::UnitCode& ancestor, const model::UnitCode& code) const;

  // Root-first path to `code` (empty when unknown).
  std::vector<const model::Unit*> Path(const model::UnitCode& code) const;

  // The unit whose division_code is `division_code`, or nullptr.
  const model::Unit* FindByDivision(std::string_view division_code) const;

  const std::vector<model::Unit>& units() const { return units_; }
  size_t size() const { return units_.size(); }
  size_t CountAtLevel(model::UnitLevel level) const;

 private:
  std::vector<model::Unit> units_;
  std::unordered_map<std::string, size_t> by_code_;
  std::unordered_map<std::string, size_t> by_division_;
  std::unordered_map<std::string, std::vector<size_t>> children_;
};

}  // namespace fz::units
