// `fanzha users ...` on a SQLite file, as an operator runs them.
#include <filesystem>
#include <regex>

#include "gtest/gtest.h"
#include "tests/cli/run_command.h"

namespace fz::testing {
namespace {

class UsersCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fz-users-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = "sqlite:" + dir_ + "/fanzha.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  CommandResult Users(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), "users");
    args.insert(args.begin() + 2, {"--db", db_});
    return RunFanzha(args, stdin_text);
  }
  // The one-time secret printed after "): ".
  static std::string Secret(const std::string& out) {
    std::smatch m;
    if (!std::regex_search(out, m, std::regex(R"(\): (\S+)\n)"))) return "";
    return m[1];
  }

  std::string dir_;
  std::string db_;
};

TEST_F(UsersCliTest, CreateAdminOnceOnAFreshDatabase) {
  CommandResult r = Users({"create-admin"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("created administrator 'admin' (unit 640100)"), std::string::npos) << r.out;
  EXPECT_EQ(Secret(r.out).size(), 16u) << r.out;
  r = Users({"create-admin", "--name", "root"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("an administrator already exists ('admin')"), std::string::npos) << r.err;
  r = Users({"list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("admin\t系统管理员\tadmin\t640100\tactive\t0\t"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("1 users"), std::string::npos) << r.out;
}

TEST_F(UsersCliTest, AddListKeysAndStatusChanges) {
  ASSERT_EQ(Users({"create-admin"}).exit_code, 0);
  CommandResult r = Users({"add", "--name", "wang.wei", "--role", "officer", "--unit", "640104001",
                           "--display-name", "王伟"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("created user 'wang.wei' (officer, unit 640104001)"), std::string::npos);
  EXPECT_EQ(Secret(r.out).size(), 16u) << r.out;

  r = Users({"add", "--name", "li", "--role", "analyst", "--unit", "640100", "--password-stdin"},
            "a long enough secret\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("password for"), std::string::npos) << "chosen passwords are not echoed";
  r = Users({"add", "--name", "zhao", "--role", "analyst", "--unit", "640100", "--password-stdin"},
            "short\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("at least 10 characters"), std::string::npos) << r.err;
  r = Users({"add", "--name", "x", "--role", "officer", "--unit", "999999"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unit 999999 is not in the unit tree"), std::string::npos) << r.err;
  r = Users({"add", "--name", "x", "--role", "boss", "--unit", "640100"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--role: 'boss'"), std::string::npos) << r.err;
  r = Users({"add", "--name", "wang.wei", "--role", "officer", "--unit", "640104001"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;

  r = Users({"add", "--name", "cmcc", "--role", "feed", "--unit", "640100", "--machine"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("password for"), std::string::npos) << r.out;
  r = Users({"api-key", "--name", "cmcc", "--label", "carrier CDR feed"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Secret(r.out).size(), 43u) << r.out;
  r = Users({"api-key", "--name", "wang.wei", "--label", "laptop"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a machine account"), std::string::npos) << r.err;

  ASSERT_EQ(Users({"disable", "--name", "wang.wei"}).exit_code, 0);
  ASSERT_EQ(Users({"unlock", "--name", "li"}).exit_code, 0);
  r = Users({"enable", "--name", "nobody"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no user 'nobody'"), std::string::npos) << r.err;

  r = Users({"list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("cmcc\tcmcc\tfeed\t640100\tactive,machine\t0\t"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("li\tli\tanalyst\t640100\tactive\t0\t"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("wang.wei\t王伟\tofficer\t640104001\tdisabled\t0\t"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("4 users"), std::string::npos) << r.out;
  ASSERT_EQ(Users({"enable", "--name", "wang.wei"}).exit_code, 0);
  r = Users({"list"});
  EXPECT_NE(r.out.find("wang.wei\t王伟\tofficer\t640104001\tactive\t0\t"), std::string::npos)
      << r.out;
}

TEST_F(UsersCliTest, CommandsOtherThanCreateAdminNeedAMigratedDatabase) {
  CommandResult r = Users({"list"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("fanzha db migrate"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace fz::testing
