#include "fz/ingest/event_fields.h"

#include <random>
#include <string>
#include <vector>

#include "fz/common/str_cat.h"
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
  const std::vector<std::string> tails = {"+08:00", "Z", "+0800",   ".250+08:00", ".5Z",
                                          "-03:30", "",  "+08:00 ", "+8:00",      "+08:00x"};
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
    if (rng() % 50 == 0) ts[minute.size()] = 'x';  // a non-digit second
    const std::string id = fz::StrCat("c", row);   // the record borrows its values
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

}  // namespace
}  // namespace fz::ingest
