// Benchmarks of the API's data tables (figures in README.md "Measured"):
//   - bulk indicator upsert (indicators/s) on SQLite and PostgreSQL, new and re-delivered;
//   - streaming every active indicator at server start (ForEachIndicator);
//   - people lists over a 100k-person base: a district page, exact phone, tag (p50/p99).
#include <algorithm>
#include <filesystem>
#include <random>

#include "benchmark/benchmark.h"
#include "fz/common/str_cat.h"
#include "fz/store/store.h"
#include "fz/store/testing/bench_store.h"
#include "fz/units/yinchuan_seed.h"
#include "fz/workflow/routing.h"

namespace fz::store {
namespace {

const workflow::WorkflowConfig& Config() {
  static const workflow::WorkflowConfig config = workflow::WorkflowConfig::Defaults();
  return config;
}

workflow::Actor Analyst() {
  return {.user = "bench", .role = workflow::Role::kAnalyst, .unit = model::UnitCode("640100")};
}
workflow::Actor Dispatcher() {
  return {.user = "bench", .role = workflow::Role::kDispatcher, .unit = model::UnitCode("640100")};
}

std::vector<model::Indicator> Phones(int64_t first, int64_t n) {
  std::vector<model::Indicator> out;
  out.reserve(n);
  for (int64_t i = first; i < first + n; ++i) {
    model::Indicator ind;
    ind.kind = model::IndicatorKind::kPhone;
    ind.value = StrCat("+86137", 10'000'000 + i);
    ind.fraud_type = model::FraudType{static_cast<uint16_t>(i % 11)};
    ind.source = "national";
    out.push_back(std::move(ind));
  }
  return out;
}

// A fresh store: SQLite in a temporary directory, or a private PostgreSQL.
struct Db : testing::BenchStore {
  explicit Db(bool postgres) : testing::BenchStore(postgres, Config()) {}
};

constexpr int64_t kBatch = 10'000;

void BM_UpsertIndicators(benchmark::State& state, bool postgres) {
  Db db(postgres);
  const bool redelivered = state.range(0) != 0;
  int64_t next = 0, errors = 0;
  if (redelivered) (void)db.store->UpsertIndicators(Phones(0, kBatch), Analyst());
  for (auto _ : state) {
    std::vector<model::Indicator> batch = Phones(redelivered ? 0 : next, kBatch);
    next += kBatch;
    if (!db.store->UpsertIndicators(batch, Analyst()).ok()) ++errors;
  }
  state.counters["indicators/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kBatch), benchmark::Counter::kIsRate);
  state.counters["errors"] = static_cast<double>(errors);
}
BENCHMARK_CAPTURE(BM_UpsertIndicators, sqlite, false)
    ->Arg(0)
    ->Arg(1)
    ->Iterations(10)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_UpsertIndicators, postgres, true)
    ->Arg(0)
    ->Arg(1)
    ->Iterations(10)
    ->UseRealTime();

void BM_ForEachIndicator(benchmark::State& state) {
  Db db(false);
  for (int64_t first = 0; first < 100'000; first += kBatch) {
    (void)db.store->UpsertIndicators(Phones(first, kBatch), Analyst());
  }
  int64_t seen = 0;
  for (auto _ : state) {
    (void)db.store->ForEachIndicator([&](const model::Indicator&) {
      ++seen;
      return absl::OkStatus();
    });
  }
  state.counters["indicators/s"] =
      benchmark::Counter(static_cast<double>(seen), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ForEachIndicator)->Unit(benchmark::kMillisecond)->UseRealTime();

// 100k people spread over the stations of the seed.
Db* PeopleDb() {
  static Db* db = [] {
    Db* d = new Db(false);
    units::UnitTree tree = *units::YinchuanSeed();
    workflow::RoutingPolicy policy(Config().routing, tree, nullptr);
    std::vector<model::UnitCode> stations;
    std::vector<std::string> paths;
    for (const model::Unit& u : tree.units()) {
      if (u.level != model::UnitLevel::kStation) continue;
      stations.push_back(u.code);
      paths.push_back(*policy.PathOf(u.code));
    }
    (void)d->store->RegisterUnitPaths(paths);
    std::mt19937_64 rng(7);
    static const char* kTags[] = {"elderly_alone", "student", "loan_seeker", "prior_victim"};
    for (int64_t first = 0; first < 100'000; first += kBatch) {
      std::vector<model::Person> batch;
      for (int64_t i = first; i < first + kBatch; ++i) {
        model::Person p;
        p.id = model::PersonId(StrCat("P", 1'000'000 + i));
        p.name = StrCat("居民", i);
        p.id_no = StrCat("640104", 195'001'010'000 + i);
        p.phones = {model::PhoneNumber(StrCat("+86139", 10'000'000 + i))};
        p.address = "兴庆区某街道某号";
        p.unit = stations[rng() % stations.size()];
        p.tags = {kTags[rng() % 4]};
        batch.push_back(std::move(p));
      }
      (void)d->store->UpsertPeople(batch, Dispatcher());
    }
    return d;
  }();
  return db;
}

void Timed(benchmark::State& state, const std::function<void()>& fn) {
  std::vector<double> ms;
  for (auto _ : state) {
    absl::Time t0 = absl::Now();
    fn();
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
  }
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
}

void BM_PeopleList(benchmark::State& state) {
  Store* store = PeopleDb()->store.get();
  PeopleFilter f;
  f.unit = model::UnitCode("640104");
  if (state.range(0) == 1) f.phone = "+8613910050000";
  if (state.range(0) == 2) f.tag = "loan_seeker";
  Timed(state, [&] { benchmark::DoNotOptimize(store->ListPeople(f, Dispatcher())); });
}
BENCHMARK(BM_PeopleList)->ArgName("page_phone_tag")->Arg(0)->Arg(1)->Arg(2)->UseRealTime();

}  // namespace
}  // namespace fz::store

BENCHMARK_MAIN();
