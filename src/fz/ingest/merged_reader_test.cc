#include "fz/ingest/merged_reader.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "fz/common/str_cat.h"
#include "fz/ingest/event_file_reader.h"
#include "fz/ingest/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::ingest {
namespace {

using testing::Gzip;
using ::testing::HasSubstr;
using testing::WriteFile;
using testing::Zstd;

constexpr int64_t kT0 = 1795656600000;  // 2026-11-26T09:30:00+08:00 in epoch ms

// What a merged run delivered: event ids in order, batch sizes and the result.
struct Merged {
  std::vector<std::string> ids;
  std::vector<int64_t> times_ms;
  std::vector<size_t> batch_sizes;
  MergedReadResult result;
};

class MergedReaderTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, std::string_view content) {
    std::string path = dir_.File(name);
    WriteFile(path, content);
    return path;
  }

  Merged Read(const std::vector<std::string>& files, int threads = 2, size_t batch_size = 4096,
              const BatchFn& extra = nullptr) {
    MergeOptions options;
    options.read.fraud_types = &types_;
    options.read.batch_size = batch_size;
    options.threads = threads;
    Merged run;
    run.result =
        ReadEventFilesMerged(files, options, quarantine_, [&](std::vector<model::Event>& b) {
          run.batch_sizes.push_back(b.size());
          for (const model::Event& e : b) {
            run.ids.push_back(e.header.id.value());
            run.times_ms.push_back(absl::ToUnixMillis(e.header.time));
          }
          if (extra) extra(b);
        });
    return run;
  }

  model::FraudTypeRegistry types_ = model::FraudTypeRegistry::WithBuiltins();
  Quarantine quarantine_;
  testing::TempDir dir_;
};

// A CSV call file with one row per (id, ms offset from kT0).
std::string Calls(const std::vector<std::pair<std::string, int64_t>>& rows) {
  std::string out = "id,ts,caller,callee,duration_s\n";
  for (const auto& [id, offset] : rows) {
    fz::StrAppend(&out, id, ",", kT0 + offset, ",+85517652903,13895101234,60\n");
  }
  return out;
}

std::string AppsJsonl(const std::vector<std::pair<std::string, int64_t>>& rows) {
  std::string out;
  for (const auto& [id, offset] : rows) {
    fz::StrAppend(&out, R"({"id":")", id, R"(","ts":)", kT0 + offset,
                  R"(,"subscriber":"13895101234","app_id":"com.zoom.meeting","action":"install"})",
                  "\n");
  }
  return out;
}

std::string Transfers(const std::vector<std::pair<std::string, int64_t>>& rows) {
  std::string out = "id,ts,payer_account,payer_phone,payee_account,amount\n";
  for (const auto& [id, offset] : rows) {
    fz::StrAppend(&out, id, ",", kT0 + offset,
                  ",6214171234567890123,13895101234,6222021234567890128,5000\n");
  }
  return out;
}

TEST_F(MergedReaderTest, EventsOfAllFilesComeOutInEventTimeOrder) {
  // As carriers deliver them: one file per type, each in time order, overlapping in time.
  std::string apps = Write("app_20261126.jsonl", AppsJsonl({{"a1", 1500}, {"a2", 4500}}));
  std::string calls = Write("call_20261126.csv", Calls({{"c1", 1000}, {"c2", 2000}, {"c3", 5000}}));
  std::string transfers = Write("transfer_20261126.csv", Transfers({{"t1", 3000}, {"t2", 6000}}));
  Merged run = Read({apps, calls, transfers});
  EXPECT_THAT(run.ids, ::testing::ElementsAre("c1", "a1", "c2", "t1", "a2", "c3", "t2"));
  EXPECT_TRUE(std::is_sorted(run.times_ms.begin(), run.times_ms.end()));
  EXPECT_EQ(run.result.failed_files, 0);
  EXPECT_EQ(run.result.total.events, 7);
  EXPECT_EQ(run.result.total.rows, 7);
  ASSERT_EQ(run.result.files.size(), 3u);
  EXPECT_EQ(run.result.files[0].path, apps);
  EXPECT_EQ(run.result.files[1].stats.events, 3);
  EXPECT_EQ(run.result.files[2].stats.events, 2);
}

