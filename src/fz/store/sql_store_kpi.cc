// SqlStore: KPIs per unit subtree and period (docs/workflow.md "KPIs"). Counters are summed
// over the subtree's warnings of the period; percentiles come from per-warning duration buckets.
#include <algorithm>

#include "fz/common/str_cat.h"
#include "fz/store/sql_store.h"
#include "fz/store/sql_util.h"
#include "fz/workflow/lifecycle.h"

namespace fz::store {
namespace {

std::optional<double> Rate(int64_t num, int64_t den) {
  if (den == 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

// Percentiles from (bucket, count) pairs, reported as bucket upper edges.
Percentiles FromBuckets(std::vector<std::pair<int, int64_t>> buckets) {
  std::sort(buckets.begin(), buckets.end());
  Percentiles p;
  for (const auto& [b, n] : buckets) p.count += n;
  if (p.count == 0) return p;
  auto at = [&](double q) {
    int64_t rank = static_cast<int64_t>(q * static_cast<double>(p.count - 1)) + 1;
    int64_t seen = 0;
    for (const auto& [b, n] : buckets) {
      seen += n;
      if (seen >= rank) return BucketUpperSeconds(b);
    }
    return BucketUpperSeconds(buckets.back().first);
  };
  p.p50_s = at(0.50);
  p.p90_s = at(0.90);
  p.p99_s = at(0.99);
  return p;
}

}  // namespace

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
    // Counters as conditional sums over the subtree's warnings of the period: no GROUP BY,
    // so the database streams the covering index once without sorting. Fraud types (which a
    // center may extend) and duration buckets are grouped in small second passes.
    const std::string where = " FROM warnings WHERE " +
                              SubtreeCondition(c.dialect() == Dialect::kSqlite, "$1", "$2") +
                              " AND created_at >= $3 AND created_at < $4";
    std::vector<std::pair<std::map<std::string, int64_t>*, std::string>> split;
    std::string sql =
        "SELECT count(*), sum(visit_required), "
        "sum(CASE WHEN visit_required = 1 AND visited_at IS NOT NULL THEN 1 ELSE 0 END), "
        "sum(CASE WHEN outcome = 'dissuaded' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN outcome = 'defrauded' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN outcome = 'unreachable' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN overdue > 0 THEN 1 ELSE 0 END), sum(escalations), sum(after_dissuasion)";
    for (model::WarningLevel level :
         {model::WarningLevel::kRed, model::WarningLevel::kOrange, model::WarningLevel::kYellow}) {
      sql += StrCat(", sum(CASE WHEN level = ", static_cast<int>(level), " THEN 1 ELSE 0 END)");
      split.emplace_back(&k.by_level, std::string(model::WarningLevelName(level)));
    }
    for (int i = 0; i < workflow::kWarningStateCount; ++i) {
      std::string_view name = workflow::WarningStateName(static_cast<workflow::WarningState>(i));
      sql += StrCat(", sum(CASE WHEN state = '", name, "' THEN 1 ELSE 0 END)");
      split.emplace_back(&k.by_state, std::string(name));
    }
    for (int i = 0; i <= static_cast<int>(model::EventType::kReport); ++i) {
      std::string_view name = model::EventTypeName(static_cast<model::EventType>(i));
      sql += StrCat(", sum(CASE WHEN source = '", name, "' THEN 1 ELSE 0 END)");
      split.emplace_back(&k.by_source, std::string(name));
    }
    FZ_ASSIGN_OR_RETURN(SqlRows rows, c.Query(sql + where, range));
    const SqlRow& t = rows[0];
    k.warnings = t.Int(0);
    k.visits_required = t.Int(1);
    k.visits_done = t.Int(2);
    k.dissuaded = t.Int(3);
    k.defrauded = t.Int(4);
    k.unreachable = t.Int(5);
    k.overdue = t.Int(6);
    k.escalations = t.Int(7);
    k.defrauded_after_dissuasion = t.Int(8);
    for (size_t i = 0; i < split.size(); ++i) {
      if (int64_t n = t.Int(9 + i); n > 0) (*split[i].first)[split[i].second] = n;
    }
    k.visit_rate = Rate(k.visits_done, k.visits_required);
    k.dissuasion_rate = Rate(k.dissuaded, k.dissuaded + k.defrauded + k.unreachable);
    FZ_ASSIGN_OR_RETURN(
        rows, c.Query("SELECT fraud_type, count(*)" + where + " GROUP BY fraud_type", range));
    for (const SqlRow& r : rows) k.by_fraud_type[static_cast<uint16_t>(r.Int(0))] = r.Int(1);
    for (auto [column, out] : {std::pair{"first_contact_bucket", &k.first_contact},
                               std::pair{"visit_bucket", &k.visit_time}}) {
      FZ_ASSIGN_OR_RETURN(
          rows, c.Query(StrCat("SELECT level, ", column, ", count(*)", where, " AND ", column,
                               " IS NOT NULL GROUP BY level, ", column),
                        range));
      std::map<std::string, std::vector<std::pair<int, int64_t>>> by_level;
      for (const SqlRow& r : rows) {
        by_level[std::string(model::WarningLevelName(static_cast<model::WarningLevel>(r.Int(0))))]
            .emplace_back(static_cast<int>(r.Int(1)), r.Int(2));
      }
      for (auto& [level, buckets] : by_level) (*out)[level] = FromBuckets(std::move(buckets));
    }
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
