// GroupCommitWriter on its own (a real SQLite file): every caller of a group gets its own
// result back, whichever caller wakes it (the woken callers wake the rest of their group), and
// a failing operation fails alone while its neighbours commit.
#include "fz/store/group_commit.h"

#include <atomic>
#include <filesystem>
#include <thread>

#include "fz/common/str_cat.h"
#include "gtest/gtest.h"

namespace fz::store {
namespace {

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fz-gc-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    auto conn = OpenSqlite(dir_ + "/gc.db");
    ASSERT_TRUE(conn.ok()) << conn.status();
    // The writer reads the audit chain's head at the start of every group.
    ASSERT_TRUE((*conn)
                    ->ExecScript("CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, hash TEXT); "
                                 "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)")
                    .ok());
    writer_ = std::make_unique<GroupCommitWriter>(*std::move(conn), &clock_);
  }
  void TearDown() override {
    writer_.reset();
    std::filesystem::remove_all(dir_);
  }

  SimulatedClock clock_{absl::FromUnixSeconds(1'780'000'000)};
  std::string dir_;
  std::unique_ptr<GroupCommitWriter> writer_;
};

TEST_F(GroupCommitTest, EveryCallerGetsItsOwnResultAndFailuresStayAlone) {
  // 37 callers (not a power of two: the wake tree has a partial last level), 40 rounds each;
  // a key divisible by 7 is inserted twice, so its second insert fails on the primary key.
  constexpr int kCallers = 37, kRounds = 40;
  std::atomic<int> wrong{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      for (int r = 0; r < kRounds; ++r) {
        const int64_t key = int64_t{c} * kRounds + r;
        const bool twice = key % 7 == 0;
        Status status = writer_->Run([&](TxContext& tx) -> Status {
          for (int n = 0; n < (twice ? 2 : 1); ++n) {
            FZ_RETURN_IF_ERROR(
                tx.conn()
                    .Exec("INSERT INTO t (k, v) VALUES ($1, $2)", {key, StrCat("caller ", c)})
                    .status());
          }
          return absl::OkStatus();
        });
        if (status.ok() == twice) {
          ADD_FAILURE() << "key " << key << ": " << status;
          ++wrong;
        }
        if (twice && !absl::IsAlreadyExists(status)) ++wrong;
      }
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(wrong.load(), 0);
  // Exactly the keys whose operation succeeded are in, each with its own caller's value.
  Status check = writer_->RunExclusive([&](SqlConn& conn) -> Status {
    FZ_ASSIGN_OR_RETURN(SqlRows rows, conn.Query("SELECT k, v FROM t ORDER BY k", {}));
    int64_t expected = 0;
    for (const SqlRow& row : rows) {
      while (expected % 7 == 0) ++expected;
      EXPECT_EQ(row.Int(0), expected);
      EXPECT_EQ(row.Str(1), StrCat("caller ", expected / kRounds));
      ++expected;
    }
    int64_t total = int64_t{kCallers} * kRounds;
    EXPECT_EQ(static_cast<int64_t>(rows.size()), total - (total + 6) / 7);
    return absl::OkStatus();
  });
  EXPECT_TRUE(check.ok()) << check;
}

}  // namespace
}  // namespace fz::store
