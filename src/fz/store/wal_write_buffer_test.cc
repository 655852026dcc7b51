// The WAL-gathering VFS keeps the WAL file exactly as SQLite would have written it at every
// point anyone can look: other connections see each commit at once, a killed process keeps
// every commit that returned, and spilled, rolled back, rewritten and checkpointed frames
// leave a database that passes integrity_check with the right rows.
#include "fz/store/wal_write_buffer.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "gtest/gtest.h"

namespace fz::store {
namespace {

class WalGatheringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fz-walbuf-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/test.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The writer goes through the gathering VFS, readers through the default one.
  sqlite3* Open(bool gathering) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                              gathering ? WalGatheringVfs() : nullptr),
              SQLITE_OK);
    sqlite3_busy_timeout(db, 10'000);
    Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL");
    return db;
  }

  static void Exec(sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (err != nullptr ? err : "");
    sqlite3_free(err);
  }

  static int64_t Int(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW) << sql;
    int64_t v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
  }

  static std::string Text(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW) << sql;
    std::string v = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return v;
  }

  // Rows i in [first, first + n) with a payload that spreads them over many pages.
  static void InsertRows(sqlite3* db, int first, int n) { Exec(db, InsertSql(first, n)); }
  static std::string InsertSql(int first, int n) {
    return "WITH RECURSIVE s(v) AS (SELECT " + std::to_string(first) +
           " UNION ALL SELECT v + 1 FROM s WHERE v < " + std::to_string(first + n - 1) +
           ") INSERT INTO t (i, payload) SELECT v, randomblob(700) FROM s";
  }

  std::string dir_;
  std::string path_;
};

TEST_F(WalGatheringTest, OtherConnectionsSeeEveryCommitAtOnce) {
  sqlite3* writer = Open(true);
  sqlite3* reader = Open(false);
  Exec(writer, "CREATE TABLE t (i INTEGER PRIMARY KEY, payload BLOB)");
  WalGatheringStats before = GetWalGatheringStats();
  for (int tx = 0; tx < 200; ++tx) {
    Exec(writer, "BEGIN");
    InsertRows(writer, tx * 20, 20);
    Exec(writer, "COMMIT");
    ASSERT_EQ(Int(reader, "SELECT count(*) FROM t"), (tx + 1) * 20) << "after commit " << tx;
  }
  WalGatheringStats after = GetWalGatheringStats();
  const int64_t frames = after.frames_in - before.frames_in;
  const int64_t writes = after.writes_out - before.writes_out;
  // Each commit's frames (a header and a page each) reach the file in one write.
  EXPECT_GT(frames, 200 * 4);
  EXPECT_GT(writes, 0);
  EXPECT_LE(writes, 200 + 20);
  EXPECT_EQ(Text(reader, "PRAGMA integrity_check"), "ok");
  sqlite3_close(reader);
  sqlite3_close(writer);
}

TEST_F(WalGatheringTest, ACommitThatReturnedSurvivesAKill) {
  {
    sqlite3* setup = Open(false);
    Exec(setup, "CREATE TABLE t (i INTEGER PRIMARY KEY, payload BLOB)");
    sqlite3_close(setup);
  }
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Commits forever, telling the parent each commit that returned.
    close(fds[0]);
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE, WalGatheringVfs()) !=
        SQLITE_OK) {
      _exit(2);
    }
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", nullptr, nullptr,
                 nullptr);
    for (int tx = 0;; ++tx) {
      std::string sql = "BEGIN; " + InsertSql(tx * 10, 10) + "; COMMIT";
      if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) _exit(3);
      if (write(fds[1], &tx, sizeof tx) != sizeof tx) _exit(4);
    }
  }
  close(fds[1]);
  int last = -1;
  for (int tx; last < 300 && read(fds[0], &tx, sizeof tx) == sizeof tx;) last = tx;
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  waitpid(child, &status, 0);
  // Commits the child finished after our last read may also be there; none may be missing.
  for (int tx; read(fds[0], &tx, sizeof tx) == sizeof tx;) last = tx;
  close(fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child stopped by itself: " << status;
  ASSERT_GE(last, 300);
  sqlite3* db = Open(false);
  EXPECT_EQ(Text(db, "PRAGMA integrity_check"), "ok");
  const int64_t rows = Int(db, "SELECT count(*) FROM t");
  EXPECT_GE(rows, (last + 1) * 10);
  EXPECT_EQ(rows % 10, 0) << "a transaction is there in part";
  EXPECT_EQ(Int(db, "SELECT max(i) FROM t"), rows - 1);
  sqlite3_close(db);
}

TEST_F(WalGatheringTest, SpillsRollbacksAndCheckpointsKeepTheDatabaseRight) {
  sqlite3* writer = Open(true);
  sqlite3* reader = Open(false);
  // A tiny page cache makes big transactions spill frames into the WAL before their commit
  // (and rewrite them when a spilled page changes again).
  Exec(writer, "PRAGMA cache_size=20; CREATE TABLE t (i INTEGER PRIMARY KEY, payload BLOB)");
  int expected = 0;
  for (int round = 0; round < 6; ++round) {
    Exec(writer, "BEGIN");
    InsertRows(writer, 1'000'000 + round * 3000, 3000);  // ~2 MB: spills, and flushes the buffer
    Exec(writer, "UPDATE t SET payload = randomblob(600) WHERE i % 7 = 0");
    Exec(writer, "ROLLBACK");
    Exec(writer, "BEGIN");
    InsertRows(writer, expected, 2500);
    Exec(writer, "UPDATE t SET payload = zeroblob(650) WHERE i % 5 = 0");
    Exec(writer, "COMMIT");
    expected += 2500;
    // Small commits between the checkpoints, as the store makes them.
    for (int small = 0; small < 10; ++small) {
      Exec(writer, "BEGIN");
      InsertRows(writer, expected, 3);
      Exec(writer, "COMMIT");
      expected += 3;
    }
    const int mode = round % 3 == 0   ? SQLITE_CHECKPOINT_PASSIVE
                     : round % 3 == 1 ? SQLITE_CHECKPOINT_RESTART
                                      : SQLITE_CHECKPOINT_TRUNCATE;
    ASSERT_EQ(sqlite3_wal_checkpoint_v2(reader, nullptr, mode, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(Int(reader, "SELECT count(*) FROM t"), expected) << "round " << round;
  }
  EXPECT_EQ(Int(reader, "SELECT count(*) FROM t WHERE i >= 1000000"), 0);
  EXPECT_EQ(Int(reader,
                "SELECT count(*) FROM t WHERE i % 5 = 0 AND payload <> zeroblob(650) "
                "AND i < (SELECT max(i) FROM t) - 200"),
            0);
  EXPECT_EQ(Text(reader, "PRAGMA integrity_check"), "ok");
  sqlite3_close(reader);
  sqlite3_close(writer);
  // And from the files alone, as the next process would open them.
  sqlite3* fresh = Open(false);
  EXPECT_EQ(Int(fresh, "SELECT count(*) FROM t"), expected);
  EXPECT_EQ(Text(fresh, "PRAGMA integrity_check"), "ok");
  sqlite3_close(fresh);
}

}  // namespace
}  // namespace fz::store
