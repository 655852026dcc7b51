#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/intel/intel_store.h"
#include "fz/normalize/simple_csv.h"
#include "fz/normalize/text.h"
#include "gtest/gtest.h"

namespace fz::intel {
namespace {

using model::FraudTypeRegistry;
using model::IndicatorKind;

const absl::Time kNow = absl::FromUnixSeconds(1795656600);  // 2026-11-26T09:30:00+08:00

TEST(IntelCsvTest, LoadsEveryKindWithProvenanceAndExpiry) {
  const FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  const std::string csv =
      "\xEF\xBB\xBFkind,value,fraud_type,source,confidence,expires_at\r\n"
      "# comment line\n"
      "phone,+86 138 9510 1234,刷单返利,national,0.8,\n"
      "domain,Task-Rebate.TOP,task_rebate,carrier,,2027-01-01T00:00:00+08:00\n"
      "url,http://pay.example.com/a,,case:2026-0012,1,\n"
      "ip,203.0.113.9,fake_loan,analyst:wang,0.5,1795656600000\n"
      "\n"
      "account,\"6222 0212 3456 7890 123\",fake_investment,bank,0.9,2026-11-26\n"
      "app,com.Fake.Meeting,,national,,\n"
      "imei,352099001761481,,national,,\n";
  IntelStore store;
  std::vector<RejectedIndicator> rejected;
  ASSERT_TRUE(store.LoadCsvText(csv, "intel.csv", types, &rejected).ok());
  EXPECT_TRUE(rejected.empty()) << rejected[0].reason;
  EXPECT_EQ(store.size(), 7u);
  const IntelMatch* phone = store.MatchPhone("+8613895101234", kNow);
  ASSERT_NE(phone, nullptr);
  EXPECT_EQ(phone->fraud_type, *types.Find("task_rebate"));
  EXPECT_FLOAT_EQ(phone->confidence, 0.8f);
  const IntelMatch* domain = store.MatchDomain("www.task-rebate.top", kNow);
  ASSERT_NE(domain, nullptr);
  EXPECT_EQ(domain->source, "carrier");
  EXPECT_EQ(domain->expires_at, absl::FromUnixSeconds(1798732800));  // 2027-01-01 +08:00
  const IntelMatch* url = store.MatchUrl("http://pay.example.com/a", kNow);
  ASSERT_NE(url, nullptr);
  EXPECT_EQ(url->fraud_type, FraudTypeRegistry::kOther);
  // expires_at == now: expired.
  EXPECT_EQ(store.MatchIp("203.0.113.9", kNow), nullptr);
  EXPECT_NE(store.MatchIp("203.0.113.9", kNow - absl::Milliseconds(1)), nullptr);
  // A bare date is midnight China time: 2026-11-26T00:00+08:00 is before kNow.
  EXPECT_EQ(store.MatchAccount("6222021234567890123", kNow), nullptr);
  EXPECT_NE(store.MatchAccount("6222021234567890123", kNow - absl::Hours(10)), nullptr);
  EXPECT_NE(store.MatchApp("com.fake.meeting", kNow), nullptr);
  EXPECT_NE(store.MatchImei("352099001761481", kNow), nullptr);
}

// Large files prepare their rows in blocks on several threads and add them in file order:
// the store must end as if the rows were added one by one (newest wins across blocks, line
// numbers of rejected rows count every line, quoted sources survive their block).
TEST(IntelCsvTest, LargeFilesLoadInFileOrderAcrossBlocks) {
  const FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  std::string csv = "kind,value,fraud_type,source,confidence,expires_at\n";  // line 1
  constexpr int kRows = 50000;
  for (int i = 0; i < kRows; ++i) {  // lines 2 .. kRows + 1
    const int line = i + 2;
    if (line == 20000 || line == 45000) {
      csv += "phone,not-a-number,,national,,\n";
    } else if (line == 30000) {
      csv += "# a comment in the middle\n";
    } else if (line == 40000) {  // the same number as line 3, later: it wins
      csv += "phone,13895110001,fake_loan,\"bank, late\",0.3,\n";
    } else {
      csv += fz::StrCat("phone,+86138951", 10000 + i, ",task_rebate,national,0.9,\n");
    }
  }
  IntelStore store;
  std::vector<RejectedIndicator> rejected;
  ASSERT_TRUE(store.LoadCsvText(csv, "big.csv", types, &rejected).ok());
  ASSERT_EQ(rejected.size(), 2u);
  EXPECT_EQ(rejected[0].line, 20000);
  EXPECT_EQ(rejected[1].line, 45000);
  EXPECT_EQ(rejected[1].raw, "phone,not-a-number,,national,,");
  EXPECT_EQ(store.size(), static_cast<size_t>(kRows - 4));  // 2 bad, 1 comment, 1 duplicate
  const IntelMatch* early = store.MatchPhone("+8613895110001", kNow);
  ASSERT_NE(early, nullptr);
  EXPECT_EQ(early->fraud_type, *types.Find("fake_loan"));
  EXPECT_EQ(early->source, "bank, late");
  EXPECT_FLOAT_EQ(early->confidence, 0.3f);
  const IntelMatch* last = store.MatchPhone(fz::StrCat("+86138951", 10000 + kRows - 1), kNow);
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->source, "national");
  EXPECT_EQ(store.MatchPhone("+8613895199999", kNow), nullptr);
}

// The loader's shortcuts (memos of the kind, fraud type, confidence and expiry columns, the
// eight-bytes-at-a-time record split, digit and domain fast paths) against a reference that
// reads each row the plain way — normalize::SplitCsvRecord, TrimAscii, FraudTypeRegistry::Find,
// std::from_chars, absl::ParseTime — and adds it with IntelStore::Add. Rows of every kind with
// duplicates across blocks, bad rows of every field, quoted records, whitespace and CRLF; the
// stores must answer every lookup alike and reject the same lines for the same field.
namespace reference {

StatusOr<int64_t> ParseExpiresMs(std::string_view text) {
  text = normalize::TrimAscii(text);
  if (text.empty()) return std::numeric_limits<int64_t>::max();
  int64_t ms = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (ec == std::errc() && ptr == text.data() + text.size()) return ms;
  absl::Time t;
  std::string err;
  const std::string s(text);
  if (absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*S%Ez", s, &t, &err) ||
      (s.size() == 10 && absl::ParseTime("%Y-%m-%d%Ez", s + "+08:00", &t, &err))) {
    return absl::ToUnixMillis(t);
  }
  return absl::InvalidArgumentError("expires_at");
}

// The field a row is rejected for ("kind", "value", ...; "csv" for the record itself), or
// "" when `*out` was filled.
std::string ReadRow(std::string_view line, const FraudTypeRegistry& types, model::Indicator* out) {
  StatusOr<std::vector<std::string>> fields = normalize::SplitCsvRecord(line);
  if (!fields.ok() || fields->size() != 6) return "csv";
  const std::vector<std::string>& f = *fields;
  const std::optional<IndicatorKind> kind = model::ParseIndicatorKind(normalize::TrimAscii(f[0]));
  if (!kind.has_value()) return "kind";
  StatusOr<std::string> value = IntelStore::CanonicalValue(*kind, f[1]);
  if (!value.ok()) return "value";
  model::FraudType fraud_type = FraudTypeRegistry::kOther;
  if (const std::string_view t = normalize::TrimAscii(f[2]); !t.empty()) {
    const std::optional<model::FraudType> found = types.Find(t);
    if (!found.has_value()) return "fraud_type";
    fraud_type = *found;
  }
  double confidence = 1;
  if (const std::string_view c = normalize::TrimAscii(f[4]); !c.empty()) {
    auto [ptr, ec] = std::from_chars(c.data(), c.data() + c.size(), confidence);
    if (ec != std::errc() || ptr != c.data() + c.size() || !(confidence >= 0 && confidence <= 1)) {
      return "confidence";
    }
  }
  StatusOr<int64_t> expires = ParseExpiresMs(f[5]);
  if (!expires.ok()) return "expires_at";
  const std::string_view source = normalize::TrimAscii(f[3]);
  if (source.size() > 256) return "source";
  out->kind = *kind;
  out->value = *value;
  out->fraud_type = fraud_type;
  out->source = std::string(source);
  out->confidence = confidence;
  out->expires_at = *expires == std::numeric_limits<int64_t>::max()
                        ? absl::InfiniteFuture()
                        : absl::FromUnixMillis(*expires);
  return "";
}

}  // namespace reference

TEST(IntelCsvTest, ShortcutsMatchTheReferenceRowByRow) {
  const FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  std::mt19937 rng(8);
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& {
    return v[rng() % v.size()];
  };
  const std::vector<std::string> kinds = {"phone",  "phone",    "phone",   "domain",  "domain",
                                          "url",    "ip",       "account", "app",     "imei",
                                          " phone", "domain\t", "Phone",   "printer", ""};
  const std::vector<std::string> fraud_types = {
      "",          "task_rebate", "刷单返利",     " fake_loan ",
      "fake_loan", "other",       "no_such_type", "\"romance\""};
  const std::vector<std::string> confidences = {
      "",   "0.9", " 0.9", "0.9 ", "1",  "1.0", "0.90",         "0",
      "-0", "1.5", "abc",  "1e-1", ".5", "0.8", "0.3333333333", "\"0.7\""};
  const std::vector<std::string> expiries = {"",
                                             "",
                                             "1795656600000",
                                             "2027-01-01",
                                             "2027-01-01T00:00:00+08:00",
                                             "2026-11-26T01:30:00Z",
                                             "2026-11-26T01:30:00.5+00:00",
                                             "tomorrow",
                                             " 1795656600001 ",
                                             "2026-13-01"};
  const std::vector<std::string> sources = {
      "national", "national",       "bank",           "carrier",
      "",         " analyst:wang ", "\"bank, late\"", std::string(300, 's')};
  auto value_of = [&](const std::string& kind) -> std::string {
    const int n = static_cast<int>(rng() % 3000);
    std::string k(normalize::TrimAscii(kind));
    if (k == "phone" || k == "Phone") {
      switch (rng() % 6) {
        case 0:
          return fz::StrCat("+86138951", 10000 + n);
        case 1:
          return fz::StrCat("138 951 ", 10000 + n);
        case 2:
          return fz::StrCat("+855 12 ", 100000 + n);
        case 3:
          return fz::StrCat("0086-138951", 10000 + n);
        case 4:
          return fz::StrCat("95", 500 + n % 100);
        default:
          return fz::StrCat("12ab", n);
      }
    }
    if (k == "domain") {
      const std::vector<std::string> shapes = {fz::StrCat("pay", n % 500, ".top"),
                                               fz::StrCat("Pay", n % 500, ".TOP"),
                                               fz::StrCat("*.pay", n % 500, ".top"),
                                               fz::StrCat("pay", n % 500, ".top."),
                                               fz::StrCat(" a-b_", n % 50, ".cn "),
                                               fz::StrCat("xn--fiqs8s.", n % 7, "x"),
                                               "中国银行.中国",
                                               fz::StrCat("10.0.0.", n % 9),
                                               fz::StrCat("-bad", n % 5, ".top"),
                                               "a..b.top",
                                               fz::StrCat("x", n % 3, ".0x1f"),
                                               "ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ"};
      return pick(shapes);
    }
    if (k == "url") {
      const std::vector<std::string> shapes = {fz::StrCat("http://pay.example.com/", n % 200),
                                               fz::StrCat("HTTPS://Pay.Example.com/", n % 200),
                                               "not a url",
                                               fz::StrCat("http://10.1.1.", n % 9, "/x")};
      return pick(shapes);
    }
    if (k == "ip") {
      const std::vector<std::string> shapes = {fz::StrCat("203.0.113.", n % 256), "::1",
                                               "999.1.1.1", fz::StrCat(" 198.51.100.", n % 9)};
      return pick(shapes);
    }
    if (k == "account") {
      const std::vector<std::string> shapes = {fz::StrCat("62220212345", 10000 + n),
                                               fz::StrCat("6222 0212 345 ", 10000 + n),
                                               fz::StrCat("\"6222-0212-345", 10000 + n, "\""),
                                               "６２２２０２１２３４５",
                                               fz::StrCat(n % 99),
                                               fz::StrCat("62a", n),
                                               std::string(40, '1')};
      return pick(shapes);
    }
    if (k == "app") return rng() % 5 == 0 ? "" : fz::StrCat("com.Fake.App", n % 300);
    if (k == "imei") return rng() % 5 == 0 ? "123" : fz::StrCat("3520990017", 10000 + n % 500);
    return "x";
  };

  std::string csv = "kind,value,fraud_type,source,confidence,expires_at\n";
  std::vector<std::string> lines = {""};  // by line number (1-based; [0] unused)
  lines.push_back("header");
  constexpr int kRows = 40000;  // about three blocks of 16k lines
  for (int i = 0; i < kRows; ++i) {
    std::string line;
    const unsigned r = rng() % 100;
    if (r == 0) {
      line = "# a comment";
    } else if (r == 1) {
      line = "";
    } else if (r == 2) {
      line = "phone,13895110001,,national";  // too few fields
    } else if (r == 3) {
      line = "phone,\"13895110001,,national,,";  // unterminated quote
    } else {
      const std::string& kind = pick(kinds);
      line = fz::StrCat(kind, ",", value_of(kind), ",", pick(fraud_types), ",", pick(sources), ",",
                        pick(confidences), ",", pick(expiries));
    }
    csv += line;
    csv += rng() % 10 == 0 ? "\r\n" : "\n";
    lines.push_back(line);
  }

  IntelStore loaded;
  std::vector<RejectedIndicator> rejected;
  ASSERT_TRUE(loaded.LoadCsvText(csv, "mixed.csv", types, &rejected).ok());

  IntelStore expected;
  std::vector<std::pair<int64_t, std::string>> expected_rejects;
  std::vector<model::Indicator> added;
  for (size_t line_no = 2; line_no < lines.size(); ++line_no) {
    const std::string& line = lines[line_no];
    if (normalize::TrimAscii(line).empty() || line[0] == '#') continue;
    model::Indicator indicator;
    const std::string bad = reference::ReadRow(line, types, &indicator);
    if (!bad.empty()) {
      expected_rejects.emplace_back(static_cast<int64_t>(line_no), bad);
      continue;
    }
    ASSERT_TRUE(expected.Add(indicator).ok()) << line;
    added.push_back(indicator);
  }

  ASSERT_EQ(rejected.size(), expected_rejects.size());
  for (size_t i = 0; i < rejected.size(); ++i) {
    ASSERT_EQ(rejected[i].line, expected_rejects[i].first) << rejected[i].reason;
    const std::string& field = expected_rejects[i].second;
    if (field == "csv") {
      EXPECT_EQ(rejected[i].reason.find(':'), rejected[i].reason.find(": ")) << rejected[i].reason;
    } else {
      EXPECT_EQ(rejected[i].reason.rfind(field + ": ", 0), 0u) << rejected[i].reason;
    }
    EXPECT_EQ(rejected[i].raw, lines[static_cast<size_t>(rejected[i].line)]);
  }
  ASSERT_GT(added.size(), 10000u);
  EXPECT_EQ(loaded.size(), expected.size());
  for (IndicatorKind kind :
       {IndicatorKind::kPhone, IndicatorKind::kDomain, IndicatorKind::kUrl, IndicatorKind::kIp,
        IndicatorKind::kAccount, IndicatorKind::kApp, IndicatorKind::kImei}) {
    EXPECT_EQ(loaded.CountOfKind(kind), expected.CountOfKind(kind));
  }
  auto match = [](const IntelStore& store, const model::Indicator& i, absl::Time at) {
    switch (i.kind) {
      case IndicatorKind::kPhone:
        return store.MatchPhone(i.value, at);
      case IndicatorKind::kDomain:
        return store.MatchDomain(i.value, at);
      case IndicatorKind::kUrl:
        return store.MatchUrl(i.value, at);
      case IndicatorKind::kIp:
        return store.MatchIp(i.value, at);
      case IndicatorKind::kAccount:
        return store.MatchAccount(i.value, at);
      case IndicatorKind::kApp:
        return store.MatchApp(i.value, at);
      case IndicatorKind::kImei:
        return store.MatchImei(i.value, at);
    }
    return static_cast<const IntelMatch*>(nullptr);
  };
  for (const absl::Time at : {kNow - absl::Hours(24 * 400), kNow, kNow + absl::Hours(24 * 60)}) {
    for (const model::Indicator& i : added) {
      const IntelMatch* a = match(loaded, i, at);
      const IntelMatch* b = match(expected, i, at);
      ASSERT_EQ(a == nullptr, b == nullptr) << i.value;
      if (a == nullptr) continue;
      ASSERT_EQ(a->kind, b->kind) << i.value;
      ASSERT_EQ(a->value, b->value) << i.value;
      ASSERT_EQ(a->fraud_type, b->fraud_type) << i.value;
      ASSERT_EQ(a->confidence, b->confidence) << i.value;
      ASSERT_EQ(a->expires_at, b->expires_at) << i.value;
      ASSERT_EQ(a->source, b->source) << i.value;
    }
  }
}

TEST(IntelCsvTest, BadRowsAreRejectedWithLineNumbersAndLoadingGoesOn) {
  const FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  const std::string csv =
      "value,kind,source\n"           // 1: any column order, optional columns absent
      "13895101234,phone,national\n"  // 2: ok
      "hello,phone,national\n"        // 3: bad phone
      "x.top,printer,national\n"      // 4: bad kind
      "x.top,domain\n"                // 5: too few fields
      "\"x.top,domain,n\n"            // 6: unterminated quote
      "3.5,domain,national\n"         // 7: numeric last label
      "ok.top,domain,national\n";     // 8: ok
  IntelStore store;
  std::vector<RejectedIndicator> rejected;
  ASSERT_TRUE(store.LoadCsvText(csv, "feed.csv", types, &rejected).ok());
  EXPECT_EQ(store.size(), 2u);
  ASSERT_EQ(rejected.size(), 5u);
  EXPECT_EQ(store.rejected_count(), 5u);
  const std::vector<int64_t> lines = {3, 4, 5, 6, 7};
  for (size_t i = 0; i < rejected.size(); ++i) {
    EXPECT_EQ(rejected[i].file, "feed.csv");
    EXPECT_EQ(rejected[i].line, lines[i]) << rejected[i].reason;
    EXPECT_FALSE(rejected[i].reason.empty());
  }
  EXPECT_EQ(rejected[0].raw, "hello,phone,national");
  EXPECT_EQ(rejected[0].reason.rfind("value: ", 0), 0u) << rejected[0].reason;
  EXPECT_EQ(rejected[1].reason.rfind("kind: ", 0), 0u) << rejected[1].reason;
}

TEST(IntelCsvTest, FieldErrorsNameTheField) {
  const FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  const std::string csv =
      "kind,value,fraud_type,source,confidence,expires_at\n"
      "phone,13895101234,no_such_type,n,,\n"
      "phone,13895101234,,n,1.5,\n"
      "phone,13895101234,,n,abc,\n"
      "phone,13895101234,,n,,tomorrow\n";
  IntelStore store;
  std::vector<RejectedIndicator> rejected;
  ASSERT_TRUE(store.LoadCsvText(csv, "f.csv", types, &rejected).ok());
  ASSERT_EQ(rejected.size(), 4u);
  EXPECT_EQ(rejected[0].reason.rfind("fraud_type: ", 0), 0u) << rejected[0].reason;
  EXPECT_EQ(rejected[1].reason.rfind("confidence: ", 0), 0u) << rejected[1].reason;
  EXPECT_EQ(rejected[2].reason.rfind("confidence: ", 0), 0u) << rejected[2].reason;
  EXPECT_EQ(rejected[3].reason.rfind("expires_at: ", 0), 0u) << rejected[3].reason;
  EXPECT_EQ(store.size(), 0u);
}

TEST(IntelCsvTest, MissingRequiredColumnOrHeaderIsAnError) {
  const FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  IntelStore store;
  Status s = store.LoadCsvText("kind,source\nphone,x\n", "a.csv", types, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("a.csv:1: missing required column 'value'"),
            std::string::npos)
      << s.message();
  s = store.LoadCsvText("kind,value,kind\n", "b.csv", types, nullptr);
  EXPECT_FALSE(s.ok());
  s = store.LoadCsvText("# only a comment\n\n", "c.csv", types, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("c.csv"), std::string::npos);
}

TEST(IntelCsvTest, NullRejectedStillCounts) {
  const FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  IntelStore store;
  ASSERT_TRUE(store.LoadCsvText("kind,value\nphone,zzz\n", "a.csv", types, nullptr).ok());
  EXPECT_EQ(store.rejected_count(), 1u);
}

TEST(IntelCsvTest, FilesAndWhitelistFile) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("intel_csv_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string intel = (dir / "intel.csv").string();
  const std::string white = (dir / "white.csv").string();
  std::ofstream(intel) << "kind,value,fraud_type,source,confidence,expires_at\n"
                          "phone,13895101234,,national,,\n"
                          "phone,13895101235,,national,,\n"
                          "domain,bad.top,,national,,\n";
  std::ofstream(white) << "kind,value\nphone,+86 138-9510-1234\nfax,1\n";
  const FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  std::vector<RejectedIndicator> rejected;
  StatusOr<IntelStore> store = IntelStore::LoadCsvFiles({intel}, types, &rejected);
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE(store->LoadWhitelistCsv(white, &rejected).ok());
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].file, white);
  EXPECT_EQ(rejected[0].line, 3);
  EXPECT_EQ(store->MatchPhone("+8613895101234", kNow), nullptr);
  EXPECT_NE(store->MatchPhone("+8613895101235", kNow), nullptr);
  EXPECT_EQ(store->size(), 2u);

  // Mapped files and the read fallback (an empty file cannot be mapped) give the same errors.
  const std::string empty = (dir / "empty.csv").string();
  const std::string gz = (dir / "intel.csv.gz").string();
  std::ofstream(empty) << "";
  std::ofstream(gz) << "\x1f\x8b\x08 not really";
  StatusOr<IntelStore> from_empty = IntelStore::LoadCsvFiles({empty}, types, &rejected);
  ASSERT_FALSE(from_empty.ok());
  EXPECT_NE(std::string(from_empty.status().message()).find("no header row"), std::string::npos);
  StatusOr<IntelStore> from_gz = IntelStore::LoadCsvFiles({gz}, types, &rejected);
  ASSERT_FALSE(from_gz.ok());
  EXPECT_NE(std::string(from_gz.status().message()).find("compressed intel files"),
            std::string::npos)
      << from_gz.status();
  StatusOr<IntelStore> missing =
      IntelStore::LoadCsvFiles({(dir / "nope.csv").string()}, types, &rejected);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(std::string(missing.status().message()).find("nope.csv"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fz::intel
