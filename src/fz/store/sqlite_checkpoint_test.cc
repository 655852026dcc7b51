// The writer's WAL is copied back into the database file by the background checkpointer
// (OpenSqliteWriter), without the writer copying it inline.
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "fz/store/sql_conn.h"
#include "gtest/gtest.h"

namespace fz::store {
namespace {

TEST(SqliteCheckpointTest, TheBackgroundCopiesTheWalIntoTheDatabase) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "fz-ckpt-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  const std::string path = tmpl + "/test.db";
  {
    StatusOr<std::unique_ptr<SqlConn>> writer = OpenSqliteWriter(path);
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)->ExecScript("CREATE TABLE t (i INTEGER PRIMARY KEY, payload BLOB)").ok());
    // ~1,500 pages in small commits: past the background's threshold (1,000 frames) and far
    // below the WAL size at which the writer would copy everything itself (16,000).
    for (int tx = 0; tx < 100; ++tx) {
      ASSERT_TRUE((*writer)
                      ->ExecScript("WITH RECURSIVE s(v) AS (SELECT " + std::to_string(tx * 20) +
                                   " UNION ALL SELECT v + 1 FROM s WHERE v < " +
                                   std::to_string(tx * 20 + 19) +
                                   ") INSERT INTO t (i, payload) SELECT v, randomblob(3000) FROM s")
                      .ok());
    }
    // Until a checkpoint the database file holds only the first pages; the background's pass
    // runs on its own thread, so wait for it (bounded).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::filesystem::file_size(path) < 1'000 * 4096 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_GE(std::filesystem::file_size(path), 1'000u * 4096)
        << "the WAL was not checkpointed in the background";
  }
  std::filesystem::remove_all(tmpl);
}

}  // namespace
}  // namespace fz::store