TEST_F(MergedReaderTest, EqualTimesGoToTheEarlierFileThenRowOrder) {
  std::string first = Write("call_a.csv", Calls({{"a1", 0}, {"a2", 0}, {"a3", 10}}));
  std::string second = Write("call_b.csv", Calls({{"b1", 0}, {"b2", 10}, {"b3", 10}}));
  EXPECT_THAT(Read({first, second}).ids,
              ::testing::ElementsAre("a1", "a2", "b1", "a3", "b2", "b3"));
  EXPECT_THAT(Read({second, first}).ids,
              ::testing::ElementsAre("b1", "a1", "a2", "b2", "b3", "a3"));
}

TEST_F(MergedReaderTest, RowsOutOfOrderWithinAFileKeepTheirFileOrder) {
  // The merge compares only each file's next row: c2 (late) holds back c3 behind it, and a
  // row that is early (c4) passes when its turn in the file comes.
  std::string calls =
      Write("call_x.csv", Calls({{"c1", 100}, {"c2", 500}, {"c3", 200}, {"c4", 50}}));
  std::string apps = Write("app_x.jsonl", AppsJsonl({{"a1", 300}, {"a2", 600}}));
  EXPECT_THAT(Read({calls, apps}).ids, ::testing::ElementsAre("c1", "a1", "c2", "c3", "c4", "a2"));
}

TEST_F(MergedReaderTest, CompressedEmptyAndFailingFilesAlongsideGoodOnes) {
  std::string gz = Write("call_1.csv.gz", Gzip(Calls({{"g1", 10}, {"g2", 40}})));
  std::string zst = Write("app_1.jsonl.zst", Zstd(AppsJsonl({{"z1", 20}, {"z2", 30}})));
  std::string empty = Write("call_2.csv", "");
  std::string header_only = Write("call_3.csv", "id,ts,caller,callee\n");
  std::string missing = dir_.File("call_4.csv");
  std::string bad_header = Write("call_5.csv", "id,ts,caller\nx1,1795656600000,+85517652903\n");
  // A corrupt stream part-way: the rows before the damage are merged, then the file fails.
  std::string whole = Zstd(Calls({{"p1", 25}, {"p2", 35}}));
  std::string truncated = Write("call_6.csv.zst", whole.substr(0, whole.size() - 3));
  std::vector<std::string> reported;
  MergeOptions options;
  options.read.fraud_types = &types_;
  options.on_file_done = [&](const FileResult& f) {
    if (!f.status.ok()) reported.push_back(f.path);
  };
  std::vector<std::string> ids;
  MergedReadResult result =
      ReadEventFilesMerged({gz, zst, empty, header_only, missing, bad_header, truncated}, options,
                           quarantine_, [&](std::vector<model::Event>& b) {
                             for (const model::Event& e : b) ids.push_back(e.header.id.value());
                           });
  EXPECT_THAT(ids, ::testing::IsSupersetOf({"g1", "z1", "z2", "g2"}));
  std::vector<std::string> good;
  for (const std::string& id : ids) {
    if (id[0] != 'p') good.push_back(id);
  }
  EXPECT_THAT(good, ::testing::ElementsAre("g1", "z1", "z2", "g2"));
  EXPECT_EQ(result.failed_files, 3);
  EXPECT_THAT(reported, ::testing::UnorderedElementsAre(missing, bad_header, truncated));
  EXPECT_TRUE(result.files[2].status.ok());
  EXPECT_EQ(result.files[2].stats.rows, 0);
  EXPECT_TRUE(result.files[3].status.ok());
  EXPECT_TRUE(absl::IsNotFound(result.files[4].status));
  EXPECT_THAT(std::string(result.files[5].status.message()),
              HasSubstr("missing required column 'callee'"));
  EXPECT_THAT(std::string(result.files[6].status.message()), HasSubstr("call_6.csv.zst"));
  // Totals count the files that did not fail, as ReadEventFile gives no stats for the others.
  EXPECT_EQ(result.total.events, 4);
  EXPECT_EQ(quarantine_.total(), 0);
}

