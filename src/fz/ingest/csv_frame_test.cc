// The one-pass CSV framers against their scalar definition, and the scanner and the CSV reader
// with each framer against the general path (no framer: a line-end scan, then a split).
#include "fz/ingest/csv_frame.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/ingest/csv_reader.h"
#include "fz/ingest/decompress.h"
#include "fz/ingest/event_reader.h"
#include "fz/ingest/record_scanner.h"
#include "fz/ingest/test_util.h"
#include "fz/model/fraud_type.h"
#include "gtest/gtest.h"

namespace fz::ingest::internal {
namespace {

struct Framer {
  const char* name;
  FrameLineFn fn;
};

std::vector<Framer> VectorFramers() {
  std::vector<Framer> out = {{"sse2", FrameLineSse2}};
  if (HasAvx2Framer()) out.push_back({"avx2", FrameLineAvx2});
  return out;
}

std::vector<Framer> AllFramers() {
  std::vector<Framer> out = VectorFramers();
  out.push_back({"scalar", FrameLineScalar});
  return out;
}

// "end:offsets" or "quote"; offsets only up to kMaxStored.
std::string Describe(size_t end, const LineCommas& commas) {
  if (end == kQuoteFirst) return "quote";
  std::string out = fz::StrCat(end, ":", commas.count, ":");
  for (uint32_t i = 0; i < std::min(commas.count, LineCommas::kMaxStored); ++i) {
    fz::StrAppend(&out, commas.at[i], " ");
  }
  return out;
}

// Holds text so that it ends right at a page that cannot be read: a framer reading past its
// bytes crashes.
class GuardedBuffer {
 public:
  GuardedBuffer() {
    page_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    size_ = 64 * page_;
    mem_ = static_cast<char*>(
        mmap(nullptr, size_ + page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    mprotect(mem_ + size_, page_, PROT_NONE);
  }
  ~GuardedBuffer() { munmap(mem_, size_ + page_); }
  const char* Place(std::string_view text) {
    char* at = mem_ + size_ - text.size();
    std::memcpy(at, text.data(), text.size());
    return at;
  }

 private:
  size_t page_;
  size_t size_;
  char* mem_;
};

std::string RandomLine(std::mt19937& rng, size_t max_length) {
  const std::string alphabet = "a,,,\"\n\r\xE4\xB8\x80";
  size_t length = rng() % (max_length + 1);
  int density = static_cast<int>(rng() % 5);
  std::string text;
  for (size_t i = 0; i < length; ++i) {
    text += rng() % 8 < static_cast<unsigned>(density) ? alphabet[rng() % alphabet.size()]
                                                       : static_cast<char>('a' + rng() % 26);
  }
  return text;
}

TEST(CsvFrameTest, VectorFramersMatchTheScalarOne) {
  std::mt19937 rng(11);
  GuardedBuffer guard;
  LineCommas want_commas;
  LineCommas got_commas;
  for (int round = 0; round < 20000; ++round) {
    std::string text = RandomLine(rng, round % 10 == 0 ? 700 : 200);
    // Every prefix length of short lines, so that each block and tail size is met.
    for (size_t n = text.size() < 140 ? 0 : text.size(); n <= text.size(); ++n) {
      const char* p = guard.Place(std::string_view(text).substr(0, n));
      std::string want = Describe(FrameLineScalar(p, n, &want_commas), want_commas);
      for (const Framer& f : VectorFramers()) {
        ASSERT_EQ(Describe(f.fn(p, n, &got_commas), got_commas), want)
            << f.name << " on '" << text.substr(0, n) << "'";
      }
    }
  }
}

TEST(CsvFrameTest, EdgeCases) {
  GuardedBuffer guard;
  LineCommas commas;
  const std::string many(300, ',');  // more commas than are stored
  for (const Framer& f : AllFramers()) {
    SCOPED_TRACE(f.name);
    EXPECT_EQ(f.fn(guard.Place(""), 0, &commas), 0u);
    EXPECT_EQ(commas.count, 0u);
    EXPECT_EQ(f.fn(guard.Place(",\n"), 2, &commas), 1u);
    EXPECT_EQ(Describe(1, commas), "1:1:0 ");
    EXPECT_EQ(f.fn(guard.Place("\"\n"), 2, &commas), kQuoteFirst);
    EXPECT_EQ(f.fn(guard.Place("a,b\n\"c"), 6, &commas), 3u);  // a quote after the end
    EXPECT_EQ(Describe(3, commas), "3:1:1 ");
    EXPECT_EQ(f.fn(guard.Place(many + "\n"), many.size() + 1, &commas), many.size());
    EXPECT_EQ(commas.count, many.size());
    for (uint32_t i = 0; i < LineCommas::kMaxStored; ++i) ASSERT_EQ(commas.at[i], i);
    // A '\n' as the last byte of a block and as the first of the next.
    for (size_t at : {63, 64, 127, 128}) {
      std::string text(at, 'x');
      text[at / 2] = ',';
      text += "\n,";
      EXPECT_EQ(Describe(f.fn(guard.Place(text), text.size(), &commas), commas),
                fz::StrCat(at, ":1:", at / 2, " "));
    }
  }
}

// Hands out the first `split` bytes, then the rest: a chunk boundary at that offset.
class TwoPieceSource final : public ByteSource {
 public:
  TwoPieceSource(std::string_view data, size_t split) : data_(data), split_(split) {}
  StatusOr<size_t> Read(char* buf, size_t size) override {
    size_t n = std::min(size, data_.size());
    if (split_ > 0) n = std::min(n, split_);
    split_ = split_ > n ? split_ - n : 0;
    std::copy_n(data_.data(), n, buf);
    data_.remove_prefix(n);
    return n;
  }

 private:
  std::string_view data_;
  size_t split_;
};

// Every record as "line+lines[!]:text|fields", the fields from the comma offsets when the
// scanner gives them (checked against SplitCsvRecord), else from SplitCsvRecord.
std::vector<std::string> ScanAndSplit(ByteSource* source, FrameLineFn frame, size_t chunk,
                                      size_t* with_commas) {
  RecordScanner scanner(source, /*csv_quotes=*/true, chunk);
  scanner.SetFrameLineForTesting(frame);
  std::vector<std::string> out;
  ScannedRecord rec;
  std::vector<std::string_view> fields;
  std::string scratch;
  for (;;) {
    StatusOr<bool> more = scanner.Next(&rec);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    std::string line =
        fz::StrCat(rec.line, "+", rec.lines, rec.too_long ? "!" : "", ":", rec.text, "|");
    bool split = SplitCsvRecord(rec.text, &fields, &scratch).ok();
    if (rec.commas != nullptr) {
      ++*with_commas;
      EXPECT_TRUE(split) << rec.text;
      EXPECT_EQ(rec.commas->count + 1, fields.size()) << rec.text;
      EXPECT_EQ(rec.commas->at[rec.commas->count], rec.text.size()) << rec.text;
      uint32_t begin = 0;
      for (uint32_t i = 0; i <= rec.commas->count && i < fields.size(); ++i) {
        uint32_t end = rec.commas->at[i];
        EXPECT_EQ(rec.text.substr(begin, end - begin), fields[i]) << rec.text;
        begin = end + 1;
      }
    }
    for (std::string_view f : fields) fz::StrAppend(&line, split ? f : "?", ";");
    out.push_back(line);
  }
  return out;
}

std::string RandomBody(std::mt19937& rng) {
  std::string body = rng() % 4 == 0 ? "\xEF\xBB\xBF" : "";
  int lines = static_cast<int>(rng() % 12);
  for (int i = 0; i < lines; ++i) {
    switch (rng() % 8) {
      case 0:
        break;  // blank
      case 1:
        body += RandomLine(rng, 150);  // quotes, CRs and newlines anywhere
        break;
      case 2:
        body += std::string(kMaxRecordBytes + rng() % 3 - 1, 'x') + ",y";  // about the cap
        break;
      case 3:
        body += "a,\"b\nc\",d";  // a quoted newline
        break;
      default: {
        std::string line = RandomLine(rng, 120);
        line.erase(
            std::remove_if(line.begin(), line.end(), [](char c) { return c == '"' || c == '\n'; }),
            line.end());
        body += line;
      }
    }
    body += rng() % 3 == 0 ? "\r\n" : "\n";
  }
  if (rng() % 3 == 0 && !body.empty()) body.pop_back();  // no terminator at the end
  return body;
}

TEST(CsvFrameTest, ScannerFramesAndSplitsLikeTheGeneralPath) {
  std::mt19937 rng(5);
  size_t with_commas = 0;
  for (int round = 0; round < 400; ++round) {
    std::string body = RandomBody(rng);
    size_t ignored = 0;
    auto whole = MemoryByteSource(body, Compression::kNone);
    std::vector<std::string> want =
        ScanAndSplit(whole.get(), nullptr, RecordScanner::kDefaultChunkBytes, &ignored);
    for (const Framer& f : AllFramers()) {
      auto source = MemoryByteSource(body, Compression::kNone);
      ASSERT_EQ(ScanAndSplit(source.get(), f.fn, RecordScanner::kDefaultChunkBytes, &with_commas),
                want)
          << f.name << " round " << round;
      // Chunk boundaries: at every offset of a short body, at random ones of a long body.
      const bool short_body = body.size() < 600;
      for (size_t i = 0; i < (short_body ? body.size() : 20); ++i) {
        size_t split = short_body ? i : rng() % body.size();
        TwoPieceSource pieces(body, split);
        ASSERT_EQ(ScanAndSplit(&pieces, f.fn, 1 + i % 97, &with_commas), want)
            << f.name << " round " << round << " split " << split;
      }
    }
  }
  EXPECT_GT(with_commas, 1000u);  // the comma offsets were used, not only the fallbacks
}

TEST(CsvFrameTest, ReaderGivesTheSameEventsAndQuarantineWithEveryFramer) {
  model::FraudTypeRegistry types = model::FraudTypeRegistry::WithBuiltins();
  ReadOptions options{.fraud_types = &types};
  options.batch_size = 3;
  testing::TempDir dir;
  std::mt19937 rng(3);
  auto read = [&](const std::string& body, FrameLineFn frame) {
    ScopedFrameLineForTesting use(frame);
    std::string qpath = dir.File("q.jsonl");
    std::remove(qpath.c_str());
    std::string out;
    {
      Quarantine quarantine(qpath);
      StatusOr<FileStats> stats =
          ReadEventBuffer(body, EventFormat::kCsv, model::EventType::kCall, "mem", options,
                          quarantine, [&](std::vector<model::Event>& batch) {
                            for (auto& e : batch)
                              fz::StrAppend(&out, testing::DescribeEvent(e), "\n");
                          });
      fz::StrAppend(&out, stats.ok() ? "ok" : stats.status().message(), "\n");
    }
    return out + testing::ReadFile(qpath);
  };
  const char* kRows[] = {
      "c1,2026-11-26T00:00:00+08:00,13951060533,13951468761,120,46000-9510-1950",
      "c2,2026-11-26T00:00:01+08:00,13951455644,13951200014,285,",
      "c3,2026-11-26T00:00:02+08:00,13951455644,13951200014,285",            // a field short
      "c4,2026-11-26T00:00:02+08:00,13951455644,13951200014,285,1,2",        // a field more
      "c5,\"2026-11-26T00:00:03+08:00\",\"139 5145 5644\",13951200014,1,x",  // quoted
      "c6,2026-11-26T00:00:04+08:00,\"1395\n1455644\",13951200014,1,x",      // quoted newline
      "c7,2026-11-26T00:00:04+08:00,\"open,13951200014,1,x",                 // unterminated
      "c8,2026-11-26T00:00:05+08:00,bad phone,13951200014,1,x",
      "",
  };
  for (int round = 0; round < 300; ++round) {
    std::string body = rng() % 2 ? "id,ts,caller,callee,duration_s,cell_id\n"
                                 : "\xEF\xBB\xBFid,ts,caller,callee,duration_s,cell_id\r\n";
    int rows = static_cast<int>(rng() % 20);
    for (int i = 0; i < rows; ++i) {
      body += rng() % 10 == 0 ? RandomLine(rng, 100) : kRows[rng() % std::size(kRows)];
      body += rng() % 4 == 0 ? "\r\n" : "\n";
    }
    if (rng() % 3 == 0) body.pop_back();
    std::string want = read(body, nullptr);
    for (const Framer& f : AllFramers()) {
      ASSERT_EQ(read(body, f.fn), want) << f.name << " on\n" << body;
    }
  }
}

}  // namespace
}  // namespace fz::ingest::internal
