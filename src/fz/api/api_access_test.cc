// The access matrix: every role against every route. A route answers 403 exactly when the
// role lacks the route's permission (auth/permissions.h), and 401 without credentials. The
// table must name every route the router has, so a new route cannot skip this test.
#include <set>

#include "fz/api/testing/api_fixture.h"
#include "fz/auth/permissions.h"
#include "gtest/gtest.h"

namespace fz::api {
namespace {

using P = auth::Permission;

struct RouteCase {
  const char* method;
  const char* pattern;          // as registered
  const char* target;           // a concrete request
  std::optional<P> permission;  // nullopt: open, or any signed-in user
  bool needs_login;
  const char* body;  // harmless for whoever is allowed: usually fails validation after the check
};

const RouteCase kRoutes[] = {
    {"GET", "/api/health", "/api/health", std::nullopt, false, ""},
    {"GET", "/api/ready", "/api/ready", std::nullopt, false, ""},
    {"GET", "/metrics", "/metrics", P::kMetrics, true, ""},
    {"GET", "/api/units", "/api/units", P::kUnitsRead, true, ""},
    {"POST", "/api/auth/login", "/api/auth/login", std::nullopt, false, "{}"},
    {"POST", "/api/auth/logout", "/api/auth/logout", std::nullopt, true, "{}"},
    {"GET", "/api/auth/me", "/api/auth/me", std::nullopt, true, ""},
    {"GET", "/api/users", "/api/users", P::kUsersRead, true, ""},
    {"POST", "/api/users", "/api/users", P::kUsersWrite, true, "{}"},
    {"POST", "/api/users/{name}/disable", "/api/users/nobody/disable", P::kUsersWrite, true, "{}"},
    {"POST", "/api/users/{name}/enable", "/api/users/nobody/enable", P::kUsersWrite, true, "{}"},
    {"POST", "/api/users/{name}/unlock", "/api/users/nobody/unlock", P::kUsersWrite, true, "{}"},
    {"POST", "/api/users/{name}/password", "/api/users/nobody/password", P::kUsersWrite, true,
     "{}"},
    {"POST", "/api/users/{name}/api-keys", "/api/users/nobody/api-keys", P::kUsersWrite, true,
     "{}"},
    {"POST", "/api/events", "/api/events", P::kIngestEvents, true, "[{}]"},
    {"GET", "/api/stream", "/api/stream", P::kWarningRead, true, ""},
    {"GET", "/api/warnings", "/api/warnings?limit=1", P::kWarningRead, true, ""},
    {"POST", "/api/warnings/bulk-accept", "/api/warnings/bulk-accept", P::kWarningDispatch, true,
     "{}"},
    {"GET", "/api/warnings/{id}", "/api/warnings/1", P::kWarningRead, true, ""},
    {"POST", "/api/warnings/{id}/transitions", "/api/warnings/1/transitions", P::kWarningWork, true,
     "{}"},
    {"POST", "/api/warnings/{id}/steps", "/api/warnings/1/steps", P::kWarningWork, true, "{}"},
    {"GET", "/api/follow-ups", "/api/follow-ups", P::kWarningRead, true, ""},
    {"GET", "/api/stop-payments", "/api/stop-payments", P::kStopPayment, true, ""},
    {"POST", "/api/stop-payments", "/api/stop-payments", P::kStopPayment, true, "{}"},
    {"POST", "/api/stop-payments/{request_no}/updates", "/api/stop-payments/none/updates",
     P::kStopPayment, true, "{}"},
    {"GET", "/api/cases", "/api/cases", P::kCaseRead, true, ""},
    {"GET", "/api/escalations", "/api/escalations", P::kSupervise, true, ""},
    {"GET", "/api/intel", "/api/intel?limit=1", P::kIntelRead, true, ""},
    {"POST", "/api/intel", "/api/intel", P::kIntelWrite, true, "{}"},
    {"POST", "/api/intel/expire", "/api/intel/expire", P::kIntelWrite, true, "{}"},
    {"POST", "/api/intel/whitelist", "/api/intel/whitelist", P::kIntelWrite, true, "{}"},
    {"GET", "/api/intel/pending", "/api/intel/pending", P::kIntelReview, true, ""},
    {"POST", "/api/intel/pending/{id}/review", "/api/intel/pending/999/review", P::kIntelReview,
     true, "{}"},
    {"GET", "/api/people", "/api/people", P::kPeopleRead, true, ""},
    {"GET", "/api/people/{id}", "/api/people/P1", P::kPeopleRead, true, ""},
    {"PUT", "/api/people/{id}", "/api/people/PX", P::kPeopleWrite, true, "{}"},
    {"DELETE", "/api/people/{id}", "/api/people/PX", P::kPeopleWrite, true, ""},
    {"GET", "/api/rules", "/api/rules", P::kRulesRead, true, ""},
    {"POST", "/api/rules/validate", "/api/rules/validate", P::kRulesRead, true, "x = "},
    {"POST", "/api/rules/reload", "/api/rules/reload", P::kRulesWrite, true, "x = "},
    {"GET", "/api/kpis", "/api/kpis", P::kKpiRead, true, ""},
    {"GET", "/api/audit", "/api/audit?limit=1", P::kAuditRead, true, ""},
    {"GET", "/api/audit/verify", "/api/audit/verify", P::kAuditRead, true, ""},
    {"POST", "/api/warnings/{id}/reminders", "/api/warnings/1/reminders", P::kSupervise, true,
     "{}"},
    {"GET", "/api/reminders", "/api/reminders", P::kWarningRead, true, ""},
    {"GET", "/api/outreach", "/api/outreach?limit=1", P::kPeopleRead, true, ""},
    {"POST", "/api/rules/backtest", "/api/rules/backtest", P::kRulesWrite, true, "x = "},
};

const char* const kHumans[] = {"dispatcher", "supervisor", "officer_a", "grid",
                               "analyst",    "auditor",    "admin"};

TEST(ApiAccess, TableCoversEveryRoute) {
  ApiFixture api({.create_users = false});
  std::set<std::pair<std::string, std::string>> table;
  for (const RouteCase& c : kRoutes) table.insert({c.method, c.pattern});
  for (const http::Router::Route& r : api.server().router().Routes()) {
    EXPECT_TRUE(table.contains({r.method, r.pattern}))
        << r.method << " " << r.pattern << " is not in the access matrix test";
  }
  EXPECT_EQ(table.size(), api.server().router().Routes().size());
}

TEST(ApiAccess, EveryRoleAgainstEveryRoute) {
  ApiFixture api;
  struct Caller {
    std::string name;
    workflow::Role role;
    std::vector<http::HeaderField> headers;
  };
  std::vector<Caller> callers;
  for (const char* name : kHumans) {
    std::string token = api.Login(name);
    StatusOr<http::ClientResponse> me =
        http::Client("127.0.0.1", api.port())
            .Send("GET", "/api/auth/me", "", {{"Authorization", "Bearer " + token}});
    ASSERT_TRUE(me.ok() && me->status == 200);
    std::optional<workflow::Role> role =
        workflow::ParseRole(nlohmann::json::parse(me->body)["role"].get<std::string>());
    ASSERT_TRUE(role.has_value());
    callers.push_back({name, *role, {{"Authorization", "Bearer " + token}}});
  }
  callers.push_back({"feed", workflow::Role::kFeed, {{"X-Api-Key", api.FeedKey()}}});

  for (const RouteCase& c : kRoutes) {
    if (std::string(c.target) == "/api/stream" || std::string(c.target) == "/api/auth/logout") {
      continue;  // a stream does not end, a logout ends the session: covered in api_test
    }
    for (const Caller& who : callers) {
      http::Client client("127.0.0.1", api.port());
      StatusOr<http::ClientResponse> r = client.Send(c.method, c.target, c.body, who.headers);
      ASSERT_TRUE(r.ok()) << r.status();
      const bool allowed = !c.permission || auth::Allows(who.role, *c.permission);
      if (allowed) {
        EXPECT_NE(r->status, 403) << who.name << " " << c.method << " " << c.target << ": "
                                  << r->body;
        EXPECT_NE(r->status, 401) << who.name << " " << c.method << " " << c.target;
        EXPECT_LT(r->status, 500) << who.name << " " << c.method << " " << c.target << ": "
                                  << r->body;
      } else {
        EXPECT_EQ(r->status, 403) << who.name << " " << c.method << " " << c.target << ": "
                                  << r->body;
      }
    }
    if (c.needs_login) {
      http::Client anonymous("127.0.0.1", api.port());
      StatusOr<http::ClientResponse> r = anonymous.Send(c.method, c.target, c.body, {});
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->status, 401) << c.method << " " << c.target;
    }
  }
}

}  // namespace
}  // namespace fz::api
