// Store: durable workflow state (warnings with evidence, routes, transitions, steps, SLA
// timers, escalations, stop-payments, cases, follow-ups, pending indicators, the audit log)
// and the KPI queries over it. Two implementations behind OpenStore(url): SQLite (embedded
// default) and PostgreSQL, sharing one schema and one set of queries (sql_store.h).
//
//   FZ_ASSIGN_OR_RETURN(std::unique_ptr<Store> store,
//                       OpenStore("sqlite:/var/lib/fanzha/fanzha.db", config, &clock));
//   FZ_RETURN_IF_ERROR(store->Migrate());
//   FZ_ASSIGN_OR_RETURN(IngestResult r, store->Ingest(routed_warnings, system_actor));
//   FZ_ASSIGN_OR_RETURN(TransitionRecord t, store->ApplyTransition({.request_id = "req-1", ...}));
//
// Every method is thread-safe. Writes go through one writer thread that commits concurrent
// callers together (group commit); a method returns only after its change is committed.
// Idempotent: warnings are keyed by id, events by event id, transitions, steps and
// stop-payments by their request id; re-delivery returns the first result and changes nothing.
// Every change and every read of a warning appends to the hash-chained audit log (the actor
// is a parameter of every call).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "fz/common/clock.h"
#include "fz/common/status.h"
#include "fz/store/store_lists.h"
#include "fz/workflow/case_record.h"
#include "fz/workflow/plan.h"
#include "fz/workflow/routing.h"
#include "fz/workflow/sla.h"
#include "fz/workflow/state.h"
#include "fz/workflow/stop_payment.h"
#include "fz/workflow/workflow_config.h"

