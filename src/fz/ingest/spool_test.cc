#include "fz/ingest/spool.h"

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/ingest/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::ingest {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::WriteFile;

std::string CallFile(std::initializer_list<const char*> ids) {
  std::string body = "id,ts,caller,callee\n";
  for (const char* id : ids) fz::StrAppend(&body, id, ",1795656600000,+85517652903,13895101234\n");
  return body;
}

class SpoolTest : public ::testing::Test {
 protected:
  std::unique_ptr<SpoolDirectory> OpenSpool(SpoolOptions options = {}) {
    StatusOr<std::unique_ptr<SpoolDirectory>> spool =
        SpoolDirectory::Open(dir_.path(), std::move(options), &quarantine_);
    EXPECT_TRUE(spool.ok()) << spool.status();
    return spool.ok() ? *std::move(spool) : nullptr;
  }
  StatusOr<SpoolStats> Poll(SpoolDirectory& spool) {
    return spool.PollOnce([&](std::vector<model::Event>& batch) {
      for (const auto& e : batch) ids_.push_back(e.header.id.value());
    });
  }
  std::vector<std::string> List(const std::string& sub) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_.File(sub))) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  testing::TempDir dir_;
  Quarantine quarantine_;
  std::vector<std::string> ids_;
};

TEST_F(SpoolTest, ReadsFilesOnceInNameOrderAndIgnoresPartialOnes) {
  auto spool = OpenSpool();
  WriteFile(dir_.File("call_0902.csv"), CallFile({"b1"}));
  WriteFile(dir_.File("call_0901.csv"), CallFile({"a1", "a2"}));
  WriteFile(dir_.File("call_0903.csv.tmp"), CallFile({"t1"}));
  WriteFile(dir_.File("call_0904.csv.part"), CallFile({"p1"}));
  WriteFile(dir_.File(".call_0905.csv"), CallFile({"h1"}));
  StatusOr<SpoolStats> stats = Poll(*spool);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->done_files, 2);
  EXPECT_EQ(stats->rows.events, 3);
  EXPECT_THAT(ids_, ElementsAre("a1", "a2", "b1"));
  EXPECT_THAT(List("done"), ElementsAre("call_0901.csv", "call_0902.csv"));

  // Nothing new: nothing is read again.
  stats = Poll(*spool);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->done_files, 0);
  EXPECT_EQ(ids_.size(), 3u);

  // The carrier renames the finished file into place.
  fs::rename(dir_.File("call_0903.csv.tmp"), dir_.File("call_0903.csv"));
  stats = Poll(*spool);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->done_files, 1);
  EXPECT_THAT(ids_, ElementsAre("a1", "a2", "b1", "t1"));
}

TEST_F(SpoolTest, RestartAfterCrashRereadsOnlyTheInterruptedFile) {
  {
    auto spool = OpenSpool();
    WriteFile(dir_.File("call_1.csv"), CallFile({"a1"}));
    ASSERT_TRUE(Poll(*spool).ok());
  }
  // Simulate a crash while call_2.csv was being read: the journal says started, the file is
  // still in DIR. call_3.csv arrived meanwhile.
  WriteFile(dir_.File("call_2.csv"), CallFile({"b1", "b2"}));
  WriteFile(dir_.File("call_3.csv"), CallFile({"c1"}));
  std::string journal = ReadFile(dir_.File(".spool-journal"));
  WriteFile(dir_.File(".spool-journal"), journal + "started call_2.csv\nfinis");  // torn line
  ids_.clear();
  auto spool = OpenSpool();
  StatusOr<SpoolStats> stats = Poll(*spool);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->redelivered_files, 1);
  EXPECT_EQ(stats->done_files, 2);
  EXPECT_THAT(ids_, ElementsAre("b1", "b2", "c1"));  // a1 is not read again
  EXPECT_THAT(List("done"), ElementsAre("call_1.csv", "call_2.csv", "call_3.csv"));
  // The journal was compacted and records the finished files.
  EXPECT_EQ(ReadFile(dir_.File(".spool-journal")),
            "started call_2.csv\nstarted call_2.csv\nfinished call_2.csv\nstarted call_3.csv\n"
            "finished call_3.csv\n");
  // A second restart finds nothing interrupted.
  spool.reset();
  spool = OpenSpool();
  stats = Poll(*spool);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->redelivered_files, 0);
  EXPECT_EQ(ReadFile(dir_.File(".spool-journal")), "");
}

