// Routing policy (分流): which unit must reach a warning's subject, and why
// (docs/workflow.md "Routing"): person base → cell map → phone home area → city triage.
//
//   RoutingPolicy policy(config.routing, tree, &directory);
//   FZ_ASSIGN_OR_RETURN(Route route, policy.RouteWarning(warning, {.cell_id = "46000-1-2"}));
//   route.unit; route.queue; route.reason;   // "高危人员库：张** 属 凤凰北街派出所"
//
// The policy only reads; it is thread-safe when the directory is.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fz/common/status.h"
#include "fz/model/warning.h"
#include "fz/units/unit_tree.h"
#include "fz/workflow/workflow_config.h"

namespace fz::workflow {

// What routing needs from the high-risk person base, so that workflow does not depend on how
// detect indexes it. The CLI adapts detect::PeopleIndex to this.
struct KnownPerson {
  std::string person_id;
  std::string name;
  model::UnitCode unit;
};

class SubjectDirectory {
 public:
  virtual ~SubjectDirectory() = default;
  virtual std::optional<KnownPerson> FindByPhone(std::string_view canonical_phone) const = 0;
  virtual std::optional<KnownPerson> FindByIdNo(std::string_view id_no) const = 0;
};

enum class RouteQueue : uint8_t {
  kUnit,        // a unit of the tree owns it
  kCityTriage,  // 市级研判队列: the city decides
  kOutOfArea,   // 外地转办: hand over to another city (target_city)
};
std::string_view RouteQueueName(RouteQueue queue);  // "unit", "city_triage", "out_of_area"
std::optional<RouteQueue> ParseRouteQueue(std::string_view name);

enum class RouteBasis : uint8_t {
  kPersonBase,
  kCell,
  kPhonePrefix,
  kPhoneHomeArea,
  kDefault,
  kManual
};
std::string_view RouteBasisName(RouteBasis basis);

struct Route {
  model::UnitCode unit;
  RouteQueue queue = RouteQueue::kUnit;
  std::string target_city;  // GB/T 2260 city code, for kOutOfArea
  RouteBasis basis = RouteBasis::kDefault;
  std::string reason;  // shown on the warning; personal data masked
};

// A warning ready to be stored: routed, with its unit path and the data routing found.
struct RoutedWarning {
  model::Warning warning;
  Route route;
  std::string unit_path;    // "/640100/640104/640104001/" (lifecycle.h UnitPath)
  std::string source;       // event type of the first evidence: "call", "transfer", ...
  std::string person_name;  // from the person base, "" when unknown
};

// Facts from the signals that routing may use beyond the warning itself.
struct RouteSignals {
  std::string cell_id;  // a cell the subject was seen in, when a source gives one
};

class RoutingPolicy {
 public:
  // `tree` and `directory` (may be null) must outlive the policy.
  RoutingPolicy(const RoutingConfig& config, const units::UnitTree& tree,
                const SubjectDirectory* directory);

  // Never fails for lack of a rule (the city triage queue catches everything); errors only
  // when the configured triage unit is not in the tree.
  StatusOr<Route> RouteWarning(const model::Warning& warning, const RouteSignals& signals) const;

  // RouteWarning plus what the store needs with it.
  StatusOr<RoutedWarning> Intake(model::Warning warning, const RouteSignals& signals) const;

  // The unit path of a unit of the tree; NotFound for an unknown unit.
  StatusOr<std::string> PathOf(const model::UnitCode& unit) const;

  // A dispatcher's re-route to `unit`, checked against the tree.
  StatusOr<Route> Manual(const model::UnitCode& unit, std::string_view note) const;

 private:
  std::optional<Route> ByPerson(const model::Warning& warning) const;
  std::optional<Route> ByCell(const RouteSignals& signals) const;
  std::optional<Route> ByPhone(const model::Warning& warning) const;
  std::string UnitName(const model::UnitCode& code) const;

  const RoutingConfig& config_;
  const units::UnitTree& tree_;
  const SubjectDirectory* directory_;
};

}  // namespace fz::workflow
