// Server-Sent Events: the wire format both ways, and streams over real sockets.
#include <atomic>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "fz/http/client.h"
#include "fz/http/server.h"
#include "fz/http/sse_channel.h"
#include "fz/http/sse_parser.h"
#include "fz/http/testing/raw_socket.h"
#include "gtest/gtest.h"

namespace fz::http {
namespace {

using testing::RawConnection;

std::vector<SseEvent> ParseAll(const std::vector<std::string>& pieces) {
  SseParser parser;
  std::vector<SseEvent> events;
  for (const std::string& piece : pieces) {
    parser.Feed(piece, [&](const SseEvent& e) {
      events.push_back(e);
      return true;
    });
  }
  return events;
}

TEST(SseFormatTest, FrameSplitsDataLinesAndStripsBreaksFromIdAndEvent) {
  EXPECT_EQ(FormatSseFrame("7", "warning", "a\nb\r\nc\rd"),
            "id: 7\nevent: warning\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  EXPECT_EQ(FormatSseFrame("1\n2", "x\r\ndata: evil", ""),
            "id: 12\nevent: xdata: evil\ndata: \n\n");
  EXPECT_EQ(FormatSseFrame("", "", "{}"), "data: {}\n\n");
}

TEST(SseParserTest, ParsesFieldsCommentsAndMultiLineData) {
  auto events = ParseAll({": keepalive\n\nretry: 3000\nid: 1\nevent: warning\ndata: {\"a\":1}\n\n",
                          "data: line1\r\ndata:line2\r\n\r\n", "id: 3\rdata\r\r"});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].id, "1");
  EXPECT_EQ(events[0].event, "warning");
  EXPECT_EQ(events[0].data, "{\"a\":1}");
  EXPECT_EQ(events[1].id, "1");  // The last event id persists.
  EXPECT_EQ(events[1].event, "message");
  EXPECT_EQ(events[1].data, "line1\nline2");
  EXPECT_EQ(events[2].id, "3");
  EXPECT_EQ(events[2].data, "");
}

TEST(SseParserTest, HandlesBytesSplitAnywhere) {
  std::string stream = FormatSseFrame("1", "a", "x\ny") + FormatSseFrame("2", "b", "z");
  std::vector<std::string> bytes;
  for (char c : stream) bytes.emplace_back(1, c);
  auto events = ParseAll(bytes);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].data, "x\ny");
  EXPECT_EQ(events[1].id, "2");
  SseParser parser;
  parser.Feed("retry: 1500\n\n", [](const SseEvent&) { return true; });
  EXPECT_EQ(parser.retry_ms(), 1500);
}

// Hands each stream's channel to the test.
class SseServerTest : public ::testing::Test {
 protected:
  void Start(ServerOptions options, std::function<void(std::shared_ptr<SseChannel>)> open) {
    options.address = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<Server>(
        std::move(options),
        [open](Request& r) {
          if (r.path != "/events") return Response::Error(404, "not_found", "no");
          Response response;
          response.headers.push_back({"X-Stream", "warnings"});
          response.sse = open;
          return response;
        },
        &metrics_);
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started;
  }

  std::shared_ptr<SseChannel> WaitForChannel() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](std::shared_ptr<SseChannel>* c) { return *c != nullptr; }, &channel_));
    return channel_;
  }

  void Keep(std::shared_ptr<SseChannel> channel) {
    absl::MutexLock lock(&mu_);
    channel_ = std::move(channel);
  }

  MetricsRegistry metrics_;
  std::unique_ptr<Server> server_;
  absl::Mutex mu_;
  std::shared_ptr<SseChannel> channel_;
};

TEST_F(SseServerTest, DeliversEventsInOrderWithIds) {
  Start({}, [](std::shared_ptr<SseChannel> channel) {
    EXPECT_TRUE(channel->SendRetry(2000));
    for (int i = 1; i <= 50; ++i) {
      EXPECT_TRUE(channel->Send(std::to_string(i), "warning",
                                "{\"n\":" + std::to_string(i) + "}\nsecond line"));
    }
    channel->Close();  // Flushes, then the server closes the stream.
  });
  std::vector<SseEvent> events;
  Status status = ReadSse("127.0.0.1", server_->port(), "/events", {}, [&](const SseEvent& e) {
    events.push_back(e);
    return true;
  });
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(events.size(), 50u);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(events[i].id, std::to_string(i + 1));
    EXPECT_EQ(events[i].event, "warning");
    EXPECT_EQ(events[i].data, "{\"n\":" + std::to_string(i + 1) + "}\nsecond line");
  }
}

