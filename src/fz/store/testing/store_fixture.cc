#include "fz/store/testing/store_fixture.h"

#include <atomic>
#include <cstdlib>

#include "fz/common/str_cat.h"
#include "fz/store/testing/pg_server.h"
#include "fz/units/yinchuan_seed.h"

namespace fz::store::testing {

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

StatusOr<std::string> FreshDatabaseUrl(Backend backend, const std::string& dir) {
  static std::atomic<int> counter{0};
  int n = counter.fetch_add(1);
  if (backend == Backend::kSqlite) return StrCat("sqlite:", dir, "/fanzha-", n, ".db");
  FZ_ASSIGN_OR_RETURN(PgServer * pg, PgServer::Shared());
  return pg->CreateDatabase(StrCat("t", static_cast<int64_t>(getpid()), "_", n));
}

void StoreTest::SetUp() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "fz-store-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  dir_ = tmpl;
  tree_ = *units::YinchuanSeed();
  config_.routing.phone_prefix_units.emplace("+869515", model::UnitCode("640104"));
  config_.routing.cell_units.emplace("cell-station", model::UnitCode("640104001"));
  policy_ = std::make_unique<workflow::RoutingPolicy>(config_.routing, tree_, nullptr);
  StatusOr<std::string> url = FreshDatabaseUrl(GetParam(), dir_);
  ASSERT_TRUE(url.ok()) << url.status();
  url_ = *url;
  Reopen();
  Status migrated = store_->Migrate();
  ASSERT_TRUE(migrated.ok()) << migrated;
}

void StoreTest::TearDown() {
  store_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void StoreTest::Reopen() {
  store_.reset();
  StatusOr<std::unique_ptr<Store>> store = OpenStore(url_, config_, &clock_);
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = std::move(*store);
}

model::Warning StoreTest::MakeWarning(int64_t id, const std::string& phone,
                                      model::WarningLevel level, const std::string& event_id) {
  model::Warning w;
  w.id = model::WarningId(id);
  w.subject = phone;
  w.level = level;
  w.score = 10 * static_cast<int>(level);
  w.rule_ids = {"fraud_call"};
  w.created_at = absl::FromUnixSeconds(1'780'000'000);
  w.updated_at = w.created_at;
  w.evidence.push_back(model::Evidence{model::EventId(event_id), model::EventType::kCall,
                                       w.created_at, "fraud_call", "与涉诈号码通话", ""});
  return w;
}

model::WarningId StoreTest::IngestOne(const model::Warning& w) {
  StatusOr<workflow::RoutedWarning> routed = policy_->Intake(w, {});
  EXPECT_TRUE(routed.ok()) << routed.status();
  StatusOr<IngestResult> r = store_->Ingest({*routed}, System());
  EXPECT_TRUE(r.ok()) << r.status();
  return w.id;
}

workflow::Actor StoreTest::Officer(const std::string& unit) const {
  return {.user = StrCat("officer-", unit),
          .role = workflow::Role::kOfficer,
          .unit = model::UnitCode(unit)};
}

workflow::Actor StoreTest::Dispatcher() const {
  return {
      .user = "dispatcher", .role = workflow::Role::kDispatcher, .unit = model::UnitCode("640100")};
}

workflow::Actor StoreTest::System() const {
  return workflow::SystemActor(model::UnitCode("640100"));
}

TransitionRecord StoreTest::Move(model::WarningId id, workflow::WarningState to,
                                 const workflow::Actor& actor, const std::string& request_id) {
  TransitionRequest req;
  req.request_id = request_id;
  req.warning = id;
  req.to = to;
  req.actor = actor;
  StatusOr<TransitionRecord> r = store_->ApplyTransition(req);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : TransitionRecord();
}

}  // namespace fz::store::testing
