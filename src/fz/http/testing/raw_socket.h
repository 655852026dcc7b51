// Test helper: a blocking loopback TCP connection that sends arbitrary bytes (half requests,
// garbage, pipelined requests) and reads raw HTTP responses, for what a well-behaved client
// such as http::Client cannot do.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace fz::http::testing {

class RawConnection {
 public:
  // Connects to 127.0.0.1:port; ok() says whether it worked. Reads give up after `timeout`.
  explicit RawConnection(uint16_t port, absl::Duration timeout = absl::Seconds(10));
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool ok() const { return fd_ >= 0; }
  bool Send(std::string_view bytes);
  // One response: the head and a Content-Length body. "" if the connection closed first.
  std::string ReadResponse();
  // Everything until the peer closes (or the timeout); `closed` says whether it closed.
  std::string ReadUntilClose(bool* closed = nullptr);
  // Reads until `needle` appears in what was read so far (returned), or close/timeout.
  std::string ReadUntil(std::string_view needle);
  void Close();

 private:
  int fd_ = -1;
  std::string pending_;  // read but not yet returned
};

// The status code of a raw response ("HTTP/1.1 413 ..." → 413), 0 if none.
int StatusOf(std::string_view response);

}  // namespace fz::http::testing