TEST_F(MergedReaderTest, BadRowsAreQuarantinedWithTheirFileAndLine) {
  std::string calls = Write("call_q.csv",
                            "id,ts,caller,callee\nc1,1795656600000,+85517652903,"
                            "13895101234\nc2,yesterday,+85517652903,13895101234\n");
  std::string apps = Write("app_q.jsonl", "{not json\n" + AppsJsonl({{"a1", 5}}));
  Merged run = Read({calls, apps});
  EXPECT_THAT(run.ids, ::testing::ElementsAre("c1", "a1"));
  EXPECT_EQ(run.result.total.quarantined, 2);
  EXPECT_EQ(run.result.files[0].stats.quarantined, 1);
  EXPECT_EQ(quarantine_.CountsByReason().at("bad_timestamp"), 1);
  EXPECT_EQ(quarantine_.CountsByReason().at("bad_json"), 1);
}

// Several files, randomly overlapping, partly out of order, many small batches.
class MergedDeterminismTest : public MergedReaderTest {
 protected:
  std::vector<std::string> MakeFiles() {
    std::mt19937_64 rng(7);
    std::vector<std::string> files;
    for (int f = 0; f < 6; ++f) {
      std::vector<std::pair<std::string, int64_t>> rows;
      int64_t t = static_cast<int64_t>(rng() % 1000);
      for (int i = 0; i < 300; ++i) {
        t += static_cast<int64_t>(rng() % 40);
        // Every tenth row is late by up to a second; many timestamps repeat across files.
        int64_t ts = i % 10 == 9 ? t - static_cast<int64_t>(rng() % 1000) : t / 10 * 10;
        rows.emplace_back(fz::StrCat("f", f, "-", i), ts);
      }
      files.push_back(f % 2 == 0
                          ? Write(fz::StrCat("call_", f, ".csv"), Calls(rows))
                          : Write(fz::StrCat("app_", f, ".jsonl.gz"), Gzip(AppsJsonl(rows))));
    }
    return files;
  }
};

TEST_F(MergedDeterminismTest, SameOutputForAnyThreadCount) {
  std::vector<std::string> files = MakeFiles();
  Merged one = Read(files, /*threads=*/1, /*batch_size=*/7);
  ASSERT_EQ(one.ids.size(), 1800u);
  // Pause the consumer now and then so that the parsers run ahead unevenly.
  int calls = 0;
  auto jitter = [&](std::vector<model::Event>&) {
    if (++calls % 13 == 0) std::this_thread::sleep_for(std::chrono::microseconds(300));
  };
  for (int threads : {2, 3, 8}) {
    for (int repeat = 0; repeat < 3; ++repeat) {
      Merged other = Read(files, threads, 7, jitter);
      EXPECT_EQ(other.ids, one.ids) << threads << " threads";
      EXPECT_EQ(other.batch_sizes, one.batch_sizes) << threads << " threads";
    }
  }
  // Sequential reading gives the same multiset; the merge only reorders.
  std::vector<std::string> sequential;
  for (const std::string& f : files) {
    ASSERT_TRUE(
        ReadEventFile(f, MergeOptions().read, quarantine_, [&](std::vector<model::Event>& b) {
          for (const model::Event& e : b) sequential.push_back(e.header.id.value());
        }).ok());
  }
  EXPECT_THAT(one.ids, ::testing::UnorderedElementsAreArray(sequential));
  EXPECT_NE(one.ids, sequential);
  for (size_t size : one.batch_sizes) EXPECT_LE(size, 7u);
}

// Keys that depend on the whole id and the time, so that a key handed on with the wrong event
// shows.
model::EventKeys TestKeysOf(const model::Event& e) {
  uint64_t h = 1469598103934665603ull;
  for (char c : e.header.id.value()) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return {.route = h, .id = static_cast<uint64_t>(absl::ToUnixMillis(e.header.time))};
}

