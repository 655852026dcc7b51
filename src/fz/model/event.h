// Events: what sources tell us (DESIGN.md "Data flow"). One struct per source type, carried in
// an Event with the common header. Identifier fields hold canonical (normalized) values; the
// ingest layer builds Events only from rows that normalized cleanly.
//
//   Event e{.header = {.id = EventId("cdr-1"), .type = EventType::kCall, .time = t},
//           .body = CallEvent{.caller = PhoneNumber("+85512345678"), .callee = ...}};
//   if (const auto* call = std::get_if<CallEvent>(&e.body)) ...
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/time/time.h"
#include "fz/model/fraud_type.h"
#include "fz/model/ids.h"
#include "fz/model/warning_level.h"

namespace fz::model {

enum class EventType : uint8_t { kCall, kSms, kNet, kApp, kTransfer, kDirective, kReport };

std::string_view EventTypeName(EventType type);  // "call", "sms", ...
std::optional<EventType> ParseEventType(std::string_view name);

// Money in fen (分): exact, and large enough for any single transfer.
struct Money {
  int64_t fen = 0;
  friend auto operator<=>(const Money&, const Money&) = default;
};

struct CallEvent {
  PhoneNumber caller;
  PhoneNumber callee;
  int32_t duration_s = 0;  // 0 for unanswered
  std::string cell_id;     // caller's serving cell, when the carrier gives it
  std::string imei;        // caller's device, when known
  // normalize::PhoneFlagSet bits of the caller as written in the source row. Some signs of a
  // forged caller id ("+86 95588": a service number with a country code) exist only in the
  // raw text and are lost in the canonical form, so ingest keeps them here; with
  // kPartyFlagsComplete when they are all the flags normalization found (ingest always sets
  // it), so the detector need not normalize the caller again for the flags of its digits.
  uint32_t caller_flags = 0;
};

// In CallEvent::caller_flags / SmsEvent::sender_flags: the other bits are every flag
// normalize::PhoneNormalizer::NormalizeKey gave the number as written (above any PhoneFlag).
inline constexpr uint32_t kPartyFlagsComplete = uint32_t{1} << 31;

struct SmsEvent {
  PhoneNumber sender;
  PhoneNumber receiver;
  std::string text;
  uint32_t sender_flags = 0;  // as CallEvent::caller_flags
};

// A subscriber line (mobile or fixed broadband account) visiting a domain or URL (ISP side).
struct NetEvent {
  PhoneNumber subscriber;
  Domain domain;
  std::string url;  // normalized, may be empty when only DNS is seen
  std::string ip;
};

struct AppEvent {
  PhoneNumber subscriber;
  std::string app_id;    // package name, "com.example.meeting"
  std::string app_name;  // display name
  std::string action;    // "install", "open"
  std::string imei;
};

struct TransferEvent {
  AccountNo payer_account;
  PhoneNumber payer_phone;  // the bank's registered phone of the payer, when given
  std::string payer_id_no;  // resident ID of the payer, when given
  AccountNo payee_account;
  std::string payee_name;
  Money amount;
  std::string channel;  // "mobile_bank", "atm", "counter", "third_party"
};

// An upstream warning directive (预警指令) from the national or provincial center.
struct DirectiveEvent {
  std::string directive_id;
  PhoneNumber subject_phone;
  std::string subject_id_no;
  AccountNo subject_account;
  WarningLevel level = WarningLevel::kOrange;
  FraudType fraud_type;
  std::string issuer;
  std::string text;
};

// A citizen report (96110, the national anti-fraud app).
struct ReportEvent {
  PhoneNumber reporter;
  std::vector<PhoneNumber> suspect_phones;
  std::vector<AccountNo> suspect_accounts;
  std::vector<Domain> suspect_domains;
  FraudType fraud_type;
  Money loss;
  std::string text;
};

struct EventHeader {
  EventId id;
  EventType type = EventType::kCall;
  absl::Time time;
  std::string source;  // feed name: "carrier.cmcc", "bank.nxbank", "directive.national"
};

// Two 64-bit keys of an event that a consumer needs before it reads the event: computed by the
// parser thread right after building it, while it is in that core's cache (ingest::ReadOptions::
// keys_of), and carried next to the event pointers, so that a thread routing events does not
// touch every event. Their meaning is the consumer's: for the detector (detect::KeysOf), the
// subject's hash, which picks the shard, and the event id's hash, for duplicate filters.
struct EventKeys {
  uint64_t route = 0;
  uint64_t id = 0;
};

struct Event {
  EventHeader header;
  std::variant<CallEvent, SmsEvent, NetEvent, AppEvent, TransferEvent, DirectiveEvent, ReportEvent>
      body;
};

}  // namespace fz::model
