// The read side of the KPI rollup (kpi_rollup.h): facts of a period summed from kpi_daily,
// its pending deltas and, for partial days, the warnings themselves; KPIs from the sums.
#include <algorithm>
#include <charconv>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/store/kpi_rollup.h"
#include "fz/store/sql_util.h"
#include "fz/workflow/lifecycle.h"

namespace fz::store {
namespace {

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
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

std::optional<double> Rate(int64_t num, int64_t den) {
  if (den == 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

std::string LevelName(std::string_view level_int) {
  std::optional<int64_t> v = ParseInt(level_int);
  return v ? std::string(model::WarningLevelName(static_cast<model::WarningLevel>(*v)))
           : std::string(level_int);
}

template <typename Enum>
bool Known(std::string_view value, std::string_view (*name)(Enum), int count) {
  for (int i = 0; i < count; ++i) {
    if (name(static_cast<Enum>(i)) == value) return true;
  }
  return false;
}

// Floor division for day numbers (times before 1970 are negative).
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

Status TallyRollup(SqlConn& conn, const std::string& path, int64_t first_day, int64_t end_day,
                   KpiTally& tally) {
  // The folded ancestor row plus the deltas not folded yet (kpi_delta holds leaf paths, so the
  // subtree range): one statement, so both parts come from one snapshot and a fold committing
  // meanwhile can neither count a delta twice nor lose it.
  FZ_ASSIGN_OR_RETURN(
      SqlRows rows,
      conn.Query("SELECT k, v, sum(n) FROM (SELECT k, v, n FROM kpi_daily WHERE unit_path = $1 "
                 "AND day >= $2 AND day < $3 UNION ALL SELECT k, v, c FROM kpi_delta WHERE "
                 "unit_path >= $1 AND unit_path < $4 AND day >= $2 AND day < $3) x GROUP BY k, v",
                 {path, first_day, end_day, SubtreeEnd(path)}));
  for (const SqlRow& r : rows) tally[{r.Str(0), r.Str(1)}] += r.Int(2);
  return absl::OkStatus();
}

Status TallyWarnings(SqlConn& conn, const std::string& path, int64_t from_us, int64_t to_us,
                     KpiTally& tally) {
  if (from_us >= to_us) return absl::OkStatus();
  SqlParams range = {path, SubtreeEnd(path), from_us, to_us};
  // Counters as conditional sums over the subtree's warnings of the period: no GROUP BY, so
  // the database walks the time-first index once without sorting and reads each row (the
  // index holds no column a transition changes: migration 12). Fraud types (which a center
  // may extend), outcomes and duration buckets are grouped in small second passes.
  // The time-first index serves a period (the partial days of a KPI period are a few
  // thousand warnings); the unit-path index would walk the whole subtree. SQLite is told
  // so by "+unit_path"; PostgreSQL by an expression on unit_path, because its prepared
  // statements switch to a generic plan that cannot see how wide the subtree range is
  // (measured: 2 s instead of milliseconds for a city month's edges at 1M warnings).
  const bool sqlite = conn.dialect() == Dialect::kSqlite;
  const std::string where =
      " FROM warnings WHERE " +
      (sqlite ? SubtreeCondition(true, "$1", "$2")
              : std::string("(unit_path || '') >= $1 AND (unit_path || '') < $2")) +
      " AND created_at >= $3 AND created_at < $4";
  std::vector<std::pair<std::string, std::string>> keys = {{"n", ""},  {"vr", ""}, {"vd", ""},
                                                           {"od", ""}, {"e", ""},  {"ad", ""}};
  std::string sql =
      "SELECT count(*), sum(visit_required), "
      "sum(CASE WHEN visit_required = 1 AND visited_at IS NOT NULL THEN 1 ELSE 0 END), "
      "sum(CASE WHEN overdue > 0 THEN 1 ELSE 0 END), sum(escalations), sum(after_dissuasion)";
  for (model::WarningLevel level :
       {model::WarningLevel::kRed, model::WarningLevel::kOrange, model::WarningLevel::kYellow}) {
    sql += StrCat(", sum(CASE WHEN level = ", static_cast<int>(level), " THEN 1 ELSE 0 END)");
    keys.emplace_back("l", StrCat(static_cast<int>(level)));
  }
  for (int i = 0; i < workflow::kWarningStateCount; ++i) {
    std::string_view name = workflow::WarningStateName(static_cast<workflow::WarningState>(i));
    sql += StrCat(", sum(CASE WHEN state = '", name, "' THEN 1 ELSE 0 END)");
    keys.emplace_back("t", std::string(name));
  }
  for (int i = 0; i <= static_cast<int>(model::EventType::kReport); ++i) {
    std::string_view name = model::EventTypeName(static_cast<model::EventType>(i));
    sql += StrCat(", sum(CASE WHEN source = '", name, "' THEN 1 ELSE 0 END)");
    keys.emplace_back("s", std::string(name));
  }
  FZ_ASSIGN_OR_RETURN(SqlRows rows, conn.Query(sql + where, range));
  for (size_t i = 0; i < keys.size(); ++i) tally[keys[i]] += rows[0].Int(i);
  const std::pair<const char*, std::string> grouped[] = {
      {"f", "CAST(fraud_type AS TEXT)"},
      {"o", "outcome"},
      {"fc", "CAST(level AS TEXT) || ':' || CAST(first_contact_bucket AS TEXT)"},
      {"vb", "CAST(level AS TEXT) || ':' || CAST(visit_bucket AS TEXT)"}};
  for (const auto& [k, expr] : grouped) {
    std::string not_null = StrCat(" AND ", expr, " IS NOT NULL");
    if (std::string_view(k) == "o") not_null = " AND outcome <> ''";
    FZ_ASSIGN_OR_RETURN(
        rows,
        conn.Query(StrCat("SELECT ", expr, ", count(*)", where, not_null, " GROUP BY 1"), range));
    for (const SqlRow& r : rows) tally[{k, r.Str(0)}] += r.Int(1);
  }
  return absl::OkStatus();
}

Status TallyPeriod(SqlConn& conn, const std::string& path, int64_t from_us, int64_t to_us,
                   KpiTally& tally) {
  // Whole city days inside [from, to); clamped so that infinite bounds cannot overflow.
  constexpr int64_t kLimitUs = int64_t{1} << 60;
  if (from_us < to_us && to_us > -kLimitUs && from_us < kLimitUs) {
    int64_t lo = std::max(from_us, -kLimitUs) + kCityUtcOffsetUs;
    int64_t hi = std::min(to_us, kLimitUs) + kCityUtcOffsetUs;
    int64_t first_day = FloorDiv(lo + kDayUs - 1, kDayUs);
    int64_t end_day = FloorDiv(hi, kDayUs);
    // The triggers number days by truncating division: only days >= 0 agree with FloorDiv.
    first_day = std::max<int64_t>(first_day, 0);
    if (first_day < end_day) {
      int64_t first_us = first_day * kDayUs - kCityUtcOffsetUs;
      int64_t end_us = end_day * kDayUs - kCityUtcOffsetUs;
      FZ_RETURN_IF_ERROR(TallyWarnings(conn, path, from_us, first_us, tally));
      FZ_RETURN_IF_ERROR(TallyRollup(conn, path, first_day, end_day, tally));
      return TallyWarnings(conn, path, end_us, to_us, tally);
    }
  }
  return TallyWarnings(conn, path, from_us, to_us, tally);
}

void KpisFromTally(const KpiTally& tally, Kpis& k) {
  auto get = [&](const char* key) {
    auto it = tally.find({key, ""});
    return it == tally.end() ? int64_t{0} : it->second;
  };
  k.warnings = get("n");
  k.visits_required = get("vr");
  k.visits_done = get("vd");
  k.overdue = get("od");
  k.escalations = get("e");
  k.defrauded_after_dissuasion = get("ad");
  std::map<std::string, std::vector<std::pair<int, int64_t>>> first_contact, visit;
  for (const auto& [key, n] : tally) {
    const auto& [kind, value] = key;
    if (n == 0) continue;
    if (kind == "l") {
      k.by_level[LevelName(value)] += n;
    } else if (kind == "s") {
      // Like the per-warning query: only the event types this build knows.
      if (Known(value, model::EventTypeName, static_cast<int>(model::EventType::kReport) + 1)) {
        k.by_source[value] += n;
      }
    } else if (kind == "f") {
      k.by_fraud_type[static_cast<uint16_t>(ParseInt(value).value_or(0))] += n;
    } else if (kind == "t") {
      if (Known(value, workflow::WarningStateName, workflow::kWarningStateCount)) {
        k.by_state[value] += n;
      }
    } else if (kind == "o") {
      if (value == "dissuaded") k.dissuaded += n;
      if (value == "defrauded") k.defrauded += n;
      if (value == "unreachable") k.unreachable += n;
    } else if (kind == "fc" || kind == "vb") {
      size_t colon = value.find(':');
      if (colon == std::string::npos) continue;
      auto& into = kind == "fc" ? first_contact : visit;
      into[LevelName(value.substr(0, colon))].emplace_back(
          static_cast<int>(ParseInt(value.substr(colon + 1)).value_or(0)), n);
    }
  }
  k.visit_rate = Rate(k.visits_done, k.visits_required);
  k.dissuasion_rate = Rate(k.dissuaded, k.dissuaded + k.defrauded + k.unreachable);
  for (auto& [level, buckets] : first_contact) k.first_contact[level] = FromBuckets(buckets);
  for (auto& [level, buckets] : visit) k.visit_time[level] = FromBuckets(buckets);
}

}  // namespace fz::store