// By reference: the same events, order and batch sizes as by value; every pointer lies in one
// of its batch's owners, and the owners keep the events readable after the merge moved on.
// With ReadOptions::keys_of, each batch carries every event's keys, in event order.
TEST_F(MergedDeterminismTest, ByReferenceIsTheSameStreamKeptAliveByItsOwners) {
  std::vector<std::string> files = MakeFiles();
  Merged by_value = Read(files, /*threads=*/1, /*batch_size=*/7);
  for (int threads : {1, 2, 3}) {
    for (const bool with_keys : {false, true}) {
      MergeOptions options;
      options.read.fraud_types = &types_;
      options.read.batch_size = 7;
      options.threads = threads;
      if (with_keys) options.read.keys_of = &TestKeysOf;
      std::vector<EventRefBatch> kept;
      int calls = 0;
      MergedReadResult result =
          ReadEventFilesMergedRefs(files, options, quarantine_, [&](EventRefBatch& batch) {
            ASSERT_EQ(batch.keys.size(), with_keys ? batch.events.size() : 0u);
            for (size_t i = 0; i < batch.keys.size(); ++i) {
              const model::EventKeys want = TestKeysOf(*batch.events[i]);
              EXPECT_EQ(batch.keys[i].route, want.route) << batch.events[i]->header.id.value();
              EXPECT_EQ(batch.keys[i].id, want.id) << batch.events[i]->header.id.value();
            }
            for (const model::Event* e : batch.events) {
              const bool owned = std::any_of(
                  batch.owners.begin(), batch.owners.end(),
                  [&](const auto& o) { return e >= o->data() && e < o->data() + o->size(); });
              EXPECT_TRUE(owned) << e->header.id.value();
            }
            kept.push_back(std::move(batch));
            if (++calls % 13 == 0) std::this_thread::sleep_for(std::chrono::microseconds(300));
          });
      std::vector<std::string> ids;
      std::vector<size_t> sizes;
      for (const EventRefBatch& batch : kept) {
        sizes.push_back(batch.events.size());
        for (const model::Event* e : batch.events) ids.push_back(e->header.id.value());
      }
      EXPECT_EQ(ids, by_value.ids) << threads << " threads";
      EXPECT_EQ(sizes, by_value.batch_sizes) << threads << " threads";
      EXPECT_EQ(result.total.events, by_value.result.total.events);
    }
  }
}

// A CSV file of mixed types with optional fields present or not, and some bad rows, so that
// a recycled slot's old content would show wherever a new row leaves a field out.
std::string MixedRows(int file, int rows, std::mt19937_64& rng) {
  std::string out =
      "id,type,ts,caller,callee,duration_s,cell_id,text,subscriber,domain,url,app_id\n";
  const std::vector<std::string> types = {"call", "sms", "net", "app"};
  const std::vector<std::string> phones = {"13895101234", "+85517652903", "0951-5012345", "12ab"};
  auto maybe = [&](std::string_view value) { return rng() % 2 == 0 ? std::string(value) : ""; };
  int64_t t = 0;
  for (int i = 0; i < rows; ++i) {
    t += static_cast<int64_t>(rng() % 30);
    const std::string& type = types[rng() % types.size()];
    const bool sms = type == "sms";
    fz::StrAppend(&out, "m", file, "-", i, ",", type, ",", kT0 + t, ",",
                  phones[rng() % phones.size()], ",", phones[rng() % phones.size()], ",",
                  maybe("30"), ",", maybe("460-00-1234-5678"), ",",
                  sms ? "\"a longer message text, with a comma\"" : maybe("hi"), ",",
                  phones[rng() % phones.size()], ",", maybe("www.a-long-example-domain.com"), ",",
                  maybe("http://10.1.2.3/x"), ",", maybe("com.example.app"), "\n");
  }
  return out;
}

