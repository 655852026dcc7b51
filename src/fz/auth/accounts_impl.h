// AccountsImpl: Accounts over one SqlConn (SQLite or PostgreSQL) guarded by a mutex. Internal
// to fz::auth: accounts.cc holds user management, accounts_login.cc logins, sessions and keys.
// Password hashing runs outside the mutex, so one slow argon2id does not stall other requests.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/base/call_once.h"
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "fz/auth/accounts.h"
#include "fz/store/sql_conn.h"

namespace fz::auth {

// A users row: the public User plus what never leaves fz::auth.
struct UserRow {
  User user;
  std::string password_hash;
};

class AccountsImpl final : public Accounts {
 public:
  AccountsImpl(std::unique_ptr<store::SqlConn> conn, AuthOptions options, Clock* clock);

  StatusOr<std::pair<User, std::string>> CreateAdmin(std::string_view name,
                                                     const model::UnitCode& unit) override;
  StatusOr<User> CreateUser(const NewUser& user) override;
  StatusOr<User> GetUser(std::string_view name) override;
  StatusOr<std::vector<User>> ListUsers() override;
  Status SetPassword(std::string_view name, std::string_view password) override;
  Status SetDisabled(std::string_view name, bool disabled) override;
  Status Unlock(std::string_view name) override;

  StatusOr<LoginResult> Login(std::string_view name, std::string_view password,
                              std::string_view remote_ip) override;
  StatusOr<Principal> Authenticate(std::string_view token) override;
  Status Logout(std::string_view token) override;
  Status RevokeSessions(std::string_view name) override;

  StatusOr<std::string> CreateApiKey(std::string_view name, std::string_view label) override;
  StatusOr<Principal> AuthenticateApiKey(std::string_view key) override;
  Status RevokeApiKeys(std::string_view name) override;

 private:
  // The row for `name`, or nullopt.
  StatusOr<std::optional<UserRow>> FindUser(std::string_view name)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The row for `name`, or NotFound naming it.
  StatusOr<UserRow> RequireUser(std::string_view name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Status RevokeSessionsOf(int64_t user_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Counts a failed password; locks the user at max_failed_logins.
  Status RecordFailedLogin(int64_t user_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Password policy: length bounds, not the user name.
  Status CheckPassword(std::string_view name, std::string_view password) const;
  int64_t NowUs() const;
  // Verified against for unknown users, so a wrong name costs as much time as a wrong
  // password. Made on first use: CLI commands that never log anyone in do not pay for it.
  const std::string& DummyHash();

  const AuthOptions options_;
  Clock* const clock_;
  absl::once_flag dummy_once_;
  std::string dummy_hash_;  // written once under dummy_once_
  absl::Mutex mu_;
  std::unique_ptr<store::SqlConn> conn_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fz::auth
