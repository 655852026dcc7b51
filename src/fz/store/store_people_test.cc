// The high-risk people base, on SQLite and a private PostgreSQL 15.
#include <set>

#include "fz/common/str_cat.h"
#include "fz/store/testing/store_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::store::testing {
namespace {

using ::testing::HasSubstr;

class StorePeopleTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    std::vector<const model::Unit*> stations = tree_.Children(model::UnitCode("640104"));
    ASSERT_GE(stations.size(), 2u);
    station_a_ = stations[0]->code.value();
    station_b_ = stations[1]->code.value();
    std::vector<std::string> paths;
    for (const std::string& code : {station_a_, station_b_}) {
      paths.push_back(*policy_->PathOf(model::UnitCode(code)));
    }
    ASSERT_TRUE(store_->RegisterUnitPaths(paths).ok());
  }

  static model::Person Person(int n, const std::string& unit) {
    model::Person p;
    p.id = model::PersonId(StrCat("P", 1000 + n));
    p.name = n % 2 ? "张三丰" : "李四";
    p.id_no = StrCat("6401041950010", 10000 + n);
    p.phones = {model::PhoneNumber(StrCat("+86138951", 10000 + n))};
    p.address = "兴庆区凤凰北街123号4单元";
    p.unit = model::UnitCode(unit);
    p.tags = {n % 3 ? "elderly_alone" : "student", "prior_victim"};
    return p;
  }

  PeopleUpsertResult Upsert(const std::vector<model::Person>& people, const workflow::Actor& who) {
    StatusOr<PeopleUpsertResult> r = store_->UpsertPeople(people, who);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : PeopleUpsertResult();
  }

  std::vector<PersonRow> All(PeopleFilter f, const workflow::Actor& who) {
    std::vector<PersonRow> out;
    f.limit = 7;
    std::set<std::string> seen;
    do {
      StatusOr<PeoplePage> page = store_->ListPeople(f, who);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const PersonRow& r : page->rows) {
        EXPECT_TRUE(seen.insert(r.person.id.value()).second) << r.person.id.value();
        out.push_back(r);
      }
      f.after = page->next;
    } while (f.after);
    return out;
  }

  workflow::Actor Analyst() const {
    return {.user = "li", .role = workflow::Role::kAnalyst, .unit = model::UnitCode("640100")};
  }

  void ExpectChainOk() {
    StatusOr<AuditVerification> v = store_->VerifyAudit();
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok) << v->problem;
  }

  std::string station_a_, station_b_;
};

TEST_P(StorePeopleTest, UpsertIsIdempotentScopedAndAudited) {
  std::vector<model::Person> people = {Person(1, station_a_), Person(2, station_a_),
                                       Person(3, station_b_)};
  PeopleUpsertResult r = Upsert(people, Dispatcher());
  EXPECT_EQ(r.inserted, 3);
  r = Upsert(people, Dispatcher());
  EXPECT_EQ(r.unchanged, 3);
  people[0].tags.push_back("loan_seeker");
  r = Upsert({people[0]}, Officer(station_a_));
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(*store_->CountRows("people"), 3);
  // Station B may neither write into station A nor move A's person to itself.
  EXPECT_EQ(store_->UpsertPeople({Person(4, station_a_)}, Officer(station_b_)).status().code(),
            absl::StatusCode::kPermissionDenied);
  model::Person moved = people[1];
  moved.unit = model::UnitCode(station_b_);
  EXPECT_EQ(store_->UpsertPeople({moved}, Officer(station_b_)).status().code(),
            absl::StatusCode::kPermissionDenied);
  // Bad input names the row and the field; nothing of the batch is written.
  StatusOr<PeopleUpsertResult> bad =
      store_->UpsertPeople({Person(5, station_a_), Person(6, "640104999")}, Dispatcher());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()),
              HasSubstr("people[1] (person 'P1006'): unit 640104999 is not a registered unit"));
  model::Person comma = Person(7, station_a_);
  comma.tags = {"a,b"};
  EXPECT_THAT(std::string(store_->UpsertPeople({comma}, Dispatcher()).status().message()),
              HasSubstr("people[0] (person 'P1007'): tag 'a,b'"));
  EXPECT_EQ(*store_->CountRows("people"), 3);
  EXPECT_EQ(store_->QueryAudit({.action = "person_insert"})->size(), 3u);
  EXPECT_EQ(store_->QueryAudit({.action = "person_update"})->size(), 1u);
  ExpectChainOk();
}

