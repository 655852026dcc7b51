// The intelligence table (indicators), on SQLite and a private PostgreSQL 15.
#include <set>

#include "fz/common/str_cat.h"
#include "fz/intel/intel_store.h"
#include "fz/store/testing/store_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::store::testing {
namespace {

using model::IndicatorKind;
using ::testing::HasSubstr;

model::Indicator Ind(IndicatorKind kind, std::string value, uint16_t fraud_type, std::string source,
                     double confidence = 1) {
  model::Indicator i;
  i.kind = kind;
  i.value = std::move(value);
  i.fraud_type = model::FraudType{fraud_type};
  i.source = std::move(source);
  i.confidence = confidence;
  return i;
}

std::string Canonical(IndicatorKind kind, std::string_view raw) {
  return *intel::IntelStore::CanonicalValue(kind, raw);
}

class StoreIntelTest : public StoreTest {
 protected:
  workflow::Actor Analyst() const {
    return {.user = "li", .role = workflow::Role::kAnalyst, .unit = model::UnitCode("640100")};
  }
  IndicatorUpsertResult Upsert(const std::vector<model::Indicator>& batch) {
    StatusOr<IndicatorUpsertResult> r = store_->UpsertIndicators(batch, Analyst());
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : IndicatorUpsertResult();
  }
  std::vector<IndicatorRow> All(IndicatorFilter f) {
    f.limit = 10000;
    StatusOr<IndicatorPage> page = store_->ListIndicators(f);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->rows : std::vector<IndicatorRow>();
  }
  void ExpectChainOk() {
    StatusOr<AuditVerification> v = store_->VerifyAudit();
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok) << v->problem;
  }
};

TEST_P(StoreIntelTest, UpsertIsIdempotentByKindAndCanonicalValue) {
  std::vector<model::Indicator> batch = {
      Ind(IndicatorKind::kPhone, "+8613800138000", 3, "national", 0.9),
      Ind(IndicatorKind::kDomain, "Fraud-Site.COM", 4, "carrier"),
      Ind(IndicatorKind::kAccount, "6222 0212 3456 7890", 5, "bank", 0.8)};
  IndicatorUpsertResult r = Upsert(batch);
  EXPECT_EQ(r.inserted, 3);
  r = Upsert(batch);
  EXPECT_EQ(r.inserted + r.updated, 0);
  EXPECT_EQ(r.unchanged, 3);
  batch[0].confidence = 0.5;
  r = Upsert(batch);
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(r.unchanged, 2);
  // The same key twice in one batch: the last one wins.
  model::Indicator again = batch[1];
  again.source = "analyst:li";
  r = Upsert({batch[1], again});
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(r.unchanged, 1);
  EXPECT_EQ(*store_->CountRows("indicators"), 3);
  std::vector<IndicatorRow> domains = All({.kind = IndicatorKind::kDomain});
  ASSERT_EQ(domains.size(), 1u);
  EXPECT_EQ(domains[0].indicator.value, "fraud-site.com");
  EXPECT_EQ(domains[0].indicator.source, "analyst:li");
  EXPECT_EQ(domains[0].added_by, "li");
  std::vector<IndicatorRow> accounts = All({.kind = IndicatorKind::kAccount});
  ASSERT_EQ(accounts.size(), 1u);
  EXPECT_EQ(accounts[0].indicator.value, "6222021234567890");
  EXPECT_NEAR(accounts[0].indicator.confidence, 0.8, 1e-9);
  // A bad value fails the whole batch and names it.
  StatusOr<IndicatorUpsertResult> bad =
      store_->UpsertIndicators({Ind(IndicatorKind::kPhone, "+8613800138001", 3, "x"),
                                Ind(IndicatorKind::kAccount, "abc", 3, "x")},
                               Analyst());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("indicators[1] (account 'abc')"));
  EXPECT_EQ(store_->UpsertIndicators({Ind(IndicatorKind::kApp, "com.x", 3, "x", 1.5)}, Analyst())
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*store_->CountRows("indicators"), 3);
  // One audit row per call that changed something.
  EXPECT_EQ(store_->QueryAudit({.action = "indicators_upsert"})->size(), 3u);
  ExpectChainOk();
}