TEST_F(SseServerTest, SendsStreamHeadersAndKeepalives) {
  ServerOptions options;
  options.sse_keepalive = absl::Milliseconds(20);
  Start(options, [this](std::shared_ptr<SseChannel> channel) { Keep(channel); });
  RawConnection raw(server_->port());
  ASSERT_TRUE(raw.Send("GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"));
  std::string head = raw.ReadUntil(": keepalive\n\n");
  EXPECT_EQ(testing::StatusOf(head), 200) << head;
  EXPECT_NE(head.find("Content-Type: text/event-stream\r\n"), std::string::npos);
  EXPECT_NE(head.find("Cache-Control: no-cache\r\n"), std::string::npos);
  EXPECT_NE(head.find("X-Accel-Buffering: no\r\n"), std::string::npos);
  EXPECT_NE(head.find("X-Stream: warnings\r\n"), std::string::npos);
  EXPECT_EQ(head.find("Content-Length"), std::string::npos);
  EXPECT_NE(head.find(": keepalive\n\n"), std::string::npos);
  std::shared_ptr<SseChannel> channel = WaitForChannel();
  EXPECT_TRUE(channel->Send("9", "", "hi"));
  EXPECT_NE(raw.ReadUntil("data: hi\n\n").find("id: 9\ndata: hi\n\n"), std::string::npos);
}

TEST_F(SseServerTest, ClientDisconnectClosesChannel) {
  Start({}, [this](std::shared_ptr<SseChannel> channel) { Keep(channel); });
  auto open = metrics_.RegisterGauge("fz_sse_streams", "Open Server-Sent Events streams");
  ASSERT_TRUE(open.ok());
  {
    RawConnection raw(server_->port());
    ASSERT_TRUE(raw.Send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
    raw.ReadUntil("\r\n\r\n");
    std::shared_ptr<SseChannel> channel = WaitForChannel();
    EXPECT_FALSE(channel->closed());
    EXPECT_EQ((*open)->Value(), 1);
  }  // The client goes away.
  std::shared_ptr<SseChannel> channel = WaitForChannel();
  for (int i = 0; i < 500 && !channel->closed(); ++i) absl::SleepFor(absl::Milliseconds(10));
  EXPECT_TRUE(channel->closed());
  EXPECT_FALSE(channel->Send("1", "", "nobody listens"));
}

TEST_F(SseServerTest, SlowConsumerIsCut) {
  ServerOptions options;
  options.sse_max_queued_frames = 8;
  Start(options, [this](std::shared_ptr<SseChannel> channel) { Keep(channel); });
  RawConnection raw(server_->port());  // Reads the head, then nothing more.
  ASSERT_TRUE(raw.Send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
  raw.ReadUntil("\r\n\r\n");
  std::shared_ptr<SseChannel> channel = WaitForChannel();
  std::string payload(64 << 10, 'p');
  int sent = 0;
  while (sent < 100000 && channel->Send(std::to_string(sent), "", payload)) ++sent;
  EXPECT_LT(sent, 100000);  // Socket buffers hold some megabytes, then the queue fills.
  EXPECT_TRUE(channel->closed());
  bool closed = false;
  raw.ReadUntilClose(&closed);
  EXPECT_TRUE(closed);
}

TEST_F(SseServerTest, StopClosesOpenStreams) {
  Start({}, [this](std::shared_ptr<SseChannel> channel) { Keep(channel); });
  RawConnection raw(server_->port());
  ASSERT_TRUE(raw.Send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
  raw.ReadUntil("\r\n\r\n");
  std::shared_ptr<SseChannel> channel = WaitForChannel();
  server_->Stop(absl::Seconds(5));
  EXPECT_TRUE(channel->closed());
  bool closed = false;
  raw.ReadUntilClose(&closed);
  EXPECT_TRUE(closed);
  EXPECT_FALSE(channel->Send("1", "", "after stop"));
}

TEST_F(SseServerTest, ReadSseReportsHttpErrors) {
  Start({}, [](std::shared_ptr<SseChannel>) {});
  Status status =
      ReadSse("127.0.0.1", server_->port(), "/nothing", {}, [](const SseEvent&) { return true; });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
}

TEST_F(SseServerTest, ReadSseHonoursTimeout) {
  Start({}, [this](std::shared_ptr<SseChannel> channel) { Keep(channel); });
  Status status = ReadSse(
      "127.0.0.1", server_->port(), "/events", {}, [](const SseEvent&) { return true; },
      absl::Milliseconds(200));
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
}

TEST_F(SseServerTest, ReadSseStopsAtItsEndTimeThroughKeepalives) {
  // Keepalives every 20 ms keep the 30 s idle timeout from ever firing; only `until` ends it.
  ServerOptions options;
  options.sse_keepalive = absl::Milliseconds(20);
  Start(options, [this](std::shared_ptr<SseChannel> channel) { Keep(channel); });
  int events = 0;
  const absl::Time until = absl::Now() + absl::Milliseconds(300);
  Status status = ReadSse(
      "127.0.0.1", server_->port(), "/events", {},
      [&](const SseEvent&) {
        ++events;
        return true;
      },
      absl::Seconds(30), until);
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_GE(absl::Now(), until);
  EXPECT_EQ(events, 0);  // Keepalive comments are not events.
}

}  // namespace
}  // namespace fz::http
