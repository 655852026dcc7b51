#include "fz/workflow/routing.h"

#include <array>

#include "fz/common/str_cat.h"
#include "fz/normalize/phone_normalizer.h"
#include "fz/workflow/lifecycle.h"
#include "fz/workflow/mask.h"

namespace fz::workflow {
namespace {

constexpr std::array<std::string_view, 3> kQueueNames = {"unit", "city_triage", "out_of_area"};
constexpr std::array<std::string_view, 6> kBasisNames = {
    "person_base", "cell", "phone_prefix", "phone_home_area", "default", "manual"};

}  // namespace

std::string_view RouteQueueName(RouteQueue queue) {
  return kQueueNames[static_cast<size_t>(queue)];
}

std::optional<RouteQueue> ParseRouteQueue(std::string_view name) {
  for (size_t i = 0; i < kQueueNames.size(); ++i) {
    if (kQueueNames[i] == name) return static_cast<RouteQueue>(i);
  }
  return std::nullopt;
}

std::string_view RouteBasisName(RouteBasis basis) {
  return kBasisNames[static_cast<size_t>(basis)];
}

RoutingPolicy::RoutingPolicy(const RoutingConfig& config, const units::UnitTree& tree,
                             const SubjectDirectory* directory)
    : config_(config), tree_(tree), directory_(directory) {}

std::string RoutingPolicy::UnitName(const model::UnitCode& code) const {
  const model::Unit* unit = tree_.Find(code);
  return unit == nullptr ? code.value() : unit->name;
}

std::optional<Route> RoutingPolicy::ByPerson(const model::Warning& warning) const {
  if (directory_ == nullptr) return std::nullopt;
  std::optional<KnownPerson> person;
  if (warning.subject_kind == model::SubjectKind::kPhone) {
    person = directory_->FindByPhone(warning.subject);
  } else if (warning.subject_kind == model::SubjectKind::kIdNo) {
    person = directory_->FindByIdNo(warning.subject);
  }
  if (!person || tree_.Find(person->unit) == nullptr) return std::nullopt;
  return Route{.unit = person->unit,
               .basis = RouteBasis::kPersonBase,
               .reason = StrCat("高危人员库：", MaskName(person->name), " 属 ",
                                UnitName(person->unit), "（", person->unit.value(), "）")};
}

std::optional<Route> RoutingPolicy::ByCell(const RouteSignals& signals) const {
  if (signals.cell_id.empty()) return std::nullopt;
  auto it = config_.cell_units.find(signals.cell_id);
  if (it == config_.cell_units.end() || tree_.Find(it->second) == nullptr) return std::nullopt;
  return Route{.unit = it->second,
               .basis = RouteBasis::kCell,
               .reason = StrCat("基站 ", signals.cell_id, " 属 ", UnitName(it->second))};
}

std::optional<Route> RoutingPolicy::ByPhone(const model::Warning& warning) const {
  if (warning.subject_kind != model::SubjectKind::kPhone) return std::nullopt;
  StatusOr<normalize::PhoneInfo> info =
      normalize::PhoneNormalizer::Default().Normalize(warning.subject);
  if (!info.ok() || info->city_code.empty()) return std::nullopt;
  if (info->city_code != config_.city_code) {
    return Route{
        .unit = config_.triage_unit,
        .queue = RouteQueue::kOutOfArea,
        .target_city = info->city_code,
        .basis = RouteBasis::kPhoneHomeArea,
        .reason = StrCat("号码归属地 ", info->area_name, "（", info->city_code, "），外地转办")};
  }
  // The longest configured prefix of the number that names a district.
  const model::UnitCode* best = nullptr;
  size_t best_len = 0;
  for (const auto& [prefix, unit] : config_.phone_prefix_units) {
    if (prefix.size() > best_len && warning.subject.starts_with(prefix) &&
        tree_.Find(unit) != nullptr) {
      best = &unit;
      best_len = prefix.size();
    }
  }
  if (best != nullptr) {
    return Route{.unit = *best,
                 .basis = RouteBasis::kPhonePrefix,
                 .reason = StrCat("本地号码，号段归属 ", UnitName(*best))};
  }
  return Route{.unit = config_.triage_unit,
               .queue = RouteQueue::kCityTriage,
               .basis = RouteBasis::kPhoneHomeArea,
               .reason = StrCat("本地号码（", info->area_name, "），无住址信息，市级研判分流")};
}

StatusOr<Route> RoutingPolicy::RouteWarning(const model::Warning& warning,
                                            const RouteSignals& signals) const {
  if (tree_.Find(config_.triage_unit) == nullptr) {
    return absl::FailedPreconditionError(
        StrCat("routing.triage_unit ", config_.triage_unit.value(), " is not in the unit tree"));
  }
  if (auto r = ByPerson(warning)) return *r;
  if (auto r = ByCell(signals)) return *r;
  if (auto r = ByPhone(warning)) return *r;
  return Route{.unit = config_.triage_unit,
               .queue = RouteQueue::kCityTriage,
               .basis = RouteBasis::kDefault,
               .reason = StrCat("无法确定属地（", model::SubjectKindName(warning.subject_kind),
                                "），市级研判分流")};
}

StatusOr<std::string> RoutingPolicy::PathOf(const model::UnitCode& unit) const {
  std::vector<const model::Unit*> path = tree_.Path(unit);
  if (path.empty()) {
    return absl::NotFoundError(StrCat("unit ", unit.value(), " is not in the unit tree"));
  }
  std::vector<model::UnitCode> codes;
  for (const model::Unit* u : path) codes.push_back(u->code);
  return UnitPath(codes);
}

StatusOr<RoutedWarning> RoutingPolicy::Intake(model::Warning warning,
                                              const RouteSignals& signals) const {
  RoutedWarning out;
  FZ_ASSIGN_OR_RETURN(out.route, RouteWarning(warning, signals));
  FZ_ASSIGN_OR_RETURN(out.unit_path, PathOf(out.route.unit));
  out.source = warning.evidence.empty()
                   ? "unknown"
                   : std::string(model::EventTypeName(warning.evidence.front().event_type));
  if (directory_ != nullptr) {
    std::optional<KnownPerson> person;
    if (warning.subject_kind == model::SubjectKind::kPhone) {
      person = directory_->FindByPhone(warning.subject);
    } else if (warning.subject_kind == model::SubjectKind::kIdNo) {
      person = directory_->FindByIdNo(warning.subject);
    }
    if (person) out.person_name = person->name;
  }
  warning.unit = out.route.unit;
  out.warning = std::move(warning);
  return out;
}

StatusOr<Route> RoutingPolicy::Manual(const model::UnitCode& unit, std::string_view note) const {
  if (tree_.Find(unit) == nullptr) {
    return absl::InvalidArgumentError(StrCat("unit ", unit.value(), " is not in the unit tree"));
  }
  return Route{.unit = unit,
               .basis = RouteBasis::kManual,
               .reason = StrCat("人工改派至 ", UnitName(unit), note.empty() ? "" : "：", note)};
}

}  // namespace fz::workflow
