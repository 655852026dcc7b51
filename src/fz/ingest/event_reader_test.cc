#include "fz/ingest/event_reader.h"

#include <string>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/ingest/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace fz::ingest {
namespace {

using testing::DescribeEvent;
using ::testing::ElementsAre;
using testing::Gzip;
using ::testing::HasSubstr;
using ::testing::Pair;
using testing::ReadFile;
using ::testing::StartsWith;
using testing::WriteFile;
using testing::Zstd;

// The same seven events in both formats (docs/formats.md examples plus extra fields).
constexpr char kJsonl[] =
    R"({"id":"c1","type":"call","ts":"2026-11-26T09:30:00+08:00","source":"carrier.cmcc","caller":"+85517652903","callee":"13895101234","duration_s":412,"cell_id":"46000-9510-12345","imei":"356938035643809"}
{"id":"s1","type":"sms","ts":1795656600000,"sender":"10690000123","receiver":"13895101234","text":"【平台】您的刷单佣金待领取，点击 http://task-rebate.top/a 提现, 回复\"1\""}
{"id":"n1","type":"net","ts":"2026-11-26T01:31:00Z","subscriber":"13895101234","url":"http://Task-Rebate.top/a"}
{"id":"a1","type":"app","ts":"2026-11-26T09:40:00+08:00","subscriber":"13895101234","app_id":"com.zoom.meeting","app_name":"会议","action":"install"}
{"id":"t1","type":"transfer","ts":"2026-11-26T10:02:00+08:00","payer_account":"6214171234567890123","payer_phone":"13895101234","payee_account":"6222021234567890128","payee_name":"张某","amount":"20000.5","channel":"mobile_bank"}
{"id":"d1","type":"directive","ts":"2026-11-26T10:05:00+08:00","directive_id":"GJFZ-2026-000123","subject_phone":"13895101234","level":"red","fraud_type":"刷单返利","issuer":"国家反诈中心"}
{"id":"r1","type":"report","ts":"2026-11-26T11:00:00+08:00","reporter":"13995102222","suspect_phones":["+85517652903","13895101234"],"suspect_accounts":["6222021234567890128"],"fraud_type":"fake_investment","loss":"50000"}
)";

constexpr char kCsv[] =
    "id,type,ts,source,caller,callee,duration_s,cell_id,imei,sender,receiver,text,subscriber,url,"
    "app_id,app_name,action,payer_account,payer_phone,payee_account,payee_name,amount,channel,"
    "directive_id,subject_phone,level,fraud_type,issuer,reporter,suspect_phones,suspect_accounts,"
    "loss\n"
    "c1,call,2026-11-26T09:30:00+08:00,carrier.cmcc,+85517652903,13895101234,412,46000-9510-12345,"
    "356938035643809,,,,,,,,,,,,,,,,,,,,,,,\n"
    "s1,sms,1795656600000,,,,,,,10690000123,13895101234,"
    "\"【平台】您的刷单佣金待领取，点击 http://task-rebate.top/a 提现, "
    "回复\"\"1\"\"\",,,,,,,,,,,,,,,,,,,,"
    "\n"
    "n1,net,2026-11-26T01:31:00Z,,,,,,,,,,13895101234,http://Task-Rebate.top/a,,,,,,,,,,,,,,,,,,\n"
    "a1,app,2026-11-26T09:40:00+08:00,,,,,,,,,,13895101234,,com.zoom.meeting,会议,install,,,,,,,,,,"
    ",,,,,\n"
    "t1,transfer,2026-11-26T10:02:00+08:00,,,,,,,,,,,,,,,6214171234567890123,13895101234,"
    "6222021234567890128,张某,20000.5,mobile_bank,,,,,,,,,\n"
    "d1,directive,2026-11-26T10:05:00+08:00,,,,,,,,,,,,,,,,,,,,,GJFZ-2026-000123,13895101234,red,"
    "刷单返利,国家反诈中心,,,,\n"
    "r1,report,2026-11-26T11:00:00+08:00,,,,,,,,,,,,,,,,,,,,,,,,fake_investment,,13995102222,"
    "+85517652903;13895101234,6222021234567890128,50000\n";

struct QuarantineLine {
  std::string file;
  int64_t line;
  std::string reason;
  std::string raw;
};

