// Every limit in ServerOptions, enforced against hostile or clumsy clients, and the server
// still answering afterwards.
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "fz/common/clock.h"
#include "fz/http/client.h"
#include "fz/http/server.h"
#include "fz/http/testing/raw_socket.h"
#include "gtest/gtest.h"

namespace fz::http {
namespace {

using testing::RawConnection;
using testing::StatusOf;

class LimitsTest : public ::testing::Test {
 protected:
  void Start(ServerOptions options, Handler handler = nullptr) {
    options.address = "127.0.0.1";
    options.port = 0;
    if (!handler) {
      handler = [](Request& r) { return Response::Text(200, r.body, "text/plain"); };
    }
    server_ = std::make_unique<Server>(std::move(options), std::move(handler), &metrics_);
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started;
  }

  uint64_t Rejected(std::string_view reason) {
    auto family = metrics_.RegisterCounterFamily(
        "fz_http_rejected_total", "Requests and connections refused by a limit", {"reason"});
    EXPECT_TRUE(family.ok()) << family.status();
    auto child = (*family)->WithLabels({&reason, 1});
    return child.ok() ? (*child)->Value() : 0;
  }

  void ExpectServerAnswers() {
    Client client("127.0.0.1", server_->port());
    auto response = client.Send("POST", "/", "still here");
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "still here");
  }

  MetricsRegistry metrics_;
  std::unique_ptr<Server> server_;
};

TEST_F(LimitsTest, BodyOverLimitIs413ByContentLength) {
  ServerOptions options;
  options.max_body_bytes = 1000;
  Start(options);
  Client client("127.0.0.1", server_->port());
  auto response = client.Send("POST", "/", std::string(1001, 'a'));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 413);
  EXPECT_NE(response->body.find("body_too_large"), std::string::npos);
  EXPECT_EQ(Rejected("body_too_large"), 1u);
  auto at_limit = client.Send("POST", "/", std::string(1000, 'a'));
  ASSERT_TRUE(at_limit.ok()) << at_limit.status();
  EXPECT_EQ(at_limit->status, 200);
}

TEST_F(LimitsTest, ChunkedBodyOverLimitIs413) {
  ServerOptions options;
  options.max_body_bytes = 1000;
  Start(options);
  RawConnection raw(server_->port());
  std::string chunk(600, 'b');
  ASSERT_TRUE(raw.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
  raw.Send("258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
  EXPECT_EQ(StatusOf(raw.ReadResponse()), 413);
  ExpectServerAnswers();
}

TEST_F(LimitsTest, TenMegabytesAgainstDefaultLimit) {
  Start({});
  Client client("127.0.0.1", server_->port());
  auto response = client.Send("POST", "/", std::string(10 << 20, 'z'));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 413);
  ExpectServerAnswers();
}

TEST_F(LimitsTest, HeaderBlockOverLimitIs431) {
  ServerOptions options;
  options.max_header_bytes = 2048;
  Start(options);
  RawConnection raw(server_->port());
  ASSERT_TRUE(
      raw.Send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'h') + "\r\n\r\n"));
  std::string response = raw.ReadResponse();
  EXPECT_EQ(StatusOf(response), 431) << response;
  EXPECT_EQ(Rejected("header_too_large"), 1u);
  ExpectServerAnswers();
}

TEST_F(LimitsTest, SlowClientGets408AndIsClosed) {
  ServerOptions options;
  options.read_timeout = absl::Milliseconds(200);
  Start(options);
  RawConnection raw(server_->port());
  ASSERT_TRUE(raw.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"));
  bool closed = false;
  std::string response = raw.ReadUntilClose(&closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(StatusOf(response), 408) << response;
  EXPECT_EQ(Rejected("timeout"), 1u);
  ExpectServerAnswers();
}

TEST_F(LimitsTest, SilentConnectionIsClosed) {
  ServerOptions options;
  options.read_timeout = absl::Milliseconds(100);
  Start(options);
  RawConnection raw(server_->port());
  bool closed = false;
  raw.ReadUntilClose(&closed);
  EXPECT_TRUE(closed);
}

TEST_F(LimitsTest, RateLimitIs429WithRetryAfter) {
  SimulatedClock clock(absl::FromUnixSeconds(1700000000));
  ServerOptions options;
  options.requests_per_second_per_client = 0.5;  // One token every two seconds.
  options.burst_per_client = 3;
  options.clock = &clock;
  Start(options);
  Client client("127.0.0.1", server_->port());
  for (int i = 0; i < 3; ++i) {
    auto response = client.Send("POST", "/", "x");
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->status, 200) << i;
  }
  auto limited = client.Send("POST", "/", "x");
  ASSERT_TRUE(limited.ok()) << limited.status();
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->Header("Retry-After"), "2");
  EXPECT_EQ(Rejected("rate_limited"), 1u);
  clock.Advance(absl::Seconds(2));
  auto refilled = client.Send("POST", "/", "x");
  ASSERT_TRUE(refilled.ok());
  EXPECT_EQ(refilled->status, 200);
}