TEST_P(StoreIntelTest, ExpireWhitelistAndStreamActive) {
  Upsert({Ind(IndicatorKind::kPhone, "+8613800138000", 3, "national"),
          Ind(IndicatorKind::kDomain, "fraud-site.com", 4, "carrier"),
          Ind(IndicatorKind::kApp, "com.fake.loan", 5, "carrier")});
  StatusOr<IndicatorRow> expired = store_->ExpireIndicator(
      IndicatorKind::kPhone, "+8613800138000", clock_.Now() - absl::Seconds(1), Analyst());
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_EQ(expired->indicator.expires_at, clock_.Now() - absl::Seconds(1));
  EXPECT_EQ(
      store_->ExpireIndicator(IndicatorKind::kPhone, "+8613800138999", clock_.Now(), Analyst())
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  StatusOr<IndicatorRow> white = store_->WhitelistIndicator(
      IndicatorKind::kDomain, "FRAUD-site.com", "政府网站误报", Analyst());
  ASSERT_TRUE(white.ok()) << white.status();
  EXPECT_TRUE(white->indicator.whitelisted);
  EXPECT_EQ(white->note, "政府网站误报");
  // Repeating the same whitelist is a no-op (no audit row).
  ASSERT_TRUE(
      store_
          ->WhitelistIndicator(IndicatorKind::kDomain, "fraud-site.com", "政府网站误报", Analyst())
          .ok());
  EXPECT_EQ(store_->QueryAudit({.action = "indicator_whitelist"})->size(), 1u);
  // An unknown value is kept flagged; a later import cannot make it active.
  ASSERT_TRUE(
      store_->WhitelistIndicator(IndicatorKind::kApp, "com.bank.real", "正规银行", Analyst()).ok());
  IndicatorUpsertResult r = Upsert({Ind(IndicatorKind::kApp, "com.bank.real", 5, "carrier"),
                                    Ind(IndicatorKind::kDomain, "fraud-site.com", 4, "national")});
  EXPECT_EQ(r.updated, 2);
  std::vector<IndicatorRow> active = All({});
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].indicator.value, "com.fake.loan");
  EXPECT_EQ(All({.include_expired = true}).size(), 2u);
  EXPECT_EQ(All({.include_whitelisted = true}).size(), 3u);
  EXPECT_EQ(All({.include_expired = true, .include_whitelisted = true}).size(), 4u);
  std::vector<std::string> streamed;
  ASSERT_TRUE(store_
                  ->ForEachIndicator([&](const model::Indicator& i) {
                    streamed.push_back(i.value);
                    EXPECT_TRUE(i.ActiveAt(clock_.Now()));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_THAT(streamed, ::testing::ElementsAre("com.fake.loan"));
  // The callback's error stops the stream and is returned.
  EXPECT_EQ(
      store_->ForEachIndicator([](const model::Indicator&) { return absl::CancelledError("stop"); })
          .code(),
      absl::StatusCode::kCancelled);
  ExpectChainOk();
}

TEST_P(StoreIntelTest, ListFiltersAndPagesById) {
  std::vector<model::Indicator> batch;
  for (int i = 0; i < 50; ++i) {
    batch.push_back(Ind(IndicatorKind::kPhone, StrCat("+86138001380", 10 + i), i % 2 ? 3 : 7,
                        i < 20 ? "national" : "carrier"));
  }
  batch.push_back(Ind(IndicatorKind::kDomain, "a.example.com", 3, "national"));
  ASSERT_EQ(Upsert(batch).inserted, 51);
  IndicatorFilter f{.kind = IndicatorKind::kPhone, .limit = 7};
  std::set<int64_t> ids;
  int64_t last = 0;
  do {
    StatusOr<IndicatorPage> page = store_->ListIndicators(f);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const IndicatorRow& r : page->rows) {
      EXPECT_GT(r.indicator.id.value(), last);
      last = r.indicator.id.value();
      EXPECT_TRUE(ids.insert(last).second);
    }
    f.after_id = page->next;
  } while (f.after_id);
  EXPECT_EQ(ids.size(), 50u);
  EXPECT_EQ(All({.fraud_type = 3}).size(), 26u);
  EXPECT_EQ(All({.source = "national"}).size(), 21u);
  std::string prefix = Canonical(IndicatorKind::kPhone, "+8613800138010").substr(0, 13);
  EXPECT_EQ(All({.kind = IndicatorKind::kPhone, .value_prefix = prefix}).size(), 10u);  // 10..19
  EXPECT_EQ(All({.value_prefix = "a.example"}).size(), 1u);
}

TEST_P(StoreIntelTest, ConfirmedPendingIndicatorBecomesIntelligence) {
  model::Warning w = MakeWarning(1, "+869515012345", model::WarningLevel::kRed, "e1");
  model::WarningId id = IngestOne(w);
  workflow::Actor officer = Officer("640104");
  Move(id, workflow::WarningState::kAccepted, officer, "acc");
  Move(id, workflow::WarningState::kContacting, officer, "con");
  TransitionRequest r{.request_id = "def",
                      .warning = id,
                      .to = workflow::WarningState::kDefrauded,
                      .actor = officer};
  r.case_draft = workflow::CaseDraft{.victim_name = "王五",
                                     .loss = {500'000},
                                     .fraud_type = {6},
                                     .suspects = {{IndicatorKind::kAccount, "6217000000000000001"},
                                                  {IndicatorKind::kPhone, "+85512345678"}}};
  ASSERT_TRUE(store_->ApplyTransition(r).ok());
  StatusOr<std::vector<workflow::PendingIndicator>> pending = store_->PendingIndicators(Analyst());
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  const workflow::PendingIndicator& account = (*pending)[0];
  const workflow::PendingIndicator& phone = (*pending)[1];
  ASSERT_EQ(account.identifier.kind, IndicatorKind::kAccount);
  ASSERT_TRUE(store_->ReviewPendingIndicator(account.id, true, Analyst()).ok());
  ASSERT_TRUE(store_->ReviewPendingIndicator(account.id, true, Analyst()).ok());  // repeated
  ASSERT_TRUE(store_->ReviewPendingIndicator(phone.id, false, Analyst()).ok());
  std::vector<IndicatorRow> rows = All({});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].indicator.kind, IndicatorKind::kAccount);
  EXPECT_EQ(rows[0].indicator.value, "6217000000000000001");
  EXPECT_EQ(rows[0].indicator.fraud_type.id, 6);
  EXPECT_EQ(rows[0].indicator.source, account.source);
  EXPECT_THAT(account.source, HasSubstr("case:"));
  EXPECT_EQ(rows[0].added_by, "li");
  ExpectChainOk();
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreIntelTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace fz::store::testing
