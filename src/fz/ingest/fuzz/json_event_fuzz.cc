// ParseJsonEvent on arbitrary bytes: never crashes; an error starts with a reason code; an
// event has an id, and its phone fields hold canonical forms ("+..." or "h:...").
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <variant>

#include "fz/ingest/event_reader.h"

namespace {

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "json_event_fuzz: invariant violated: %s\n", what);
  __builtin_trap();
}

void CheckPhone(const fz::model::PhoneNumber& phone, bool required) {
  const std::string& p = phone.value();
  if (p.empty()) {
    Check(!required, "required phone present");
    return;
  }
  Check(p.starts_with("+") || p.starts_with("h:"), "canonical phone");
}

struct PhoneChecker {
  void operator()(const fz::model::CallEvent& e) const {
    CheckPhone(e.caller, true);
    CheckPhone(e.callee, true);
  }
  void operator()(const fz::model::SmsEvent& e) const {
    CheckPhone(e.sender, true);
    CheckPhone(e.receiver, true);
  }
  void operator()(const fz::model::NetEvent& e) const {
    CheckPhone(e.subscriber, true);
    Check(!e.domain.value().empty() || !e.url.empty() || !e.ip.empty(), "net has a target");
  }
  void operator()(const fz::model::AppEvent& e) const { CheckPhone(e.subscriber, true); }
  void operator()(const fz::model::TransferEvent& e) const {
    CheckPhone(e.payer_phone, false);
    Check(e.amount.fen >= 0, "amount >= 0");
  }
  void operator()(const fz::model::DirectiveEvent& e) const { CheckPhone(e.subject_phone, false); }
  void operator()(const fz::model::ReportEvent& e) const {
    CheckPhone(e.reporter, true);
    for (const auto& p : e.suspect_phones) CheckPhone(p, true);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fz::model::FraudTypeRegistry kTypes = fz::model::FraudTypeRegistry::WithBuiltins();
  fz::ingest::ReadOptions options{.fraud_types = &kTypes};
  std::string_view json(reinterpret_cast<const char*>(data), size);
  fz::StatusOr<fz::model::Event> event = fz::ingest::ParseJsonEvent(json, options);
  if (!event.ok()) {
    std::string message(event.status().message());
    size_t colon = message.find(':');
    Check(colon != std::string::npos && colon > 0, "error starts with a reason code");
    for (size_t i = 0; i < colon; ++i) {
      Check((message[i] >= 'a' && message[i] <= 'z') || message[i] == '_', "reason code shape");
    }
    return 0;
  }
  Check(!event->header.id.value().empty(), "event has an id");
  std::visit(PhoneChecker{}, event->body);
  return 0;
}
