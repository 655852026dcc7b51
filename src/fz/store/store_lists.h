// The filters, pages and rows of the Store reads the HTTP API needs beside warnings:
// stop-payments, cases, escalations (督办), the audit log, intelligence indicators and the
// high-risk people base. Included by store.h; plain values.
//
// Paging is keyset paging everywhere: a page carries `next` when it was full, and passing it
// back as the filter's `after` (or `before_seq`) gives the following page, without gaps or
// repeats even while rows are being added.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "fz/model/indicator.h"
#include "fz/model/person.h"
#include "fz/workflow/case_record.h"
#include "fz/workflow/sla.h"
#include "fz/workflow/state.h"
#include "fz/workflow/stop_payment.h"

namespace fz::store {

// (time, id) of the last row of a page, newest first.
using TimeKey = std::pair<absl::Time, int64_t>;

struct StopPaymentFilter {
  model::UnitCode unit;  // subtree root; empty = the actor's own unit
  std::optional<workflow::StopStage> stage;
  std::optional<workflow::StopResult> result;
  absl::Time from = absl::InfinitePast();  // requested_at in [from, to)
  absl::Time to = absl::InfiniteFuture();
  std::string account;           // exact, matches the account stopped or the victim's account
  int limit = 50;                // 1..1000
  std::optional<TimeKey> after;  // (requested_at, id), descending
};

struct StopPaymentPage {
  // Names and accounts masked unless the reader's role sees personal data.
  std::vector<workflow::StopPaymentRequest> rows;
  std::optional<TimeKey> next;
};

struct CaseFilter {
  model::UnitCode unit;  // subtree root; empty = the actor's own unit
  std::optional<uint16_t> fraud_type;
  absl::Time from = absl::InfinitePast();  // opened_at in [from, to)
  absl::Time to = absl::InfiniteFuture();
  int limit = 50;
  std::optional<TimeKey> after;  // (opened_at, id), descending
};

struct CasePage {
  std::vector<workflow::CaseRecord> rows;  // victim fields masked as for warnings
  std::optional<TimeKey> next;
};

struct EscalationFilter {
  // The escalation *target's* subtree: a district supervisor sees what was escalated to the
  // district or to its stations; empty = the actor's own unit.
  model::UnitCode unit;
  absl::Time from = absl::InfinitePast();  // escalation time in [from, to)
  absl::Time to = absl::InfiniteFuture();
  bool open_only = true;  // only warnings still being worked (no outcome, not closed)
  int limit = 50;
  std::optional<TimeKey> after;  // (at, escalation id), descending
};

struct EscalationRow {
  int64_t id = 0;
  model::WarningId warning;
  workflow::SlaClock clock = workflow::SlaClock::kAccept;
  int stage = 1;
  model::UnitCode target;        // the unit the warning was escalated to
  model::UnitCode warning_unit;  // the unit that is late
  absl::Time due;
  absl::Time at;
  std::string reason;
  model::WarningLevel level = model::WarningLevel::kYellow;
  workflow::WarningState state = workflow::WarningState::kNew;
};

struct EscalationPage {
  std::vector<EscalationRow> rows;
  std::optional<TimeKey> next;
};

struct AuditFilter {
  std::string actor;                       // exact user name
  std::string action;                      // exact: "read", "transition", "login", ...
  std::string object_prefix;               // "warning:", "person:P001"
  absl::Time from = absl::InfinitePast();  // at in [from, to)
  absl::Time to = absl::InfiniteFuture();
  int limit = 100;                    // 1..1000
  std::optional<int64_t> before_seq;  // newest first: rows with seq < before_seq
};
// Rows come back as AuditRow (store.h), newest first; the next page is before_seq = last seq.

struct IndicatorUpsertResult {
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
};

struct IndicatorRow {
  model::Indicator indicator;  // id is the table's id
  std::string note;            // why it was whitelisted
  std::string added_by;
  absl::Time added_at;
  absl::Time updated_at;
};

struct IndicatorFilter {
  std::optional<model::IndicatorKind> kind;
  std::string value_prefix;  // of the canonical value
  std::optional<uint16_t> fraud_type;
  std::string source;  // exact
  bool include_expired = false;
  bool include_whitelisted = false;
  int limit = 100;                  // 1..10000
  std::optional<int64_t> after_id;  // ascending id
};

struct IndicatorPage {
  std::vector<IndicatorRow> rows;
  std::optional<int64_t> next;  // pass as after_id
};

// (unit_path, person_id) of the last row of a people page.
using PersonKey = std::pair<std::string, std::string>;

struct PeopleUpsertResult {
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
};

struct PersonRow {
  model::Person person;  // name, ID number, phones and address masked per role
  std::string unit_path;
  absl::Time updated_at;
  std::string updated_by;
};

struct PeopleFilter {
  model::UnitCode unit;  // subtree root; empty = the actor's own unit
  std::string tag;       // exact tag
  std::string phone;     // exact canonical phone
  std::string id_no;     // exact
  std::string name;      // exact
  int limit = 50;
  // Rows come ordered by (unit_path, person_id), the order of the unit index, so a page of
  // a large subtree reads only its own rows.
  std::optional<PersonKey> after;
};

struct PeoplePage {
  std::vector<PersonRow> rows;
  std::optional<PersonKey> next;
};

// 督办 reminders (催办): a supervisor's note to the unit holding a warning, kept with who sent
// it and when, so the 督办 screen shows what was chased and the unit sees it on the warning.
struct ReminderRequest {
  model::WarningId warning;
  std::string message;  // 1..500 characters
};

struct Reminder {
  int64_t id = 0;
  model::WarningId warning;
  model::UnitCode unit;  // the warning's unit when the reminder was sent (who is chased)
  std::string unit_path;
  std::string actor;  // who sent it
  workflow::Role role = workflow::Role::kSystem;
  model::UnitCode actor_unit;
  absl::Time at;
  std::string message;
};

struct ReminderFilter {
  model::UnitCode unit;                     // subtree root; empty = the actor's own unit
  std::optional<model::WarningId> warning;  // only this warning's reminders
  int limit = 50;                           // 1..500
  std::optional<TimeKey> after;             // (at, id), descending
};

struct ReminderPage {
  std::vector<Reminder> rows;
  std::optional<TimeKey> next;
};

// A person of the high-risk base with what the platform did about them: the outreach list
// (走访名单) a unit works through. Times are null when it never happened.
struct OutreachRow {
  PersonRow person;
  int64_t warnings = 0;                    // warnings whose subject is one of the person's phones
  std::optional<absl::Time> last_warned;   // the newest such warning's creation
  std::optional<absl::Time> last_reached;  // the newest first contact (call or visit)
  std::optional<absl::Time> last_visited;  // the newest 见面
};

struct OutreachPage {
  std::vector<OutreachRow> rows;
  std::optional<PersonKey> next;
};

}  // namespace fz::store
