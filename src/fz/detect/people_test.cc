// PeopleIndex: the high-risk people CSV (people.h), its row checks and its shortcuts.
#include "fz/detect/people.h"

#include <random>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "fz/common/str_cat.h"
#include "fz/normalize/id_card.h"
#include "fz/normalize/phone.h"
#include "fz/normalize/simple_csv.h"
#include "gtest/gtest.h"

namespace fz::detect {
namespace {

TEST(People, LoadsRowsAndRejectsBadOnesWithLines) {
  std::vector<RejectedPerson> rejected;
  StatusOr<PeopleIndex> p = PeopleIndex::ParseCsv(
      "person_id,name,id_no,phones,address,unit_code,tags\n"
      "p1,王某,640104195003071238,13895107777;0951-5012345,兴庆区,640104001,elderly_alone\n"
      "p2,错号,640104195003071239,13895100000,,,\n"
      "p3,坏电话,,12ab,,,\n"
      "p4,\"未闭合,,13895100001,,,\n",
      "people.csv", &rejected);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->size(), 1u);
  ASSERT_EQ(rejected.size(), 3u);
  EXPECT_EQ(rejected[0].line, 3);
  EXPECT_EQ(rejected[0].reason.substr(0, 10), "bad_id_no:");
  EXPECT_EQ(rejected[1].line, 4);
  EXPECT_EQ(rejected[1].reason.substr(0, 10), "bad_phone:");
  EXPECT_EQ(rejected[2].reason.substr(0, 8), "bad_csv:");
  const model::Person* person = p->FindByPhone("+869515012345");
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(person, p->FindByIdNo("640104195003071238"));
  absl::Time at;
  ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full, "2026-03-06T23:00:00+08:00", &at, nullptr));
  EXPECT_EQ(p->AgeAt(*person, at), 75);  // birthday 1950-03-07 not yet reached
  EXPECT_EQ(p->AgeAt(*person, at + absl::Hours(1)), 76);
  EXPECT_FALSE(PeopleIndex::ParseCsv("name,phones\n", "x.csv", nullptr).ok());
}