TEST_P(StorePeopleTest, ListScopesFiltersPagesAndMasks) {
  std::vector<model::Person> people;
  for (int i = 0; i < 25; ++i) people.push_back(Person(i, station_a_));
  for (int i = 25; i < 30; ++i) people.push_back(Person(i, station_b_));
  ASSERT_EQ(Upsert(people, Dispatcher()).inserted, 30);
  std::vector<PersonRow> a = All({}, Officer(station_a_));
  ASSERT_EQ(a.size(), 25u);
  for (const PersonRow& r : a) EXPECT_EQ(r.person.unit.value(), station_a_);
  EXPECT_EQ(a[0].person.name, "李四");  // officers see personal data
  EXPECT_EQ(a[0].person.phones[0].value(), "+8613895110000");
  EXPECT_EQ(All({}, Officer(station_b_)).size(), 5u);
  EXPECT_EQ(store_->ListPeople({.unit = model::UnitCode(station_a_)}, Officer(station_b_))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(All({.unit = model::UnitCode("640104")}, Dispatcher()).size(), 30u);
  EXPECT_EQ(All({.unit = model::UnitCode(station_b_)}, Dispatcher()).size(), 5u);
  // Filters: tag, exact phone, ID number and name.
  EXPECT_EQ(All({.tag = "student"}, Officer(station_a_)).size(), 9u);  // 0, 3, ..., 24
  EXPECT_EQ(All({.tag = "prior_victim"}, Dispatcher()).size(), 30u);
  EXPECT_EQ(All({.tag = "prior"}, Dispatcher()).size(), 0u);  // whole tags only
  std::vector<PersonRow> by_phone = All({.phone = "+8613895110007"}, Dispatcher());
  ASSERT_EQ(by_phone.size(), 1u);
  EXPECT_EQ(by_phone[0].person.id.value(), "P1007");
  EXPECT_EQ(All({.phone = "+861389511000"}, Dispatcher()).size(), 0u);  // exact, not a prefix
  EXPECT_EQ(All({.id_no = "640104195001010012"}, Dispatcher()).size(), 1u);
  EXPECT_EQ(All({.name = "张三丰"}, Dispatcher()).size(), 15u);
  // Analysts work on masked data.
  std::vector<PersonRow> masked = All({.phone = "+8613895110007"}, Analyst());
  ASSERT_EQ(masked.size(), 1u);
  EXPECT_EQ(masked[0].person.name, "张**");
  EXPECT_NE(masked[0].person.id_no, "640104195001010007");
  EXPECT_THAT(masked[0].person.phones[0].value(), HasSubstr("****"));
  EXPECT_EQ(masked[0].person.address, "兴庆区凤凰北***");
  StatusOr<std::vector<AuditRow>> lists = store_->QueryAudit({.actor = "li", .action = "list"});
  ASSERT_TRUE(lists.ok());
  ASSERT_FALSE(lists->empty());
  EXPECT_THAT((*lists)[0].detail, HasSubstr("masked"));
  ExpectChainOk();
}

TEST_P(StorePeopleTest, GetAndDeleteAreScopedAndAudited) {
  ASSERT_EQ(Upsert({Person(1, station_a_)}, Dispatcher()).inserted, 1);
  model::PersonId id("P1001");
  StatusOr<PersonRow> clear = store_->GetPerson(id, Officer(station_a_));
  ASSERT_TRUE(clear.ok()) << clear.status();
  EXPECT_EQ(clear->person.id_no, "640104195001010001");
  EXPECT_EQ(clear->person.tags, (std::vector<std::string>{"elderly_alone", "prior_victim"}));
  EXPECT_EQ(clear->updated_by, "dispatcher");
  EXPECT_EQ(store_->GetPerson(id, Analyst())->person.name, "张**");
  EXPECT_EQ(store_->GetPerson(id, Officer(station_b_)).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->DeletePerson(id, Officer(station_b_)).status().code(),
            absl::StatusCode::kPermissionDenied);
  StatusOr<std::vector<AuditRow>> reads = store_->QueryAudit({.object_prefix = "person:P1001"});
  ASSERT_TRUE(reads.ok());
  ASSERT_GE(reads->size(), 3u);  // insert, unmasked read, masked read
  EXPECT_EQ((*reads)[0].detail, "masked");
  EXPECT_EQ((*reads)[1].detail, "unmasked");
  EXPECT_TRUE(*store_->DeletePerson(id, Officer(station_a_)));
  EXPECT_FALSE(*store_->DeletePerson(id, Officer(station_a_)));  // repeated: nothing to do
  EXPECT_EQ(store_->GetPerson(id, Officer(station_a_)).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->QueryAudit({.action = "person_delete"})->size(), 1u);
  EXPECT_EQ(store_->RegisterUnitPaths({"640104/"}).code(), absl::StatusCode::kInvalidArgument);
  ExpectChainOk();
}

INSTANTIATE_TEST_SUITE_P(Backends, StorePeopleTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace fz::store::testing
