// Accounts::Open and user management (accounts_login.cc: logins, sessions, API keys).
#include <algorithm>
#include <cctype>

#include "fz/auth/accounts_impl.h"
#include "fz/auth/secrets.h"
#include "fz/common/str_cat.h"

namespace fz::auth {
namespace {

constexpr char kUserColumns[] =
    "id, name, display_name, role, unit_code, machine, disabled, password_hash, failed_logins, "
    "locked_until, created_at";

StatusOr<UserRow> ParseUserRow(const store::SqlRow& r) {
  UserRow row;
  User& u = row.user;
  u.id = r.Int(0);
  u.name = r.Str(1);
  u.display_name = r.Str(2);
  std::optional<workflow::Role> role = workflow::ParseRole(r.Str(3));
  if (!role) {
    // Never guess a role: an unknown one (a newer fanzha wrote it) must not grant anything.
    return absl::InternalError(StrCat("users row '", u.name, "': unknown role '", r.Str(3), "'"));
  }
  u.role = *role;
  u.unit = model::UnitCode(r.Str(4));
  u.machine = r.Int(5) != 0;
  u.disabled = r.Int(6) != 0;
  row.password_hash = r.Str(7);
  u.failed_logins = static_cast<int>(r.Int(8));
  if (std::optional<int64_t> locked = r.OptInt(9)) u.locked_until = absl::FromUnixMicros(*locked);
  u.created_at = absl::FromUnixMicros(r.Int(10));
  return row;
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 64 || !std::isalnum(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status ValidateNewUser(const NewUser& u, const AuthOptions& options) {
  if (!ValidName(u.name)) {
    return absl::InvalidArgumentError(
        StrCat("user name '", u.name,
               "': 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
  }
  if (u.role == workflow::Role::kSystem) {
    return absl::InvalidArgumentError(
        StrCat("user '", u.name, "': role 'system' is fanzha itself, not an account"));
  }
  if (u.role == workflow::Role::kFeed && !u.machine) {
    return absl::InvalidArgumentError(
        StrCat("user '", u.name, "': role 'feed' is for machine accounts (--machine)"));
  }
  if (u.machine && !u.password.empty()) {
    return absl::InvalidArgumentError(
        StrCat("user '", u.name, "': machine accounts have no password, only API keys"));
  }
  if (u.unit.value().empty()) {
    return absl::InvalidArgumentError(StrCat("user '", u.name, "': unit is empty"));
  }
  if (options.units != nullptr && options.units->Find(u.unit) == nullptr) {
    return absl::InvalidArgumentError(
        StrCat("user '", u.name, "': unit ", u.unit.value(), " is not in the unit tree"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string GeneratePasswordFor(std::string_view name, const AuthOptions& options) {
  size_t length = std::clamp<size_t>(16, options.min_password_length, options.max_password_length);
  std::string password = GeneratePassword(length);
  while (Lower(password).find(Lower(name)) != std::string::npos) {
    password = GeneratePassword(length);
  }
  return password;
}

StatusOr<std::unique_ptr<Accounts>> Accounts::Open(std::string_view url, AuthOptions options,
                                                   Clock* clock) {
  if (options.max_failed_logins < 1 || options.lockout <= absl::ZeroDuration() ||
      options.session_ttl <= absl::ZeroDuration() || options.min_password_length < 1 ||
      options.max_password_length < options.min_password_length) {
    return absl::InvalidArgumentError(
        "accounts: max_failed_logins, lockout, session_ttl and min_password_length must be "
        "positive, and max_password_length at least min_password_length");
  }
  FZ_ASSIGN_OR_RETURN(std::unique_ptr<store::SqlConn> conn, store::OpenSqlUrl(url));
  if (!conn->Query("SELECT count(*) FROM users", {}).ok()) {
    return absl::FailedPreconditionError(StrCat("accounts: ", url,
                                                " has no users table (schema migration 4); run "
                                                "`fanzha db migrate --db ",
                                                url, "`"));
  }
  return std::unique_ptr<Accounts>(std::make_unique<AccountsImpl>(std::move(conn), options, clock));
}

AccountsImpl::AccountsImpl(std::unique_ptr<store::SqlConn> conn, AuthOptions options, Clock* clock)
    : options_(options), clock_(clock), conn_(std::move(conn)) {}

const std::string& AccountsImpl::DummyHash() {
  absl::call_once(dummy_once_, [this] {
    // Out of memory leaves it empty: verification then fails at once, which is still a refusal.
    dummy_hash_ = HashPassword(RandomToken(), options_).value_or("");
  });
  return dummy_hash_;
}

int64_t AccountsImpl::NowUs() const { return absl::ToUnixMicros(clock_->Now()); }

StatusOr<std::optional<UserRow>> AccountsImpl::FindUser(std::string_view name) {
  FZ_ASSIGN_OR_RETURN(store::SqlRows rows,
                      conn_->Query(StrCat("SELECT ", kUserColumns, " FROM users WHERE name = $1"),
                                   {std::string(name)}));
  if (rows.empty()) return std::optional<UserRow>();
  FZ_ASSIGN_OR_RETURN(UserRow row, ParseUserRow(rows[0]));
  return std::optional<UserRow>(std::move(row));
}

StatusOr<UserRow> AccountsImpl::RequireUser(std::string_view name) {
  FZ_ASSIGN_OR_RETURN(std::optional<UserRow> row, FindUser(name));
  if (!row) return absl::NotFoundError(StrCat("no user '", name, "'"));
  return std::move(*row);
}

Status AccountsImpl::CheckPassword(std::string_view name, std::string_view password) const {
  if (password.size() < options_.min_password_length) {
    return absl::InvalidArgumentError(StrCat("password for '", name, "': at least ",
                                             options_.min_password_length, " characters"));
  }
  if (password.size() > options_.max_password_length) {
    return absl::InvalidArgumentError(
        StrCat("password for '", name, "': at most ", options_.max_password_length, " characters"));
  }
  if (Lower(password).find(Lower(name)) != std::string::npos) {
    return absl::InvalidArgumentError(
        StrCat("password for '", name, "': must not contain the user name"));
  }
  return absl::OkStatus();
}

StatusOr<std::pair<User, std::string>> AccountsImpl::CreateAdmin(std::string_view name,
                                                                 const model::UnitCode& unit) {
  {
    absl::MutexLock lock(&mu_);
    FZ_ASSIGN_OR_RETURN(store::SqlRows rows,
                        conn_->Query("SELECT name FROM users WHERE role = $1 ORDER BY id",
                                     {std::string(workflow::RoleName(workflow::Role::kAdmin))}));
    if (!rows.empty()) {
      return absl::FailedPreconditionError(StrCat("an administrator already exists ('",
                                                  rows[0].Str(0),
                                                  "'); add more users with `fanzha users add`"));
    }
  }
  std::string password = GeneratePasswordFor(name, options_);
  FZ_ASSIGN_OR_RETURN(User user, CreateUser({.name = std::string(name),
                                             .display_name = "系统管理员",
                                             .role = workflow::Role::kAdmin,
                                             .unit = unit,
                                             .password = password}));
  return std::make_pair(std::move(user), std::move(password));
}

StatusOr<User> AccountsImpl::CreateUser(const NewUser& u) {
  FZ_RETURN_IF_ERROR(ValidateNewUser(u, options_));
  std::string hash;
  if (!u.machine) {
    FZ_RETURN_IF_ERROR(CheckPassword(u.name, u.password));
    FZ_ASSIGN_OR_RETURN(hash, HashPassword(u.password, options_));
  }
  int64_t now = NowUs();
  absl::MutexLock lock(&mu_);
  // ON CONFLICT instead of a check first: two servers adding the same name cannot both win.
  FZ_ASSIGN_OR_RETURN(
      store::SqlRows rows,
      conn_->Query("INSERT INTO users (name, display_name, role, unit_code, machine, disabled, "
                   "password_hash, failed_logins, created_at, updated_at) VALUES ($1, $2, $3, "
                   "$4, $5, 0, $6, 0, $7, $7) ON CONFLICT (name) DO NOTHING RETURNING id",
                   {u.name, u.display_name.empty() ? u.name : u.display_name,
                    std::string(workflow::RoleName(u.role)), u.unit.value(),
                    int64_t{u.machine ? 1 : 0}, hash, now}));
  if (rows.empty()) return absl::AlreadyExistsError(StrCat("user '", u.name, "' already exists"));
  FZ_ASSIGN_OR_RETURN(UserRow row, RequireUser(u.name));
  return row.user;
}

StatusOr<User> AccountsImpl::GetUser(std::string_view name) {
  absl::MutexLock lock(&mu_);
  FZ_ASSIGN_OR_RETURN(UserRow row, RequireUser(name));
  return row.user;
}

StatusOr<std::vector<User>> AccountsImpl::ListUsers() {
  absl::MutexLock lock(&mu_);
  FZ_ASSIGN_OR_RETURN(
      store::SqlRows rows,
      conn_->Query(StrCat("SELECT ", kUserColumns, " FROM users ORDER BY name"), {}));
  std::vector<User> users;
  users.reserve(rows.size());
  for (const store::SqlRow& r : rows) {
    FZ_ASSIGN_OR_RETURN(UserRow row, ParseUserRow(r));
    users.push_back(std::move(row.user));
  }
  return users;
}

Status AccountsImpl::SetPassword(std::string_view name, std::string_view password) {
  FZ_RETURN_IF_ERROR(CheckPassword(name, password));
  {
    absl::MutexLock lock(&mu_);
    FZ_ASSIGN_OR_RETURN(UserRow row, RequireUser(name));
    if (row.user.machine) {
      return absl::FailedPreconditionError(
          StrCat("user '", name, "' is a machine account: it has API keys, not a password"));
    }
  }
  FZ_ASSIGN_OR_RETURN(std::string hash, HashPassword(password, options_));
  absl::MutexLock lock(&mu_);
  FZ_ASSIGN_OR_RETURN(UserRow row, RequireUser(name));
  FZ_RETURN_IF_ERROR(
      conn_
          ->Exec("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1",
                 {row.user.id, hash, NowUs()})
          .status());
  return RevokeSessionsOf(row.user.id);
}

Status AccountsImpl::SetDisabled(std::string_view name, bool disabled) {
  absl::MutexLock lock(&mu_);
  FZ_ASSIGN_OR_RETURN(UserRow row, RequireUser(name));
  FZ_RETURN_IF_ERROR(conn_
                         ->Exec("UPDATE users SET disabled = $2, updated_at = $3 WHERE id = $1",
                                {row.user.id, int64_t{disabled ? 1 : 0}, NowUs()})
                         .status());
  // Authenticate refuses disabled users anyway; revoking also keeps re-enabling from bringing
  // old sessions back.
  return disabled ? RevokeSessionsOf(row.user.id) : absl::OkStatus();
}

Status AccountsImpl::Unlock(std::string_view name) {
  absl::MutexLock lock(&mu_);
  FZ_ASSIGN_OR_RETURN(UserRow row, RequireUser(name));
  return conn_
      ->Exec(
          "UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = $2 "
          "WHERE id = $1",
          {row.user.id, NowUs()})
      .status();
}

}  // namespace fz::auth