// The people loader's shortcuts (records without quotes split as views, phones through
// PhoneNormalizer::NormalizeKey) against the plain way — SplitCsvRecord for every record and
// NormalizePhone for every phone — on generated rows: quoted fields with commas, phone lists
// with good and bad numbers, valid, invalid and empty ID numbers, short and long rows, comments.
TEST(People, ShortcutsMatchTheReferenceRowByRow) {
  std::mt19937 rng(50);
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& {
    return v[rng() % v.size()];
  };
  const std::vector<std::string> phones = {
      "13895107777",   "0951-5012345",   "+855 12 345 678", "12ab",     "",
      " 13951000007 ", "+8613895100001", "95588",           "138951000"};
  const std::vector<std::string> ids = {
      "", "", "640104195003071238", "640104195003071239", "64010419500307123X", "abc"};
  const std::vector<std::string> names = {"王某", "\"李, 某\"", "", "居民1", "\"say \"\"hi\"\"\""};
  std::string csv = "person_id,name,id_no,phones,address,unit_code,tags\n";
  std::vector<std::string> lines = {"", "header"};
  for (int i = 0; i < 3000; ++i) {
    std::string line;
    const unsigned r = rng() % 50;
    if (r == 0) {
      line = "# comment";
    } else if (r == 1) {
      line = "p9,\"unterminated,,13895100001,,,";
    } else if (r == 2) {
      line = fz::StrCat("p", i, ",short");
    } else {
      std::string list = pick(phones);
      for (unsigned k = rng() % 3; k > 0; --k) list += ";" + pick(phones);
      if (rng() % 4 == 0) list = "\"" + list + "\"";
      line = fz::StrCat(rng() % 30 == 0 ? "" : fz::StrCat("p", rng() % 2000), ",", pick(names), ",",
                        pick(ids), ",", list, ",银川市,640104001,",
                        rng() % 2 == 0 ? "elderly_alone" : "student; loan_seeker",
                        rng() % 20 == 0 ? ",extra" : "");
    }
    csv += line + "\n";
    lines.push_back(line);
  }
  std::vector<RejectedPerson> rejected;
  StatusOr<PeopleIndex> people = PeopleIndex::ParseCsv(csv, "people.csv", &rejected);
  ASSERT_TRUE(people.ok()) << people.status();

  // The reference: as people.cc read every row before it had shortcuts.
  auto split_list = [](std::string_view s) {
    std::vector<std::string_view> out;
    while (!s.empty()) {
      const size_t semi = s.find(';');
      std::string_view item = s.substr(0, semi);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (!item.empty()) out.push_back(item);
      if (semi == std::string_view::npos) break;
      s.remove_prefix(semi + 1);
    }
    return out;
  };
  std::vector<std::pair<int64_t, std::string>> expected_rejects;
  std::vector<model::Person> expected;
  for (size_t line_no = 2; line_no < lines.size(); ++line_no) {
    const std::string& line = lines[line_no];
    if (line.empty() || line.front() == '#') continue;
    auto reject = [&](std::string reason) {
      expected_rejects.emplace_back(static_cast<int64_t>(line_no), std::move(reason));
    };
    StatusOr<std::vector<std::string>> f = normalize::SplitCsvRecord(line);
    if (!f.ok()) {
      reject(fz::StrCat("bad_csv: ", f.status().message()));
      continue;
    }
    auto at = [&](size_t i) -> std::string { return i < f->size() ? (*f)[i] : ""; };
    model::Person p;
    if (at(0).empty()) {
      reject("missing_field: person_id");
      continue;
    }
    p.id = model::PersonId(at(0));
    p.name = at(1);
    p.address = at(4);
    p.unit = model::UnitCode(at(5));
    if (!at(2).empty()) {
      StatusOr<normalize::IdCardInfo> id =
          normalize::NormalizeIdCard(at(2), absl::CivilDay(2199, 12, 31));
      if (!id.ok()) {
        reject(fz::StrCat("bad_id_no: ", id.status().message()));
        continue;
      }
      p.id_no = id->number;
    }
    std::string bad;
    int n = 0;
    const std::string phone_list = at(3);
    for (std::string_view raw : split_list(phone_list)) {
      StatusOr<normalize::PhoneInfo> phone = normalize::NormalizePhone(raw);
      if (!phone.ok()) {
        bad = fz::StrCat("bad_phone: phones[", n, "]: ", phone.status().message());
        break;
      }
      p.phones.emplace_back(phone->canonical);
      ++n;
    }
    if (!bad.empty()) {
      reject(bad);
      continue;
    }
    if (p.phones.empty() && p.id_no.empty()) {
      reject("missing_field: a person needs phones or id_no");
      continue;
    }
    const std::string tags = at(6);
    for (std::string_view tag : split_list(tags)) p.tags.emplace_back(tag);
    expected.push_back(std::move(p));
  }
  ASSERT_EQ(rejected.size(), expected_rejects.size());
  for (size_t i = 0; i < rejected.size(); ++i) {
    EXPECT_EQ(rejected[i].line, expected_rejects[i].first);
    EXPECT_EQ(rejected[i].reason, expected_rejects[i].second);
    EXPECT_EQ(rejected[i].raw, lines[static_cast<size_t>(rejected[i].line)]);
  }
  const std::vector<model::Person>& all = people->all();
  ASSERT_EQ(all.size(), expected.size());
  ASSERT_GT(all.size(), 500u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].id.value(), expected[i].id.value());
    EXPECT_EQ(all[i].name, expected[i].name);
    EXPECT_EQ(all[i].id_no, expected[i].id_no);
    ASSERT_EQ(all[i].phones.size(), expected[i].phones.size());
    for (size_t k = 0; k < all[i].phones.size(); ++k) {
      EXPECT_EQ(all[i].phones[k].value(), expected[i].phones[k].value());
    }
    EXPECT_EQ(all[i].address, expected[i].address);
    EXPECT_EQ(all[i].unit.value(), expected[i].unit.value());
    EXPECT_EQ(all[i].tags, expected[i].tags);
  }
}

TEST(People, EditsReplaceAndRemovalsForget) {
  PeopleIndex people;
  model::Person p;
  p.id = model::PersonId("p1");
  p.name = "王某";
  p.phones = {model::PhoneNumber("+8613895107777"), model::PhoneNumber("+8613895108888")};
  people.Add(p);
  ASSERT_NE(people.FindByPhone("+8613895108888"), nullptr);
  // The person changed numbers: the old one no longer finds them, the new one does.
  p.phones = {model::PhoneNumber("+8613895107777"), model::PhoneNumber("+8613895109999")};
  people.Add(p);
  EXPECT_EQ(people.FindByPhone("+8613895108888"), nullptr);
  ASSERT_NE(people.FindByPhone("+8613895109999"), nullptr);
  EXPECT_EQ(people.FindByPhone("+8613895107777"), people.FindByPhone("+8613895109999"));
  // Another person takes over a number; removing the first keeps the second's.
  model::Person q;
  q.id = model::PersonId("p2");
  q.phones = {model::PhoneNumber("+8613895107777")};
  people.Add(q);
  EXPECT_TRUE(people.Remove(model::PersonId("p1")));
  EXPECT_FALSE(people.Remove(model::PersonId("p1")));
  EXPECT_EQ(people.FindByPhone("+8613895109999"), nullptr);
  const model::Person* found = people.FindByPhone("+8613895107777");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->id.value(), "p2");
}

}  // namespace
}  // namespace fz::detect
