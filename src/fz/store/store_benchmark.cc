// Store benchmarks (docs/benchmarks.md "Workflow and storage"):
//   - committed transitions/s on SQLite and PostgreSQL, from 1 caller (the in-run baseline:
//     one commit per transition) and from 16 callers (group commit);
//   - list/filter/page a unit subtree and compute the KPI set over 1M stored warnings
//     (SQLite; FZ_BENCH_WARNINGS overrides the count), with p50/p99 latency as counters.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>

#include "benchmark/benchmark.h"
#include "fz/common/str_cat.h"
#include "fz/store/store.h"
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
  SimulatedClock clock{absl::FromUnixSeconds(1'780'000'000)};
  std::unique_ptr<testing::PgServer> pg;
  std::string dir;
  std::unique_ptr<Store> store;
  static constexpr int kWarnings = 4096;
  std::atomic<int64_t> request{0};

  explicit TransitionFixture(bool postgres) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fz-bench-XXXXXX").string();
    dir = mkdtemp(tmpl.data());
    std::string url = StrCat("sqlite:", dir, "/bench.db");
    if (postgres) {
      pg = *testing::PgServer::Start();
      url = *pg->CreateDatabase("bench");
    }
    store = *OpenStore(url, Config(), &clock);
    (void)store->Migrate();
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
  ~TransitionFixture() {
    store.reset();
    pg.reset();
    std::filesystem::remove_all(dir);
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
    delete g_fixture;
    g_fixture = nullptr;
  }
}
BENCHMARK_CAPTURE(BM_Transitions, sqlite, false)
    ->Threads(1)
    ->Threads(16)
    ->UseRealTime()
    ->MinTime(2.0);
BENCHMARK_CAPTURE(BM_Transitions, postgres, true)
    ->Threads(1)
    ->Threads(16)
    ->UseRealTime()
    ->MinTime(2.0);

// ---- list / KPI over many warnings (SQLite) ----

int64_t BenchWarnings() {
  const char* env = std::getenv("FZ_BENCH_WARNINGS");
  return env != nullptr ? std::atoll(env) : 1'000'000;
}

Store* BigStore() {
  static SimulatedClock clock(absl::FromUnixSeconds(1'780'000'000));
  static std::unique_ptr<Store> store = [] {
    // Kept between runs: loading 1M warnings takes minutes.
    std::string path = StrCat((std::filesystem::temp_directory_path() / "fz-bench-").string(),
                              BenchWarnings(), ".db");
    std::unique_ptr<Store> s = *OpenStore(StrCat("sqlite:", path), Config(), &clock);
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

// A district's red and orange warnings of one month, first page and the page after.
void BM_ListDistrictPage(benchmark::State& state) {
  Store* store = BigStore();
  WarningFilter f;
  f.unit = model::UnitCode("640104");
  f.level = model::WarningLevel::kOrange;
  f.from = absl::FromUnixSeconds(1'777'593'600);  // 2026-05-01
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
BENCHMARK(BM_ListDistrictPage)->UseRealTime()->Iterations(200);

// The whole city, newest first (the dispatcher's live board).
void BM_ListCityNewest(benchmark::State& state) {
  Store* store = BigStore();
  WarningFilter f;
  f.unit = model::UnitCode("640100");
  f.limit = 50;
  Timed(state, [&] { benchmark::DoNotOptimize(store->ListWarnings(f, Dispatcher())); });
}
BENCHMARK(BM_ListCityNewest)->UseRealTime()->Iterations(200);

// In-run baseline: the same month of a district with no index help (a full count).
void BM_Baseline_CountAll(benchmark::State& state) {
  Store* store = BigStore();
  Timed(state, [&] { benchmark::DoNotOptimize(store->CountRows("warnings")); });
}
BENCHMARK(BM_Baseline_CountAll)->UseRealTime()->Iterations(20);

// The KPI set of `unit`'s subtree over `days` from `from_unix_s`.
void RunKpis(benchmark::State& state, std::string_view unit, int64_t from_unix_s, int days) {
  Store* store = BigStore();
  const absl::Time from = absl::FromUnixSeconds(from_unix_s);
  Timed(state, [&] {
    benchmark::DoNotOptimize(store->ComputeKpis(
        {model::UnitCode(std::string(unit)), from, from + absl::Hours(24 * days)}, Dispatcher()));
  });
}

void BM_KpiDistrictMonth(benchmark::State& state) { RunKpis(state, "640104", 1'777'593'600, 31); }
BENCHMARK(BM_KpiDistrictMonth)->UseRealTime()->Iterations(50);

void BM_KpiCityMonth(benchmark::State& state) { RunKpis(state, "640100", 1'777'593'600, 31); }
BENCHMARK(BM_KpiCityMonth)->UseRealTime()->Iterations(50);

void BM_KpiCityYear(benchmark::State& state) { RunKpis(state, "640100", 1'767'196'800, 365); }
BENCHMARK(BM_KpiCityYear)->UseRealTime()->Iterations(10);

}  // namespace
}  // namespace fz::store

BENCHMARK_MAIN();
