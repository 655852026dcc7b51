#include "fz/http/sse_channel.h"

#include "fz/common/str_cat.h"

namespace fz::http {
namespace {

std::string WithoutLineBreaks(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  return out;
}

}  // namespace

std::string FormatSseFrame(std::string_view id, std::string_view event, std::string_view data) {
  std::string frame;
  if (!id.empty()) StrAppend(&frame, "id: ", WithoutLineBreaks(id), "\n");
  if (!event.empty()) StrAppend(&frame, "event: ", WithoutLineBreaks(event), "\n");
  size_t start = 0;
  while (true) {
    size_t end = data.find_first_of("\r\n", start);
    StrAppend(&frame, "data: ", data.substr(start, end - start), "\n");
    if (end == std::string_view::npos) break;
    start = end + 1;
    if (data[end] == '\r' && start < data.size() && data[start] == '\n') ++start;
  }
  frame.push_back('\n');
  return frame;
}

SseChannelImpl::SseChannelImpl(size_t max_queued_frames, std::weak_ptr<SseSink> sink)
    : max_queued_frames_(max_queued_frames), sink_(std::move(sink)) {}

bool SseChannelImpl::Send(std::string_view id, std::string_view event, std::string_view data) {
  return Enqueue(FormatSseFrame(id, event, data));
}

bool SseChannelImpl::SendRetry(int milliseconds) {
  return Enqueue(StrCat("retry: ", milliseconds, "\n\n"));
}

bool SseChannelImpl::SendComment(std::string_view text) {
  return Enqueue(StrCat(": ", WithoutLineBreaks(text), "\n\n"));
}

bool SseChannelImpl::closed() const {
  absl::MutexLock lock(&mu_);
  return closed_;
}

// The sink is notified under the lock: once MarkClosed() returns, no thread can still reach
// the connection through this channel, so the server may tear its connections down.
void SseChannelImpl::Close() {
  absl::MutexLock lock(&mu_);
  if (closed_) return;
  closed_ = true;
  if (auto sink = sink_.lock()) sink->OnSseClosed(/*overflow=*/false);
}

std::deque<std::string> SseChannelImpl::TakeFrames() {
  absl::MutexLock lock(&mu_);
  std::deque<std::string> frames;
  frames.swap(frames_);
  return frames;
}

void SseChannelImpl::MarkClosed() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  frames_.clear();
}

bool SseChannelImpl::Enqueue(std::string frame) {
  absl::MutexLock lock(&mu_);
  if (closed_) return false;
  if (frames_.size() >= max_queued_frames_) {
    closed_ = true;
    frames_.clear();
    if (auto sink = sink_.lock()) sink->OnSseClosed(/*overflow=*/true);
    return false;
  }
  frames_.push_back(std::move(frame));
  if (frames_.size() == 1) {
    if (auto sink = sink_.lock()) sink->OnSseQueued();
  }
  return true;
}

}  // namespace fz::http
