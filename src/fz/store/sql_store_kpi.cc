// SqlStore: KPIs per unit subtree and period (docs/workflow.md "KPIs"). Warning counters and
// duration buckets come from the daily rollup (kpi_rollup.h); stop-payments and cases are
// summed from their own tables.

#include "fz/common/str_cat.h"
#include "fz/store/kpi_rollup.h"
#include "fz/store/sql_store.h"
#include "fz/store/sql_util.h"
#include "fz/workflow/lifecycle.h"

namespace fz::store {

std::optional<double> Change::Ratio() const {
  if (previous == 0) return std::nullopt;
  return (current - previous) / previous;
}

StatusOr<Kpis> SqlStore::ComputeKpis(const KpiQuery& q, const Actor& actor) {
  Kpis k;
  std::string path;
  {
    absl::MutexLock lock(&read_mu_);
    StatusOr<std::string> scope = ScopePath(q.unit, actor);
    if (absl::IsNotFound(scope.status())) return k;
    FZ_RETURN_IF_ERROR(scope.status());
    path = *scope;
    SqlConn& c = *reader_;
    SqlParams range = {path, SubtreeEnd(path), Us(q.from), Us(q.to)};
    // Warning facts from the daily rollup for whole city days, from the warnings themselves
    // only for partial days at the edges (kpi_rollup.h).
    KpiTally tally;
    FZ_RETURN_IF_ERROR(TallyPeriod(c, path, Us(q.from), Us(q.to), tally));
    KpisFromTally(tally, k);
    SqlRows rows;
    FZ_ASSIGN_OR_RETURN(rows, c.Query("SELECT count(DISTINCT stop_account), "
                                      "sum(amount_requested), sum(amount_stopped) FROM "
                                      "stop_payments WHERE unit_path >= $1 AND unit_path < $2 "
                                      "AND requested_at >= $3 AND requested_at < $4",
                                      range));
    k.stop_payment_accounts = rows[0].Int(0);
    k.stop_payment_requested_fen = rows[0].Int(1);
    k.stop_payment_stopped_fen = rows[0].Int(2);
    // Cases and losses now, in the period just before (MoM) and a year before (YoY).
    absl::Duration length = q.to - q.from;
    absl::Time year_from = absl::FromCivil(
        absl::ToCivilSecond(q.from, absl::UTCTimeZone()) - 365 * 24 * 3600, absl::UTCTimeZone());
    const std::vector<std::pair<absl::Time, absl::Time>> periods = {
        {q.from, q.to}, {q.from - length, q.from}, {year_from, year_from + length}};
    std::vector<std::pair<double, double>> counts;
    for (const auto& [from, to] : periods) {
      FZ_ASSIGN_OR_RETURN(rows, c.Query("SELECT count(*), sum(loss_fen) FROM cases WHERE "
                                        "unit_path >= $1 AND unit_path < $2 AND opened_at >= $3 "
                                        "AND opened_at < $4",
                                        {path, SubtreeEnd(path), Us(from), Us(to)}));
      counts.emplace_back(static_cast<double>(rows[0].Int(0)), static_cast<double>(rows[0].Int(1)));
    }
    k.cases_mom = {counts[0].first, counts[1].first};
    k.cases_yoy = {counts[0].first, counts[2].first};
    k.losses_fen_mom = {counts[0].second, counts[1].second};
    k.losses_fen_yoy = {counts[0].second, counts[2].second};
  }
  FZ_RETURN_IF_ERROR(AuditRead(actor, "kpi", StrCat("unit:", workflow::UnitOfPath(path)),
                               StrCat(Us(q.from), "..", Us(q.to))));
  return k;
}

}  // namespace fz::store
