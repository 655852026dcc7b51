// Login, logout, who am I, and user management (admin). Every change and every login attempt
// is audited.
#include "fz/api/api_state.h"
#include "fz/common/str_cat.h"
#include "fz/common/strings.h"
#include "sodium.h"

namespace fz::api {
namespace {

nlohmann::json UserJson(const auth::User& u) {
  return {{"id", fz::StrCat(u.id)},
          {"name", u.name},
          {"display_name", u.display_name},
          {"role", workflow::RoleName(u.role)},
          {"unit", u.unit.value()},
          {"machine", u.machine},
          {"disabled", u.disabled},
          {"failed_logins", u.failed_logins},
          {"locked_until", TimeOrNull(u.locked_until)},
          {"created_at", TimeText(u.created_at)}};
}

nlohmann::json PrincipalJson(const auth::Principal& p) {
  nlohmann::json perms = nlohmann::json::array();
  for (auth::Permission x : auth::PermissionsOf(p.role)) perms.push_back(auth::PermissionName(x));
  return {{"name", p.user},
          {"role", workflow::RoleName(p.role)},
          {"unit", p.unit.value()},
          {"machine", p.machine},
          {"permissions", std::move(perms)}};
}

// 16 characters from an unambiguous alphabet: shown once to the admin who hands it over.
std::string GeneratePassword() {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 16; ++i) out += kAlphabet[randombytes_uniform(sizeof(kAlphabet) - 1)];
  return out;
}

http::Response Login(State& s, http::Request& r) {
  StatusOr<nlohmann::json> body = ParseJsonBody(r.body);
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<std::string> name = RequiredString(*body, "user");
  if (!name.ok()) return ErrorResponse(name.status());
  StatusOr<std::string> password = RequiredString(*body, "password");
  if (!password.ok()) return ErrorResponse(password.status());
  StatusOr<auth::LoginResult> login = s.deps.accounts->Login(*name, *password, r.remote_ip);
  const workflow::Actor who{*name, login.ok() ? login->principal.role : workflow::Role::kSystem,
                            login.ok() ? login->principal.unit : s.deps.tree->Root()->code};
  (void)s.store().RecordAudit(
      who, login.ok() ? "login" : "login_failed", fz::StrCat("user:", *name),
      login.ok() ? r.remote_ip : fz::StrCat(r.remote_ip, " ", login.status().message()));
  if (!login.ok()) return ErrorResponse(login.status());
  return JsonResponse(200, {{"token", login->token},
                            {"expires_at", TimeText(login->expires_at)},
                            {"user", PrincipalJson(login->principal)}});
}

http::Response Logout(State& s, http::Request& r, const auth::Principal& who) {
  std::string_view authz = r.Header("Authorization");
  if (authz.size() > 7) {
    if (Status st = s.deps.accounts->Logout(authz.substr(7)); !st.ok()) return ErrorResponse(st);
  }
  (void)s.store().RecordAudit(who.actor(), "logout", fz::StrCat("user:", who.user), "");
  return JsonResponse(200, {{"status", "logged_out"}});
}

http::Response ListUsers(State& s) {
  StatusOr<std::vector<auth::User>> users = s.deps.accounts->ListUsers();
  if (!users.ok()) return ErrorResponse(users.status());
  nlohmann::json rows = nlohmann::json::array();
  for (const auth::User& u : *users) rows.push_back(UserJson(u));
  return JsonResponse(200, {{"rows", std::move(rows)}});
}

StatusOr<nlohmann::json> CreateUser(State& s, const http::Request& r, const auth::Principal& who) {
  FZ_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonBody(r.body));
  auth::NewUser u;
  FZ_ASSIGN_OR_RETURN(u.name, RequiredString(body, "name"));
  FZ_ASSIGN_OR_RETURN(auto display, OptionalString(body, "display_name"));
  u.display_name = display.value_or("");
  FZ_ASSIGN_OR_RETURN(std::string role, RequiredString(body, "role"));
  std::optional<workflow::Role> parsed = workflow::ParseRole(role);
  if (!parsed || *parsed == workflow::Role::kSystem) {
    return absl::InvalidArgumentError(fz::StrCat("role: unknown role '", role, "'"));
  }
  u.role = *parsed;
  FZ_ASSIGN_OR_RETURN(std::string unit, RequiredString(body, "unit"));
  if (s.deps.tree->Find(model::UnitCode(unit)) == nullptr) {
    return absl::InvalidArgumentError(fz::StrCat("unit: unknown unit '", unit, "'"));
  }
  u.unit = model::UnitCode(unit);
  FZ_ASSIGN_OR_RETURN(auto machine, OptionalBool(body, "machine"));
  u.machine = machine.value_or(false);
  FZ_ASSIGN_OR_RETURN(auto password, OptionalString(body, "password"));
  const bool generated = !u.machine && !password;
  if (!u.machine) u.password = password ? *password : GeneratePassword();
  FZ_ASSIGN_OR_RETURN(auth::User user, s.deps.accounts->CreateUser(u));
  FZ_RETURN_IF_ERROR(s.store().RecordAudit(
      who.actor(), "user_create", fz::StrCat("user:", user.name),
      fz::StrCat("role=", workflow::RoleName(user.role), " unit=", user.unit.value())));
  nlohmann::json out = UserJson(user);
  if (generated) out["password"] = u.password;  // shown once
  return out;
}

