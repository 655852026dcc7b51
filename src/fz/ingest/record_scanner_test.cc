#include "fz/ingest/record_scanner.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/ingest/decompress.h"
#include "gtest/gtest.h"

namespace fz::ingest {
namespace {

// Hands out the data a few bytes at a time, to move chunk boundaries everywhere.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::string_view data, uint32_t seed) : data_(data), rng_(seed) {}
  StatusOr<size_t> Read(char* buf, size_t size) override {
    size_t n = std::min({size, data_.size(), static_cast<size_t>(rng_() % 7 + 1)});
    std::copy_n(data_.data(), n, buf);
    data_.remove_prefix(n);
    return n;
  }

 private:
  std::string_view data_;
  std::mt19937 rng_;
};

std::vector<std::string> Scan(ByteSource* source, bool csv,
                              size_t chunk = RecordScanner::kDefaultChunkBytes) {
  RecordScanner scanner(source, csv, chunk);
  std::vector<std::string> out;
  ScannedRecord rec;
  for (;;) {
    StatusOr<bool> more = scanner.Next(&rec);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    out.push_back(fz::StrCat(rec.line, "+", rec.lines, rec.too_long ? "!" : "", ":", rec.text));
  }
  return out;
}

std::string RandomBody(std::mt19937& rng) {
  const char kAlphabet[] = "ab,\"\n\r";
  std::string body;
  int length = static_cast<int>(rng() % 300);
  for (int i = 0; i < length; ++i) body.push_back(kAlphabet[rng() % (sizeof kAlphabet - 1)]);
  if (rng() % 5 == 0) body.insert(rng() % (body.size() + 1), std::string(70000, 'x'));
  return body;
}

TEST(RecordScannerTest, ChunkBoundariesDoNotChangeRecords) {
  std::mt19937 rng(42);
  for (int round = 0; round < 300; ++round) {
    std::string body = RandomBody(rng);
    for (bool csv : {false, true}) {
      auto whole = MemoryByteSource(body, Compression::kNone);
      TrickleSource trickle(body, round);
      std::vector<std::string> expected = Scan(whole.get(), csv);
      EXPECT_EQ(Scan(&trickle, csv), expected) << "round " << round;
      auto small = MemoryByteSource(body, Compression::kNone);
      EXPECT_EQ(Scan(small.get(), csv, 1 + round % 5), expected) << "round " << round;
    }
  }
}

TEST(RecordScannerTest, LinesModeMatchesNaiveSplit) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::string body = RandomBody(rng);
    std::vector<std::string> expected;
    int64_t line = 1;
    for (size_t pos = 0; pos < body.size(); ++line) {
      size_t nl = std::min(body.find('\n', pos), body.size());
      std::string text = body.substr(pos, nl - pos);
      bool too_long = text.size() > kMaxRecordBytes;
      if (too_long) text.resize(kMaxRecordBytes);
      if (!too_long && !text.empty() && text.back() == '\r') text.pop_back();
      expected.push_back(fz::StrCat(line, "+1", too_long ? "!" : "", ":", text));
      pos = nl + 1;
    }
    auto source = MemoryByteSource(body, Compression::kNone);
    EXPECT_EQ(Scan(source.get(), false), expected) << "round " << round;
  }
}

TEST(RecordScannerTest, QuotedNewlinesJoinLines) {
  std::string body = "a,\"x\ny\"\r\nb\n\"open\nc\n";
  auto source = MemoryByteSource(body, Compression::kNone);
  EXPECT_EQ(Scan(source.get(), true),
            (std::vector<std::string>{"1+2:a,\"x\ny\"", "3+1:b", "4+1:\"open", "5+1:c"}));
}

TEST(RecordScannerTest, FirstReadEndingAfterTheBom) {
  // Regression: a first read of exactly the 3 BOM bytes used to end the input there.
  class BomFirst final : public ByteSource {
   public:
    StatusOr<size_t> Read(char* buf, size_t size) override {
      std::string_view piece = reads_++ == 0 ? "\xEF\xBB\xBF" : reads_ == 2 ? "a,b\nc\n" : "";
      size_t n = std::min(size, piece.size());
      std::copy_n(piece.data(), n, buf);
      return n;
    }

   private:
    int reads_ = 0;
  } source;
  EXPECT_EQ(Scan(&source, true), (std::vector<std::string>{"1+1:a,b", "2+1:c"}));
}

}  // namespace
}  // namespace fz::ingest
