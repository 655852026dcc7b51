#include "fz/ingest/event_fields.h"

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/ingest/field_values.h"
#include "fz/ingest/test_util.h"
#include "gtest/gtest.h"

namespace fz::ingest {
namespace {

// Rows reuse the previous row's parsed time when only the seconds changed: every event time
// (and every rejection) must still be what ParseTimestamp says for that row alone.
TEST(EventBuilderTest, TimestampsOfConsecutiveRowsMatchParseTimestamp) {
  std::mt19937 rng(3);
  const std::vector<std::string> minutes = {
      "2026-11-26T23:59:", "2026-11-26t00:00:", "2026-11-26 10:07:",  "2028-02-29T12:00:",
      "2026-02-29T12:00:", "2026-11-26T24:00:", " 2026-11-26T10:07:", "2026-11-26T10:7:"};
  const std::vector<std::string> tails = {
      "+08:00", "-08:00",  "Z",     "+0800",   ".250+08:00",       ".5Z",     "-03:30",
      "",       "+08:00 ", "+8:00", "+08:00x", ".123456789+08:00", ".123456Z"};
  ReadOptions options;
  EventBuilder builder(options);
  RawRecord record;
  model::Event event;
  int accepted = 0;
  std::string minute = minutes[0];
  std::string tail = tails[0];
  for (int row = 0; row < 20000; ++row) {
    // Mostly the same minute and tail with new seconds, as a sorted feed has it.
    if (rng() % 8 == 0) minute = minutes[rng() % minutes.size()];
    if (rng() % 8 == 0) tail = tails[rng() % tails.size()];
    int second = static_cast<int>(rng() % 64);  // 60-63 are invalid
    std::string ts = fz::StrCat(minute, second < 10 ? "0" : "", second, tail);
    if (rng() % 50 == 0) ts[minute.size()] = 'x';                            // a non-digit second
    if (rng() % 40 == 0) ts = fz::StrCat(1795656600000 + (row / 3) * 1000);  // epoch ms
    const std::string id = fz::StrCat("c", row);  // the record borrows its values
    record.Clear();
    record.Set(Field::kId, id);
    record.Set(Field::kTs, ts);
    record.Set(Field::kCaller, "13895101234");
    record.Set(Field::kCallee, "13895105678");
    Status built = builder.Build(record, model::EventType::kCall, &event);
    StatusOr<absl::Time> want = ParseTimestamp(ts);
    ASSERT_EQ(built.ok(), want.ok()) << ts << ": " << built;
    if (!want.ok()) continue;
    ++accepted;
    ASSERT_EQ(event.header.time, *want) << ts;
  }
  EXPECT_GT(accepted, 5000);
}

// AssignText copies same-length values as two overlapping pieces of 8 or 16 bytes and other
// lengths by clear + append: every length into every earlier length must equal assign.
TEST(AssignTextTest, EqualsAssignForEveryLengthPair) {
  std::string source;
  for (int i = 0; i < 80; ++i) source.push_back(static_cast<char>('A' + i % 50));
  for (size_t before = 0; before <= 70; ++before) {
    for (size_t length = 0; length <= 70; ++length) {
      for (size_t offset : {size_t{0}, size_t{3}}) {
        std::string out(before, 'x');
        const std::string_view value(source.data() + offset, length);
        internal::AssignText(value, &out);
        ASSERT_EQ(out, value) << before << " -> " << length;
        ASSERT_EQ(out.c_str()[out.size()], '\0');
      }
    }
  }
}

// CSV rows set their fields through RawRecord::Columns (no branch per value, presence from the
// header's slots): it must leave the record exactly as Clear and Set per value would, empty
// values (absent) and ignored columns included, whatever the record held before.
TEST(RawRecordTest, ColumnsMatchSetPerValue) {
  std::mt19937 rng(5);
  const std::vector<std::string> texts = {"", "a", "13895101234", " padded ", ""};
  RawRecord by_columns;
  RawRecord by_set;
  for (int row = 0; row < 20000; ++row) {
    // A header: distinct fields in random order, with some ignored columns among them.
    std::vector<uint8_t> slots;
    uint64_t slot_bits = 0;
    for (int f = 0; f < kFieldCount; ++f) {
      if (rng() % 3 == 0) slots.push_back(static_cast<uint8_t>(f));
    }
    for (int ignored = static_cast<int>(rng() % 3); ignored > 0; --ignored) {
      slots.push_back(RawRecord::kIgnoredSlot);
    }
    std::shuffle(slots.begin(), slots.end(), rng);
    for (uint8_t slot : slots) slot_bits |= uint64_t{1} << slot;
    std::vector<std::string> values;
    for (size_t i = 0; i < slots.size(); ++i) {
      values.push_back(rng() % 4 == 0 ? "" : texts[rng() % texts.size()]);
    }
    // Columns replaces the presence bits whether or not the record was cleared; Clear drops
    // JSON list items.
    if (rng() % 8 == 0) by_columns.AddListItem(Field::kSuspectPhones, "13895101234");
    if (rng() % 8 == 0) by_columns.Clear();
    RawRecord::Columns columns(&by_columns);
    by_set.Clear();
    for (size_t i = 0; i < slots.size(); ++i) {
      columns.Set(slots[i], values[i].data(), values[i].size());
      if (slots[i] != RawRecord::kIgnoredSlot) by_set.Set(static_cast<Field>(slots[i]), values[i]);
    }
    columns.Finish(slot_bits);
    for (int f = 0; f < kFieldCount; ++f) {
      const auto field = static_cast<Field>(f);
      ASSERT_EQ(by_columns.Has(field), by_set.Has(field))
          << "row " << row << " " << FieldName(field);
      ASSERT_EQ(by_columns.Get(field), by_set.Get(field))
          << "row " << row << " " << FieldName(field);
    }
    by_columns.Clear();
    std::vector<std::string_view> items;
    by_columns.ListItems(Field::kSuspectPhones, &items);
    ASSERT_TRUE(items.empty()) << "row " << row;
  }
}

// Candidate values per field: valid ones (short and longer than a string's inline buffer) and
// a few that are rejected, so that slots are left half-built too.
std::map<Field, std::vector<std::string>> CandidateValues() {
  const std::vector<std::string> phones = {"13895101234",       "+85512345678", "0951-5012345",
                                           "+86 138 9510 5678", "95588",        "12ab"};
  const std::vector<std::string> accounts = {"6222021234567890128", "62220212", "6222 0212 3456",
                                             "12"};
  const std::vector<std::string> texts = {"hi", "【银行】您的账户于今日消费100.00元，详询95588",
                                          " padded text with, spaces "};
  const std::vector<std::string> id_nos = {"640104199003071236", "640104199003071235"};
  return {
      {Field::kType, {"call", "sms", "net", "app", "transfer", "directive", "report", "fax"}},
      {Field::kSource, {"carrier.cmcc", " directive.national.center.feed ", "b"}},
      {Field::kCaller, phones},
      {Field::kCallee, phones},
      {Field::kDurationS, {"0", "30", "86400", "-1", " 45 "}},
      {Field::kCellId, {"460-00-1234-5678", "c1"}},
      {Field::kImei, {"861234567890123", "86123456789012345678"}},
      {Field::kSender, phones},
      {Field::kReceiver, phones},
      {Field::kText, texts},
      {Field::kSubscriber, phones},
      {Field::kDomain,
       {"www.Example.com", "a-very-long-subdomain.of.some-example-site.com", "x", "bad domain"}},
      {Field::kUrl, {"https://login.example-bank.cn/verify?id=1", "http://10.1.2.3/x", "ftp:"}},
      {Field::kIp, {"10.1.2.3", "2001:db8::1", "999.1.1.1"}},
      {Field::kAppId, {"com.Example.Meeting", "a", " com.very.long.package.name.example "}},
      {Field::kAppName, texts},
      {Field::kAction, {"install", "open"}},
      {Field::kPayerAccount, accounts},
      {Field::kPayerPhone, phones},
      {Field::kPayerIdNo, id_nos},
      {Field::kPayeeAccount, accounts},
      {Field::kPayeeName, {"张三", "Some Trading Company Limited"}},
      {Field::kAmount, {"100.5", "20000.00", "3", "1.234", "abc"}},
      {Field::kChannel, {"mobile_bank", "third_party_payment_platform"}},
      {Field::kDirectiveId, {"D-1", "directive-2026-11-27-000123"}},
      {Field::kSubjectPhone, phones},
      {Field::kSubjectIdNo, id_nos},
      {Field::kSubjectAccount, accounts},
      {Field::kLevel, {"red", "yellow", "橙", "purple"}},
      {Field::kFraudType, {"task_rebate", "虚假购物服务", "other", "nonsense"}},
      {Field::kIssuer, texts},
      {Field::kReporter, phones},
      {Field::kSuspectPhones, {"13895101234", "13895101234; +85512345678", "12ab;13895101234"}},
      {Field::kSuspectAccounts, {"6222021234567890128", "62220212;6222021234567890128", "1"}},
      {Field::kSuspectDomains, {"Example.com", "a.example.com; b-long-name.example.org", "a b"}},
      {Field::kLoss, {"5000", "0.5", "x"}},
  };
}

// Ingest builds into recycled batch slots (batch_sink.h): a slot may hold an event of another
// type, one of the same type with other optional fields, or one whose build was rejected
// part-way. Every row must come out exactly as built into a fresh event, so every field the
// builder leaves out of one row must be reset, not kept from the slot's last row.
TEST(EventBuilderTest, RecycledSlotsGiveTheSameEventsAsFreshOnes) {
  // A new field in an event must be written by EventBuilder (also when absent from the row)
  // and printed by DescribeEvent; then update these sizes.
  static_assert(sizeof(model::EventHeader) == 88);
  static_assert(sizeof(model::CallEvent) == 144);
  static_assert(sizeof(model::SmsEvent) == 104);
  static_assert(sizeof(model::NetEvent) == 128);
  static_assert(sizeof(model::AppEvent) == 160);
  static_assert(sizeof(model::TransferEvent) == 200);
  static_assert(sizeof(model::DirectiveEvent) == 200);
  static_assert(sizeof(model::ReportEvent) == 152);

  const std::map<Field, std::vector<std::string>> candidates = CandidateValues();
  const std::vector<model::EventType> types = {
      model::EventType::kCall,  model::EventType::kSms,      model::EventType::kNet,
      model::EventType::kApp,   model::EventType::kTransfer, model::EventType::kDirective,
      model::EventType::kReport};
  std::mt19937 rng(11);
  ReadOptions options;
  EventBuilder recycling(options);
  EventBuilder fresh_builder(options);  // same rows, so the same memo state
  std::vector<model::Event> slots(16);
  RawRecord record;
  int built = 0;
  for (int row = 0; row < 40000; ++row) {
    // Values live until the row is built (the record borrows them).
    std::vector<std::pair<Field, std::string>> values;
    const std::string id =
        rng() % 2 == 0 ? fz::StrCat("e", row) : fz::StrCat(" cdr-", row, "-0123456789 ");
    values.emplace_back(Field::kId, id);
    values.emplace_back(Field::kTs,
                        fz::StrCat("2026-11-27T08:", 10 + row % 50, ":0", row % 10, "+08:00"));
    for (const auto& [field, options_for_field] : candidates) {
      // Mostly present, so that most rows build; absent fields must be reset in the slot.
      if (rng() % 3 == 0) continue;
      if (field == Field::kType && rng() % 4 != 0) continue;
      values.emplace_back(field, options_for_field[rng() % options_for_field.size()]);
    }
    record.Clear();
    for (const auto& [field, value] : values) record.Set(field, value);
    const model::EventType default_type = types[rng() % types.size()];
    model::Event& slot = slots[rng() % slots.size()];
    if (rng() % 64 == 0) model::Event moved_to = std::move(slot);  // a moved-from slot
    model::Event fresh;
    // The per-row TryBuild against the Status-returning Build: the same verdicts and texts.
    const bool in_slot = recycling.TryBuild(record, default_type, &slot);
    Status in_fresh = fresh_builder.Build(record, default_type, &fresh);
    ASSERT_EQ(in_slot, in_fresh.ok()) << "row " << row << ": " << in_fresh;
    if (!in_fresh.ok()) {
      ASSERT_EQ(recycling.error(), in_fresh) << "row " << row;
      continue;
    }
    ++built;
    ASSERT_EQ(testing::DescribeEvent(slot), testing::DescribeEvent(fresh)) << "row " << row;
  }
  EXPECT_GT(built, 4000);
}

}  // namespace
}  // namespace fz::ingest
