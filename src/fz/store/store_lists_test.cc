// Stop-payment, case, escalation and audit lists, on SQLite and a private PostgreSQL 15.
#include <set>

#include "fz/common/str_cat.h"
#include "fz/store/testing/store_fixture.h"
#include "fz/workflow/mask.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::store::testing {
namespace {

using model::WarningLevel;
using ::testing::HasSubstr;
using workflow::WarningState;

constexpr char kStationA[] = "640104001";

class StoreListsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    std::vector<const model::Unit*> stations = tree_.Children(model::UnitCode("640104"));
    ASSERT_GE(stations.size(), 2u);
    ASSERT_EQ(stations[0]->code.value(), kStationA);
    station_b_ = stations[1]->code.value();
  }

  // A warning dispatched to `unit` (a mobile lands in city triage, the dispatcher re-routes).
  model::WarningId Place(int64_t id, const std::string& unit) {
    model::Warning w = MakeWarning(id, "+8613895101234", WarningLevel::kOrange, StrCat("ev-", id));
    IngestOne(w);
    TransitionRequest r{.request_id = StrCat("route-", id),
                        .warning = w.id,
                        .to = WarningState::kDispatched,
                        .actor = Dispatcher()};
    r.reroute = *policy_->Manual(model::UnitCode(unit), "住址");
    r.reroute_path = *policy_->PathOf(model::UnitCode(unit));
    EXPECT_TRUE(store_->ApplyTransition(r).ok());
    return w.id;
  }

  // Walks a placed warning to defrauded with a case.
  void Defraud(model::WarningId id, const std::string& unit, uint16_t fraud_type) {
    workflow::Actor officer = Officer(unit);
    std::string n = StrCat(id.value());
    Move(id, WarningState::kAccepted, officer, "acc-" + n);
    Move(id, WarningState::kContacting, officer, "con-" + n);
    TransitionRequest r{
        .request_id = "def-" + n, .warning = id, .to = WarningState::kDefrauded, .actor = officer};
    r.case_draft =
        workflow::CaseDraft{.victim_name = "王五",
                            .victim_phone = "+8613895101234",
                            .victim_id_no = "640104199001011234",
                            .loss = {100'000},
                            .fraud_type = {fraud_type},
                            .suspects = {{model::IndicatorKind::kPhone, "+85512345678"}}};
    ASSERT_TRUE(store_->ApplyTransition(r).ok());
  }

  void ExpectChainOk() {
    StatusOr<AuditVerification> v = store_->VerifyAudit();
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok) << v->problem;
  }

  std::string station_b_;
};

TEST_P(StoreListsTest, RecordAuditExtendsTheChain) {
  workflow::Actor admin{.user = "admin", .role = workflow::Role::kAuditor, .unit = {}};
  ASSERT_TRUE(store_->RecordAudit(admin, "login", "user:admin", "10.1.2.3").ok());
  ASSERT_TRUE(store_->RecordAudit(admin, "user_create", "user:wang", "role=officer").ok());
  EXPECT_EQ(store_->RecordAudit(admin, "", "user:x", "").code(),
            absl::StatusCode::kInvalidArgument);
  StatusOr<std::vector<AuditRow>> rows = store_->QueryAudit({.action = "login"});
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].object, "user:admin");
  EXPECT_EQ((*rows)[0].detail, "10.1.2.3");
  EXPECT_EQ(*store_->CountRows("audit_log"), 2);
  ExpectChainOk();
}

TEST_P(StoreListsTest, QueryAuditFiltersAndPagesNewestFirst) {
  for (int i = 0; i < 23; ++i) {
    workflow::Actor a{.user = i % 2 ? "wang" : "li", .role = workflow::Role::kOfficer};
    ASSERT_TRUE(store_->RecordAudit(a, i % 3 ? "read" : "login", StrCat("warning:", i), "").ok());
    clock_.Advance(absl::Seconds(10));
  }
  ASSERT_TRUE(store_->RecordAudit(store::Actor{.user = "li"}, "read", "person:P1", "").ok());
  EXPECT_EQ(store_->QueryAudit({.actor = "wang", .limit = 1000})->size(), 11u);
  EXPECT_EQ(store_->QueryAudit({.action = "login", .limit = 1000})->size(), 8u);
  EXPECT_EQ(store_->QueryAudit({.object_prefix = "warning:1", .limit = 1000})->size(),
            11u);  // 1, 10..19
  EXPECT_EQ(store_->QueryAudit({.object_prefix = "person:", .limit = 1000})->size(), 1u);
  absl::Time start = absl::FromUnixSeconds(1'780'000'000);
  StatusOr<std::vector<AuditRow>> window = store_->QueryAudit(
      {.from = start + absl::Seconds(50), .to = start + absl::Seconds(100), .limit = 1000});
  ASSERT_TRUE(window.ok()) << window.status();
  ASSERT_EQ(window->size(), 5u);
  EXPECT_EQ(window->front().object, "warning:9");  // newest first
  // Paging: every row once, in descending seq.
  AuditFilter f{.limit = 5};
  std::vector<int64_t> seqs;
  for (;;) {
    StatusOr<std::vector<AuditRow>> page = store_->QueryAudit(f);
    ASSERT_TRUE(page.ok()) << page.status();
    if (page->empty()) break;
    for (const AuditRow& r : *page) seqs.push_back(r.seq);
    f.before_seq = page->back().seq;
  }
  ASSERT_EQ(seqs.size(), 24u);
  for (size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], 24 - static_cast<int64_t>(i));
}

