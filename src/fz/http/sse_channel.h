// The server's SseChannel: a mutex-guarded frame queue between the application (any thread)
// and the connection that writes it (its strand). The connection is reached through SseSink,
// held weakly so that a channel the application keeps after the client left owns nothing.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "fz/http/message.h"

namespace fz::http {

// Implemented by the connection. Called from any thread, under the channel's lock: they must
// only post to the connection's strand, never call back into the channel.
class SseSink {
 public:
  virtual ~SseSink() = default;
  virtual void OnSseQueued() = 0;
  // overflow: the client fell behind and the stream is cut now; otherwise the application
  // closed the channel and the frames already queued are flushed first.
  virtual void OnSseClosed(bool overflow) = 0;
};

// "id: 7\nevent: warning\ndata: a\ndata: b\n\n". CR and LF are removed from id and event so a
// value cannot inject fields; data lines split on LF, CRLF or CR.
std::string FormatSseFrame(std::string_view id, std::string_view event, std::string_view data);

class SseChannelImpl final : public SseChannel {
 public:
  SseChannelImpl(size_t max_queued_frames, std::weak_ptr<SseSink> sink);

  bool Send(std::string_view id, std::string_view event, std::string_view data) override;
  bool SendRetry(int milliseconds) override;
  bool closed() const override;
  void Close() override;

  // ": text\n\n", e.g. the keepalive. Same return value as Send.
  bool SendComment(std::string_view text);
  // Connection side: the frames queued so far, oldest first, and the queue emptied.
  std::deque<std::string> TakeFrames();
  // Connection side: the client is gone; later sends return false and notify nobody.
  void MarkClosed();

 private:
  bool Enqueue(std::string frame);

  const size_t max_queued_frames_;
  const std::weak_ptr<SseSink> sink_;
  mutable absl::Mutex mu_;
  std::deque<std::string> frames_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace fz::http