class EventReaderTest : public ::testing::Test {
 protected:
  model::FraudTypeRegistry types_ = model::FraudTypeRegistry::WithBuiltins();
  ReadOptions options_{.fraud_types = &types_};
  testing::TempDir dir_;

  // Reads `path` with a quarantine file; fills events_ and quarantined_.
  StatusOr<FileStats> Read(const std::string& path) {
    events_.clear();
    quarantined_.clear();
    std::string qpath = dir_.File("quarantine.jsonl");
    std::remove(qpath.c_str());
    StatusOr<FileStats> stats;
    {
      Quarantine quarantine(qpath);
      stats = ReadEventFile(path, options_, quarantine, [&](std::vector<model::Event>& batch) {
        for (auto& e : batch) events_.push_back(DescribeEvent(e));
      });
      EXPECT_TRUE(quarantine.status().ok());
      counts_ = quarantine.CountsByReason();
    }
    std::string text = ReadFile(qpath);
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      auto j = nlohmann::json::parse(text.substr(pos, nl - pos));
      quarantined_.push_back({j["file"], j["line"], j["reason"], j["raw"]});
      pos = nl + 1;
    }
    return stats;
  }
  StatusOr<FileStats> ReadContent(const std::string& name, std::string_view content) {
    WriteFile(dir_.File(name), content);
    return Read(dir_.File(name));
  }

  std::vector<std::string> events_;
  std::vector<QuarantineLine> quarantined_;
  std::map<std::string, int64_t> counts_;
};

TEST_F(EventReaderTest, CsvAndJsonlGiveIdenticalEventsOfEveryType) {
  ASSERT_TRUE(ReadContent("mixed.jsonl", kJsonl).ok());
  std::vector<std::string> from_json = events_;
  ASSERT_EQ(from_json.size(), 7u);
  EXPECT_TRUE(quarantined_.empty()) << quarantined_[0].reason;
  StatusOr<FileStats> stats = ReadContent("mixed.csv", kCsv);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_TRUE(quarantined_.empty()) << quarantined_[0].reason;
  EXPECT_EQ(events_, from_json);
  EXPECT_EQ(stats->rows, 7);
  EXPECT_EQ(stats->events, 7);
  EXPECT_EQ(stats->bytes, static_cast<int64_t>(std::string_view(kCsv).size()));
  EXPECT_THAT(from_json[0], HasSubstr("callee=+8613895101234 dur=412"));
  EXPECT_THAT(from_json[2], HasSubstr("domain=task-rebate.top url=http://task-rebate.top/a"));
  EXPECT_THAT(from_json[4], HasSubstr("fen=2000050"));
  EXPECT_THAT(from_json[6], HasSubstr("phones=+85517652903;+8613895101234"));
}

TEST_F(EventReaderTest, CompressedFilesReadLikePlainOnes) {
  ASSERT_TRUE(ReadContent("plain.jsonl", kJsonl).ok());
  std::vector<std::string> expected = events_;
  for (auto [name, body] : {std::pair<std::string, std::string>{"a.jsonl.gz", Gzip(kJsonl)},
                            {"a.jsonl.zst", Zstd(kJsonl)},
                            {"a.ndjson.gz", Gzip(kJsonl)}}) {
    StatusOr<FileStats> stats = ReadContent(name, body);
    ASSERT_TRUE(stats.ok()) << name << ": " << stats.status();
    EXPECT_EQ(events_, expected) << name;
    EXPECT_EQ(stats->bytes, static_cast<int64_t>(std::string_view(kJsonl).size()));
  }
  ASSERT_TRUE(ReadContent("plain.csv", kCsv).ok());
  expected = events_;
  for (auto [name, body] :
       {std::pair<std::string, std::string>{"b.csv.gz", Gzip(kCsv)}, {"b.csv.zst", Zstd(kCsv)}}) {
    ASSERT_TRUE(ReadContent(name, body).ok()) << name;
    EXPECT_EQ(events_, expected) << name;
  }
}

