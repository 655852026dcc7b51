// Plain, gzip and zstd ByteSources. The raw bytes come from a RawInput (a file descriptor or a
// memory buffer); the decoders pull compressed chunks from it as they need them.

#include "fz/ingest/decompress.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fz/common/str_cat.h"

namespace fz::ingest {
namespace {

constexpr size_t kInputChunk = 256 * 1024;

// Undecoded bytes: a file or a memory buffer.
class RawInput {
 public:
  virtual ~RawInput() = default;
  virtual StatusOr<size_t> Read(char* buf, size_t size) = 0;
  virtual const std::string& name() const = 0;
};

class FileInput final : public RawInput {
 public:
  FileInput(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  ~FileInput() override { ::close(fd_); }
  StatusOr<size_t> Read(char* buf, size_t size) override {
    for (;;) {
      ssize_t n = ::read(fd_, buf, size);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno == EINTR) continue;
      return absl::DataLossError(fz::StrCat(name_, ": read failed: ", std::strerror(errno)));
    }
  }
  const std::string& name() const override { return name_; }

 private:
  int fd_;
  std::string name_;
};

class MemoryInput final : public RawInput {
 public:
  explicit MemoryInput(std::string_view data) : data_(data) {}
  StatusOr<size_t> Read(char* buf, size_t size) override {
    size_t n = std::min(size, data_.size());
    std::memcpy(buf, data_.data(), n);
    data_.remove_prefix(n);
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  std::string_view data_;
  std::string name_ = "<memory>";
};

class PlainSource final : public ByteSource {
 public:
  explicit PlainSource(std::unique_ptr<RawInput> in) : in_(std::move(in)) {}
  StatusOr<size_t> Read(char* buf, size_t size) override { return in_->Read(buf, size); }

 private:
  std::unique_ptr<RawInput> in_;
};

class GzipSource final : public ByteSource {
 public:
  explicit GzipSource(std::unique_ptr<RawInput> in) : in_(std::move(in)), chunk_(kInputChunk) {
    // 16 + MAX_WBITS: gzip wrapper only (a zlib or raw stream named .gz is an error).
    init_ = inflateInit2(&z_, 16 + MAX_WBITS);
  }
  ~GzipSource() override {
    if (init_ == Z_OK) inflateEnd(&z_);
  }

  StatusOr<size_t> Read(char* buf, size_t size) override {
    if (init_ != Z_OK) return Error("cannot initialize zlib");
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = static_cast<uInt>(std::min<size_t>(size, 1u << 30));
    while (z_.avail_out > 0) {
      if (z_.avail_in == 0 && !eof_) FZ_RETURN_IF_ERROR(Refill());
      if (z_.avail_in == 0 && eof_) {
        if (!at_member_end_) return Error("truncated gzip stream");
        break;
      }
      if (at_member_end_) {
        // Another gzip member follows (concatenated .gz files are one stream).
        if (inflateReset(&z_) != Z_OK) return Error("cannot reset zlib");
        at_member_end_ = false;
      }
      int ret = inflate(&z_, Z_NO_FLUSH);
      if (ret == Z_STREAM_END) {
        at_member_end_ = true;
      } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
        return Error(
            fz::StrCat("corrupt gzip data (", z_.msg != nullptr ? z_.msg : "zlib error", ")"));
      } else if (ret == Z_BUF_ERROR && z_.avail_in > 0) {
        return Error("corrupt gzip data");
      }
    }
    return size - z_.avail_out;
  }

 private:
  Status Refill() {
    FZ_ASSIGN_OR_RETURN(size_t n, in_->Read(chunk_.data(), chunk_.size()));
    if (n == 0) eof_ = true;
    z_.next_in = reinterpret_cast<Bytef*>(chunk_.data());
    z_.avail_in = static_cast<uInt>(n);
    return absl::OkStatus();
  }
  Status Error(std::string_view what) {
    return absl::DataLossError(fz::StrCat(in_->name(), ": ", what));
  }

  std::unique_ptr<RawInput> in_;
  std::vector<char> chunk_;
  z_stream z_{};
  int init_ = Z_OK;
  bool eof_ = false;
  // True after a member's end: the stream may end here, or another member may follow.
  bool at_member_end_ = false;
};

class ZstdSource final : public ByteSource {
 public:
  explicit ZstdSource(std::unique_ptr<RawInput> in)
      : in_(std::move(in)), chunk_(ZSTD_DStreamInSize()), dctx_(ZSTD_createDCtx()) {}
  ~ZstdSource() override { ZSTD_freeDCtx(dctx_); }

  StatusOr<size_t> Read(char* buf, size_t size) override {
    if (dctx_ == nullptr) return Error("cannot create a zstd context");
    ZSTD_outBuffer out{buf, size, 0};
    while (out.pos < out.size) {
      if (input_.pos == input_.size && !eof_) {
        FZ_ASSIGN_OR_RETURN(size_t n, in_->Read(chunk_.data(), chunk_.size()));
        if (n == 0) eof_ = true;
        input_ = ZSTD_inBuffer{chunk_.data(), n, 0};
      }
      if (input_.pos == input_.size && eof_) {
        // `pending_` is 0 exactly when the last frame was complete.
        if (pending_ != 0) return Error("truncated zstd stream");
        break;
      }
      size_t ret = ZSTD_decompressStream(dctx_, &out, &input_);
      if (ZSTD_isError(ret)) {
        return Error(fz::StrCat("corrupt zstd data (", ZSTD_getErrorName(ret), ")"));
      }
      pending_ = ret;
    }
    return out.pos;
  }

 private:
  Status Error(std::string_view what) {
    return absl::DataLossError(fz::StrCat(in_->name(), ": ", what));
  }

  std::unique_ptr<RawInput> in_;
  std::vector<char> chunk_;
  ZSTD_DCtx* dctx_;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  size_t pending_ = 0;
  bool eof_ = false;
};

std::unique_ptr<ByteSource> Wrap(std::unique_ptr<RawInput> in, Compression compression) {
  switch (compression) {
    case Compression::kGzip:
      return std::make_unique<GzipSource>(std::move(in));
    case Compression::kZstd:
      return std::make_unique<ZstdSource>(std::move(in));
    case Compression::kNone:
      break;
  }
  return std::make_unique<PlainSource>(std::move(in));
}

}  // namespace

Compression CompressionFromName(std::string_view path) {
  if (path.ends_with(".gz")) return Compression::kGzip;
  if (path.ends_with(".zst")) return Compression::kZstd;
  return Compression::kNone;
}

StatusOr<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string message = fz::StrCat(path, ": cannot open: ", std::strerror(err));
    return err == ENOENT ? absl::NotFoundError(message) : absl::UnavailableError(message);
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return Wrap(std::make_unique<FileInput>(fd, path), CompressionFromName(path));
}

std::unique_ptr<ByteSource> MemoryByteSource(std::string_view data, Compression compression) {
  return Wrap(std::make_unique<MemoryInput>(data), compression);
}

}  // namespace fz::ingest
