// `fanzha ingest`, `warnings`, `kpi`, `db` and `audit` on a SQLite file, as a user runs them.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "gtest/gtest.h"
#include "tests/cli/run_command.h"

namespace fz::testing {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("FZ_SOURCE_DIR");
  return dir == nullptr ? "." : dir;
}

class StoreCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fz-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = "sqlite:" + dir_ + "/fanzha.db";
    std::ofstream(dir_ + "/intel.csv")
        << "kind,value,fraud_type,source,confidence,expires_at\n"
        << "phone,+85517652903,impersonate_authority,national,0.9,\n";
    std::ofstream(dir_ + "/events.jsonl")
        << R"({"id":"c1","type":"call","ts":"2026-11-26T09:30:00+08:00","caller":"+85517652903","callee":"09515012345","duration_s":1000})"
        << "\n"
        << R"({"id":"c2","type":"call","ts":"2026-11-26T09:40:00+08:00","caller":"+85517652903","callee":"13812345678","duration_s":1000})"
        << "\n";
    std::ofstream(dir_ + "/wf.toml") << "[routing.phone_prefix_units]\n\"+869515\" = \"640104\"\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  CommandResult Ingest() {
    return RunFanzha({"ingest", "--db", db_, "--workflow-config", dir_ + "/wf.toml", "--rules",
                      SourceDir() + "/rules/default.toml", "--intel", dir_ + "/intel.csv",
                      dir_ + "/events.jsonl"});
  }

  std::string dir_;
  std::string db_;
};

TEST_F(StoreCliTest, IngestRoutesAndIsIdempotent) {
  CommandResult r = Ingest();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("stored 2 new"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("out_of_area=1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unit=1"), std::string::npos) << r.out;
  r = Ingest();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("stored 0 new, 0 updated, 2 unchanged"), std::string::npos) << r.out;
}

TEST_F(StoreCliTest, ListIsMaskedByDefault) {
  ASSERT_EQ(Ingest().exit_code, 0);
  CommandResult r = RunFanzha({"warnings", "list", "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("+86951***2345"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("+869515012345"), std::string::npos) << r.out;
  r = RunFanzha({"warnings", "list", "--db", db_, "--role", "officer", "--actor-unit", "640104"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("+869515012345"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("+8613812345678"), std::string::npos) << "outside the officer's unit";
}

TEST_F(StoreCliTest, KpiDbCheckAndAuditVerify) {
  ASSERT_EQ(Ingest().exit_code, 0);
  CommandResult r = RunFanzha(
      {"kpi", "--db", db_, "--unit", "640100", "--from", "2026-11-01", "--to", "2026-12-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("warnings handled: 2"), std::string::npos) << r.out;
  r = RunFanzha({"db", "check", "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Up to date, whatever the latest version is (branches add migrations independently).
  std::smatch schema;
  ASSERT_TRUE(
      std::regex_search(r.out, schema, std::regex(R"(schema version (\d+) \(latest (\d+)\))")))
      << r.out;
  EXPECT_EQ(schema[1], schema[2]) << r.out;
  EXPECT_GE(std::stoi(schema[1]), 4) << r.out;
  r = RunFanzha({"audit", "verify", "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("audit log OK"), std::string::npos) << r.out;
}

TEST_F(StoreCliTest, TamperingWithTheAuditLogIsDetected) {
  ASSERT_EQ(Ingest().exit_code, 0);
  std::string file = dir_ + "/fanzha.db";
  // The append-only trigger refuses the edit...
  std::string edit = "sqlite3 " + file + " \"UPDATE audit_log SET actor = 'x' WHERE seq = 1\"";
  EXPECT_NE(std::system((edit + " 2>/dev/null").c_str()), 0);
  // ...and someone who drops it first is caught by the hash chain.
  std::string bypass = "sqlite3 " + file +
                       " \"DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'x' "
                       "WHERE seq = 1\"";
  ASSERT_EQ(std::system(bypass.c_str()), 0);
  CommandResult r = RunFanzha({"audit", "verify", "--db", db_});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("seq 1: hash mismatch"), std::string::npos) << r.out;
}

TEST_F(StoreCliTest, BadDatabaseUrlAndUnmigratedDatabase) {
  CommandResult r = RunFanzha({"db", "check", "--db", "mysql://x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown database URL"), std::string::npos) << r.err;
  r = RunFanzha({"warnings", "list", "--db", db_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("fanzha db migrate"), std::string::npos) << r.err;
  r = RunFanzha({"db", "migrate", "--db", db_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace fz::testing