TEST_F(EventReaderTest, ConcatenatedCompressedStreamsAreOneFile) {
  std::string half1 = "id,ts,caller,callee\nc1,1795656600000,+85517652903,13895101234\n";
  std::string half2 = "c2,1795656600000,+85517652903,13895101235\n";
  ASSERT_TRUE(ReadContent("call_x.csv.gz", Gzip(half1) + Gzip(half2)).ok());
  EXPECT_EQ(events_.size(), 2u);
  ASSERT_TRUE(ReadContent("call_y.csv.zst", Zstd(half1) + Zstd(half2)).ok());
  EXPECT_EQ(events_.size(), 2u);
}

TEST_F(EventReaderTest, TruncatedOrCorruptCompressionIsAnError) {
  std::string gz = Gzip(kJsonl);
  StatusOr<FileStats> s = ReadContent("t.jsonl.gz", gz.substr(0, gz.size() / 2));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("truncated gzip"));
  std::string zst = Zstd(kJsonl);
  s = ReadContent("t.jsonl.zst", zst.substr(0, zst.size() - 3));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("t.jsonl.zst"));
  s = ReadContent("u.jsonl.gz", "this is not gzip at all");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("corrupt gzip"));
  s = ReadContent("u.jsonl.zst", "this is not zstd at all");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("corrupt zstd"));
}

TEST_F(EventReaderTest, OpenErrors) {
  StatusOr<FileStats> s = Read(dir_.File("missing.csv"));
  EXPECT_TRUE(absl::IsNotFound(s.status()));
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("missing.csv"));
  s = ReadContent("events.txt", "x");
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("not an event file name"));
}

TEST_F(EventReaderTest, TypeFromFileNameOrTypeColumn) {
  // No type column: the file name gives it; unknown columns are ignored.
  StatusOr<FileStats> s = ReadContent("sms-0930.csv",
                                      "ID,Ts,sender,receiver,text,carrier_internal\n"
                                      "s1,1795656600000,10690000123,13895101234,hello,xyz\n");
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_THAT(events_[0], StartsWith("sms id=s1"));
  // A type column wins over the file name, row by row.
  s = ReadContent("call_mixed.csv",
                  "id,type,ts,caller,callee,sender,receiver\n"
                  "c1,,1795656600000,+85517652903,13895101234,,\n"
                  "s1,sms,1795656600000,,,10690000123,13895101234\n"
                  "x1,fax,1795656600000,,,,\n");
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_THAT(events_[0], StartsWith("call id=c1"));
  EXPECT_THAT(events_[1], StartsWith("sms id=s1"));
  ASSERT_EQ(quarantined_.size(), 1u);
  EXPECT_THAT(quarantined_[0].reason, StartsWith("unknown_type: type 'fax'"));
  EXPECT_EQ(quarantined_[0].line, 4);
  // JSONL lines without a type take it from the file name too.
  s = ReadContent("transfers_1.jsonl",
                  R"({"id":"t","ts":1795656600000,"payer_account":"6214171234567890123",)"
                  R"("payee_account":"6222021234567890128","amount":1})"
                  "\n");
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_THAT(events_[0], StartsWith("transfer id=t"));
}

TEST_F(EventReaderTest, HeaderErrorsNameTheColumn) {
  StatusOr<FileStats> s = ReadContent("call_1.csv", "id,ts,caller\nc1,1795656600000,110\n");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(
      std::string(s.status().message()),
      fz::StrCat(dir_.File("call_1.csv"), ":1: missing required column 'callee' for call events"));
  s = ReadContent("data.csv", "id,ts,caller,callee\n");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("no 'type' column"));
  s = ReadContent("mixed.csv", "id,type,caller\n");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("missing required column 'ts'"));
  s = ReadContent("net_1.csv", "id,ts,subscriber\n");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()),
              HasSubstr("net events need one of the columns 'domain', 'url', 'ip'"));
  s = ReadContent("call_2.csv", "id,ts,caller,callee,caller\n");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("duplicate column 'caller'"));
  s = ReadContent("call_3.csv", "id,\"ts,caller,callee\n");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()), HasSubstr(":1: bad header"));
}

