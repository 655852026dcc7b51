// SqlStore: the Store over SqlConn, one implementation for SQLite and PostgreSQL. Writes run
// on a GroupCommitWriter; reads use a separate connection (SQLite WAL readers never block the
// writer), serialized by a mutex.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "fz/store/group_commit.h"
#include "fz/store/kpi_folder.h"
#include "fz/store/sql_conn.h"
#include "fz/store/store.h"

namespace fz::store {

class SqlStore final : public Store {
 public:
  // `writer`, `reader` and `folder` are three connections to the same database; `folder`
  // folds the KPI deltas on a thread of its own (kpi_folder.h).
  SqlStore(std::string backend, std::unique_ptr<SqlConn> writer, std::unique_ptr<SqlConn> reader,
           const workflow::WorkflowConfig& config, Clock* clock, std::unique_ptr<SqlConn> folder);
  ~SqlStore() override;

  std::string_view backend() const override { return backend_; }
  WriterStats writer_stats() const override {
    return {
        .groups = writer_.groups(), .operations = writer_.operations(), .cpu_ns = writer_.cpu_ns()};
  }
  Status Migrate() override;
  StatusOr<SchemaStatus> CheckSchema() override;
  StatusOr<IngestResult> Ingest(const std::vector<workflow::RoutedWarning>& warnings,
                                const Actor& actor) override;
  StatusOr<TransitionRecord> ApplyTransition(const TransitionRequest& request) override;
  StatusOr<StepOutcome> RecordStep(const StepRequest& request) override;
  StatusOr<std::vector<EscalationRecord>> Tick(absl::Time now) override;
  StatusOr<workflow::StopPaymentRequest> RequestStopPayment(
      const workflow::StopPaymentRequest& request, const Actor& actor) override;
  StatusOr<workflow::StopPaymentRequest> UpdateStopPayment(const StopPaymentUpdate& update,
                                                           const Actor& actor) override;
  StatusOr<std::vector<workflow::PendingIndicator>> PendingIndicators(const Actor& actor) override;
  StatusOr<workflow::PendingIndicator> ReviewPendingIndicator(int64_t id, bool confirm,
                                                              const Actor& actor) override;
  StatusOr<std::vector<workflow::FollowUp>> DueFollowUps(absl::Time now,
                                                         const Actor& actor) override;
  StatusOr<WarningPage> ListWarnings(const WarningFilter& filter, const Actor& actor) override;
  StatusOr<WarningDetail> GetWarning(model::WarningId id, const Actor& actor) override;
  StatusOr<Kpis> ComputeKpis(const KpiQuery& query, const Actor& actor) override;
  StatusOr<AuditVerification> VerifyAudit() override;
  StatusOr<std::vector<AuditRow>> AuditTail(int64_t limit) override;
  StatusOr<int64_t> CountRows(std::string_view table) override;

  // sql_store_lists.cc
  Status RecordAudit(const Actor& actor, std::string_view action, std::string_view object,
                     std::string_view detail) override;
  StatusOr<StopPaymentPage> ListStopPayments(const StopPaymentFilter& filter,
                                             const Actor& actor) override;
  StatusOr<CasePage> ListCases(const CaseFilter& filter, const Actor& actor) override;
  StatusOr<EscalationPage> ListEscalations(const EscalationFilter& filter,
                                           const Actor& actor) override;
  StatusOr<std::vector<AuditRow>> QueryAudit(const AuditFilter& filter) override;

  // sql_store_intel.cc
  StatusOr<IndicatorUpsertResult> UpsertIndicators(const std::vector<model::Indicator>& indicators,
                                                   const Actor& actor) override;
  StatusOr<IndicatorRow> ExpireIndicator(model::IndicatorKind kind, std::string_view value,
                                         absl::Time at, const Actor& actor) override;
  StatusOr<IndicatorRow> WhitelistIndicator(model::IndicatorKind kind, std::string_view value,
                                            std::string_view reason, const Actor& actor) override;
  StatusOr<IndicatorPage> ListIndicators(const IndicatorFilter& filter) override;
  Status ForEachIndicator(const std::function<Status(const model::Indicator&)>& fn) override;

  // sql_store_people.cc
  Status RegisterUnitPaths(const std::vector<std::string>& unit_paths) override;
  StatusOr<PeopleUpsertResult> UpsertPeople(const std::vector<model::Person>& people,
                                            const Actor& actor) override;
  StatusOr<PeoplePage> ListPeople(const PeopleFilter& filter, const Actor& actor) override;
  StatusOr<PersonRow> GetPerson(const model::PersonId& id, const Actor& actor) override;
  StatusOr<bool> DeletePerson(const model::PersonId& id, const Actor& actor) override;

  // sql_store_supervision.cc
  StatusOr<Reminder> SendReminder(const ReminderRequest& request, const Actor& actor) override;
  StatusOr<ReminderPage> ListReminders(const ReminderFilter& filter, const Actor& actor) override;
  StatusOr<OutreachPage> ListOutreach(const PeopleFilter& filter, const Actor& actor) override;

  // What one list read asks for (ListNewestFirst, below).
  struct NewestFirstQuery {
    std::string select;  // "SELECT ... FROM ... WHERE "
    std::string subtree_column;
    std::string time_column;
    std::string id_column;
    absl::Time from;
    absl::Time to;
    std::optional<TimeKey> after;
    int limit = 0;
    std::string what;
  };

 private:
  // Appends one audit row for a read (its own small write).
  Status AuditRead(const Actor& actor, std::string_view action, std::string_view object,
                   std::string_view detail);
  // A page of a unit subtree's rows, newest first, as the list reads share it: the scope
  // check (a unit with no rows yet gives an empty page), `filters` (conditions after the
  // subtree's, given the scope's path), the period and keyset conditions on (time, id), and
  // the read's audit row ("list <what>:<unit>"). `read_row` adds a row to the caller's page
  // and returns its key; `*next` is set when the page is full.
  using ListFilters = std::function<std::string(SqlParams&, const std::string& path)>;
  using ListRowReader = std::function<TimeKey(const SqlRow&)>;
  Status ListNewestFirst(const NewestFirstQuery& q, const model::UnitCode& unit, const Actor& actor,
                         const ListFilters& filters, const ListRowReader& read_row,
                         std::optional<TimeKey>* next);
  // The unit path for a filter's unit (the actor's own when empty), checked against scope.
  StatusOr<std::string> ScopePath(const model::UnitCode& unit, const Actor& actor)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(read_mu_);

  std::string backend_;
  const workflow::WorkflowConfig& config_;
  Clock* clock_;
  std::unique_ptr<KpiFolder> folder_;  // before writer_: the writer kicks it until it stops
  GroupCommitWriter writer_;
  absl::Mutex read_mu_;
  std::unique_ptr<SqlConn> reader_ ABSL_GUARDED_BY(read_mu_);
};

}  // namespace fz::store