TEST_P(StoreListsTest, StopPaymentsByScopeFilterPageAndMask) {
  model::WarningId a = Place(1, kStationA);
  model::WarningId b = Place(2, station_b_);
  for (int i = 0; i < 12; ++i) {
    workflow::StopPaymentRequest req;
    bool in_a = i < 9;
    req.warning = in_a ? a : b;
    req.request_no = StrCat("ZF-", i);
    req.from_name = "张三丰";
    req.from_account = "6222020000000000001";
    req.stop_bank = "中国工商银行";
    req.stop_account_name = "李四";
    req.stop_account = StrCat("62220212345678901", 10 + i);
    req.amount_requested.fen = 1000 + i;
    ASSERT_TRUE(store_->RequestStopPayment(req, Officer(in_a ? kStationA : station_b_)).ok());
    if (i == 3) {
      ASSERT_TRUE(store_
                      ->UpdateStopPayment({.request_no = req.request_no,
                                           .stage = workflow::StopStage::kFeedback,
                                           .result = workflow::StopResult::kSucceeded},
                                          Officer(kStationA))
                      .ok());
    }
    clock_.Advance(absl::Minutes(1));
  }
  // Station A pages through its own 9, newest first, without gaps or repeats.
  StopPaymentFilter f{.limit = 4};
  std::set<std::string> seen;
  absl::Time last = absl::InfiniteFuture();
  int pages = 0;
  do {
    StatusOr<StopPaymentPage> page = store_->ListStopPayments(f, Officer(kStationA));
    ASSERT_TRUE(page.ok()) << page.status();
    ++pages;
    for (const auto& s : page->rows) {
      EXPECT_TRUE(seen.insert(s.request_no).second) << s.request_no;
      EXPECT_LE(s.requested_at, last);
      last = s.requested_at;
      EXPECT_EQ(s.from_name, "张三丰");  // officers see personal data
    }
    f.after = page->next;
  } while (f.after);
  EXPECT_EQ(seen.size(), 9u);
  EXPECT_EQ(pages, 3);
  // Station B sees only its 3; it may not look into station A.
  EXPECT_EQ(store_->ListStopPayments({}, Officer(station_b_))->rows.size(), 3u);
  EXPECT_EQ(store_->ListStopPayments({.unit = model::UnitCode(kStationA)}, Officer(station_b_))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  // Filters.
  auto count = [&](StopPaymentFilter filter) {
    filter.limit = 100;
    StatusOr<StopPaymentPage> page = store_->ListStopPayments(filter, Dispatcher());
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->rows.size() : 0u;
  };
  EXPECT_EQ(count({}), 12u);
  EXPECT_EQ(count({.stage = workflow::StopStage::kFeedback}), 1u);
  EXPECT_EQ(count({.result = workflow::StopResult::kInitial}), 11u);
  EXPECT_EQ(count({.account = "6222021234567890115"}), 1u);
  EXPECT_EQ(count({.account = "6222020000000000001"}), 12u);  // the victim's account
  absl::Time start = absl::FromUnixSeconds(1'780'000'000);
  EXPECT_EQ(count({.from = start + absl::Minutes(2), .to = start + absl::Minutes(5)}), 3u);
  // Analysts see masked names and accounts.
  workflow::Actor analyst{
      .user = "li", .role = workflow::Role::kAnalyst, .unit = model::UnitCode("640100")};
  StatusOr<StopPaymentPage> masked = store_->ListStopPayments({.limit = 1}, analyst);
  ASSERT_TRUE(masked.ok()) << masked.status();
  EXPECT_EQ(masked->rows[0].from_name, "张**");
  EXPECT_THAT(masked->rows[0].stop_account, HasSubstr("*"));
  ExpectChainOk();
}

TEST_P(StoreListsTest, CasesByScopeTypePeriodAndPage) {
  for (int i = 0; i < 7; ++i) {
    std::string unit = i < 5 ? kStationA : station_b_;
    Defraud(Place(10 + i, unit), unit, i % 2 ? 3 : 4);
    clock_.Advance(absl::Hours(1));
  }
  CaseFilter f{.limit = 2};
  std::set<int64_t> seen;
  do {
    StatusOr<CasePage> page = store_->ListCases(f, Officer(kStationA));
    ASSERT_TRUE(page.ok()) << page.status();
    for (const workflow::CaseRecord& c : page->rows) {
      EXPECT_TRUE(seen.insert(c.id.value()).second);
      EXPECT_EQ(c.unit.value(), kStationA);
      EXPECT_EQ(c.details.victim_name, "王五");
      ASSERT_EQ(c.details.suspects.size(), 1u);
      EXPECT_EQ(c.details.suspects[0].value, "+85512345678");
    }
    f.after = page->next;
  } while (f.after);
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(store_->ListCases({}, Officer(station_b_))->rows.size(), 2u);
  EXPECT_EQ(
      store_->ListCases({.unit = model::UnitCode(kStationA)}, Officer(station_b_)).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->ListCases({.fraud_type = 3}, Dispatcher())->rows.size(), 3u);
  absl::Time start = absl::FromUnixSeconds(1'780'000'000);
  EXPECT_EQ(
      store_
          ->ListCases({.from = start + absl::Hours(1), .to = start + absl::Hours(3)}, Dispatcher())
          ->rows.size(),
      2u);
  workflow::Actor auditor{
      .user = "zhao", .role = workflow::Role::kAuditor, .unit = model::UnitCode("640100")};
  StatusOr<CasePage> masked = store_->ListCases({}, auditor);
  ASSERT_TRUE(masked.ok());
  EXPECT_EQ(masked->rows[0].details.victim_name, "王*");
  EXPECT_EQ(masked->rows[0].details.victim_id_no, workflow::MaskIdNo("640104199001011234"));
  ExpectChainOk();
}

TEST_P(StoreListsTest, EscalationsByTargetSubtreeOpenOnly) {
  model::WarningId a1 = Place(21, kStationA);
  Place(22, kStationA);
  Place(23, station_b_);
  clock_.Advance(absl::Hours(72));  // every clock passes both deadlines
  StatusOr<std::vector<EscalationRecord>> raised = store_->Tick(clock_.Now());
  ASSERT_TRUE(raised.ok()) << raised.status();
  // Both stations are in 兴庆区: first stages go to the district, second stages to the city.
  size_t first = 0, first_a1 = 0;
  for (const EscalationRecord& e : *raised) {
    if (e.stage != 1) continue;
    ++first;
    if (e.warning == a1) ++first_a1;
  }
  ASSERT_GT(first, 0u);
  ASSERT_GT(first_a1, 0u);
  ASSERT_EQ(raised->size(), 2 * first);
  workflow::Actor district{
      .user = "zhang", .role = workflow::Role::kSupervisor, .unit = model::UnitCode("640104")};
  auto list = [&](EscalationFilter f, const workflow::Actor& who) {
    std::vector<EscalationRow> out;
    f.limit = 4;
    do {
      StatusOr<EscalationPage> page = store_->ListEscalations(f, who);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      out.insert(out.end(), page->rows.begin(), page->rows.end());
      f.after = page->next;
    } while (f.after);
    return out;
  };
  // The district sees the escalations targeted at it, not those targeted at the city; a
  // station is the target of none.
  std::vector<EscalationRow> rows = list({}, district);
  ASSERT_EQ(rows.size(), first);
  std::set<int64_t> ids;
  for (const EscalationRow& e : rows) {
    EXPECT_EQ(e.stage, 1);
    EXPECT_EQ(e.target.value(), "640104");
    EXPECT_EQ(e.level, WarningLevel::kOrange);
    EXPECT_TRUE(ids.insert(e.id).second);
  }
  EXPECT_TRUE(list({}, Officer(kStationA)).empty());
  EXPECT_EQ(list({}, Dispatcher()).size(), raised->size());
  EXPECT_EQ(store_->ListEscalations({.unit = model::UnitCode("640104")}, Officer(kStationA))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  // A warning worked to an outcome leaves the 督办 screen unless asked for.
  workflow::Actor officer = Officer(kStationA);
  Move(a1, WarningState::kAccepted, officer, "acc-a1");
  Move(a1, WarningState::kFalseAlarm, officer, "fa-a1");
  EXPECT_EQ(list({}, district).size(), first - first_a1);
  EXPECT_EQ(list({.open_only = false}, district).size(), first);
  EXPECT_EQ(list({.to = clock_.Now()}, district).size(), 0u);
  ExpectChainOk();
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreListsTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace fz::store::testing
