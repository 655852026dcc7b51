#include "fz/http/testing/raw_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>

namespace fz::http::testing {

RawConnection::RawConnection(uint16_t port, absl::Duration timeout) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return;
  timeval tv = absl::ToTimeval(timeout);
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) Close();
}

RawConnection::~RawConnection() { Close(); }

void RawConnection::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool RawConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string RawConnection::ReadUntil(std::string_view needle) {
  char chunk[16384];
  while (pending_.find(needle) == std::string::npos) {
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) break;
    pending_.append(chunk, static_cast<size_t>(n));
  }
  std::string out;
  out.swap(pending_);
  return out;
}

std::string RawConnection::ReadResponse() {
  std::string data = ReadUntil("\r\n\r\n");
  size_t head_end = data.find("\r\n\r\n");
  if (head_end == std::string::npos) return "";
  size_t length = 0;
  for (std::string_view key : {"Content-Length: ", "content-length: "}) {
    size_t at = data.find(key);
    if (at != std::string::npos && at < head_end) {
      length = std::strtoul(data.c_str() + at + key.size(), nullptr, 10);
    }
  }
  size_t total = head_end + 4 + length;
  char chunk[16384];
  while (data.size() < total) {
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) break;
    data.append(chunk, static_cast<size_t>(n));
  }
  if (data.size() > total) pending_ = data.substr(total);
  data.resize(std::min(total, data.size()));
  return data;
}

std::string RawConnection::ReadUntilClose(bool* closed) {
  std::string data;
  data.swap(pending_);
  char chunk[16384];
  bool eof = false;
  while (true) {
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) {
      // 0: orderly close; ECONNRESET also means the server closed. Timeout: EAGAIN.
      eof = n == 0 || errno == ECONNRESET;
      break;
    }
    data.append(chunk, static_cast<size_t>(n));
  }
  if (closed != nullptr) *closed = eof;
  return data;
}

int StatusOf(std::string_view response) {
  if (response.size() < 12 || response.substr(0, 5) != "HTTP/") return 0;
  return std::atoi(std::string(response.substr(9, 3)).c_str());
}

}  // namespace fz::http::testing
