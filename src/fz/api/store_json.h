// JSON forms of the workflow objects the API returns and pushes (docs/openapi.yaml schemas).
// Warning, case and user ids travel as strings: they are 63-bit and JavaScript numbers are not.
// Personal data arrives here already masked or not by the store, per the reader's role.
#pragma once

#include "fz/model/fraud_type.h"
#include "fz/store/store.h"
#include "fz/workflow/routing.h"
#include "nlohmann/json.hpp"

namespace fz::api {

nlohmann::json FraudTypeJson(model::FraudType type, const model::FraudTypeRegistry& types);
nlohmann::json EvidenceJson(const model::Evidence& e);

// The live push of a new or upgraded warning: masked subject, level, unit, first reason.
nlohmann::json LiveWarningJson(const workflow::RoutedWarning& w, std::string_view kind,
                               const model::FraudTypeRegistry& types);
nlohmann::json EscalationJson(const store::EscalationRecord& e);

nlohmann::json SummaryJson(const store::WarningSummary& w, const model::FraudTypeRegistry& types);
nlohmann::json DetailJson(const store::WarningDetail& d, const model::FraudTypeRegistry& types);
nlohmann::json TransitionJson(const store::TransitionRecord& t);
nlohmann::json NextStepJson(const workflow::NextStep& n);
nlohmann::json StopPaymentJson(const workflow::StopPaymentRequest& s);
nlohmann::json CaseJson(const workflow::CaseRecord& c, const model::FraudTypeRegistry& types);
nlohmann::json PendingJson(const workflow::PendingIndicator& p,
                           const model::FraudTypeRegistry& types);
nlohmann::json FollowUpJson(const workflow::FollowUp& f);
nlohmann::json KpisJson(const store::Kpis& k, const model::FraudTypeRegistry& types);
nlohmann::json AuditRowJson(const store::AuditRow& r);
nlohmann::json UnitJson(const model::Unit& u);

}  // namespace fz::api