TEST_F(SpoolTest, UnreadableFilesGoToQuarantineWithReason) {
  auto spool = OpenSpool();
  WriteFile(dir_.File("call_1.csv.gz"), "not gzip");
  WriteFile(dir_.File("call_2.csv"), "id,ts,caller\n");  // missing callee column
  WriteFile(dir_.File("notes.txt"), "hello");
  WriteFile(dir_.File("call_3.csv"), CallFile({"c1"}) + "c2,bad-ts,1,2\n");
  StatusOr<SpoolStats> stats = Poll(*spool);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->quarantined_files, 3);
  EXPECT_EQ(stats->done_files, 1);
  EXPECT_EQ(stats->rows.quarantined, 1);  // the bad row of call_3.csv
  EXPECT_EQ(quarantine_.total(), 1);
  EXPECT_THAT(List("quarantine"),
              ElementsAre("call_1.csv.gz", "call_1.csv.gz.reason", "call_2.csv",
                          "call_2.csv.reason", "notes.txt", "notes.txt.reason"));
  EXPECT_THAT(ReadFile(dir_.File("quarantine/call_1.csv.gz.reason")), HasSubstr("corrupt gzip"));
  EXPECT_THAT(ReadFile(dir_.File("quarantine/call_2.csv.reason")),
              HasSubstr("missing required column 'callee'"));
  EXPECT_THAT(ReadFile(dir_.File("quarantine/notes.txt.reason")),
              HasSubstr("not an event file name"));
  EXPECT_TRUE(spool->ReadyFiles()->empty());
}

TEST_F(SpoolTest, FailedCommitHookLeavesTheFileForTheNextPoll) {
  bool fail = true;
  SpoolOptions options;
  options.before_commit = [&](const std::string& name, const FileStats& stats) {
    EXPECT_EQ(name, "call_1.csv");
    EXPECT_EQ(stats.events, 1);
    return fail ? absl::UnavailableError("checkpoint failed") : absl::OkStatus();
  };
  auto spool = OpenSpool(std::move(options));
  WriteFile(dir_.File("call_1.csv"), CallFile({"a1"}));
  EXPECT_FALSE(Poll(*spool).ok());
  EXPECT_THAT(*spool->ReadyFiles(), ElementsAre("call_1.csv"));
  fail = false;
  ASSERT_TRUE(Poll(*spool).ok());
  EXPECT_THAT(ids_, ElementsAre("a1", "a1"));  // delivered again: downstream dedups by id
  EXPECT_THAT(List("done"), ElementsAre("call_1.csv"));
}

TEST_F(SpoolTest, ResentNameIsKeptBesideTheFirst) {
  auto spool = OpenSpool();
  WriteFile(dir_.File("call_1.csv"), CallFile({"a1"}));
  ASSERT_TRUE(Poll(*spool).ok());
  WriteFile(dir_.File("call_1.csv"), CallFile({"a2"}));
  ASSERT_TRUE(Poll(*spool).ok());
  EXPECT_THAT(ids_, ElementsAre("a1", "a2"));
  EXPECT_THAT(List("done"), ElementsAre("call_1.csv", "call_1.csv.1"));
}

TEST_F(SpoolTest, RunPollsUntilStopped) {
  auto spool = OpenSpool();
  std::atomic<int> events{0};
  StatusOr<SpoolStats> result;
  std::stop_source stop;
  std::thread runner([&] {
    result = spool->Run(stop.get_token(), absl::Milliseconds(5),
                        [&](std::vector<model::Event>& batch) { events += batch.size(); });
  });
  WriteFile(dir_.File("call_1.csv.tmp"), CallFile({"a1", "a2"}));
  fs::rename(dir_.File("call_1.csv.tmp"), dir_.File("call_1.csv"));
  for (int i = 0; i < 2000 && events.load() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop.request_stop();
  runner.join();
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->done_files, 1);
  EXPECT_EQ(events.load(), 2);
}

TEST(SpoolOpenTest, MissingDirectoryIsAnError) {
  Quarantine q;
  EXPECT_TRUE(absl::IsNotFound(SpoolDirectory::Open("/nonexistent/spool", {}, &q).status()));
}

}  // namespace
}  // namespace fz::ingest
