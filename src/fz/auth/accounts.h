// Accounts: users (a unit and a role each), password login with argon2id (libsodium), session
// tokens and API keys for machine feeds, lockout after repeated failures. Kept in the same
// database as the workflow store (tables from store migration 4), through its own connection.
//
//   FZ_ASSIGN_OR_RETURN(auto accounts, auth::Accounts::Open("sqlite:/var/lib/fanzha.db", {},
//   &clock)); FZ_ASSIGN_OR_RETURN(auth::LoginResult login, accounts->Login("wang", password,
//   "10.1.2.3")); FZ_ASSIGN_OR_RETURN(auth::Principal who, accounts->Authenticate(login.token));
//
// Tokens and keys are 256-bit random values shown once; only their SHA-256 is stored. Errors:
// Unauthenticated for a wrong name, password, token or key (one message for all, so names
// cannot be probed); ResourceExhausted while locked out (the answer says until when);
// AlreadyExists / NotFound / InvalidArgument for user management. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "fz/common/clock.h"
#include "fz/common/status.h"
#include "fz/model/ids.h"
#include "fz/units/unit_tree.h"
#include "fz/workflow/state.h"

namespace fz::auth {

struct AuthOptions {
  int max_failed_logins = 5;  // then locked for `lockout`
  absl::Duration lockout = absl::Minutes(15);
  absl::Duration session_ttl = absl::Hours(12);  // absolute lifetime of a session token
  size_t min_password_length = 10;
  size_t max_password_length = 256;  // bounds the work one login request can cause
  // argon2id cost (crypto_pwhash_str). Defaults are libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE
  // (2 passes, 64 MiB: ~0.1 s a login); tests use the MIN values (1, 8 KiB) to stay fast
  // under ASan. Stored hashes carry their own cost, and a login with other settings rehashes.
  unsigned long long pwhash_opslimit = 2;
  size_t pwhash_memlimit = size_t{64} << 20;
  // When set, a user's unit must be in this tree (not owned; must outlive the accounts).
  const units::UnitTree* units = nullptr;
};

// The one Unauthenticated message, whatever was wrong (names cannot be probed).
inline constexpr std::string_view kAuthenticationFailed =
    "authentication failed: wrong user name or password, or an invalid, expired or revoked "
    "token or key";

struct User {
  int64_t id = 0;
  std::string name;          // login name, unique: "wang.wei"
  std::string display_name;  // "王伟"
  workflow::Role role = workflow::Role::kOfficer;
  model::UnitCode unit;
  bool machine = false;  // a data feed: logs in with API keys only
  bool disabled = false;
  int failed_logins = 0;
  std::optional<absl::Time> locked_until;
  absl::Time created_at;
};

struct NewUser {
  std::string name;
  std::string display_name;
  workflow::Role role = workflow::Role::kOfficer;
  model::UnitCode unit;
  bool machine = false;
  std::string password;  // empty for machine accounts
};

// The authenticated caller of a request.
struct Principal {
  int64_t user_id = 0;
  std::string user;
  workflow::Role role = workflow::Role::kOfficer;
  model::UnitCode unit;
  bool machine = false;
  workflow::Actor actor() const { return {user, role, unit}; }
};

struct LoginResult {
  std::string token;
  absl::Time expires_at;
  Principal principal;
};

// A random password for `name` that meets the policy: at least 16 characters (~93 bits) from
// letters and digits without look-alikes, never containing the name.
std::string GeneratePasswordFor(std::string_view name, const AuthOptions& options = {});

class Accounts {
 public:
  // `url` as for store::OpenStore. The store's migrations must have run (tables from
  // migration 4). `clock` must outlive the accounts.
  static StatusOr<std::unique_ptr<Accounts>> Open(std::string_view url, AuthOptions options,
                                                  Clock* clock);
  virtual ~Accounts() = default;

  // The first administrator, with a generated password returned once. FailedPrecondition when
  // an admin already exists.
  virtual StatusOr<std::pair<User, std::string>> CreateAdmin(std::string_view name,
                                                             const model::UnitCode& unit) = 0;
  virtual StatusOr<User> CreateUser(const NewUser& user) = 0;
  virtual StatusOr<User> GetUser(std::string_view name) = 0;
  virtual StatusOr<std::vector<User>> ListUsers() = 0;
  // Revokes the user's sessions (a changed password ends whatever the old one opened).
  virtual Status SetPassword(std::string_view name, std::string_view password) = 0;
  virtual Status SetDisabled(std::string_view name, bool disabled) = 0;  // revokes sessions
  virtual Status Unlock(std::string_view name) = 0;

  virtual StatusOr<LoginResult> Login(std::string_view name, std::string_view password,
                                      std::string_view remote_ip) = 0;
  virtual StatusOr<Principal> Authenticate(std::string_view token) = 0;
  virtual Status Logout(std::string_view token) = 0;
  virtual Status RevokeSessions(std::string_view name) = 0;

  // A new API key for a (machine) user, shown once.
  virtual StatusOr<std::string> CreateApiKey(std::string_view name, std::string_view label) = 0;
  virtual StatusOr<Principal> AuthenticateApiKey(std::string_view key) = 0;
  virtual Status RevokeApiKeys(std::string_view name) = 0;
};

}  // namespace fz::auth
