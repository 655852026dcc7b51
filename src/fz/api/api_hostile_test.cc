// Malformed and hostile requests get a 4xx JSON error naming the field, and the server keeps
// serving.
#include "fz/api/testing/api_fixture.h"
#include "gtest/gtest.h"

namespace fz::api {
namespace {

using nlohmann::json;

json ErrorOf(const http::ClientResponse& r) {
  json j = json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("error") ? j["error"] : json();
}

class ApiHostile : public ::testing::Test {
 protected:
  ApiFixture api_;
  std::string officer_ = api_.Login("officer_a");
  std::string analyst_ = api_.Login("analyst");
};

TEST_F(ApiHostile, BadJsonNamesTheBody) {
  http::ClientResponse r = api_.Call("POST", "/api/warnings/1/transitions", "{\"to\": ", officer_);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorOf(r)["field"], "body");
}

TEST_F(ApiHostile, WrongTypesNameTheField) {
  http::ClientResponse r =
      api_.Call("POST", "/api/warnings/1/transitions", R"({"to": 5, "request_id": "x"})", officer_);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorOf(r)["field"], "to");
  r = api_.Call("POST", "/api/warnings/1/transitions",
                R"({"to": "accepted", "evidence": {"gps_lat": "north"}})", officer_);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorOf(r)["field"], "gps_lat");
  r = api_.Call("GET", "/api/warnings?level=purple", "", officer_);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorOf(r)["field"], "level");
  r = api_.Call("GET", "/api/warnings?limit=100000", "", officer_);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorOf(r)["field"], "limit");
  r = api_.Call("GET", "/api/warnings/abc", "", officer_);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorOf(r)["field"], "id");
}

TEST_F(ApiHostile, HugeBodyIsRefusedAndTheServerLives) {
  const std::string ten_mb(10 << 20, 'a');
  http::Client client("127.0.0.1", api_.port());
  StatusOr<http::ClientResponse> r =
      client.Send("POST", "/api/events", ten_mb, {{"X-Api-Key", api_.FeedKey()}});
  // The server answers 413 or closes the connection mid-upload; either way it lives on.
  if (r.ok()) {
    EXPECT_EQ(r->status, 413);
  }
  EXPECT_EQ(api_.Call("GET", "/api/health", "", "").status, 200);
}

TEST_F(ApiHostile, DeepNestingIsRefusedBeforeParsing) {
  const std::string deep = std::string(1000, '[') + std::string(1000, ']');
  http::ClientResponse r = api_.Call("POST", "/api/intel", deep, analyst_);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(ErrorOf(r)["message"].get<std::string>().find("deeper"), std::string::npos);
  std::string deep_object = "{\"to\":" + std::string(1000, '[') + std::string(1000, ']') + "}";
  EXPECT_EQ(api_.Call("POST", "/api/warnings/1/transitions", deep_object, officer_).status, 400);
  // Inside an NDJSON event too.
  http::Client client("127.0.0.1", api_.port());
  StatusOr<http::ClientResponse> e =
      client.Send("POST", "/api/events", "{\"id\":" + std::string(1000, '[') + "}\n",
                  {{"X-Api-Key", api_.FeedKey()}});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(json::parse(e->body)["rejected"], 1);
}

TEST_F(ApiHostile, InvalidUtf8IsRefused) {
  const std::string bad = "{\"user\":\"\xff\xfe\",\"password\":\"x\"}";
  http::ClientResponse r = api_.Call("POST", "/api/auth/login", bad, "");
  EXPECT_EQ(r.status, 400);
  http::Client client("127.0.0.1", api_.port());
  StatusOr<http::ClientResponse> e =
      client.Send("POST", "/api/events",
                  "{\"id\":\"u1\",\"type\":\"sms\",\"ts\":1795656600000,\"sender\":\"10690000\","
                  "\"receiver\":\"13895101234\",\"text\":\"\xc3\x28\"}\n",
                  {{"X-Api-Key", api_.FeedKey()}});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->status, 200);
  EXPECT_EQ(json::parse(e->body, nullptr, false)["rejected"], 1) << e->body;
}

TEST_F(ApiHostile, UnknownRoutesAndMethods) {
  EXPECT_EQ(api_.Call("GET", "/api/nothing", "", officer_).status, 404);
  http::ClientResponse r = api_.Call("DELETE", "/api/warnings", "", officer_);
  EXPECT_EQ(r.status, 405);
  EXPECT_NE(r.Header("Allow").find("GET"), std::string_view::npos);
}

}  // namespace
}  // namespace fz::api