namespace fz::store {

using workflow::Actor;

struct IngestResult {
  int64_t new_warnings = 0;
  int64_t updated_warnings = 0;  // level, score or evidence changed
  int64_t unchanged = 0;         // re-delivered, nothing new
  int64_t new_events = 0;        // evidence event ids seen for the first time
};

struct TransitionEvidence {
  std::string call_result;  // "接通，已劝阻" / "无人接听"
  std::string visit_notes;
  std::optional<double> gps_lat;
  std::optional<double> gps_lon;
  std::string photo_ref;  // object-store key of a photo, never the photo
};

struct TransitionRequest {
  std::string request_id;  // idempotency key, unique per transition
  model::WarningId warning;
  workflow::WarningState to = workflow::WarningState::kAccepted;
  Actor actor;
  std::string note;
  TransitionEvidence evidence;
  // For → dispatched (re-route, hand-over review): the new route, from RoutingPolicy::Manual,
  // and its unit path (RoutingPolicy::PathOf).
  std::optional<workflow::Route> reroute;
  std::string reroute_path;
  std::optional<workflow::CaseDraft> case_draft;  // for → defrauded: opens a case
};

struct TransitionRecord {
  int64_t id = 0;
  std::string request_id;
  model::WarningId warning;
  workflow::WarningState from = workflow::WarningState::kNew;
  workflow::WarningState to = workflow::WarningState::kNew;
  std::string actor;
  workflow::Role role = workflow::Role::kSystem;
  model::UnitCode unit;  // the warning's unit at the time
  absl::Time at;
  std::string note;
  TransitionEvidence evidence;
  bool replayed = false;  // true when this request id had been applied before
};

struct StepRequest {
  std::string request_id;
  model::WarningId warning;
  workflow::StepKind kind = workflow::StepKind::kOfficerCall;
  workflow::StepResult result = workflow::StepResult::kReached;
  Actor actor;
  std::string note;
};

struct StepOutcome {
  int64_t id = 0;
  bool replayed = false;
  workflow::NextStep next;  // what the plan says now
  bool upgraded_to_red = false;
};

struct RouteRecord {
  model::UnitCode unit;
  std::string unit_path;
  workflow::RouteQueue queue = workflow::RouteQueue::kUnit;
  std::string target_city;
  std::string basis;
  std::string reason;
  std::string actor;
  absl::Time at;
};

struct StepRow {
  std::string request_id;
  workflow::StepKind kind = workflow::StepKind::kAiCall;
  workflow::StepResult result = workflow::StepResult::kDone;
  std::string actor;
  absl::Time at;
  std::string note;
};

struct EscalationRecord {
  model::WarningId warning;
  workflow::SlaClock clock = workflow::SlaClock::kAccept;
  int stage = 1;
  model::UnitCode target;
  absl::Time due;
  absl::Time at;
  std::string reason;
};

struct WarningSummary {
  model::WarningId id;
  std::string subject;  // masked unless the reader's role sees personal data
  std::string subject_kind;
  std::string person_name;  // masked likewise
  model::WarningLevel level = model::WarningLevel::kYellow;
  double score = 0;
  uint16_t fraud_type = 0;
  std::string source;
  workflow::WarningState state = workflow::WarningState::kNew;
  model::UnitCode unit;
  workflow::RouteQueue queue = workflow::RouteQueue::kUnit;
  std::string target_city;
  std::string route_reason;
  absl::Time created_at;
  int escalations = 0;
};

struct WarningDetail {
  WarningSummary summary;
  std::vector<std::string> rule_ids;
  std::vector<model::Evidence> evidence;
  std::vector<RouteRecord> routes;
  std::vector<TransitionRecord> transitions;
  std::vector<StepRow> steps;
  std::vector<workflow::SlaTimer> timers;
  std::vector<EscalationRecord> escalations;
  std::optional<workflow::FollowUp> follow_up;
  std::optional<workflow::CaseRecord> case_record;
  workflow::NextStep next_step;
};

struct WarningFilter {
  model::UnitCode unit;  // subtree root; empty = the actor's own unit
  std::optional<model::WarningLevel> level;
  std::optional<workflow::WarningState> state;
  std::optional<uint16_t> fraud_type;
  absl::Time from = absl::InfinitePast();  // created_at in [from, to)
  absl::Time to = absl::InfiniteFuture();
  std::string subject;  // exact canonical subject (反查)
  int limit = 50;
  // Keyset paging: rows strictly after (created_at, id) in descending order.
  std::optional<std::pair<absl::Time, int64_t>> after;
};

struct WarningPage {
  std::vector<WarningSummary> rows;
  std::optional<std::pair<absl::Time, int64_t>> next;  // pass as filter.after
};

struct Percentiles {
  int64_t count = 0;
  double p50_s = 0, p90_s = 0, p99_s = 0;  // upper bucket edges, seconds
};

struct Change {
  double current = 0;
  double previous = 0;  // the period before (MoM) or a year before (YoY)
  // (current - previous) / previous; nullopt when previous is 0.
  std::optional<double> Ratio() const;
};

struct KpiQuery {
  model::UnitCode unit;
  absl::Time from;
  absl::Time to;
};

struct Kpis {
  int64_t warnings = 0;
  std::map<std::string, int64_t> by_level;    // "red" → n
  std::map<std::string, int64_t> by_source;   // "call" → n
  std::map<uint16_t, int64_t> by_fraud_type;  // fraud type id → n
  std::map<std::string, int64_t> by_state;    // current state → n
  int64_t visits_required = 0;
  int64_t visits_done = 0;
  std::optional<double> visit_rate;  // 见面率
  int64_t dissuaded = 0;
  int64_t defrauded = 0;
  int64_t unreachable = 0;
  std::optional<double> dissuasion_rate;
  std::map<std::string, Percentiles> first_contact;  // by level
  std::map<std::string, Percentiles> visit_time;     // by level
  int64_t overdue = 0;
  int64_t escalations = 0;
  int64_t stop_payment_accounts = 0;
  int64_t stop_payment_requested_fen = 0;
  int64_t stop_payment_stopped_fen = 0;
  Change cases_mom, cases_yoy, losses_fen_mom, losses_fen_yoy;
  int64_t defrauded_after_dissuasion = 0;  // 劝阻后发案
};

struct StopPaymentUpdate {
  std::string request_no;
  workflow::StopStage stage = workflow::StopStage::kInitial;
  workflow::StopResult result = workflow::StopResult::kInitial;
  std::string error_code;
  std::optional<model::Money> balance;
  std::optional<model::Money> amount_stopped;
  std::optional<absl::Time> stop_start;  // when the bank confirmed the stop
};

struct SchemaStatus {
  int current_version = 0;
  int latest_version = 0;
  std::vector<std::string> pending;  // names of migrations not yet applied
};

struct AuditVerification {
  int64_t rows = 0;
  bool ok = true;
  int64_t first_bad_seq = 0;
  std::string problem;  // "seq 17: hash mismatch (row changed)"
};

struct AuditRow {
  int64_t seq = 0;
  absl::Time at;
  std::string actor, role, unit, action, object, detail;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual std::string_view backend() const = 0;  // "sqlite", "postgresql"

