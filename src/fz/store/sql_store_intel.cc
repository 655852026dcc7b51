// SqlStore: the intelligence table (indicators): bulk upsert, expire, whitelist, list, and
// the stream of active indicators the server loads at start.
#include <limits>
#include <map>

#include "fz/common/str_cat.h"
#include "fz/intel/intel_store.h"
#include "fz/store/indicator_row.h"
#include "fz/store/sql_list_util.h"
#include "fz/store/sql_store.h"

namespace fz::store {
namespace {

// expires_at of an indicator that never expires: a plain number keeps comparisons free of
// NULL handling in both dialects.
constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

int64_t ExpiresUs(absl::Time t) { return t == absl::InfiniteFuture() ? kNever : Us(t); }
absl::Time FromExpiresUs(int64_t us) { return us == kNever ? absl::InfiniteFuture() : FromUs(us); }

constexpr char kColumns[] =
    "id, kind, value, fraud_type, source, confidence, expires_at, whitelisted, note, added_by, "
    "added_at, updated_at";

IndicatorRow ReadRow(const SqlRow& r) {
  IndicatorRow row;
  model::Indicator& i = row.indicator;
  i.id = model::IndicatorId(r.Int(0));
  i.kind = model::ParseIndicatorKind(r.Str(1)).value_or(model::IndicatorKind::kPhone);
  i.value = r.Str(2);
  i.fraud_type = model::FraudType{static_cast<uint16_t>(r.Int(3))};
  i.source = r.Str(4);
  i.confidence = r.Double(5);
  i.expires_at = FromExpiresUs(r.Int(6));
  i.whitelisted = r.Int(7) != 0;
  row.note = r.Str(8);
  row.added_by = r.Str(9);
  row.added_at = FromUs(r.Int(10));
  row.updated_at = FromUs(r.Int(11));
  return row;
}

StatusOr<std::optional<IndicatorRow>> LoadRow(SqlConn& conn, model::IndicatorKind kind,
                                              const std::string& value) {
  FZ_ASSIGN_OR_RETURN(
      SqlRows rows,
      conn.Query(StrCat("SELECT ", kColumns, " FROM indicators WHERE kind = $1 AND value = $2"),
                 {std::string(model::IndicatorKindName(kind)), value}));
  if (rows.empty()) return std::optional<IndicatorRow>();
  return std::optional<IndicatorRow>(ReadRow(rows[0]));
}

// Rows per INSERT statement: 12 parameters each stays far below SQLite's 32766.
constexpr size_t kBatch = 200;

}  // namespace

StatusOr<model::Indicator> CanonicalIndicator(const model::Indicator& in, std::string_view where) {
  model::Indicator out = in;
  StatusOr<std::string> canonical = intel::IntelStore::CanonicalValue(in.kind, in.value);
  if (!canonical.ok()) {
    return absl::InvalidArgumentError(StrCat(where, " (", model::IndicatorKindName(in.kind), " '",
                                             in.value, "'): ", canonical.status().message()));
  }
  out.value = *std::move(canonical);
  if (!(in.confidence >= 0 && in.confidence <= 1)) {
    return absl::InvalidArgumentError(
        StrCat(where, ": confidence ", in.confidence, " is not in [0, 1]"));
  }
  return out;
}

Status UpsertIndicatorRows(TxContext& tx, const std::vector<model::Indicator>& indicators,
                           const std::string& added_by, IndicatorUpsertResult* result) {
  // Within one statement a key may appear once (PostgreSQL refuses to update a row twice):
  // the last occurrence wins, as it would one by one.
  std::map<std::pair<int, std::string>, const model::Indicator*> latest;
  for (const model::Indicator& i : indicators) latest[{static_cast<int>(i.kind), i.value}] = &i;
  result->unchanged += static_cast<int64_t>(indicators.size() - latest.size());
  FZ_ASSIGN_OR_RETURN(SqlRows max_rows,
                      tx.conn().Query("SELECT COALESCE(max(id), 0) FROM indicators", {}));
  const int64_t max_before = max_rows[0].Int(0);
  int64_t now = Us(tx.now());
  auto it = latest.begin();
  while (it != latest.end()) {
    SqlParams p;
    std::string sql =
        "INSERT INTO indicators (kind, value, fraud_type, source, confidence, expires_at, "
        "whitelisted, note, added_by, added_at, updated_at) VALUES ";
    size_t n = 0;
    for (; it != latest.end() && n < kBatch; ++it, ++n) {
      const model::Indicator& i = *it->second;
      if (n > 0) sql += ", ";
      sql +=
          StrCat("(", Param(p, std::string(model::IndicatorKindName(i.kind))), ", ",
                 Param(p, i.value), ", ", Param(p, int64_t{i.fraud_type.id}), ", ",
                 Param(p, i.source), ", ", Param(p, i.confidence), ", ",
                 Param(p, ExpiresUs(i.expires_at)), ", ", Param(p, int64_t{i.whitelisted ? 1 : 0}),
                 ", '', ", Param(p, added_by), ", ", Param(p, now), ", ", Param(p, now), ")");
    }
    // Only a real change updates the row (and returns it): re-delivery is a no-op.
    sql +=
        " ON CONFLICT (kind, value) DO UPDATE SET fraud_type = excluded.fraud_type, "
        "source = excluded.source, confidence = excluded.confidence, "
        "expires_at = excluded.expires_at, "
        "whitelisted = CASE WHEN indicators.whitelisted = 1 THEN 1 ELSE excluded.whitelisted END, "
        "updated_at = excluded.updated_at "
        "WHERE indicators.fraud_type <> excluded.fraud_type OR indicators.source <> "
        "excluded.source OR abs(indicators.confidence - excluded.confidence) > 1e-9 OR "
        "indicators.expires_at <> excluded.expires_at OR "
        "(indicators.whitelisted = 0 AND excluded.whitelisted = 1) RETURNING id";
    FZ_ASSIGN_OR_RETURN(SqlRows changed, tx.conn().Query(sql, p));
    for (const SqlRow& r : changed) {
      if (r.Int(0) > max_before) {
        ++result->inserted;
      } else {
        ++result->updated;
      }
    }
    result->unchanged += static_cast<int64_t>(n - changed.size());
  }
  return absl::OkStatus();
}

StatusOr<IndicatorUpsertResult> SqlStore::UpsertIndicators(
    const std::vector<model::Indicator>& indicators, const Actor& actor) {
  std::vector<model::Indicator> canonical;
  canonical.reserve(indicators.size());
  for (size_t i = 0; i < indicators.size(); ++i) {
    FZ_ASSIGN_OR_RETURN(model::Indicator c,
                        CanonicalIndicator(indicators[i], StrCat("indicators[", i, "]")));
    canonical.push_back(std::move(c));
  }
  IndicatorUpsertResult result;
  FZ_RETURN_IF_ERROR(writer_.Run([&](TxContext& tx) -> Status {
    result = IndicatorUpsertResult();
    FZ_RETURN_IF_ERROR(UpsertIndicatorRows(tx, canonical, actor.user, &result));
    if (result.inserted + result.updated == 0) return absl::OkStatus();
    return tx.Audit(actor, "indicators_upsert", "indicators",
                    StrCat("inserted=", result.inserted, " updated=", result.updated,
                           " unchanged=", result.unchanged));
  }));
  return result;
}

StatusOr<IndicatorRow> SqlStore::ExpireIndicator(model::IndicatorKind kind, std::string_view value,
                                                 absl::Time at, const Actor& actor) {
  FZ_ASSIGN_OR_RETURN(std::string canonical, intel::IntelStore::CanonicalValue(kind, value));
  IndicatorRow out;
  FZ_RETURN_IF_ERROR(writer_.Run([&](TxContext& tx) -> Status {
    FZ_ASSIGN_OR_RETURN(std::optional<IndicatorRow> row, LoadRow(tx.conn(), kind, canonical));
    if (!row) {
      return absl::NotFoundError(
          StrCat("indicator ", model::IndicatorKindName(kind), ":", canonical, " not found"));
    }
    out = *row;
    if (row->indicator.expires_at == at) return absl::OkStatus();  // repeated
    FZ_RETURN_IF_ERROR(tx.conn()
                           .Exec("UPDATE indicators SET expires_at = $1, updated_at = $2 "
                                 "WHERE id = $3",
                                 {ExpiresUs(at), Us(tx.now()), row->indicator.id.value()})
                           .status());
    out.indicator.expires_at = at;
    out.updated_at = tx.now();
    return tx.Audit(actor, "indicator_expire",
                    StrCat("indicator:", model::IndicatorKindName(kind), ":", canonical),
                    StrCat("expires_at=", absl::FormatTime(at, absl::UTCTimeZone())));
  }));
  return out;
}

StatusOr<IndicatorRow> SqlStore::WhitelistIndicator(model::IndicatorKind kind,
                                                    std::string_view value, std::string_view reason,
                                                    const Actor& actor) {
  FZ_ASSIGN_OR_RETURN(std::string canonical, intel::IntelStore::CanonicalValue(kind, value));
  IndicatorRow out;
  FZ_RETURN_IF_ERROR(writer_.Run([&](TxContext& tx) -> Status {
    FZ_ASSIGN_OR_RETURN(std::optional<IndicatorRow> row, LoadRow(tx.conn(), kind, canonical));
    if (row && row->indicator.whitelisted && row->note == reason) {
      out = *row;
      return absl::OkStatus();  // repeated
    }
    if (row) {
      FZ_RETURN_IF_ERROR(tx.conn()
                             .Exec("UPDATE indicators SET whitelisted = 1, note = $1, "
                                   "updated_at = $2 WHERE id = $3",
                                   {std::string(reason), Us(tx.now()), row->indicator.id.value()})
                             .status());
    } else {
      // Not known yet: kept flagged, so a later import of the value cannot make it active.
      FZ_RETURN_IF_ERROR(
          tx.conn()
              .Exec("INSERT INTO indicators (kind, value, fraud_type, source, confidence, "
                    "expires_at, whitelisted, note, added_by, added_at, updated_at) VALUES "
                    "($1, $2, 0, 'whitelist', 1, $3, 1, $4, $5, $6, $6)",
                    {std::string(model::IndicatorKindName(kind)), canonical, kNever,
                     std::string(reason), actor.user, Us(tx.now())})
              .status());
    }
    FZ_ASSIGN_OR_RETURN(row, LoadRow(tx.conn(), kind, canonical));
    out = *row;
    return tx.Audit(actor, "indicator_whitelist",
                    StrCat("indicator:", model::IndicatorKindName(kind), ":", canonical), reason);
  }));
  return out;
}

StatusOr<IndicatorPage> SqlStore::ListIndicators(const IndicatorFilter& f) {
  SqlParams p;
  std::string sql = StrCat("SELECT ", kColumns, " FROM indicators WHERE 1 = 1");
  if (f.kind) sql += " AND kind = " + Param(p, std::string(model::IndicatorKindName(*f.kind)));
  sql += PrefixCondition(p, "value", f.value_prefix);
  if (f.fraud_type) sql += " AND fraud_type = " + Param(p, int64_t{*f.fraud_type});
  if (!f.source.empty()) sql += " AND source = " + Param(p, f.source);
  if (!f.include_expired) sql += " AND expires_at > " + Param(p, Us(clock_->Now()));
  if (!f.include_whitelisted) sql += " AND whitelisted = 0";
  if (f.after_id) sql += " AND id > " + Param(p, *f.after_id);
  int limit = ClampLimit(f.limit, 10000);
  sql += " ORDER BY id LIMIT " + Param(p, int64_t{limit});
  IndicatorPage page;
  absl::MutexLock lock(&read_mu_);
  FZ_ASSIGN_OR_RETURN(SqlRows rows, reader_->Query(sql, p));
  for (const SqlRow& r : rows) page.rows.push_back(ReadRow(r));
  if (static_cast<int>(rows.size()) == limit) page.next = page.rows.back().indicator.id.value();
  return page;
}

Status SqlStore::ForEachIndicator(const std::function<Status(const model::Indicator&)>& fn) {
  IndicatorFilter f;
  f.limit = 10000;
  for (;;) {
    // Each page is read under the lock, the callback runs outside it (it may use the store).
    FZ_ASSIGN_OR_RETURN(IndicatorPage page, ListIndicators(f));
    for (const IndicatorRow& row : page.rows) FZ_RETURN_IF_ERROR(fn(row.indicator));
    if (!page.next) return absl::OkStatus();
    f.after_id = page.next;
  }
}

}  // namespace fz::store
