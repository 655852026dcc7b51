// Pieces of the API without a server: JSON limits, error mapping, the live hub's filtering
// and resume, the OpenAPI document against the router.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "fz/api/json_util.h"
#include "fz/api/live_hub.h"
#include "fz/api/static_files.h"
#include "fz/api/testing/api_fixture.h"
#include "fz/units/yinchuan_seed.h"
#include "gtest/gtest.h"

namespace fz::api {
namespace {

TEST(JsonBody, DepthIsBoundedBeforeParsing) {
  EXPECT_EQ(JsonDepth(R"({"a":[1,{"b":"[[[["}]})", 100), 3);  // brackets in strings ignored
  EXPECT_TRUE(ParseJsonBody(std::string(32, '[') + std::string(32, ']')).ok());
  Status s = ParseJsonBody(std::string(33, '[') + std::string(33, ']')).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseJsonBody("").ok());
  EXPECT_FALSE(ParseJsonBody("{\"a\":\"\xff\"}").ok());  // invalid UTF-8
}

TEST(JsonBody, FieldErrorsNameTheField) {
  nlohmann::json j = {{"n", "x"}, {"t", "tomorrow"}, {"s", 3}};
  EXPECT_EQ(OptionalInt(j, "n").status().message(), "n: must be an integer");
  EXPECT_EQ(OptionalString(j, "s").status().message(), "s: must be a string");
  EXPECT_FALSE(OptionalTime(j, "t").ok());
  EXPECT_EQ(RequiredString(j, "missing").status().message(), "missing: required");
  http::Response r = ErrorResponse(OptionalInt(j, "n").status());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["field"], "n");
  EXPECT_EQ(ErrorResponse(absl::NotFoundError("x")).status, 404);
  EXPECT_EQ(ErrorResponse(absl::FailedPreconditionError("x")).status, 409);
  EXPECT_EQ(ErrorResponse(absl::ResourceExhaustedError("x")).status, 429);
}

TEST(JsonBody, TimesReadIsoDatesAndEpochMillis) {
  EXPECT_EQ(*ParseTimeText("1795656600000", "t"), absl::FromUnixMillis(1795656600000));
  EXPECT_EQ(*ParseTimeText("2026-11-26T10:00:00+08:00", "t"), absl::FromUnixSeconds(1795658400));
  EXPECT_EQ(*ParseTimeText("2026-11-26", "t"), absl::FromUnixSeconds(1795622400));
  EXPECT_EQ(TimeText(absl::FromUnixSeconds(1795658400)), "2026-11-26T10:00:00.000+08:00");
}

// Records what a stream would have been sent.
class FakeChannel final : public http::SseChannel {
 public:
  bool Send(std::string_view id, std::string_view event, std::string_view data) override {
    frames.push_back({std::string(id), std::string(event), std::string(data)});
    return true;
  }
  bool SendRetry(int) override { return true; }
  bool closed() const override { return closed_; }
  void Close() override { closed_ = true; }
  struct Frame {
    std::string id, event, data;
  };
  std::vector<Frame> frames;
  bool closed_ = false;
};

TEST(LiveHub, EachSubscriberSeesItsJurisdictionAndResumes) {
  units::UnitTree tree = *units::YinchuanSeed();
  LiveHub hub(&tree, 3);
  auto station_a = std::make_shared<FakeChannel>();
  auto city = std::make_shared<FakeChannel>();
  workflow::Actor officer{"a", workflow::Role::kOfficer, model::UnitCode("640104001")};
  workflow::Actor dispatcher{"d", workflow::Role::kDispatcher, model::UnitCode("640100")};
  hub.Subscribe(officer, "", station_a);
  hub.Subscribe(dispatcher, "", city);
  hub.Publish("new", model::UnitCode("640104002"), {}, "{}");  // another station
  hub.Publish("new", model::UnitCode("640104001"), {}, "{}");
  hub.Publish("overdue", model::UnitCode("640104"), model::UnitCode("640104"), "{}");
  ASSERT_EQ(station_a->frames.size(), 1u);
  EXPECT_EQ(city->frames.size(), 3u);
  // Resume after the first: the ring (capacity 3) still has the rest.
  auto again = std::make_shared<FakeChannel>();
  hub.Subscribe(dispatcher, city->frames[0].id, again);
  ASSERT_EQ(again->frames.size(), 2u);
  EXPECT_EQ(again->frames[1].event, "overdue");
  // Two more events push the first ones out of the ring: resuming from them is a reset.
  hub.Publish("new", model::UnitCode("640104001"), {}, "{}");
  hub.Publish("new", model::UnitCode("640104001"), {}, "{}");
  auto late = std::make_shared<FakeChannel>();
  hub.Subscribe(dispatcher, city->frames[0].id, late);
  ASSERT_EQ(late->frames.size(), 1u);
  EXPECT_EQ(late->frames[0].event, "reset");
  // A closed stream is dropped at the next publish.
  station_a->Close();
  hub.Publish("new", model::UnitCode("640104001"), {}, "{}");
  EXPECT_EQ(hub.subscribers(), 3u);
}

TEST(ConsoleFiles, ServesAssetsAndFallsBackToIndex) {
  const std::filesystem::path root = std::filesystem::path(::testing::TempDir()) / "fz-web-root";
  std::filesystem::create_directories(root / "assets");
  std::ofstream(root / "index.html") << "<html>console</html>";
  std::ofstream(root / "assets" / "app-1a2b.js") << "console.log(1)";
  auto get = [&](std::string path) {
    http::Request r;
    r.method = "GET";
    r.path = std::move(path);
    return r;
  };
  EXPECT_TRUE(IsConsoleRequest(get("/warnings/12")));
  EXPECT_FALSE(IsConsoleRequest(get("/api/warnings")));
  EXPECT_FALSE(IsConsoleRequest(get("/metrics")));
  http::Response js = ServeConsoleFile(root.string(), get("/assets/app-1a2b.js"));
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  // The app's own routes and anything that tries to climb out get index.html.
  EXPECT_EQ(ServeConsoleFile(root.string(), get("/warnings/12")).body, "<html>console</html>");
  EXPECT_EQ(ServeConsoleFile(root.string(), get("/../../etc/passwd")).body, "<html>console</html>");
  std::filesystem::remove_all(root);
}

// docs/openapi.yaml documents every route the server has, with the same methods.
TEST(OpenApi, DocumentsEveryRoute) {
  const char* dir = std::getenv("FZ_SOURCE_DIR");
  ASSERT_NE(dir, nullptr);
  std::ifstream in(std::string(dir) + "/docs/openapi.yaml");
  ASSERT_TRUE(in) << "docs/openapi.yaml missing";
  std::set<std::pair<std::string, std::string>> documented;
  std::string line, path;
  const std::regex path_re(R"(^  (/\S*):\s*$)");
  const std::regex method_re(R"(^    (get|post|put|delete|patch):\s*$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, path_re)) {
      path = m[1];
    } else if (!path.empty() && std::regex_match(line, m, method_re)) {
      std::string method = m[1];
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert({method, path});
    }
  }
  ApiFixture api({.create_users = false});
  size_t routes = 0;
  for (const http::Router::Route& r : api.server().router().Routes()) {
    ++routes;
    EXPECT_TRUE(documented.contains({r.method, r.pattern}))
        << r.method << " " << r.pattern << " is not in docs/openapi.yaml";
  }
  EXPECT_EQ(documented.size(), routes) << "docs/openapi.yaml lists routes the server lacks";
}

}  // namespace
}  // namespace fz::api
