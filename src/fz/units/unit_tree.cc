#include "fz/units/unit_tree.h"

#include "fz/common/str_cat.h"

namespace fz::units {

using model::Unit;
using model::UnitCode;

Status UnitTree::Add(Unit unit) {
  const std::string& code = unit.code.value();
  if (code.empty()) return absl::InvalidArgumentError("code: must not be empty");
  if (by_code_.count(code) != 0) {
    return absl::AlreadyExistsError(StrCat("code: duplicate unit code ", code));
  }
  if (units_.empty()) {
    if (!unit.parent.value().empty() || unit.level != model::UnitLevel::kCity) {
      return absl::InvalidArgumentError(
          StrCat("the first unit must be the city (level city, no parent_code); got ", code));
    }
  } else {
    const Unit* parent = Find(unit.parent);
    if (parent == nullptr) {
      return absl::InvalidArgumentError(StrCat("parent_code: unit ", code,
                                               " names unknown parent '", unit.parent.value(),
                                               "' (parents must come before their children)"));
    }
    if (parent->level >= unit.level) {
      return absl::InvalidArgumentError(
          StrCat("level: ", model::UnitLevelName(unit.level), " unit ", code, " cannot sit under ",
                 model::UnitLevelName(parent->level), " unit ", parent->code.value()));
    }
  }
  size_t index = units_.size();
  by_code_.emplace(code, index);
  if (!unit.division_code.empty()) by_division_.emplace(unit.division_code, index);
  if (!unit.parent.value().empty()) children_[unit.parent.value()].push_back(index);
  units_.push_back(std::move(unit));
  return absl::OkStatus();
}

const Unit* UnitTree::Find(const UnitCode& code) const {
  auto it = by_code_.find(code.value());
  return it == by_code_.end() ? nullptr : &units_[it->second];
}

std::vector<const Unit*> UnitTree::Children(const UnitCode& code) const {
  std::vector<const Unit*> out;
  auto it = children_.find(code.value());
  if (it == children_.end()) return out;
  out.reserve(it->second.size());
  for (size_t index : it->second) out.push_back(&units_[index]);
  return out;
}

bool UnitTree::Contains(const UnitCode& ancestor, const UnitCode& code) const {
  // Trees are at most four levels deep: walking up is cheaper than any index.
  for (const Unit* u = Find(code); u != nullptr; u = Find(u->parent)) {
    if (u->code == ancestor) return true;
  }
  return false;
}

std::vector<const Unit*> UnitTree::Path(const UnitCode& code) const {
  std::vector<const Unit*> path;
  for (const Unit* u = Find(code); u != nullptr; u = Find(u->parent)) path.push_back(u);
  return {path.rbegin(), path.rend()};
}

const Unit* UnitTree::FindByDivision(std::string_view division_code) const {
  auto it = by_division_.find(std::string(division_code));
  return it == by_division_.end() ? nullptr : &units_[it->second];
}

size_t UnitTree::CountAtLevel(model::UnitLevel level) const {
  size_t n = 0;
  for (const Unit& u : units_) n += u.level == level ? 1 : 0;
  return n;
}

}  // namespace fz::units