TEST_F(EventReaderTest, EmptyAndHeaderOnlyFilesHaveNoRows) {
  for (auto [name, content] : {std::pair<const char*, const char*>{"call_a.csv", ""},
                               {"call_b.csv", "id,ts,caller,callee\n"},
                               {"call_c.csv", "\n\n"},
                               {"d.jsonl", ""},
                               {"e.jsonl", "\n  \n\r\n"}}) {
    StatusOr<FileStats> s = ReadContent(name, content);
    ASSERT_TRUE(s.ok()) << name << s.status();
    EXPECT_EQ(s->rows, 0) << name;
    EXPECT_TRUE(events_.empty());
    EXPECT_TRUE(quarantined_.empty());
  }
}

TEST_F(EventReaderTest, BomCrlfAndFullWidthDigits) {
  StatusOr<FileStats> s =
      ReadContent("call_bom.csv",
                  "\xEF\xBB\xBFid,ts,caller,callee\r\n"
                  "c1,2026-11-26T09:30:00+08:00,+85517652903,１３８ ９５１０ １２３４\r\n"
                  "\r\n"
                  "c2,2026-11-26T09:30:00+08:00,+85517652903,13895101234");  // no final newline
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(quarantined_.empty()) << quarantined_[0].reason;
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_THAT(events_[0], HasSubstr("callee=+8613895101234 "));
  EXPECT_THAT(events_[1], HasSubstr("callee=+8613895101234 "));
  s = ReadContent("bom.jsonl", std::string("\xEF\xBB\xBF") + kJsonl);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(events_.size(), 7u);
}

TEST_F(EventReaderTest, QuotedFieldsWithCommasAndNewlines) {
  StatusOr<FileStats> s =
      ReadContent("sms_q.csv",
                  "id,ts,sender,receiver,text\n"
                  "s1,1795656600000,10690000123,13895101234,\"a, b\nline two \"\"quoted\"\"\"\n"
                  "s2,1795656600000,10690000123,13895101234,plain\n"
                  "s3,1795656600000,10690000123,13895101234,bro\"ken\n"
                  "s4,1795656600000,10690000123,13895101234,\"never closed\n"
                  "s5,1795656600000,10690000123,13895101234,ok\n");
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(events_.size(), 3u);
  EXPECT_THAT(events_[0], HasSubstr("text=a, b\nline two \"quoted\""));
  EXPECT_THAT(events_[1], StartsWith("sms id=s2"));
  EXPECT_THAT(events_[2], StartsWith("sms id=s5"));
  ASSERT_EQ(quarantined_.size(), 2u);
  EXPECT_EQ(quarantined_[0].line, 5);  // s1 spans lines 2-3
  EXPECT_EQ(quarantined_[0].reason, "bad_csv: quote inside an unquoted field");
  EXPECT_EQ(quarantined_[1].line, 6);
  EXPECT_EQ(quarantined_[1].reason, "bad_csv: unterminated quoted field");
  EXPECT_EQ(quarantined_[1].raw, "s4,1795656600000,10690000123,13895101234,\"never closed");
}

TEST_F(EventReaderTest, StrayQuotesLoseOnlyTheirOwnLine) {
  // s1's stray quote pairs with s3's: the would-be 3-line record is malformed (text after the
  // closing quote), so s1 is quarantined alone and s2, s3 are read on their own.
  StatusOr<FileStats> s = ReadContent("sms_s.csv",
                                      "id,ts,sender,receiver,text\n"
                                      "s1,1795656600000,10690000123,13895101234,\"x\n"
                                      "s2,1795656600000,10690000123,13895101234,y\n"
                                      "s3,1795656600000,10690000123,13895101234,z\"q\n");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(events_.size(), 1u);
  ASSERT_EQ(quarantined_.size(), 2u);
  EXPECT_EQ(quarantined_[0].line, 2);
  EXPECT_EQ(quarantined_[1].line, 4);
  EXPECT_THAT(events_[0], StartsWith("sms id=s2"));
}