  // Applies pending numbered migrations (recorded in schema_migrations).
  virtual Status Migrate() = 0;
  // What is applied and what is pending; error when the database is newer than this binary.
  virtual StatusOr<SchemaStatus> CheckSchema() = 0;

  // Stores routed warnings (new ones dispatched with their SLA clocks; known ones updated
  // when the level, score or evidence changed) in one commit.
  virtual StatusOr<IngestResult> Ingest(const std::vector<workflow::RoutedWarning>& warnings,
                                        const Actor& actor) = 0;

  virtual StatusOr<TransitionRecord> ApplyTransition(const TransitionRequest& request) = 0;
  virtual StatusOr<StepOutcome> RecordStep(const StepRequest& request) = 0;

  // Raises every escalation due at `now` (each once) and returns the new ones.
  virtual StatusOr<std::vector<EscalationRecord>> Tick(absl::Time now) = 0;

  virtual StatusOr<workflow::StopPaymentRequest> RequestStopPayment(
      const workflow::StopPaymentRequest& request, const Actor& actor) = 0;
  virtual StatusOr<workflow::StopPaymentRequest> UpdateStopPayment(const StopPaymentUpdate& update,
                                                                   const Actor& actor) = 0;

  virtual StatusOr<std::vector<workflow::PendingIndicator>> PendingIndicators(
      const Actor& actor) = 0;
  // An analyst (or dispatcher) confirms or rejects a pending indicator. Repeating the same
  // decision is a no-op; reversing a decision is FailedPrecondition.
  virtual StatusOr<workflow::PendingIndicator> ReviewPendingIndicator(int64_t id, bool confirm,
                                                                      const Actor& actor) = 0;
  virtual StatusOr<std::vector<workflow::FollowUp>> DueFollowUps(absl::Time now,
                                                                 const Actor& actor) = 0;

  virtual StatusOr<WarningPage> ListWarnings(const WarningFilter& filter, const Actor& actor) = 0;
  virtual StatusOr<WarningDetail> GetWarning(model::WarningId id, const Actor& actor) = 0;
  virtual StatusOr<Kpis> ComputeKpis(const KpiQuery& query, const Actor& actor) = 0;

  virtual StatusOr<AuditVerification> VerifyAudit() = 0;
  virtual StatusOr<std::vector<AuditRow>> AuditTail(int64_t limit) = 0;

  // --- Reads and tables for the HTTP API (store_lists.h). Lists follow ListWarnings: the
  // filter's unit subtree must be inside the actor's (city-wide roles see all), personal data
  // is masked unless RoleSeesPersonalData, and each list or read is audited.

  // Appends one row to the hash-chained audit log through the writer (logins, user
  // management, unmasked reads, rule reloads), so the chain stays one chain.
  virtual Status RecordAudit(const Actor& actor, std::string_view action, std::string_view object,
                             std::string_view detail) = 0;
  virtual StatusOr<StopPaymentPage> ListStopPayments(const StopPaymentFilter& filter,
                                                     const Actor& actor) = 0;
  virtual StatusOr<CasePage> ListCases(const CaseFilter& filter, const Actor& actor) = 0;
  // Escalations whose target unit is in the filter's subtree (督办).
  virtual StatusOr<EscalationPage> ListEscalations(const EscalationFilter& filter,
                                                   const Actor& actor) = 0;
  // The audit log, newest first. Not audited itself and not scoped: the caller checks that
  // the reader may read the audit log.
  virtual StatusOr<std::vector<AuditRow>> QueryAudit(const AuditFilter& filter) = 0;

