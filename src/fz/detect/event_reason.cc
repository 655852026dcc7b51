// EventContext: the fraud type a rule's firing counts as, and its reason in Chinese with the
// event's fields filled in (the warning's evidence).
#include <cstdio>
#include <variant>

#include "fz/common/str_cat.h"
#include "fz/detect/detector_impl.h"

namespace fz::detect {
namespace {

std::string FormatYuan(model::Money m) {
  char buffer[32];
  const int64_t abs_fen = m.fen < 0 ? -m.fen : m.fen;
  std::snprintf(buffer, sizeof(buffer), "%s%lld.%02lld", m.fen < 0 ? "-" : "",
                static_cast<long long>(abs_fen / 100), static_cast<long long>(abs_fen % 100));
  return buffer;
}

}  // namespace

model::FraudType EventContext::FraudTypeFor(const Rule& rule, const RuleExtras& extras,
                                            const intel::IntelMatch** indicator) {
  *indicator = nullptr;
  for (Field f : extras.intel_fields) {
    if ((*indicator = Intel(f)) != nullptr) break;
  }
  // A rule that reads no intel field directly (windows, seen) still names the indicator the
  // current event matched, if any.
  if (extras.intel_fields.empty()) *indicator = Intel(Field::kIntelAny);
  const auto from_event = [&]() -> std::optional<model::FraudType> {
    if (const auto* x = std::get_if<model::DirectiveEvent>(&event_.body)) return x->fraud_type;
    if (const auto* x = std::get_if<model::ReportEvent>(&event_.body)) return x->fraud_type;
    return std::nullopt;
  };
  const auto from_text = [&]() -> std::optional<model::FraudType> {
    if (!text_done_ || text_best_ == nullptr) return std::nullopt;
    return text_best_->fraud_type;
  };
  switch (rule.fraud_type_from) {
    case FraudTypeFrom::kFixed:
      return rule.fraud_type;
    case FraudTypeFrom::kIntel:
      return *indicator != nullptr ? (*indicator)->fraud_type : model::FraudTypeRegistry::kOther;
    case FraudTypeFrom::kText:
      ScanText();
      return from_text().value_or(model::FraudTypeRegistry::kOther);
    case FraudTypeFrom::kEvent:
      return from_event().value_or(model::FraudTypeRegistry::kOther);
    case FraudTypeFrom::kAuto:
      break;
  }
  if (*indicator != nullptr) return (*indicator)->fraud_type;
  if (auto t = from_text()) return *t;
  return from_event().value_or(model::FraudTypeRegistry::kOther);
}

std::string EventContext::Reason(const Rule& rule, const RuleExtras& extras, model::FraudType type,
                                 const intel::IntelMatch* indicator) {
  std::string out;
  const auto& body = event_.body;
  for (const ReasonPiece& piece : rule.reason_pieces) {
    switch (piece.placeholder) {
      case Placeholder::kNone:
        out += piece.literal;
        break;
      case Placeholder::kCaller:
        if (!party_.empty()) {
          out += party_;
        } else if (const auto* x = std::get_if<model::ReportEvent>(&body);
                   x && !x->suspect_phones.empty()) {
          out += x->suspect_phones.front().value();
        }
        break;
      case Placeholder::kCallee:
      case Placeholder::kSubject:
        out += subject_;
        break;
      case Placeholder::kDurationS:
        if (const auto* x = std::get_if<model::CallEvent>(&body)) StrAppend(&out, x->duration_s);
        break;
      case Placeholder::kAmount:
        if (const auto* x = std::get_if<model::TransferEvent>(&body)) out += FormatYuan(x->amount);
        break;
      case Placeholder::kAppId:
        if (const auto* x = std::get_if<model::AppEvent>(&body)) out += x->app_id;
        break;
      case Placeholder::kAppName:
        if (const auto* x = std::get_if<model::AppEvent>(&body)) {
          out += x->app_name.empty() ? x->app_id : x->app_name;
        }
        break;
      case Placeholder::kDomain:
        if (const auto* x = std::get_if<model::NetEvent>(&body)) {
          out += x->domain.value().empty() ? x->url : x->domain.value();
        }
        break;
      case Placeholder::kUrl:
        if (const auto* x = std::get_if<model::NetEvent>(&body)) {
          out += x->url.empty() ? x->domain.value() : x->url;
        } else {
          out += sms_url_;
        }
        break;
      case Placeholder::kPayee:
        if (const auto* x = std::get_if<model::TransferEvent>(&body)) {
          out += x->payee_account.value();
        }
        break;
      case Placeholder::kFraudType:
        out += d_.rules.fraud_types().Info(type).name_zh;
        break;
      case Placeholder::kIndicator:
        if (indicator != nullptr) out += indicator->value;
        break;
      case Placeholder::kTextReason:
        ScanText();
        if (text_best_ != nullptr) out += text_best_->reason_zh;
        break;
      case Placeholder::kDirectiveId:
        if (const auto* x = std::get_if<model::DirectiveEvent>(&body)) out += x->directive_id;
        break;
      case Placeholder::kIssuer:
        if (const auto* x = std::get_if<model::DirectiveEvent>(&body)) out += x->issuer;
        break;
      case Placeholder::kLevel:
        if (const auto* x = std::get_if<model::DirectiveEvent>(&body)) {
          out += model::WarningLevelColourZh(x->level);
        }
        break;
      case Placeholder::kLoss:
        if (const auto* x = std::get_if<model::ReportEvent>(&body)) out += FormatYuan(x->loss);
        break;
      case Placeholder::kCount:
        if (extras.count_node >= 0) {
          const Node& n = rule.condition.nodes()[static_cast<size_t>(extras.count_node)];
          StrAppend(&out, static_cast<int64_t>(WindowValue(n).number));
        }
        break;
    }
  }
  return out;
}

}  // namespace fz::detect