TEST_F(EventReaderTest, QuarantineReasonsWithFileAndLine) {
  std::string path = dir_.File("call_q.csv");
  StatusOr<FileStats> s = ReadContent("call_q.csv",
                                      "id,ts,caller,callee,duration_s\n"
                                      "c1,2026-11-26T09:30:00,+85517652903,13895101234,1\n"
                                      "c2,2026-11-26T09:30:00Z,12ab,13895101234,1\n"
                                      "c3,2026-11-26T09:30:00Z,+85517652903,,1\n"
                                      "c4,2026-11-26T09:30:00Z,+85517652903,13895101234\n"
                                      "c5,2026-11-26T09:30:00Z,+85517652903,13895101234,x\n"
                                      ",2026-11-26T09:30:00Z,+85517652903,13895101234,1\n"
                                      "c7,2026-11-26T09:30:00Z,+85517652903,13895101234,7\n");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->rows, 7);
  EXPECT_EQ(s->events, 1);
  EXPECT_EQ(s->quarantined, 6);
  ASSERT_EQ(quarantined_.size(), 6u);
  for (const auto& q : quarantined_) EXPECT_EQ(q.file, path);
  EXPECT_EQ(quarantined_[0].line, 2);
  EXPECT_EQ(quarantined_[0].reason,
            "bad_timestamp: ts '2026-11-26T09:30:00' has no UTC offset (add Z or +08:00)");
  EXPECT_EQ(quarantined_[0].raw, "c1,2026-11-26T09:30:00,+85517652903,13895101234,1");
  EXPECT_EQ(quarantined_[1].line, 3);
  EXPECT_THAT(quarantined_[1].reason, StartsWith("bad_phone: caller '12ab' "));
  EXPECT_EQ(quarantined_[2].reason, "missing_field: callee is required");
  EXPECT_EQ(quarantined_[3].reason, "bad_csv: row has 4 fields, header has 5");
  EXPECT_THAT(quarantined_[4].reason, StartsWith("bad_duration: duration_s 'x' "));
  EXPECT_EQ(quarantined_[5].reason, "missing_field: id is required");
  EXPECT_EQ(quarantined_[5].line, 7);
  EXPECT_THAT(counts_,
              ElementsAre(Pair("bad_csv", 1), Pair("bad_duration", 1), Pair("bad_phone", 1),
                          Pair("bad_timestamp", 1), Pair("missing_field", 2)));
}

TEST_F(EventReaderTest, GarbageAndOverlongLines) {
  std::string garbage(10000, '\x01');
  garbage[5000] = ',';
  std::string huge(100000, 'z');
  std::string good = R"({"id":"c","type":"call","ts":1795656600000,"caller":"+85517652903",)"
                     R"("callee":"13895101234"})";
  StatusOr<FileStats> s =
      ReadContent("g.jsonl", good + "\n" + garbage + "\n" + huge + "\n" + good + "\n");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(events_.size(), 2u);
  ASSERT_EQ(quarantined_.size(), 2u);
  EXPECT_EQ(quarantined_[0].line, 2);
  EXPECT_THAT(quarantined_[0].reason, StartsWith("bad_json: "));
  EXPECT_EQ(quarantined_[1].line, 3);
  EXPECT_THAT(quarantined_[1].reason, StartsWith("too_long: "));
  EXPECT_EQ(quarantined_[1].raw.size(), 4096u);

  s = ReadContent("call_g.csv", "id,ts,caller,callee\n" + garbage + "\n" + huge + "\n" +
                                    "c2,1795656600000,+85517652903,13895101234\n");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(events_.size(), 1u);
  ASSERT_EQ(quarantined_.size(), 2u);
  EXPECT_EQ(quarantined_[0].reason, "bad_csv: row has 2 fields, header has 4");
  EXPECT_EQ(quarantined_[1].line, 3);
  EXPECT_THAT(quarantined_[1].reason, StartsWith("too_long: "));
  // An unterminated quote with a long tail: the quote cannot swallow the rest of the file.
  std::string tail;
  for (int i = 0; i < 3000; ++i) {
    tail += fz::StrCat("c", i, ",1795656600000,+85517652903,13895101234\n");
  }
  s = ReadContent("call_h.csv", "id,ts,caller,callee\n\"open,1,2,3\n" + tail);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(events_.size(), 3000u);
  ASSERT_EQ(quarantined_.size(), 1u);
  EXPECT_EQ(quarantined_[0].line, 2);
}

TEST_F(EventReaderTest, InvalidUtf8StaysValidJsonInQuarantine) {
  StatusOr<FileStats> s = ReadContent("x.jsonl", "\xff\xfe{\"id\":\n");
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(quarantined_.size(), 1u);  // the parse of the quarantine file itself succeeded
  EXPECT_THAT(quarantined_[0].reason, StartsWith("bad_json: "));
}

