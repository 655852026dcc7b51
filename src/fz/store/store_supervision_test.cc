// 督办 reminders and the outreach list, on SQLite and a private PostgreSQL 15.
#include "fz/common/str_cat.h"
#include "fz/store/testing/store_fixture.h"
#include "gtest/gtest.h"

namespace fz::store::testing {
namespace {

class StoreSupervisionTest : public StoreTest {
 protected:
  // A station that is not `unit` (the warning's), to check scope from outside.
  static std::string OtherStation(const std::string& unit) {
    return unit == "640104002" ? "640104001" : "640104002";
  }
};

TEST_P(StoreSupervisionTest, RemindersAreScopedStoredAndAudited) {
  const model::WarningId id =
      IngestOne(MakeWarning(1, "+8613895101234", model::WarningLevel::kRed, "e1"));
  StatusOr<WarningDetail> d = store_->GetWarning(id, System());
  ASSERT_TRUE(d.ok()) << d.status();
  const std::string unit = d->summary.unit.value();

  EXPECT_TRUE(absl::IsInvalidArgument(store_->SendReminder({id, ""}, Dispatcher()).status()));
  EXPECT_TRUE(absl::IsPermissionDenied(
      store_->SendReminder({id, "x"}, Officer(OtherStation(unit))).status()));
  EXPECT_TRUE(absl::IsNotFound(
      store_->SendReminder({model::WarningId(id.value() + 1), "x"}, Dispatcher()).status()));

  StatusOr<Reminder> sent = store_->SendReminder({id, "请立即签收并联系当事人"}, Dispatcher());
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_GT(sent->id, 0);
  EXPECT_EQ(sent->unit.value(), unit);
  EXPECT_EQ(sent->actor, Dispatcher().user);

  StatusOr<ReminderPage> all = store_->ListReminders({}, Dispatcher());
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->rows.size(), 1u);
  EXPECT_EQ(all->rows[0].message, "请立即签收并联系当事人");
  EXPECT_EQ(all->rows[0].warning, id);
  EXPECT_EQ(all->rows[0].at, clock_.Now());

  ReminderFilter other_warning;
  other_warning.warning = model::WarningId(id.value() + 1);
  EXPECT_TRUE(store_->ListReminders(other_warning, Dispatcher())->rows.empty());
  StatusOr<ReminderPage> outside = store_->ListReminders({}, Officer(OtherStation(unit)));
  EXPECT_TRUE(!outside.ok() || outside->rows.empty());

  AuditFilter audit;
  audit.action = "remind";
  StatusOr<std::vector<AuditRow>> rows = store_->QueryAudit(audit);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].object, StrCat("warning:", id.value()));
  EXPECT_TRUE(store_->VerifyAudit()->ok);
}

TEST_P(StoreSupervisionTest, OutreachCountsTheWarningsOfThePersonsPhones) {
  const std::string station = "640104001";
  ASSERT_TRUE(store_->RegisterUnitPaths({*policy_->PathOf(model::UnitCode(station))}).ok());
  model::Person warned;
  warned.id = model::PersonId("P1");
  warned.name = "王某";
  warned.phones = {model::PhoneNumber("+8613895101234")};
  warned.unit = model::UnitCode(station);
  warned.tags = {"elderly"};
  model::Person quiet = warned;
  quiet.id = model::PersonId("P2");
  quiet.phones = {model::PhoneNumber("+8613895109999")};
  ASSERT_TRUE(store_->UpsertPeople({warned, quiet}, Dispatcher()).ok());
  IngestOne(MakeWarning(1, "+8613895101234", model::WarningLevel::kRed, "e1"));

  PeopleFilter f;
  f.unit = model::UnitCode(station);
  StatusOr<OutreachPage> page = store_->ListOutreach(f, Dispatcher());
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->rows.size(), 2u);
  const OutreachRow& p1 =
      page->rows[0].person.person.id.value() == "P1" ? page->rows[0] : page->rows[1];
  const OutreachRow& p2 = &p1 == &page->rows[0] ? page->rows[1] : page->rows[0];
  EXPECT_EQ(p1.warnings, 1);
  EXPECT_TRUE(p1.last_warned.has_value());
  EXPECT_FALSE(p1.last_reached.has_value());
  EXPECT_EQ(p1.person.person.tags, std::vector<std::string>{"elderly"});
  EXPECT_EQ(p2.warnings, 0);
  EXPECT_FALSE(p2.last_warned.has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreSupervisionTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace fz::store::testing