// Batches go back to their file once the last owner drops them and are built into again
// (merged_reader.cc BatchPool): events read while their batch is owned are exactly the
// events of a fresh read, whether owners are dropped at once, a few batches later, or only
// after the merge returned.
TEST_F(MergedDeterminismTest, RecycledBatchesGiveTheSameEventsAsFreshOnes) {
  std::mt19937_64 rng(5);
  std::vector<std::string> files = MakeFiles();
  for (int f = 0; f < 3; ++f) {
    files.push_back(Write(fz::StrCat("mixed_", f, ".csv"), MixedRows(f, 700, rng)));
  }
  // The reference: every batch into a fresh vector.
  std::map<std::string, std::string> want;
  for (const std::string& f : files) {
    ReadOptions read;
    read.fraud_types = &types_;
    read.batch_size = 7;
    ASSERT_TRUE(ReadEventFile(f, read, quarantine_, [&](std::vector<model::Event>& b) {
                  for (const model::Event& e : b) {
                    want[e.header.id.value()] = testing::DescribeEvent(e);
                  }
                  std::vector<model::Event>().swap(b);
                }).ok());
  }
  ASSERT_GT(want.size(), 2400u);
  for (int threads : {1, 2, 3}) {
    MergeOptions options;
    options.read.fraud_types = &types_;
    options.read.batch_size = 7;
    options.threads = threads;
    std::vector<EventRefBatch> held;  // dropped a few calls later, or never
    std::vector<std::string> late_ids;
    size_t seen = 0;
    ReadEventFilesMergedRefs(files, options, quarantine_, [&](EventRefBatch& batch) {
      for (const model::Event* e : batch.events) {
        ++seen;
        const auto it = want.find(e->header.id.value());
        ASSERT_NE(it, want.end()) << e->header.id.value();
        ASSERT_EQ(testing::DescribeEvent(*e), it->second);
      }
      const uint64_t choice = rng() % 8;
      if (choice < 3) return;  // dropped now
      held.push_back(std::move(batch));
      if (choice < 6 && held.size() > 4) held.erase(held.begin() + (rng() % held.size()));
    });
    EXPECT_EQ(seen, want.size()) << threads << " threads";
    // Batches held past the merge are still intact.
    for (const EventRefBatch& batch : held) {
      for (const model::Event* e : batch.events) {
        ASSERT_EQ(testing::DescribeEvent(*e), want.at(e->header.id.value()));
      }
    }
  }
}

TEST_F(MergedDeterminismTest, OutputRespectsMergeOrderPerFile) {
  // Within each file the output keeps file order; across files, at every step the emitted
  // event is not later than any other file's next event.
  std::vector<std::string> files = MakeFiles();
  Merged run = Read(files, 2, 5);
  std::map<std::string, int> last_index;
  for (const std::string& id : run.ids) {
    std::string file = id.substr(0, id.find('-'));
    int index = std::stoi(id.substr(id.find('-') + 1));
    auto it = last_index.find(file);
    if (it != last_index.end()) {
      EXPECT_EQ(index, it->second + 1) << id;
    }
    last_index[file] = index;
  }
}

TEST_F(MergedReaderTest, ReadAheadIsBoundedPerFile) {
  std::vector<std::pair<std::string, int64_t>> rows;
  for (int i = 0; i < 400; ++i) rows.emplace_back(fz::StrCat("c", i), i);
  std::string a = Write("call_a.csv", Calls(rows));
  std::string b = Write("call_b.csv", Calls(rows));
  MergeOptions options;
  options.read.fraud_types = &types_;
  options.read.batch_size = 4;
  options.read_ahead_batches = 3;
  options.threads = 2;
  int64_t events = 0;
  // A slow consumer: unbounded readers would parse both files completely meanwhile.
  MergedReadResult result =
      ReadEventFilesMerged({a, b}, options, quarantine_, [&](std::vector<model::Event>& batch) {
        events += static_cast<int64_t>(batch.size());
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      });
  EXPECT_EQ(events, 800);
  EXPECT_GE(result.peak_read_ahead, 1u);
  EXPECT_LE(result.peak_read_ahead, 3u);
}

TEST_F(MergedReaderTest, NoFilesDeliverNothing) {
  Merged run = Read({});
  EXPECT_TRUE(run.ids.empty());
  EXPECT_TRUE(run.result.files.empty());
}

TEST_F(MergedReaderTest, EventFileReaderReadsABatchAtATime) {
  std::string calls = Write("call_r.csv", Calls({{"c1", 0}, {"c2", 1}, {"c3", 2}}));
  ReadOptions options{.fraud_types = &types_, .batch_size = 2};
  StatusOr<std::unique_ptr<EventFileReader>> reader =
      EventFileReader::Open(calls, options, quarantine_);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::vector<model::Event> batch;
  EXPECT_EQ(*(*reader)->Next(&batch), 2u);
  EXPECT_EQ(batch[1].header.id.value(), "c2");
  EXPECT_EQ((*reader)->stats().events, 2);
  EXPECT_EQ(*(*reader)->Next(&batch), 1u);
  EXPECT_EQ(*(*reader)->Next(&batch), 0u);
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ((*reader)->stats().rows, 3);
}

}  // namespace
}  // namespace fz::ingest
