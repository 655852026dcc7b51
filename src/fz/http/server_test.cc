// Round trips over real sockets on 127.0.0.1 (port 0): the server, the router and the client.
#include "fz/http/server.h"

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "fz/http/client.h"
#include "fz/http/router.h"
#include "fz/http/testing/raw_socket.h"
#include "gtest/gtest.h"

namespace fz::http {
namespace {

using testing::RawConnection;
using testing::StatusOf;

std::unique_ptr<Server> StartServer(ServerOptions options, Handler handler,
                                    MetricsRegistry* metrics = nullptr) {
  options.address = "127.0.0.1";
  options.port = 0;
  auto server = std::make_unique<Server>(std::move(options), std::move(handler), metrics);
  Status started = server->Start();
  EXPECT_TRUE(started.ok()) << started;
  return server;
}

Router EchoRouter() {
  Router router;
  router.Add("GET", "/hello", [](Request&) { return Response::Json(200, R"({"hello":"银川"})"); });
  router.Add("POST", "/echo/{name}", [](Request& r) {
    Response response = Response::Text(201, r.path_params["name"] + ":" + r.body, "text/plain");
    response.headers.push_back({"X-Method", r.method});
    response.headers.push_back({"X-Auth", std::string(r.Header("authorization"))});
    return response;
  });
  router.Add("GET", "/query", [](Request& r) {
    std::string out = r.path + "|";
    for (const auto& [key, value] : r.query) out += key + "=" + value + ";";
    out += "|" + r.remote_ip;
    return Response::Text(200, out, "text/plain");
  });
  router.Add("GET", "/throw", [](Request&) -> Response { throw std::runtime_error("boom"); });
  return router;
}

TEST(ServerTest, GetAndPostRoundTrip) {
  Router router = EchoRouter();
  auto server = StartServer({}, [&](Request& r) { return router.Dispatch(r); });
  Client client("127.0.0.1", server->port());

  auto get = client.Send("GET", "/hello");
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, R"({"hello":"银川"})");
  EXPECT_EQ(get->Header("content-type"), "application/json; charset=utf-8");

  auto post = client.Send("POST", "/echo/station", "报警 body", {{"Authorization", "Bearer t"}});
  ASSERT_TRUE(post.ok()) << post.status();
  EXPECT_EQ(post->status, 201);
  EXPECT_EQ(post->body, "station:报警 body");
  EXPECT_EQ(post->Header("X-Method"), "POST");
  EXPECT_EQ(post->Header("x-auth"), "Bearer t");

  auto missing = client.Send("GET", "/nope");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
  auto wrong_method = client.Send("DELETE", "/hello");
  ASSERT_TRUE(wrong_method.ok());
  EXPECT_EQ(wrong_method->status, 405);
  EXPECT_EQ(wrong_method->Header("Allow"), "GET");
}

TEST(ServerTest, KeepAliveReusesOneConnection) {
  Router router = EchoRouter();
  MetricsRegistry metrics;
  auto server = StartServer(
      {}, [&](Request& r) { return router.Dispatch(r); }, &metrics);
  Client client("127.0.0.1", server->port());
  for (int i = 0; i < 5; ++i) {
    auto response = client.Send("GET", "/hello");
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->status, 200);
  }
  auto connections = metrics.RegisterGauge("fz_http_connections", "Open HTTP connections");
  ASSERT_TRUE(connections.ok());
  EXPECT_EQ((*connections)->Value(), 1);
  std::string text = metrics.RenderPrometheus();
  EXPECT_NE(text.find("fz_http_requests_total{code=\"200\"} 5"), std::string::npos) << text;

  // Two requests one after the other on one raw socket.
  RawConnection raw(server->port());
  ASSERT_TRUE(raw.ok());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(raw.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(StatusOf(raw.ReadResponse()), 200);
  }
}

TEST(ServerTest, DecodesPathAndQuery) {
  Router router = EchoRouter();
  auto server = StartServer({}, [&](Request& r) { return router.Dispatch(r); });
  Client client("127.0.0.1", server->port());
  auto response = client.Send("GET", "/q%75ery?level=red&q=%E9%93%B6%E5%B7%9D+x&level=%41");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "/query|level=red;level=A;q=银川 x;|127.0.0.1");

  auto bad = client.Send("GET", "/query?x=%zz");
  ASSERT_TRUE(bad.ok()) << bad.status();
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("invalid percent escape"), std::string::npos) << bad->body;
  // The 400 closes the connection; the client reconnects for the next request.
  auto after = client.Send("GET", "/hello");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->status, 200);
}

TEST(ServerTest, HandlerExceptionIs500AndServerLives) {
  Router router = EchoRouter();
  auto server = StartServer({}, [&](Request& r) { return router.Dispatch(r); });
  Client client("127.0.0.1", server->port());
  auto thrown = client.Send("GET", "/throw");
  ASSERT_TRUE(thrown.ok()) << thrown.status();
  EXPECT_EQ(thrown->status, 500);
  EXPECT_NE(thrown->body.find("boom"), std::string::npos);
  auto after = client.Send("GET", "/hello");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status, 200);
}

TEST(ServerTest, ClientReconnectsAfterServerClosedIdleConnection) {
  Router router = EchoRouter();
  ServerOptions options;
  options.idle_timeout = absl::Milliseconds(50);
  auto server = StartServer(options, [&](Request& r) { return router.Dispatch(r); });
  Client client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Send("GET", "/hello").ok());
  absl::SleepFor(absl::Milliseconds(300));  // The server drops the idle connection.
  auto again = client.Send("GET", "/hello");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->status, 200);
}

TEST(ServerTest, StartFailsNamingAddressInUse) {
  auto first = StartServer({}, [](Request&) { return Response::Json(200, "{}"); });
  ServerOptions options;
  options.port = first->port();
  Server second(
      options, [](Request&) { return Response::Json(200, "{}"); }, nullptr);
  Status status = second.Start();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(std::string(status.message()).find("127.0.0.1:" + std::to_string(first->port())),
            std::string::npos)
      << status;
  second.Stop();  // Not started: a no-op.
}

TEST(ServerTest, GracefulStopFinishesInFlightRequest) {
  absl::Notification entered;
  std::string big(1 << 20, 'x');
  auto server = StartServer({}, [&](Request&) {
    entered.Notify();
    absl::SleepFor(absl::Milliseconds(300));  // A slow store query.
    return Response::Text(200, big, "text/plain");
  });
  uint16_t port = server->port();
  StatusOr<ClientResponse> response = absl::UnknownError("not run");
  std::thread client_thread([&] {
    Client client("127.0.0.1", port);
    response = client.Send("GET", "/slow");
  });
  entered.WaitForNotification();
  server->Stop(absl::Seconds(10));
  client_thread.join();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body.size(), big.size());
  EXPECT_EQ(response->Header("Connection"), "close");
  server->Stop();  // Idempotent.
  RawConnection refused(port);
  EXPECT_FALSE(refused.ok() && refused.Send("GET / HTTP/1.1\r\n\r\n") &&
               StatusOf(refused.ReadResponse()) != 0);
}

TEST(ServerTest, DestructorStopsARunningServerWithOpenConnections) {
  Router router = EchoRouter();
  auto server = StartServer({}, [&](Request& r) { return router.Dispatch(r); });
  Client client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Send("GET", "/hello").ok());
  RawConnection half_sent(server->port());
  ASSERT_TRUE(half_sent.Send("GET /hello HTTP/1.1\r\n"));
  server.reset();
  EXPECT_FALSE(client.Send("GET", "/hello").ok());
}

}  // namespace
}  // namespace fz::http