TEST_F(LimitsTest, ConnectionsBeyondMaximumGet503) {
  ServerOptions options;
  options.max_connections = 2;
  Start(options);
  Client first("127.0.0.1", server_->port());
  Client second("127.0.0.1", server_->port());
  ASSERT_EQ(first.Send("POST", "/", "1")->status, 200);
  ASSERT_EQ(second.Send("POST", "/", "2")->status, 200);
  RawConnection third(server_->port());
  ASSERT_TRUE(third.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  bool closed = false;
  std::string response = third.ReadUntilClose(&closed);
  EXPECT_EQ(StatusOf(response), 503) << response;
  EXPECT_TRUE(closed);
  EXPECT_EQ(Rejected("connections"), 1u);
  // Kept-alive connections are unaffected.
  EXPECT_EQ(first.Send("POST", "/", "1")->status, 200);
}

TEST_F(LimitsTest, FullHandlerQueueIs503) {
  absl::Notification entered;
  absl::Notification release;
  ServerOptions options;
  options.worker_threads = 1;
  options.max_queued_requests = 1;
  Start(options, [&](Request& r) {
    if (r.path == "/block") {
      entered.Notify();
      release.WaitForNotification();
    }
    return Response::Text(200, r.path, "text/plain");
  });
  uint16_t port = server_->port();
  RawConnection running(port);
  ASSERT_TRUE(running.Send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n"));
  entered.WaitForNotification();  // The only worker is busy.
  // Four more requests: one fits in the queue, three are refused at once.
  std::vector<std::unique_ptr<RawConnection>> waiting;
  for (int i = 0; i < 4; ++i) {
    waiting.push_back(std::make_unique<RawConnection>(port));
    ASSERT_TRUE(waiting.back()->Send("GET /queued HTTP/1.1\r\nHost: x\r\n\r\n"));
  }
  for (int attempt = 0; attempt < 1000 && Rejected("queue_full") < 3; ++attempt) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(Rejected("queue_full"), 3u);
  release.Notify();
  EXPECT_EQ(StatusOf(running.ReadResponse()), 200);
  int ok = 0;
  int unavailable = 0;
  for (auto& connection : waiting) {
    std::string response = connection->ReadResponse();
    ok += StatusOf(response) == 200;
    unavailable += StatusOf(response) == 503;
    if (StatusOf(response) == 503) {
      EXPECT_NE(response.find("overloaded"), std::string::npos);
    }
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(unavailable, 3);
}

TEST_F(LimitsTest, GarbageAndInvalidUtf8DoNotCrash) {
  ServerOptions options;
  options.read_timeout = absl::Milliseconds(300);
  options.idle_timeout = absl::Milliseconds(300);
  Start(options);
  const std::string inputs[] = {
      std::string("\x00\x01\x02\xff\xfe\r\n\r\n", 8),
      "GET /\xff\xfe\xc3\x28 HTTP/1.1\r\nHost: \xe2\x28\xa1\r\n\r\n",
      "GARBAGE\r\n\r\n",
      "GET / HTTP/9.9\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
      std::string(100000, '\xff'),
  };
  for (const std::string& input : inputs) {
    RawConnection raw(server_->port(), absl::Seconds(5));
    ASSERT_TRUE(raw.ok());
    raw.Send(input);
    std::string response = raw.ReadUntilClose();
    int status = StatusOf(response);
    EXPECT_TRUE(status == 0 || status == 200 || status == 400 || status == 408 || status == 413 ||
                status == 431)
        << status;
  }
  // Random bytes, deterministic seed.
  uint32_t state = 12345;
  for (int round = 0; round < 20; ++round) {
    std::string noise(1 + round * 97, '\0');
    for (char& c : noise) {
      state = state * 1664525u + 1013904223u;
      c = static_cast<char>(state >> 24);
    }
    RawConnection raw(server_->port(), absl::Seconds(5));
    raw.Send(round % 2 == 0 ? noise : "GET /" + noise + " HTTP/1.1\r\n" + noise + "\r\n\r\n");
    raw.ReadUntilClose();
  }
  ExpectServerAnswers();
}

}  // namespace
}  // namespace fz::http
