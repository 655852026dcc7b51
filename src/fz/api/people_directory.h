// Routing reads the person base through workflow's small interface, not detect's index: the
// adapter `ingest` and `serve` share.
#pragma once

#include <optional>
#include <string_view>

#include "fz/detect/people.h"
#include "fz/workflow/routing.h"

namespace fz::api {

class PeopleDirectory final : public workflow::SubjectDirectory {
 public:
  explicit PeopleDirectory(const detect::PeopleIndex* people) : people_(people) {}
  std::optional<workflow::KnownPerson> FindByPhone(std::string_view phone) const override {
    return From(people_ ? people_->FindByPhone(phone) : nullptr);
  }
  std::optional<workflow::KnownPerson> FindByIdNo(std::string_view id_no) const override {
    return From(people_ ? people_->FindByIdNo(id_no) : nullptr);
  }

 private:
  static std::optional<workflow::KnownPerson> From(const model::Person* p) {
    if (p == nullptr || p->unit.value().empty()) return std::nullopt;
    return workflow::KnownPerson{p->id.value(), p->name, p->unit};
  }
  const detect::PeopleIndex* people_;
};

}  // namespace fz::api
