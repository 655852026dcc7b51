// The KPI rollup (migrations 5 and 7): kpi_daily holds, per unit path, city day and "fact", the
// sums every KPI needs, for the warnings created that day in the unit's subtree. Database
// triggers on `warnings` append every change's facts to kpi_delta in the same transaction as
// the change, and the writer folds kpi_delta into kpi_daily every kFoldEveryOps operations
// (a batch of N warnings counts as N) and once when the store opens (Migrate), also in a
// transaction; reads sum both in one statement, so KPIs are exact at every moment
// and survive a crash with the rows they summarize. Internal to store/.
//
// A fact is (k, v, n): k names what is counted ("t" = current state, "fc" = first-contact
// bucket by level, ...), v its value, n the count or sum. A warning adds its facts to the row
// of every ancestor of its unit path (unit_ancestors), so a subtree's KPIs for a period read
// ~25 rows per day however many warnings it holds. Days are calendar days in China Standard
// Time (UTC+8, no daylight saving): KPI periods that start and end at a local midnight read
// only the rollup; other periods read the partial edge days from `warnings`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "fz/common/status.h"
#include "fz/store/sql_conn.h"
#include "fz/store/store.h"

namespace fz::store {

inline constexpr int64_t kDayUs = int64_t{86'400} * 1'000'000;
inline constexpr int64_t kCityUtcOffsetUs = int64_t{8 * 3600} * 1'000'000;

// Migration 5's SQL for one dialect: tables, triggers and the rollup of existing warnings.
std::string KpiRollupMigrationSql(Dialect dialect);

// Migration 7's SQL: the triggers append facts to kpi_delta instead of upserting kpi_daily.
std::string KpiDeltaMigrationSql(Dialect dialect);
// Migration 9: SQLite's UPDATE trigger split per fact (only the changed facts' run).
std::string KpiSplitTriggersMigrationSql(Dialect dialect);
// Migration 10: PostgreSQL's UPDATE branch joins old and new rows once (LATERAL facts).
std::string KpiLateralDeltaMigrationSql(Dialect dialect);
// Migration 11 (SQLite): kpi_fold_state.generation, bumped by every fold (kpi_folder.h).
std::string KpiFoldStateMigrationSql(Dialect dialect);
// SQLite: the deltas with rowid <= $1 summed per ancestor row (unit_path, day, k, v, n).
const std::string& KpiDeltaSumsSql();
// SQLite, inside the writer's transaction: adds `sums` (KpiDeltaSumsSql of deltas up to
// rowid `last`, read at fold generation `generation`) to kpi_daily, deletes those deltas and
// bumps the generation; does nothing if another fold ran since the sums were read.
Status ApplyKpiDeltaSums(SqlConn& conn, const SqlRows& sums, int64_t generation, int64_t last);
// Folds kpi_delta into kpi_daily and empties it; run inside a write transaction.
std::string FoldKpiDeltasSql(Dialect dialect);
// How many write operations the writer lets pass between folds: enough to amortize a fold's
// page writes, few enough that reading the unfolded deltas (no index) stays well under 1 ms.
inline constexpr size_t kFoldEveryOps = 1024;

// Facts of a period, summed: (k, v) → n.
using KpiTally = std::map<std::pair<std::string, std::string>, int64_t>;

// Adds the facts of the subtree `path`'s warnings created in [from_us, to_us), read from the
// warnings themselves.
Status TallyWarnings(SqlConn& conn, const std::string& path, int64_t from_us, int64_t to_us,
                     KpiTally& tally);
// Adds the facts of city days [first_day, end_day) of the subtree `path` from kpi_daily.
Status TallyRollup(SqlConn& conn, const std::string& path, int64_t first_day, int64_t end_day,
                   KpiTally& tally);
// Adds the facts of [from_us, to_us): whole days from the rollup, partial edges from warnings.
Status TallyPeriod(SqlConn& conn, const std::string& path, int64_t from_us, int64_t to_us,
                   KpiTally& tally);

// The warning counters, rates and percentiles of `tally` (cases and stop-payments are not
// facts: the caller adds them).
void KpisFromTally(const KpiTally& tally, Kpis& k);

// kpi_daily plus the deltas not folded yet, as (unit_path, day, k, v, n) rows with n != 0, in
// key order: what reads see.
std::string MaintainedRollupSql();

// kpi_daily recomputed from the warnings, as (unit_path, day, k, v, n) rows with n != 0, in
// key order (tests compare it with the maintained table).
std::string RollupFromScratchSql();

}  // namespace fz::store
