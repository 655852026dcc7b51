// Accounts benchmarks (docs/security.md "Costs"): what a login costs with the production
// argon2id settings (the baseline: the cheapest settings in the same run), and how many
// session checks per second one Accounts answers on SQLite and PostgreSQL (every API request
// makes one).
#include <filesystem>

#include "benchmark/benchmark.h"
#include "fz/auth/accounts.h"
#include "fz/common/str_cat.h"
#include "fz/store/migrations.h"
#include "fz/store/sql_conn.h"
#include "fz/store/testing/pg_server.h"

namespace fz::auth {
namespace {

constexpr char kPassword[] = "correct horse battery";

// A migrated database with one officer: SQLite (backend 0) or the shared PostgreSQL (1).
std::unique_ptr<Accounts> OpenWithUser(int backend, const AuthOptions& options, Clock* clock) {
  static int counter = 0;
  std::string url;
  if (backend == 0) {
    std::string dir = (std::filesystem::temp_directory_path() / "fz-auth-bench").string();
    std::filesystem::create_directories(dir);
    url = StrCat("sqlite:", dir, "/", getpid(), "-", counter++, ".db");
  } else {
    store::testing::PgServer* pg = *store::testing::PgServer::Shared();
    url = *pg->CreateDatabase(StrCat("bench", getpid(), "_", counter++));
  }
  std::unique_ptr<store::SqlConn> conn = *store::OpenSqlUrl(url);
  if (!store::ApplyMigrations(*conn, 0).ok()) std::abort();
  std::unique_ptr<Accounts> accounts = *Accounts::Open(url, options, clock);
  if (!accounts
           ->CreateUser({.name = "wang.wei",
                         .role = workflow::Role::kOfficer,
                         .unit = model::UnitCode("640104001"),
                         .password = kPassword})
           .ok()) {
    std::abort();
  }
  return accounts;
}

// Arg 0: the production cost (OPSLIMIT/MEMLIMIT_INTERACTIVE); arg 1: the MIN cost (baseline).
void BM_Login(benchmark::State& state) {
  AuthOptions options;
  if (state.range(0) == 1) {
    options.pwhash_opslimit = 1;
    options.pwhash_memlimit = 8192;
  }
  SimulatedClock clock(absl::FromUnixSeconds(1'780'000'000));
  std::unique_ptr<Accounts> accounts = OpenWithUser(0, options, &clock);
  for (auto _ : state) {
    StatusOr<LoginResult> login = accounts->Login("wang.wei", kPassword, "");
    if (!login.ok()) state.SkipWithError("login failed");
    benchmark::DoNotOptimize(login);
  }
  state.SetLabel(state.range(0) == 0 ? "argon2id interactive (2 passes, 64 MiB)"
                                     : "argon2id min (baseline)");
}
BENCHMARK(BM_Login)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Arg: backend (0 SQLite, 1 PostgreSQL). One token checked over and over.
void BM_Authenticate(benchmark::State& state) {
  AuthOptions options;
  options.pwhash_opslimit = 1;
  options.pwhash_memlimit = 8192;
  SimulatedClock clock(absl::FromUnixSeconds(1'780'000'000));
  std::unique_ptr<Accounts> accounts =
      OpenWithUser(static_cast<int>(state.range(0)), options, &clock);
  std::string token = accounts->Login("wang.wei", kPassword, "")->token;
  for (auto _ : state) {
    StatusOr<Principal> who = accounts->Authenticate(token);
    if (!who.ok()) state.SkipWithError("authenticate failed");
    benchmark::DoNotOptimize(who);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) == 0 ? "sqlite" : "postgresql");
}
BENCHMARK(BM_Authenticate)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace fz::auth

BENCHMARK_MAIN();
