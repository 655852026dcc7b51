// Accounts on SQLite and on a private PostgreSQL 15: users, logins, lockout, sessions, API keys.
#include "fz/auth/accounts.h"

#include <filesystem>
#include <thread>

#include "fz/store/migrations.h"
#include "fz/store/sql_conn.h"
#include "fz/store/testing/store_fixture.h"
#include "fz/units/yinchuan_seed.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::auth {
namespace {

using store::testing::Backend;
using ::testing::HasSubstr;
using workflow::Role;

constexpr char kPassword[] = "correct horse battery";

class AccountsTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fz-auth-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    StatusOr<units::UnitTree> tree = units::YinchuanSeed();
    ASSERT_TRUE(tree.ok()) << tree.status();
    tree_ = std::move(*tree);
    StatusOr<std::string> url = store::testing::FreshDatabaseUrl(GetParam(), dir_);
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
    StatusOr<std::unique_ptr<store::SqlConn>> conn = store::OpenSqlUrl(url_);
    ASSERT_TRUE(conn.ok()) << conn.status();
    db_ = std::move(*conn);
    Status migrated = store::ApplyMigrations(*db_, 0);
    ASSERT_TRUE(migrated.ok()) << migrated;
    // The cheapest argon2id settings: the algorithm is the same, only its cost is lower.
    options_.pwhash_opslimit = 1;
    options_.pwhash_memlimit = 8192;
    options_.units = &tree_;
    Reopen();
  }
  void TearDown() override {
    accounts_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void Reopen() {
    accounts_.reset();
    StatusOr<std::unique_ptr<Accounts>> accounts = Accounts::Open(url_, options_, &clock_);
    ASSERT_TRUE(accounts.ok()) << accounts.status();
    accounts_ = std::move(*accounts);
  }
  User AddOfficer(const std::string& name, const std::string& unit = "640104001") {
    StatusOr<User> u = accounts_->CreateUser({.name = name,
                                              .display_name = "王伟",
                                              .role = Role::kOfficer,
                                              .unit = model::UnitCode(unit),
                                              .password = kPassword});
    EXPECT_TRUE(u.ok()) << u.status();
    return u.value_or(User{});
  }
  User AddFeed(const std::string& name) {
    StatusOr<User> u = accounts_->CreateUser({.name = name,
                                              .display_name = "中国移动话单",
                                              .role = Role::kFeed,
                                              .unit = model::UnitCode("640100"),
                                              .machine = true});
    EXPECT_TRUE(u.ok()) << u.status();
    return u.value_or(User{});
  }
  int64_t Count(const std::string& sql) {
    StatusOr<store::SqlRows> rows = db_->Query(sql, {});
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  SimulatedClock clock_{absl::FromUnixSeconds(1'780'000'000)};
  AuthOptions options_;
  units::UnitTree tree_;
  std::string dir_;
  std::string url_;
  std::unique_ptr<store::SqlConn> db_;  // the test's own look at the tables
  std::unique_ptr<Accounts> accounts_;
};

TEST_P(AccountsTest, CreateGetListAndDuplicateName) {
  User wang = AddOfficer("wang.wei");
  EXPECT_GT(wang.id, 0);
  EXPECT_EQ(wang.display_name, "王伟");
  EXPECT_EQ(wang.role, Role::kOfficer);
  EXPECT_EQ(wang.unit.value(), "640104001");
  EXPECT_EQ(wang.created_at, clock_.Now());
  AddFeed("cmcc");
  StatusOr<User> got = accounts_->GetUser("wang.wei");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->id, wang.id);
  EXPECT_FALSE(got->machine);
  StatusOr<std::vector<User>> all = accounts_->ListUsers();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "cmcc");
  EXPECT_TRUE((*all)[0].machine);
  EXPECT_EQ((*all)[1].name, "wang.wei");

  StatusOr<User> dup = accounts_->CreateUser({.name = "wang.wei",
                                              .role = Role::kAnalyst,
                                              .unit = model::UnitCode("640100"),
                                              .password = "another long one"});
  EXPECT_EQ(dup.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(dup.status().message()), HasSubstr("wang.wei"));
  EXPECT_EQ(accounts_->GetUser("li").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(AccountsTest, BadNewUsersAreRefusedNamingTheField) {
  auto create = [&](NewUser u) { return accounts_->CreateUser(u).status(); };
  NewUser ok{.name = "li",
             .role = Role::kOfficer,
             .unit = model::UnitCode("640104001"),
             .password = kPassword};
  NewUser u = ok;
  u.name = "li wei";
  EXPECT_THAT(std::string(create(u).message()), HasSubstr("user name 'li wei'"));
  u = ok;
  u.role = Role::kSystem;
  EXPECT_THAT(std::string(create(u).message()), HasSubstr("role 'system'"));
  u = ok;
  u.unit = model::UnitCode("640199");
  EXPECT_THAT(std::string(create(u).message()), HasSubstr("unit 640199 is not in the unit tree"));
  u = ok;
  u.role = Role::kFeed;
  EXPECT_THAT(std::string(create(u).message()), HasSubstr("machine"));
  u = ok;
  u.machine = true;
  u.role = Role::kFeed;
  EXPECT_THAT(std::string(create(u).message()), HasSubstr("no password"));
  EXPECT_EQ(Count("SELECT count(*) FROM users"), 0);
}

TEST_P(AccountsTest, PasswordPolicy) {
  NewUser u{.name = "zhang", .role = Role::kOfficer, .unit = model::UnitCode("640104001")};
  u.password = "short";
  Status s = accounts_->CreateUser(u).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("at least 10 characters"));
  u.password = "ZHANG12345678";
  EXPECT_THAT(std::string(accounts_->CreateUser(u).status().message()),
              HasSubstr("must not contain the user name"));
  u.password = std::string(300, 'x');
  EXPECT_THAT(std::string(accounts_->CreateUser(u).status().message()), HasSubstr("at most"));
  u.password = kPassword;
  ASSERT_TRUE(accounts_->CreateUser(u).ok());
  EXPECT_EQ(accounts_->SetPassword("zhang", "zhang").code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(AccountsTest, LoginAuthenticateAndSameErrorForUnknownAndWrong) {
  User wang = AddOfficer("wang.wei");
  StatusOr<LoginResult> login = accounts_->Login("wang.wei", kPassword, "10.1.2.3");
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_EQ(login->expires_at, clock_.Now() + absl::Hours(12));
  EXPECT_EQ(login->principal.user_id, wang.id);
  StatusOr<Principal> who = accounts_->Authenticate(login->token);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->user, "wang.wei");
  EXPECT_EQ(who->role, Role::kOfficer);
  EXPECT_EQ(who->unit.value(), "640104001");
  EXPECT_EQ(who->actor().user, "wang.wei");

  Status wrong = accounts_->Login("wang.wei", "not the password", "").status();
  Status unknown = accounts_->Login("nobody", kPassword, "").status();
  EXPECT_EQ(wrong.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong, unknown);  // same code and message: names cannot be probed
  EXPECT_EQ(std::string(wrong.message()), std::string(kAuthenticationFailed));
  EXPECT_EQ(accounts_->Authenticate("bogus").status(), wrong);
  EXPECT_EQ(accounts_->Authenticate("").status(), wrong);
}

TEST_P(AccountsTest, TokensAreStoredOnlyAsHashes) {
  AddOfficer("wang.wei");
  AddFeed("cmcc");
  StatusOr<LoginResult> login = accounts_->Login("wang.wei", kPassword, "10.1.2.3");
  ASSERT_TRUE(login.ok());
  StatusOr<std::string> key = accounts_->CreateApiKey("cmcc", "carrier CDR feed");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(login->token.size(), 43u);  // 32 bytes, base64url
  EXPECT_NE(login->token, *key);
  StatusOr<store::SqlRows> rows = db_->Query("SELECT token_sha256, remote_ip FROM sessions", {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  std::string stored = (*rows)[0].Str(0);
  EXPECT_EQ(stored.size(), 64u);
  EXPECT_EQ(stored.find(login->token), std::string::npos);
  EXPECT_EQ((*rows)[0].Str(1), "10.1.2.3");
  rows = db_->Query("SELECT key_sha256 FROM api_keys", {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Str(0).size(), 64u);
  EXPECT_NE((*rows)[0].Str(0), *key);
  rows = db_->Query("SELECT password_hash FROM users WHERE name = 'wang.wei'", {});
  ASSERT_TRUE(rows.ok());
  EXPECT_THAT((*rows)[0].Str(0), ::testing::StartsWith("$argon2id$"));
  EXPECT_EQ((*rows)[0].Str(0).find(kPassword), std::string::npos);
}

TEST_P(AccountsTest, LockoutAfterRepeatedFailuresAndItsExpiry) {
  AddOfficer("wang.wei");
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(accounts_->Login("wang.wei", "wrong password", "").status().code(),
              absl::StatusCode::kUnauthenticated);
  }
  EXPECT_EQ(accounts_->GetUser("wang.wei")->failed_logins, 4);
  // A success resets the count: four more failures do not lock.
  ASSERT_TRUE(accounts_->Login("wang.wei", kPassword, "").ok());
  EXPECT_EQ(accounts_->GetUser("wang.wei")->failed_logins, 0);
  for (int i = 0; i < 5; ++i) (void)accounts_->Login("wang.wei", "wrong password", "");
  StatusOr<User> locked = accounts_->GetUser("wang.wei");
  ASSERT_TRUE(locked->locked_until.has_value());
  EXPECT_EQ(*locked->locked_until, clock_.Now() + absl::Minutes(15));
  // Locked: even the right password is refused, and the answer says until when.
  Status s = accounts_->Login("wang.wei", kPassword, "").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(s.message()), HasSubstr("until 2026-05-29T04:41:40+08:00"));
  clock_.Advance(absl::Minutes(14));
  EXPECT_EQ(accounts_->Login("wang.wei", kPassword, "").status().code(),
            absl::StatusCode::kResourceExhausted);
  clock_.Advance(absl::Minutes(1));
  StatusOr<LoginResult> after = accounts_->Login("wang.wei", kPassword, "");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_FALSE(accounts_->GetUser("wang.wei")->locked_until.has_value());
}

TEST_P(AccountsTest, AnExpiredLockStartsANewCountAndUnlockClearsIt) {
  AddOfficer("wang.wei");
  for (int i = 0; i < 5; ++i) (void)accounts_->Login("wang.wei", "wrong password", "");
  clock_.Advance(absl::Minutes(16));
  // One failure after the lock ran out is one failure, not the sixth.
  EXPECT_EQ(accounts_->Login("wang.wei", "wrong password", "").status().code(),
            absl::StatusCode::kUnauthenticated);
  StatusOr<User> u = accounts_->GetUser("wang.wei");
  EXPECT_EQ(u->failed_logins, 1);
  EXPECT_FALSE(u->locked_until.has_value());
  for (int i = 0; i < 4; ++i) (void)accounts_->Login("wang.wei", "wrong password", "");
  EXPECT_EQ(accounts_->Login("wang.wei", kPassword, "").status().code(),
            absl::StatusCode::kResourceExhausted);
  ASSERT_TRUE(accounts_->Unlock("wang.wei").ok());
  EXPECT_TRUE(accounts_->Login("wang.wei", kPassword, "").ok());
  EXPECT_EQ(accounts_->Unlock("nobody").code(), absl::StatusCode::kNotFound);
}

TEST_P(AccountsTest, SessionExpiryLogoutAndRevoke) {
  AddOfficer("wang.wei");
  StatusOr<LoginResult> a = accounts_->Login("wang.wei", kPassword, "");
  ASSERT_TRUE(a.ok());
  clock_.Advance(absl::Hours(12) - absl::Seconds(1));
  EXPECT_TRUE(accounts_->Authenticate(a->token).ok());
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(accounts_->Authenticate(a->token).status().code(), absl::StatusCode::kUnauthenticated);

  StatusOr<LoginResult> b = accounts_->Login("wang.wei", kPassword, "");
  StatusOr<LoginResult> c = accounts_->Login("wang.wei", kPassword, "");
  ASSERT_TRUE(b.ok() && c.ok());
  ASSERT_TRUE(accounts_->Logout(b->token).ok());
  EXPECT_FALSE(accounts_->Authenticate(b->token).ok());
  EXPECT_TRUE(accounts_->Logout(b->token).ok());  // twice is fine
  EXPECT_EQ(accounts_->Logout("never issued").code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(accounts_->Authenticate(c->token).ok());  // other sessions live on
  ASSERT_TRUE(accounts_->RevokeSessions("wang.wei").ok());
  EXPECT_FALSE(accounts_->Authenticate(c->token).ok());

  // A new password ends the sessions the old one opened.
  StatusOr<LoginResult> d = accounts_->Login("wang.wei", kPassword, "");
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(accounts_->SetPassword("wang.wei", "a brand new secret").ok());
  EXPECT_FALSE(accounts_->Authenticate(d->token).ok());
  EXPECT_FALSE(accounts_->Login("wang.wei", kPassword, "").ok());
  EXPECT_TRUE(accounts_->Login("wang.wei", "a brand new secret", "").ok());
}

TEST_P(AccountsTest, SessionsSurviveAReopen) {
  AddOfficer("wang.wei");
  StatusOr<LoginResult> a = accounts_->Login("wang.wei", kPassword, "");
  ASSERT_TRUE(a.ok());
  Reopen();  // a restarted server, or another instance on the same database
  EXPECT_TRUE(accounts_->Authenticate(a->token).ok());
}

TEST_P(AccountsTest, DisabledUsersCannotLogInAndTheirSessionsStop) {
  AddOfficer("wang.wei");
  StatusOr<LoginResult> a = accounts_->Login("wang.wei", kPassword, "");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(accounts_->SetDisabled("wang.wei", true).ok());
  EXPECT_TRUE(accounts_->GetUser("wang.wei")->disabled);
  EXPECT_EQ(accounts_->Authenticate(a->token).status().code(), absl::StatusCode::kUnauthenticated);
  Status s = accounts_->Login("wang.wei", kPassword, "").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(s.message()), HasSubstr("disabled"));
  // A wrong password for a disabled user reveals nothing more than for anyone else.
  EXPECT_EQ(accounts_->Login("wang.wei", "wrong password", "").status().code(),
            absl::StatusCode::kUnauthenticated);
  ASSERT_TRUE(accounts_->SetDisabled("wang.wei", false).ok());
  EXPECT_FALSE(accounts_->Authenticate(a->token).ok());  // enabling does not revive sessions
  EXPECT_TRUE(accounts_->Login("wang.wei", kPassword, "").ok());
  EXPECT_EQ(accounts_->SetDisabled("nobody", true).code(), absl::StatusCode::kNotFound);
}

TEST_P(AccountsTest, MachineUsersUseApiKeysOnly) {
  AddOfficer("wang.wei");
  User feed = AddFeed("cmcc");
  EXPECT_EQ(accounts_->Login("cmcc", "", "").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(accounts_->Login("cmcc", kPassword, "").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(accounts_->SetPassword("cmcc", kPassword).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(accounts_->CreateApiKey("wang.wei", "laptop").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(accounts_->CreateApiKey("cmcc", "").status().code(),
            absl::StatusCode::kInvalidArgument);

  StatusOr<std::string> k1 = accounts_->CreateApiKey("cmcc", "carrier CDR feed");
  StatusOr<std::string> k2 = accounts_->CreateApiKey("cmcc", "carrier SMS feed");
  ASSERT_TRUE(k1.ok() && k2.ok());
  StatusOr<Principal> who = accounts_->AuthenticateApiKey(*k1);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->user_id, feed.id);
  EXPECT_EQ(who->role, Role::kFeed);
  EXPECT_TRUE(who->machine);
  EXPECT_TRUE(accounts_->AuthenticateApiKey(*k2).ok());
  // A key is not a session token, and a wrong key is the usual error.
  EXPECT_FALSE(accounts_->Authenticate(*k1).ok());
  EXPECT_EQ(std::string(accounts_->AuthenticateApiKey("wrong").status().message()),
            std::string(kAuthenticationFailed));

  ASSERT_TRUE(accounts_->SetDisabled("cmcc", true).ok());
  EXPECT_FALSE(accounts_->AuthenticateApiKey(*k1).ok());
  ASSERT_TRUE(accounts_->SetDisabled("cmcc", false).ok());
  EXPECT_TRUE(accounts_->AuthenticateApiKey(*k1).ok());
  ASSERT_TRUE(accounts_->RevokeApiKeys("cmcc").ok());
  EXPECT_FALSE(accounts_->AuthenticateApiKey(*k1).ok());
  EXPECT_FALSE(accounts_->AuthenticateApiKey(*k2).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL"), 2);
}

TEST_P(AccountsTest, ConcurrentLoginsFromManyThreads) {
  AddOfficer("wang.wei");
  AddOfficer("guess.me");
  std::vector<std::thread> threads;
  std::vector<std::vector<std::string>> tokens(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        StatusOr<LoginResult> ok = accounts_->Login("wang.wei", kPassword, "");
        if (ok.ok()) tokens[t].push_back(ok->token);
        (void)accounts_->Login("guess.me", "wrong password", "");
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::vector<std::string>& mine : tokens) {
    ASSERT_EQ(mine.size(), 5u);
    for (const std::string& token : mine) EXPECT_TRUE(accounts_->Authenticate(token).ok());
  }
  EXPECT_EQ(Count("SELECT count(*) FROM sessions"), 20);
  // 20 wrong guesses from 4 threads: the counter saw every one until the lock.
  EXPECT_TRUE(accounts_->GetUser("guess.me")->locked_until.has_value());
  EXPECT_EQ(accounts_->Login("guess.me", kPassword, "").status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST_P(AccountsTest, CreateAdminOnce) {
  StatusOr<std::pair<User, std::string>> admin =
      accounts_->CreateAdmin("admin", model::UnitCode("640100"));
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_EQ(admin->first.role, Role::kAdmin);
  EXPECT_EQ(admin->second.size(), 16u);
  EXPECT_TRUE(accounts_->Login("admin", admin->second, "").ok());
  StatusOr<std::pair<User, std::string>> again =
      accounts_->CreateAdmin("root", model::UnitCode("640100"));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(again.status().message()), HasSubstr("'admin'"));
}

TEST_P(AccountsTest, OpenRefusesAnUnmigratedDatabase) {
  StatusOr<std::string> url = store::testing::FreshDatabaseUrl(GetParam(), dir_);
  ASSERT_TRUE(url.ok());
  StatusOr<std::unique_ptr<Accounts>> a = Accounts::Open(*url, options_, &clock_);
  EXPECT_EQ(a.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(a.status().message()), HasSubstr("fanzha db migrate"));
  EXPECT_EQ(Accounts::Open("mysql://x", options_, &clock_).status().code(),
            absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         store::testing::BackendName);

}  // namespace
}  // namespace fz::auth
