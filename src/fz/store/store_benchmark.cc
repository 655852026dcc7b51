// Store benchmarks (docs/benchmarks.md "Workflow and storage"):
//   - committed transitions/s on SQLite and PostgreSQL, from 1 caller (the in-run baseline:
//     one commit per transition) and from 16 callers (group commit);
//   - list/filter/page a unit subtree and compute the KPI set over 1M stored warnings on
//     SQLite and PostgreSQL (FZ_BENCH_WARNINGS overrides the count; FZ_BENCH_PG_URL names a
//     PostgreSQL database to keep between runs), with p50/p99 latency as counters, next to
//     in-run baselines (a full count; the KPI facts read from every warning of the period).
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>

#include "benchmark/benchmark.h"
#include "fz/common/str_cat.h"
#include "fz/store/kpi_rollup.h"
#include "fz/store/sql_conn.h"
#include "fz/store/store.h"
#include "fz/store/testing/bench_store.h"
#include "fz/store/testing/pg_server.h"
#include "fz/units/yinchuan_seed.h"
#include "fz/workflow/lifecycle.h"

namespace fz::store {
namespace {

using workflow::WarningState;

const workflow::WorkflowConfig& Config() {
  static const workflow::WorkflowConfig config = workflow::WorkflowConfig::Defaults();
  return config;
}

const units::UnitTree& Tree() {
  static const units::UnitTree tree = *units::YinchuanSeed();
  return tree;
}

// Warnings spread over the stations of the seed, a year of creation times, all levels.
std::vector<workflow::RoutedWarning> SyntheticWarnings(int64_t first_id, int64_t n, uint32_t seed) {
  static std::vector<std::pair<model::UnitCode, std::string>> stations = [] {
    std::vector<std::pair<model::UnitCode, std::string>> out;
    workflow::RoutingPolicy policy(Config().routing, Tree(), nullptr);
    for (const model::Unit& u : Tree().units()) {
      if (u.level == model::UnitLevel::kStation) out.emplace_back(u.code, *policy.PathOf(u.code));
    }
    return out;
  }();
  std::mt19937_64 rng(seed);
  std::vector<workflow::RoutedWarning> out;
  out.reserve(n);
  const absl::Time year_start = absl::FromUnixSeconds(1'767'196'800);  // 2026-01-01
  for (int64_t i = 0; i < n; ++i) {
    workflow::RoutedWarning rw;
    model::Warning& w = rw.warning;
    w.id = model::WarningId(first_id + i);
    w.subject = StrCat("+86138", 10'000'000 + static_cast<int64_t>(rng() % 90'000'000));
    int roll = static_cast<int>(rng() % 100);
    w.level = roll < 5    ? model::WarningLevel::kRed
              : roll < 35 ? model::WarningLevel::kOrange
                          : model::WarningLevel::kYellow;
    w.score = 10;
    w.fraud_type = model::FraudType{static_cast<uint16_t>(rng() % 11)};
    w.rule_ids = {"bench"};
    w.created_at = year_start + absl::Seconds(static_cast<int64_t>(rng() % (365 * 86400)));
    w.evidence.push_back({model::EventId(StrCat("b", first_id + i)), model::EventType::kCall,
                          w.created_at, "bench", "基准测试", ""});
    const auto& [unit, path] = stations[rng() % stations.size()];
    rw.route = workflow::Route{.unit = unit, .reason = "基准"};
    rw.unit_path = path;
    rw.source = "call";
    out.push_back(std::move(rw));
  }
  return out;
}

workflow::Actor Officer() {
  return {.user = "bench", .role = workflow::Role::kOfficer, .unit = model::UnitCode("640100")};
}

// ---- committed transitions/s ----

struct TransitionFixture {
  static constexpr int kWarnings = 4096;
  testing::BenchStore db;
  Store* store;
  std::atomic<int64_t> request{0};

  explicit TransitionFixture(bool postgres) : db(postgres, Config()), store(db.store.get()) {
    (void)store->Ingest(SyntheticWarnings(1, kWarnings, 1),
                        workflow::SystemActor(model::UnitCode("640100")));
    for (int64_t id = 1; id <= kWarnings; ++id) {
      for (WarningState to : {WarningState::kAccepted, WarningState::kContacting}) {
        (void)store->ApplyTransition({.request_id = StrCat("setup-", id, "-", static_cast<int>(to)),
                                      .warning = model::WarningId(id),
                                      .to = to,
                                      .actor = Officer()});
      }
    }
  }
};

TransitionFixture* g_fixture = nullptr;

// Each thread owns the warnings ≡ thread (mod threads) and moves each between contacting and
// unreachable, so every transition is valid and committed.
void BM_Transitions(benchmark::State& state, bool postgres) {
  if (state.thread_index() == 0) g_fixture = new TransitionFixture(postgres);
  // Google Benchmark starts the timing loop on all threads together, after this setup.
  std::vector<bool> unreachable(TransitionFixture::kWarnings + 1, false);
  int64_t next = state.thread_index() + 1;
  int64_t errors = 0;
  Store::WriterStats start;  // thread 0 only: the others may not see the fixture yet
  if (state.thread_index() == 0) start = g_fixture->store->writer_stats();
  for (auto _ : state) {
    int64_t id = next;
    next += state.threads();
    if (next > TransitionFixture::kWarnings) next = state.thread_index() + 1;
    WarningState to = unreachable[id] ? WarningState::kContacting : WarningState::kUnreachable;
    unreachable[id] = !unreachable[id];
    StatusOr<TransitionRecord> r = g_fixture->store->ApplyTransition(
        {.request_id = StrCat("t", g_fixture->request.fetch_add(1)),
         .warning = model::WarningId(id),
         .to = to,
         .actor = Officer()});
    if (!r.ok()) ++errors;
  }
  state.counters["transitions/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["errors"] = static_cast<double>(errors);
  if (state.thread_index() == 0) {
    // The timed loop's average group (the groups committed until thread 0 is done).
    const Store::WriterStats end = g_fixture->store->writer_stats();
    if (end.groups > start.groups) {
      state.counters["ops/group"] = static_cast<double>(end.operations - start.operations) /
                                    static_cast<double>(end.groups - start.groups);
      // The writer thread's CPU per operation (updated when it picks up work): the bound.
      state.counters["writer_us/op"] = static_cast<double>(end.cpu_ns - start.cpu_ns) / 1000 /
                                       static_cast<double>(end.operations - start.operations);
    }
    delete g_fixture;
    g_fixture = nullptr;
  }
}
// The CPU column is the whole process's CPU time (writer, checkpointer and callers): on a
// shared machine it shows the cost per transition when wall-clock rates depend on the load.
BENCHMARK_CAPTURE(BM_Transitions, sqlite, false)
    ->Threads(1)
    ->Threads(16)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->MinTime(2.0);
BENCHMARK_CAPTURE(BM_Transitions, postgres, true)
    ->Threads(1)
    ->Threads(16)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->MinTime(2.0);

// ---- list / KPI over many warnings ----

int64_t BenchWarnings() {
  const char* env = std::getenv("FZ_BENCH_WARNINGS");
  return env != nullptr ? std::atoll(env) : 1'000'000;
}

std::string BigSqlitePath() {
  return StrCat((std::filesystem::temp_directory_path() / "fz-bench-").string(), BenchWarnings(),
                ".db");
}

SimulatedClock& BigClock() {
  static SimulatedClock clock(absl::FromUnixSeconds(1'780'000'000));
  return clock;
}

Store* BigSqliteStore() {
  static std::unique_ptr<Store> store = [] {
    // Kept between runs: loading 1M warnings takes minutes.
    std::unique_ptr<Store> s =
        *OpenStore(StrCat("sqlite:", BigSqlitePath()), Config(), &BigClock());
    (void)s->Migrate();
    int64_t have = *s->CountRows("warnings");
    constexpr int64_t kChunk = 20'000;
    for (int64_t first = have + 1; first <= BenchWarnings(); first += kChunk) {
      int64_t n = std::min(kChunk, BenchWarnings() - first + 1);
      (void)s->Ingest(SyntheticWarnings(first, n, static_cast<uint32_t>(first)),
                      workflow::SystemActor(model::UnitCode("640100")));
    }
    return s;
  }();
  return store.get();
}

// Copies `table`'s rows (the named columns) from the SQLite bench database into PostgreSQL,
// `batch` rows per statement, in key order. The KPI triggers fire on the way in.
Status CopyTable(SqlConn& from, SqlConn& to, const std::string& table, const std::string& columns,
                 const std::string& key, SqlValue last, int batch) {
  const int ncols = static_cast<int>(std::count(columns.begin(), columns.end(), ',')) + 1;
  for (;;) {
    FZ_ASSIGN_OR_RETURN(SqlRows rows,
                        from.Query(StrCat("SELECT ", columns, " FROM ", table, " WHERE ", key,
                                          " > $1 ORDER BY ", key, " LIMIT ", batch),
                                   {last}));
    if (rows.empty()) return absl::OkStatus();
    std::string sql = StrCat("INSERT INTO ", table, " (", columns, ") VALUES ");
    SqlParams params;
    for (size_t r = 0; r < rows.size(); ++r) {
      sql += r == 0 ? "(" : ", (";
      for (int c = 0; c < ncols; ++c) {
        sql += StrCat(c == 0 ? "$" : ", $", static_cast<int64_t>(params.size() + 1));
        params.push_back(rows[r].IsNull(c) ? SqlValue(nullptr) : SqlValue(rows[r].Str(c)));
      }
      sql += ")";
    }
    FZ_RETURN_IF_ERROR(to.Exec(sql + " ON CONFLICT DO NOTHING", params).status());
    last = rows.back().Str(0);  // SQLite compares it as a number for integer keys
    if (static_cast<int>(rows.size()) < batch) return absl::OkStatus();
  }
}

// The same warnings in PostgreSQL 15 on loopback: FZ_BENCH_PG_URL, or a private server started
// here. Loaded by copying the SQLite bench database's rows (much faster than re-ingesting).
std::string& BigPgUrl() {
  static std::string url;
  return url;
}

Store* BigPgStore() {
  static std::unique_ptr<testing::PgServer> server;
  static std::unique_ptr<Store> store = [] {
    BigSqliteStore();  // the source rows
    std::string& url = BigPgUrl();
    if (const char* env = std::getenv("FZ_BENCH_PG_URL")) {
      url = env;
    } else {
      server = *testing::PgServer::Start();
      url = *server->CreateDatabase("bench_big");
    }
    std::unique_ptr<Store> s = *OpenStore(url, Config(), &BigClock());
    (void)s->Migrate();
    if (*s->CountRows("warnings") < BenchWarnings()) {
      std::unique_ptr<SqlConn> from = *OpenSqlite(BigSqlitePath());
      std::unique_ptr<SqlConn> to = *OpenPostgres(url);
      Status st = CopyTable(*from, *to, "unit_paths", "path, code", "path", "", 1000);
      if (st.ok()) st = CopyTable(*from, *to, "unit_ancestors", "path, ancestor", "path", "", 1000);
      if (st.ok()) {
        st = CopyTable(*from, *to, "warnings",
                       "id, subject, subject_kind, person_name, level, score, fraud_type, source, "
                       "rule_ids, state, unit, unit_path, queue, target_city, route_reason, "
                       "created_at, updated_at, dispatched_at, accepted_at, first_contact_at, "
                       "first_contact_bucket, visit_required, visited_at, visit_bucket, outcome, "
                       "outcome_at, was_dissuaded, after_dissuasion, overdue, escalations",
                       "id", int64_t{-1}, 1000);
      }
      if (st.ok()) st = to->ExecScript("ANALYZE");
      if (!st.ok()) std::fprintf(stderr, "loading PostgreSQL: %s\n", st.ToString().c_str());
    }
    // The copy's KPI deltas went around the store's writer: opening the store folds them.
    s = *OpenStore(url, Config(), &BigClock());
    (void)s->Migrate();
    return s;
  }();
  return store.get();
}

Store* BigStore(bool postgres) { return postgres ? BigPgStore() : BigSqliteStore(); }

workflow::Actor Dispatcher() {
  return {.user = "bench", .role = workflow::Role::kDispatcher, .unit = model::UnitCode("640100")};
}

void Latencies(benchmark::State& state, std::vector<double>& ms) {
  std::sort(ms.begin(), ms.end());
  if (ms.empty()) return;
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
}

template <typename Fn>
void Timed(benchmark::State& state, Fn fn) {
  std::vector<double> ms;
  for (auto _ : state) {
    absl::Time t0 = absl::Now();
    fn();
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
  }
  Latencies(state, ms);
}

// 2026-05-01 00:00 in the city (UTC+8): KPI periods are city days (kpi_rollup.h).
constexpr int64_t kMay1City = 1'777'564'800;

// A district's orange warnings of one month, first page and the page after.
void BM_ListDistrictPage(benchmark::State& state, bool postgres) {
  Store* store = BigStore(postgres);
  WarningFilter f;
  f.unit = model::UnitCode("640104");
  f.level = model::WarningLevel::kOrange;
  f.from = absl::FromUnixSeconds(kMay1City);
  f.to = f.from + absl::Hours(24 * 31);
  f.limit = 50;
  Timed(state, [&] {
    StatusOr<WarningPage> p = store->ListWarnings(f, Dispatcher());
    if (p.ok() && p->next) {
      WarningFilter g = f;
      g.after = p->next;
      benchmark::DoNotOptimize(store->ListWarnings(g, Dispatcher()));
    }
  });
}
BENCHMARK_CAPTURE(BM_ListDistrictPage, sqlite, false)->UseRealTime()->Iterations(200);
BENCHMARK_CAPTURE(BM_ListDistrictPage, postgres, true)->UseRealTime()->Iterations(200);

// The whole city, newest first (the dispatcher's live board).
void BM_ListCityNewest(benchmark::State& state, bool postgres) {
  Store* store = BigStore(postgres);
  WarningFilter f;
  f.unit = model::UnitCode("640100");
  f.limit = 50;
  Timed(state, [&] { benchmark::DoNotOptimize(store->ListWarnings(f, Dispatcher())); });
}
BENCHMARK_CAPTURE(BM_ListCityNewest, sqlite, false)->UseRealTime()->Iterations(200);
BENCHMARK_CAPTURE(BM_ListCityNewest, postgres, true)->UseRealTime()->Iterations(200);

// In-run baseline: a full count of the table.
void BM_Baseline_CountAll(benchmark::State& state, bool postgres) {
  Store* store = BigStore(postgres);
  Timed(state, [&] { benchmark::DoNotOptimize(store->CountRows("warnings")); });
}
BENCHMARK_CAPTURE(BM_Baseline_CountAll, sqlite, false)->UseRealTime()->Iterations(20);
BENCHMARK_CAPTURE(BM_Baseline_CountAll, postgres, true)->UseRealTime()->Iterations(20);

// The KPI set of `unit`'s subtree over `days` from `from_unix_s`.
void RunKpis(benchmark::State& state, bool postgres, std::string_view unit, int64_t from_unix_s,
             int days) {
  Store* store = BigStore(postgres);
  const absl::Time from = absl::FromUnixSeconds(from_unix_s);
  Timed(state, [&] {
    benchmark::DoNotOptimize(store->ComputeKpis(
        {model::UnitCode(std::string(unit)), from, from + absl::Hours(24 * days)}, Dispatcher()));
  });
}

// In-run baseline: the warning facts of the same period read from every warning (the method
// before the rollup, kpi_rollup.h TallyWarnings), on a connection of its own.
void RunKpiBaseline(benchmark::State& state, bool postgres, std::string_view path,
                    int64_t from_unix_s, int days) {
  BigStore(postgres);
  static std::unique_ptr<SqlConn> conn[2];
  if (!conn[postgres]) {
    conn[postgres] = postgres ? *OpenPostgres(BigPgUrl()) : *OpenSqlite(BigSqlitePath());
  }
  const int64_t from_us = from_unix_s * 1'000'000;
  const int64_t to_us = from_us + int64_t{days} * kDayUs;
  Timed(state, [&] {
    KpiTally tally;
    benchmark::DoNotOptimize(
        TallyWarnings(*conn[postgres], std::string(path), from_us, to_us, tally));
  });
}

void BM_KpiDistrictMonth(benchmark::State& state, bool pg) {
  RunKpis(state, pg, "640104", kMay1City, 31);
}
BENCHMARK_CAPTURE(BM_KpiDistrictMonth, sqlite, false)->UseRealTime()->Iterations(50);
BENCHMARK_CAPTURE(BM_KpiDistrictMonth, postgres, true)->UseRealTime()->Iterations(50);

void BM_KpiCityMonth(benchmark::State& state, bool pg) {
  RunKpis(state, pg, "640100", kMay1City, 31);
}
BENCHMARK_CAPTURE(BM_KpiCityMonth, sqlite, false)->UseRealTime()->Iterations(50);
BENCHMARK_CAPTURE(BM_KpiCityMonth, postgres, true)->UseRealTime()->Iterations(50);

// A month from UTC midnight: 8 hours at each edge come from the warnings themselves.
void BM_KpiCityMonthUnaligned(benchmark::State& state, bool pg) {
  RunKpis(state, pg, "640100", kMay1City + 8 * 3600, 31);
}
BENCHMARK_CAPTURE(BM_KpiCityMonthUnaligned, sqlite, false)->UseRealTime()->Iterations(50);
BENCHMARK_CAPTURE(BM_KpiCityMonthUnaligned, postgres, true)->UseRealTime()->Iterations(50);

void BM_KpiCityYear(benchmark::State& state, bool pg) {
  RunKpis(state, pg, "640100", kMay1City - 120 * 86400, 365);
}
BENCHMARK_CAPTURE(BM_KpiCityYear, sqlite, false)->UseRealTime()->Iterations(20);
BENCHMARK_CAPTURE(BM_KpiCityYear, postgres, true)->UseRealTime()->Iterations(20);

void BM_Baseline_KpiFromWarningsCityMonth(benchmark::State& state, bool pg) {
  RunKpiBaseline(state, pg, "/640100/", kMay1City, 31);
}
BENCHMARK_CAPTURE(BM_Baseline_KpiFromWarningsCityMonth, sqlite, false)
    ->UseRealTime()
    ->Iterations(10);
BENCHMARK_CAPTURE(BM_Baseline_KpiFromWarningsCityMonth, postgres, true)
    ->UseRealTime()
    ->Iterations(10);

}  // namespace
}  // namespace fz::store

BENCHMARK_MAIN();