TEST_F(EventReaderTest, BatchesRespectBatchSize) {
  std::string body = "id,ts,caller,callee\n";
  for (int i = 0; i < 10; ++i) {
    body += fz::StrCat("c", i, ",1795656600000,+85517652903,13895101234\n");
  }
  std::vector<size_t> sizes;
  Quarantine quarantine;
  options_.batch_size = 4;
  StatusOr<FileStats> s =
      ReadEventBuffer(body, EventFormat::kCsv, model::EventType::kCall, "mem", options_, quarantine,
                      [&](std::vector<model::Event>& b) { sizes.push_back(b.size()); });
  ASSERT_TRUE(s.ok());
  EXPECT_THAT(sizes, ElementsAre(4, 4, 2));
  EXPECT_EQ(quarantine.total(), 0);
}

TEST_F(EventReaderTest, RepeatedValuesNormalizeTheSameEveryTime) {
  // Domains and timestamp texts are memoized per reader: repeats, near-repeats and bad values
  // between them must come out exactly as if each row were read alone.
  std::string body = "id,ts,subscriber,domain\n";
  const char* kDomains[] = {"WWW.Example.COM", "www.example.com.", "bad domain!",
                            "www.example.com", "xn--fiqs8s.cn",    "bad domain!"};
  const char* kTimes[] = {"2026-11-26T09:30:00+08:00", "2026-11-26T09:30:00+08:00",
                          "2026-11-26T09:30:00Z",      "nonsense",
                          "2026-11-26T09:30:00+08:00", "1795656600000"};
  for (int i = 0; i < 6; ++i) {
    body += fz::StrCat("n", i, ",", kTimes[i], ",13895101234,", kDomains[i], "\n");
  }
  StatusOr<FileStats> stats = ReadContent("net_memo.csv", body);
  ASSERT_TRUE(stats.ok()) << stats.status();
  std::vector<std::string> alone;
  for (int i = 0; i < 6; ++i) {
    if (i == 2 || i == 3 || i == 5) continue;  // quarantined below
    Quarantine q;
    ASSERT_TRUE(ReadEventBuffer(
                    fz::StrCat("id,ts,subscriber,domain\nn", i, ",", kTimes[i], ",13895101234,",
                               kDomains[i], "\n"),
                    EventFormat::kCsv, model::EventType::kNet, "one", options_, q,
                    [&](std::vector<model::Event>& b) { alone.push_back(DescribeEvent(b.at(0))); })
                    .ok());
  }
  EXPECT_EQ(events_, alone);
  EXPECT_THAT(events_[0], HasSubstr("ts=1795656600000 "));
  EXPECT_THAT(events_[1], HasSubstr("domain=www.example.com "));
  EXPECT_THAT(events_[2], HasSubstr("ts=1795656600000 "));
  EXPECT_EQ(counts_, (std::map<std::string, int64_t>{{"bad_domain", 2}, {"bad_timestamp", 1}}));
}

TEST(EventFileNamesTest, FormatAndType) {
  EXPECT_EQ(EventFormatFromName("/a/b/call_1.csv.gz"), EventFormat::kCsv);
  EXPECT_EQ(EventFormatFromName("x.ndjson.zst"), EventFormat::kJsonl);
  EXPECT_EQ(EventFormatFromName("x.jsonl"), EventFormat::kJsonl);
  EXPECT_EQ(EventFormatFromName("x.csv.bz2"), std::nullopt);
  EXPECT_EQ(EventFormatFromName("csv"), std::nullopt);
  EXPECT_EQ(EventTypeFromName("/data/sms-0930.csv.gz"), model::EventType::kSms);
  EXPECT_EQ(EventTypeFromName("call_20261126.csv"), model::EventType::kCall);
  EXPECT_EQ(EventTypeFromName("transfers.jsonl"), model::EventType::kTransfer);
  EXPECT_EQ(EventTypeFromName("net2.csv"), model::EventType::kNet);
  EXPECT_EQ(EventTypeFromName("callcenter.csv"), std::nullopt);
  EXPECT_EQ(EventTypeFromName("call/x.csv"), std::nullopt);
  EXPECT_EQ(EventTypeFromName("mixed.csv"), std::nullopt);
}

}  // namespace
}  // namespace fz::ingest