  // Records unit paths ("/640100/640104/640104001/", RoutingPolicy::PathOf) so that units
  // without warnings can be list roots and people can be placed. Idempotent; the server
  // registers the whole unit tree at start.
  virtual Status RegisterUnitPaths(const std::vector<std::string>& unit_paths) = 0;

  // Intelligence (情报). Values must be canonical for their kind: the store canonicalizes
  // with intel::IntelStore::CanonicalValue and refuses values that are not valid (the error
  // names the position, kind and value). Idempotent by (kind, value): a later upsert updates
  // fraud type, source, confidence and expiry; a whitelisted value stays whitelisted.
  virtual StatusOr<IndicatorUpsertResult> UpsertIndicators(
      const std::vector<model::Indicator>& indicators, const Actor& actor) = 0;
  // Sets the expiry; NotFound for an unknown value.
  virtual StatusOr<IndicatorRow> ExpireIndicator(model::IndicatorKind kind, std::string_view value,
                                                 absl::Time at, const Actor& actor) = 0;
  // Flags a value as wrongly flagged (kept, never active again); an unknown value is added
  // flagged, so it cannot be imported later.
  virtual StatusOr<IndicatorRow> WhitelistIndicator(model::IndicatorKind kind,
                                                    std::string_view value, std::string_view reason,
                                                    const Actor& actor) = 0;
  virtual StatusOr<IndicatorPage> ListIndicators(const IndicatorFilter& filter) = 0;
  // Calls `fn` for every active indicator (not whitelisted, not expired now), in id order,
  // outside any lock; stops at the first error `fn` returns.
  virtual Status ForEachIndicator(const std::function<Status(const model::Indicator&)>& fn) = 0;

  // The high-risk people base (高危易受骗群体库). A person's unit must have a registered path
  // and be in the actor's subtree. Idempotent by person id.
  virtual StatusOr<PeopleUpsertResult> UpsertPeople(const std::vector<model::Person>& people,
                                                    const Actor& actor) = 0;
  virtual StatusOr<PeoplePage> ListPeople(const PeopleFilter& filter, const Actor& actor) = 0;
  virtual StatusOr<PersonRow> GetPerson(const model::PersonId& id, const Actor& actor) = 0;
  // True when a person was removed, false when there was none (a repeated delete).
  virtual StatusOr<bool> DeletePerson(const model::PersonId& id, const Actor& actor) = 0;

  // 督办 reminders (sql_store_supervision.cc). The warning must be in the actor's subtree
  // (PermissionDenied otherwise, NotFound when there is none) and not closed
  // (FailedPrecondition); the reminder and its audit row are one commit.
  virtual StatusOr<Reminder> SendReminder(const ReminderRequest& request, const Actor& actor) = 0;
  // Reminders about warnings of the filter's subtree (or one warning), newest first.
  virtual StatusOr<ReminderPage> ListReminders(const ReminderFilter& filter,
                                               const Actor& actor) = 0;
  // ListPeople's page, each person with their warnings' count and last warned / reached /
  // visited times (audited as a people list).
  virtual StatusOr<OutreachPage> ListOutreach(const PeopleFilter& filter, const Actor& actor) = 0;

  // Row count of a table (tests and `fanzha db check`).
  virtual StatusOr<int64_t> CountRows(std::string_view table) = 0;

  // What the writer committed so far: groups and operations in them (their ratio is the
  // average group: group commit works when it is well above 1 under concurrent writers).
  struct WriterStats {
    int64_t groups = 0;
    int64_t operations = 0;
    int64_t cpu_ns = 0;  // the writer thread's CPU time
  };
  virtual WriterStats writer_stats() const { return {}; }
};

// "sqlite:PATH" (":memory:" is refused: the writer and readers need one file) or
// "postgresql://user@host:port/db". `config` and `clock` must outlive the store.
StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view url,
                                           const workflow::WorkflowConfig& config, Clock* clock);

}  // namespace fz::store
