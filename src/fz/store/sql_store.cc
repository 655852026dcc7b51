// SqlStore: construction, schema, ingest and transitions. Steps, timers and stop-payments are
// in sql_store_ops.cc, reads in sql_store_read.cc, KPIs in sql_store_kpi.cc.
#include "fz/store/sql_store.h"

#include <algorithm>

#include <cmath>

#include "fz/common/str_cat.h"
#include "fz/store/kpi_rollup.h"
#include "fz/store/migrations.h"
#include "fz/store/sql_util.h"
#include "fz/store/warning_row.h"
#include "fz/workflow/lifecycle.h"

namespace fz::store {
namespace {

using workflow::WarningState;

std::string JoinRules(const std::vector<std::string>& rules) {
  std::string out;
  for (const std::string& r : rules) {
    if (!out.empty()) out += ',';
    out += r;
  }
  return out;
}

Status InsertEvidence(TxContext& tx, const model::Warning& w, int64_t* new_events) {
  for (const model::Evidence& e : w.evidence) {
    FZ_RETURN_IF_ERROR(
        tx.conn()
            .Exec(
                "INSERT INTO evidence (warning_id, event_id, event_type, at, rule_id, reason, "
                "indicator) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                {w.id.value(), e.event_id.value(), std::string(model::EventTypeName(e.event_type)),
                 Us(e.time), e.rule_id, e.reason, e.indicator})
            .status());
    FZ_ASSIGN_OR_RETURN(int64_t added,
                        tx.conn().Exec("INSERT INTO ingested_events (event_id, warning_id, at) "
                                       "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                       {e.event_id.value(), w.id.value(), Us(tx.now())}));
    *new_events += added;
  }
  return absl::OkStatus();
}

}  // namespace

SqlStore::SqlStore(std::string backend, std::unique_ptr<SqlConn> writer,
                   std::unique_ptr<SqlConn> reader, const workflow::WorkflowConfig& config,
                   Clock* clock, std::unique_ptr<SqlConn> folder)
    : backend_(std::move(backend)),
      config_(config),
      clock_(clock),
      writer_(std::move(writer), clock),
      reader_(std::move(reader)) {
  // PostgreSQL: a group's transitions read their warnings in one round trip (ADR 0004).
  if (backend_ == "postgresql") writer_.SetPrefetch(&PrefetchWarningCores);
  // SQLite's folder hands its sums to the writer to apply (kpi_folder.h).
  folder_ =
      std::make_unique<KpiFolder>(std::move(folder), backend_ == "sqlite" ? &writer_ : nullptr);
}

SqlStore::~SqlStore() {
  // The folder may be handing sums to the writer: stop it first. The writer, stopped next
  // (members), may still kick it, which is harmless.
  folder_->Stop();
}

Status SqlStore::Migrate() {
  int64_t now = Us(clock_->Now());
  // Migrations manage their own transactions, so they run outside a group.
  return writer_.RunExclusive([&](SqlConn& conn) -> Status {
    FZ_RETURN_IF_ERROR(ApplyMigrations(conn, now));
    // The schema now has kpi_delta (migration 7): the writer kicks the folder from here on.
    writer_.SetUpkeep(
        [this](SqlConn&) {
          folder_->Kick();
          return absl::OkStatus();
        },
        kFoldEveryOps, /*in_transaction=*/false);
    return absl::OkStatus();
  });
}

StatusOr<SchemaStatus> SqlStore::CheckSchema() {
  absl::MutexLock lock(&read_mu_);
  FZ_ASSIGN_OR_RETURN(std::vector<int> applied, AppliedVersions(*reader_));
  SchemaStatus status;
  status.latest_version = Migrations().back().version;
  status.current_version = applied.empty() ? 0 : applied.back();
  for (const Migration& m : Migrations()) {
    if (std::find(applied.begin(), applied.end(), m.version) == applied.end()) {
      status.pending.push_back(StrCat(m.version, " ", m.name));
    }
  }
  if (status.current_version > status.latest_version) {
    return absl::FailedPreconditionError(StrCat("database schema version ", status.current_version,
                                                " is newer than this fanzha (",
                                                status.latest_version, ")"));
  }
  return status;
}

StatusOr<IngestResult> SqlStore::Ingest(const std::vector<workflow::RoutedWarning>& warnings,
                                        const Actor& actor) {
  IngestResult result;
  auto op = [&](TxContext& tx) -> Status {
    result = IngestResult();
    for (const workflow::RoutedWarning& rw : warnings) {
      const model::Warning& w = rw.warning;
      int64_t id = w.id.value();
      FZ_ASSIGN_OR_RETURN(SqlRows existing,
                          tx.conn().Query("SELECT level, score FROM warnings WHERE id = $1", {id}));
      int64_t before = result.new_events;
      FZ_RETURN_IF_ERROR(InsertEvidence(tx, w, &result.new_events));
      if (!existing.empty()) {
        auto level = static_cast<model::WarningLevel>(existing[0].Int(0));
        // Scores come back through text: compare with a tolerance, not bit for bit.
        bool changed = w.level > level || std::abs(w.score - existing[0].Double(1)) > 1e-6 ||
                       result.new_events > before;
        if (!changed) {
          ++result.unchanged;
          continue;
        }
        ++result.updated_warnings;
        FZ_RETURN_IF_ERROR(tx.conn()
                               .Exec("UPDATE warnings SET score = $1, rule_ids = $2, "
                                     "updated_at = $3 WHERE id = $4",
                                     {w.score, JoinRules(w.rule_ids), Us(tx.now()), id})
                               .status());
        if (w.level > level) {
          FZ_ASSIGN_OR_RETURN(WarningCore core, LoadWarningCore(tx.conn(), id));
          FZ_RETURN_IF_ERROR(RaiseLevel(tx, core, w.level, config_.sla));
          FZ_RETURN_IF_ERROR(tx.Audit(
              actor, "upgrade", WarningObject(id),
              StrCat(model::WarningLevelName(level), "->", model::WarningLevelName(w.level))));
        }
        continue;
      }
      ++result.new_warnings;
      bool visit_required = config_.sla.For(w.level).visit_required;
      // Before the row: its KPI trigger needs the unit's ancestors.
      FZ_RETURN_IF_ERROR(RememberUnitPath(tx.conn(), rw.unit_path));
      FZ_RETURN_IF_ERROR(
          tx.conn()
              .Exec("INSERT INTO warnings (id, subject, subject_kind, person_name, level, score, "
                    "fraud_type, source, rule_ids, state, unit, unit_path, queue, target_city, "
                    "route_reason, created_at, updated_at, dispatched_at, visit_required) VALUES "
                    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
                    "$18, $19)",
                    {id, w.subject, std::string(model::SubjectKindName(w.subject_kind)),
                     rw.person_name, int64_t{static_cast<int>(w.level)}, w.score,
                     int64_t{w.fraud_type.id}, rw.source, JoinRules(w.rule_ids),
                     std::string(workflow::WarningStateName(WarningState::kDispatched)),
                     rw.route.unit.value(), rw.unit_path,
                     std::string(workflow::RouteQueueName(rw.route.queue)), rw.route.target_city,
                     rw.route.reason, Us(w.created_at), Us(tx.now()), Us(tx.now()),
                     int64_t{visit_required ? 1 : 0}})
              .status());
      FZ_RETURN_IF_ERROR(InsertRoute(tx, id, rw.route, rw.unit_path, actor));
      FZ_RETURN_IF_ERROR(InsertTransition(tx, StrCat("dispatch:", id), id, WarningState::kNew,
                                          WarningState::kDispatched, actor, rw.route.unit.value(),
                                          rw.route.reason, {}, nullptr));
      for (const workflow::SlaTimer& t : workflow::StartClocks(w.level, tx.now(), config_.sla)) {
        FZ_RETURN_IF_ERROR(UpsertTimer(tx.conn(), id, t));
      }
      FZ_RETURN_IF_ERROR(tx.Audit(actor, "ingest", WarningObject(id),
                                  StrCat(model::WarningLevelName(w.level), " -> ",
                                         rw.route.unit.value(), ": ", rw.route.reason)));
    }
    return absl::OkStatus();
  };
  FZ_RETURN_IF_ERROR(writer_.Run(op, 0, std::max<size_t>(1, warnings.size())));
  return result;
}

Status SqlStore::AuditRead(const Actor& actor, std::string_view action, std::string_view object,
                           std::string_view detail) {
  return writer_.Run([&](TxContext& tx) { return tx.Audit(actor, action, object, detail); });
}

}  // namespace fz::store
