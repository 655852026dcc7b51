// Logins, sessions and API keys (accounts.cc: Open and user management).
#include "fz/auth/accounts_impl.h"
#include "fz/auth/secrets.h"
#include "fz/common/str_cat.h"

namespace fz::auth {
namespace {

// Users read the lock's end in their own time (the center runs on China Standard Time).
const absl::TimeZone kChinaTime = absl::FixedTimeZone(8 * 3600);

Status AuthFailed() { return absl::UnauthenticatedError(std::string(kAuthenticationFailed)); }

// Tokens and keys we hand out are 43 characters; anything far off is not worth a query.
bool PlausibleSecret(std::string_view secret) { return !secret.empty() && secret.size() <= 128; }

Principal PrincipalOf(const User& u) {
  return {.user_id = u.id, .user = u.name, .role = u.role, .unit = u.unit, .machine = u.machine};
}

// The columns of a session or key joined with its user, as Principal needs them.
constexpr char kPrincipalColumns[] = "u.id, u.name, u.role, u.unit_code, u.machine, u.disabled";

StatusOr<Principal> ParsePrincipal(const store::SqlRow& r) {
  std::optional<workflow::Role> role = workflow::ParseRole(r.Str(2));
  if (!role) {
    return absl::InternalError(StrCat("users row '", r.Str(1), "': unknown role '", r.Str(2), "'"));
  }
  return Principal{.user_id = r.Int(0),
                   .user = r.Str(1),
                   .role = *role,
                   .unit = model::UnitCode(r.Str(3)),
                   .machine = r.Int(4) != 0};
}

}  // namespace

StatusOr<LoginResult> AccountsImpl::Login(std::string_view name, std::string_view password,
                                          std::string_view remote_ip) {
  absl::Time now = clock_->Now();
  std::optional<UserRow> row;
  {
    absl::MutexLock lock(&mu_);
    FZ_ASSIGN_OR_RETURN(row, FindUser(name));
  }
  if (row && row->user.locked_until && *row->user.locked_until > now) {
    return absl::ResourceExhaustedError(StrCat(
        "user '", name, "' is locked after ", row->user.failed_logins, " failed logins until ",
        absl::FormatTime(absl::RFC3339_sec, *row->user.locked_until, kChinaTime),
        "; an administrator can unlock it"));
  }
  // Unknown users, machine accounts and over-long passwords still pay for one verification, so
  // the answer time does not tell which it was.
  bool can_log_in = row && !row->user.machine && !row->password_hash.empty() &&
                    password.size() <= options_.max_password_length;
  bool verified = VerifyPassword(can_log_in ? row->password_hash : DummyHash(),
                                 password.substr(0, options_.max_password_length)) &&
                  can_log_in;
  if (!verified) {
    if (row && !row->user.machine) {
      absl::MutexLock lock(&mu_);
      FZ_RETURN_IF_ERROR(RecordFailedLogin(row->user.id));
    }
    return AuthFailed();
  }
  if (row->user.disabled) {
    return absl::PermissionDeniedError(StrCat("user '", name, "' is disabled"));
  }
  std::optional<std::string> rehash;
  if (NeedsRehash(row->password_hash, options_)) {
    FZ_ASSIGN_OR_RETURN(rehash, HashPassword(password, options_));
  }
  LoginResult result{.token = RandomToken(),
                     .expires_at = now + options_.session_ttl,
                     .principal = PrincipalOf(row->user)};
  int64_t now_us = absl::ToUnixMicros(now);
  absl::MutexLock lock(&mu_);
  FZ_RETURN_IF_ERROR(conn_
                         ->Exec("UPDATE users SET failed_logins = 0, locked_until = NULL, "
                                "updated_at = $2 WHERE id = $1",
                                {row->user.id, now_us})
                         .status());
  if (rehash) {
    FZ_RETURN_IF_ERROR(
        conn_->Exec("UPDATE users SET password_hash = $2 WHERE id = $1", {row->user.id, *rehash})
            .status());
  }
  FZ_RETURN_IF_ERROR(conn_
                         ->Exec("INSERT INTO sessions (token_sha256, user_id, created_at, "
                                "expires_at, remote_ip) VALUES ($1, $2, $3, $4, $5)",
                                {Sha256Hex(result.token), row->user.id, now_us,
                                 absl::ToUnixMicros(result.expires_at), std::string(remote_ip)})
                         .status());
  return result;
}

Status AccountsImpl::RecordFailedLogin(int64_t user_id) {
  int64_t now = NowUs();
  // One statement, so failures counted by several servers at once all count. A lock that has
  // run out starts a new count.
  FZ_ASSIGN_OR_RETURN(
      store::SqlRows rows,
      conn_->Query("UPDATE users SET "
                   "failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= $2 "
                   "THEN 1 ELSE failed_logins + 1 END, "
                   "locked_until = CASE WHEN locked_until IS NOT NULL AND locked_until <= $2 "
                   "THEN NULL ELSE locked_until END, "
                   "updated_at = $2 WHERE id = $1 RETURNING failed_logins",
                   {user_id, now}));
  if (rows.empty() || rows[0].Int(0) < options_.max_failed_logins) return absl::OkStatus();
  return conn_
      ->Exec("UPDATE users SET locked_until = $2 WHERE id = $1",
             {user_id, now + absl::ToInt64Microseconds(options_.lockout)})
      .status();
}

StatusOr<Principal> AccountsImpl::Authenticate(std::string_view token) {
  if (!PlausibleSecret(token)) return AuthFailed();
  absl::MutexLock lock(&mu_);
  FZ_ASSIGN_OR_RETURN(
      store::SqlRows rows,
      conn_->Query(StrCat("SELECT ", kPrincipalColumns,
                          ", s.expires_at, s.revoked_at FROM sessions s JOIN users u ON u.id = "
                          "s.user_id WHERE s.token_sha256 = $1"),
                   {Sha256Hex(token)}));
  if (rows.empty()) return AuthFailed();
  const store::SqlRow& r = rows[0];
  bool disabled = r.Int(5) != 0;
  bool expired = r.Int(6) <= NowUs();
  bool revoked = !r.IsNull(7);
  if (disabled || expired || revoked) return AuthFailed();
  return ParsePrincipal(r);
}

Status AccountsImpl::Logout(std::string_view token) {
  if (!PlausibleSecret(token)) return AuthFailed();
  absl::MutexLock lock(&mu_);
  std::string hash = Sha256Hex(token);
  FZ_ASSIGN_OR_RETURN(
      store::SqlRows rows,
      conn_->Query("SELECT revoked_at FROM sessions WHERE token_sha256 = $1", {hash}));
  if (rows.empty()) return AuthFailed();
  if (!rows[0].IsNull(0)) return absl::OkStatus();  // logging out twice is not an error
  return conn_->Exec("UPDATE sessions SET revoked_at = $2 WHERE token_sha256 = $1", {hash, NowUs()})
      .status();
}

Status AccountsImpl::RevokeSessionsOf(int64_t user_id) {
  return conn_
      ->Exec("UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
             {user_id, NowUs()})
      .status();
}

Status AccountsImpl::RevokeSessions(std::string_view name) {
  absl::MutexLock lock(&mu_);
  FZ_ASSIGN_OR_RETURN(UserRow row, RequireUser(name));
  return RevokeSessionsOf(row.user.id);
}

StatusOr<std::string> AccountsImpl::CreateApiKey(std::string_view name, std::string_view label) {
  if (label.empty() || label.size() > 200) {
    return absl::InvalidArgumentError(
        StrCat("API key for '", name, "': label must be 1-200 characters (say what feeds it)"));
  }
  absl::MutexLock lock(&mu_);
  FZ_ASSIGN_OR_RETURN(UserRow row, RequireUser(name));
  // A key skips the password, the lockout and the session lifetime: only for machine feeds.
  if (!row.user.machine) {
    return absl::FailedPreconditionError(
        StrCat("user '", name, "' is not a machine account: people log in with a password"));
  }
  if (row.user.disabled) {
    return absl::FailedPreconditionError(StrCat("user '", name, "' is disabled"));
  }
  std::string key = RandomToken();
  FZ_RETURN_IF_ERROR(conn_
                         ->Exec("INSERT INTO api_keys (key_sha256, user_id, label, created_at) "
                                "VALUES ($1, $2, $3, $4)",
                                {Sha256Hex(key), row.user.id, std::string(label), NowUs()})
                         .status());
  return key;
}

StatusOr<Principal> AccountsImpl::AuthenticateApiKey(std::string_view key) {
  if (!PlausibleSecret(key)) return AuthFailed();
  absl::MutexLock lock(&mu_);
  FZ_ASSIGN_OR_RETURN(store::SqlRows rows,
                      conn_->Query(StrCat("SELECT ", kPrincipalColumns,
                                          ", k.revoked_at FROM api_keys k JOIN users u ON u.id = "
                                          "k.user_id WHERE k.key_sha256 = $1"),
                                   {Sha256Hex(key)}));
  if (rows.empty() || rows[0].Int(5) != 0 || !rows[0].IsNull(6)) return AuthFailed();
  return ParsePrincipal(rows[0]);
}

Status AccountsImpl::RevokeApiKeys(std::string_view name) {
  absl::MutexLock lock(&mu_);
  FZ_ASSIGN_OR_RETURN(UserRow row, RequireUser(name));
  return conn_
      ->Exec("UPDATE api_keys SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
             {row.user.id, NowUs()})
      .status();
}

}  // namespace fz::auth