// POST /api/users/{name}/{action}: disable, enable, unlock, password, api-keys.
StatusOr<nlohmann::json> UserAction(State& s, const http::Request& r, const auth::Principal& who,
                                    std::string_view action) {
  const std::string name = r.path_params.at("name");
  auth::Accounts& a = *s.deps.accounts;
  nlohmann::json out = {{"name", name}, {"action", action}};
  if (action == "disable" || action == "enable") {
    FZ_RETURN_IF_ERROR(a.SetDisabled(name, action == "disable"));
  } else if (action == "unlock") {
    FZ_RETURN_IF_ERROR(a.Unlock(name));
  } else if (action == "password") {
    FZ_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonBody(r.body.empty() ? "{}" : r.body));
    FZ_ASSIGN_OR_RETURN(auto password, OptionalString(body, "password"));
    const std::string value = password ? *password : GeneratePassword();
    FZ_RETURN_IF_ERROR(a.SetPassword(name, value));
    FZ_RETURN_IF_ERROR(a.RevokeSessions(name));
    if (!password) out["password"] = value;  // shown once
  } else if (action == "api-keys") {
    FZ_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonBody(r.body.empty() ? "{}" : r.body));
    FZ_ASSIGN_OR_RETURN(auto label, OptionalString(body, "label"));
    FZ_ASSIGN_OR_RETURN(std::string key, a.CreateApiKey(name, label.value_or("api")));
    out["api_key"] = key;  // shown once
  } else {
    return absl::NotFoundError(fz::StrCat("no user action '", action, "'"));
  }
  FZ_RETURN_IF_ERROR(s.store().RecordAudit(who.actor(), fz::StrCat("user_", action),
                                           fz::StrCat("user:", name), ""));
  return out;
}

http::Response Wrap(const StatusOr<nlohmann::json>& r, int ok_status = 200) {
  return r.ok() ? JsonResponse(ok_status, *r) : ErrorResponse(r.status());
}

}  // namespace

void AddAuthRoutes(State& s, http::Router& router) {
  using P = auth::Permission;
  router.Add("POST", "/api/auth/login", [&s](http::Request& r) { return Login(s, r); });
  // Every authenticated user may log out and ask who they are: kWarningRead is not required.
  auto any_user = [&s](AuthedHandler h) {
    return [&s, h](http::Request& r) {
      StatusOr<auth::Principal> who = Authenticate(s, r);
      if (!who.ok()) return ErrorResponse(who.status());
      return h(r, *who);
    };
  };
  router.Add("POST", "/api/auth/logout", any_user([&s](http::Request& r, const auth::Principal& p) {
               return Logout(s, r, p);
             }));
  router.Add("GET", "/api/auth/me", any_user([](http::Request&, const auth::Principal& p) {
               return JsonResponse(200, PrincipalJson(p));
             }));
  router.Add("GET", "/api/users",
             Authed(s, P::kUsersRead,
                    [&s](http::Request&, const auth::Principal&) { return ListUsers(s); }));
  router.Add("POST", "/api/users",
             Authed(s, P::kUsersWrite, [&s](http::Request& r, const auth::Principal& p) {
               return Wrap(CreateUser(s, r, p), 201);
             }));
  for (std::string action : {"disable", "enable", "unlock", "password", "api-keys"}) {
    router.Add("POST", fz::StrCat("/api/users/{name}/", action),
               Authed(s, P::kUsersWrite, [&s, action](http::Request& r, const auth::Principal& p) {
                 return Wrap(UserAction(s, r, p, action));
               }));
  }
}

}  // namespace fz::api
