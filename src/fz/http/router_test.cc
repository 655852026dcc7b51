#include "fz/http/router.h"

#include "gtest/gtest.h"

namespace fz::http {
namespace {

Response Named(std::string name) { return Response::Text(200, std::move(name), "text/plain"); }

Router MakeRouter() {
  Router router;
  router.Add("GET", "/api/warnings/{id}",
             [](Request& r) { return Named("by_id:" + r.path_params.at("id")); });
  router.Add("GET", "/api/warnings/stats", [](Request&) { return Named("stats"); });
  router.Add("POST", "/api/warnings/{id}/transitions",
             [](Request& r) { return Named("transition:" + r.path_params.at("id")); });
  router.Add("PUT", "/api/warnings/{id}", [](Request&) { return Named("put"); });
  router.Add("GET", "/api/units/{unit}/stations/{station}", [](Request& r) {
    return Named(r.path_params.at("unit") + "/" + r.path_params.at("station"));
  });
  return router;
}

Response Call(const Router& router, std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  return router.Dispatch(request);
}

TEST(RouterTest, LiteralSegmentBeatsParameterWhateverTheOrder) {
  Router router = MakeRouter();
  EXPECT_EQ(Call(router, "GET", "/api/warnings/stats").body, "stats");
  EXPECT_EQ(Call(router, "GET", "/api/warnings/42").body, "by_id:42");
}

TEST(RouterTest, FillsEveryParameter) {
  Router router = MakeRouter();
  EXPECT_EQ(Call(router, "POST", "/api/warnings/7/transitions").body, "transition:7");
  EXPECT_EQ(Call(router, "GET", "/api/units/640104/stations/64010401").body, "640104/64010401");
}

TEST(RouterTest, UnknownPathIsJson404) {
  Router router = MakeRouter();
  Response response = Call(router, "GET", "/api/nothing");
  EXPECT_EQ(response.status, 404);
  EXPECT_NE(response.body.find("\"code\":\"not_found\""), std::string::npos) << response.body;
  EXPECT_EQ(Call(router, "GET", "/api/warnings").status, 404);
  EXPECT_EQ(Call(router, "GET", "/api/warnings/7/transitions/x").status, 404);
}

TEST(RouterTest, KnownPathWithOtherMethodIs405WithAllow) {
  Router router = MakeRouter();
  Response response = Call(router, "DELETE", "/api/warnings/7");
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].name, "Allow");
  EXPECT_EQ(response.headers[0].value, "GET, PUT");
  EXPECT_NE(response.body.find("method_not_allowed"), std::string::npos);
}

TEST(RouterTest, RoutesInOrderAdded) {
  Router router = MakeRouter();
  std::vector<Router::Route> routes = router.Routes();
  ASSERT_EQ(routes.size(), 5u);
  EXPECT_EQ(routes[0].method, "GET");
  EXPECT_EQ(routes[0].pattern, "/api/warnings/{id}");
  EXPECT_EQ(routes[2].method, "POST");
  EXPECT_EQ(routes[4].pattern, "/api/units/{unit}/stations/{station}");
}

TEST(ResponseTest, ErrorIsJsonWithOptionalField) {
  Response with_field = Response::Error(400, "bad_request", "level \"x\" unknown", "level");
  EXPECT_EQ(with_field.status, 400);
  EXPECT_EQ(with_field.body,
            R"({"error":{"code":"bad_request","field":"level","message":"level \"x\" unknown"}})");
  Response without = Response::Error(404, "not_found", "no");
  EXPECT_EQ(without.body.find("field"), std::string::npos);
  // Invalid UTF-8 in a message (echoed client input) must not throw.
  Response invalid = Response::Error(400, "bad_request", "\xff\xfe bad");
  EXPECT_EQ(invalid.status, 400);
}

}  // namespace
}  // namespace fz::http
