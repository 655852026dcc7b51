#include "fz/normalize/domain.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::normalize {
namespace {

using ::testing::HasSubstr;

TEST(NormalizeDomain, CaseAndTrailingDot) {
  StatusOr<DomainInfo> d = NormalizeDomain("WWW.Example.COM.");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->domain, "www.example.com");
  EXPECT_EQ(d->unicode, "www.example.com");
  EXPECT_EQ(d->registrable_domain, "example.com");
  EXPECT_EQ(d->public_suffix, "com");
  EXPECT_FALSE(d->is_idn);
}

TEST(NormalizeDomain, MultiLabelPublicSuffix) {
  StatusOr<DomainInfo> d = NormalizeDomain("a.b.example.com.cn");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->registrable_domain, "example.com.cn");
  EXPECT_EQ(d->public_suffix, "com.cn");
  EXPECT_EQ(NormalizeDomain("www.icbc.com.cn")->registrable_domain, "icbc.com.cn");
  EXPECT_EQ(NormalizeDomain("yinchuan.gov.cn")->registrable_domain, "yinchuan.gov.cn");
}

TEST(NormalizeDomain, PrivateSuffixesSeparateTenants) {
  // A phishing page on a hosting platform belongs to its tenant, not to the platform.
  StatusOr<DomainInfo> d = NormalizeDomain("login.icbc-verify.github.io");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->registrable_domain, "icbc-verify.github.io");
  EXPECT_EQ(d->public_suffix, "github.io");
}

TEST(NormalizeDomain, PublicSuffixItselfHasNoRegistrableDomain) {
  StatusOr<DomainInfo> d = NormalizeDomain("com.cn");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->registrable_domain, "");
  EXPECT_EQ(d->public_suffix, "com.cn");
}

TEST(NormalizeDomain, ChineseIdnBecomesPunycode) {
  StatusOr<DomainInfo> d = NormalizeDomain("中国银行.中国");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->domain, "xn--fiqs8s856bruk.xn--fiqs8s");
  EXPECT_EQ(d->unicode, "中国银行.中国");
  EXPECT_EQ(d->registrable_domain, "xn--fiqs8s856bruk.xn--fiqs8s");
  EXPECT_EQ(d->public_suffix, "xn--fiqs8s");
  EXPECT_TRUE(d->is_idn);
}

TEST(NormalizeDomain, PunycodeInputGivesTheSameName) {
  StatusOr<DomainInfo> d = NormalizeDomain("WWW.XN--FIQS8S856BRUK.XN--FIQS8S");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->domain, "www.xn--fiqs8s856bruk.xn--fiqs8s");
  EXPECT_EQ(d->unicode, "www.中国银行.中国");
  EXPECT_TRUE(d->is_idn);
}

TEST(NormalizeDomain, ChineseKeyboardPunctuationAndFullWidth) {
  // Ideographic full stop, full-width letters, upper-case Unicode.
  EXPECT_EQ(NormalizeDomain("中国银行。中国")->domain, "xn--fiqs8s856bruk.xn--fiqs8s");
  EXPECT_EQ(NormalizeDomain("ＷＷＷ．ＩＣＢＣ．ＣＯＭ．ＣＮ")->domain, "www.icbc.com.cn");
  EXPECT_EQ(NormalizeDomain("BÜCHER.de")->domain, "xn--bcher-kva.de");
  EXPECT_EQ(NormalizeDomain("  abc-bank.top \t")->domain, "abc-bank.top");
}

TEST(NormalizeDomain, UnderscoreAndSingleLabel) {
  EXPECT_EQ(NormalizeDomain("pay_now.abc-bank.top")->registrable_domain, "abc-bank.top");
  StatusOr<DomainInfo> d = NormalizeDomain("localhost");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->registrable_domain, "");
}

TEST(NormalizeDomain, EmojiDomainUsesTransitionalFallback) {
  StatusOr<DomainInfo> d = NormalizeDomain("\xF0\x9F\x92\xA9.la");  // U+1F4A9
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->domain, "xn--ls8h.la");
}

TEST(NormalizeDomain, LabelLimits) {
  const std::string label63(63, 'a');
  EXPECT_TRUE(NormalizeDomain(label63 + ".com").ok());
  StatusOr<DomainInfo> long_label = NormalizeDomain(std::string(64, 'a') + ".com");
  ASSERT_FALSE(long_label.ok());
  EXPECT_THAT(long_label.status().message(), HasSubstr("64 bytes"));
  EXPECT_THAT(long_label.status().message(), HasSubstr("label 'aaaa"));

  std::string name_253 = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
  ASSERT_EQ(name_253.size(), 253u);
  EXPECT_TRUE(NormalizeDomain(name_253).ok());
  StatusOr<DomainInfo> too_long = NormalizeDomain(name_253 + "b");
  ASSERT_FALSE(too_long.ok());
  EXPECT_THAT(too_long.status().message(), HasSubstr("254 bytes"));
}

TEST(NormalizeDomain, BadNamesSayWhichLabel) {
  struct Case {
    std::string raw;
    std::string message;
  };
  const Case cases[] = {
      {"", "empty"},
      {".", "no labels"},
      {"a..com", "is empty"},
      {".example.com", "is empty"},
      {"example.com..", "is empty"},
      {"example.com/path", "use NormalizeUrl"},
      {"http://example.com", "'/'"},
      {"user@example.com", "label 'user@example' contains '@'"},
      {"exa mple.com", "contains ' '"},
      {"example.com:8080", "contains ':'"},
      {"-bad.example.com", "label '-bad' starts or ends with '-'"},
      {"bad-.example.com", "starts or ends with '-'"},
      {"xn--zz-.com", "label 'xn--zz-'"},
      {"xn--a-ecp.ru", "does not round-trip"},  // decodes to "a⒈", which maps to "a1."
      {"\xE2\x80\x8D.com", "not a valid internationalized label"},  // bare ZWJ
      {"⑴.com", "label '⑴' maps to an invalid label"},              // UTS #46 maps it to "(1)"
      {"1.2.3.4", "IPv4"},
      {"example.0x7f", "IPv4"},
      {"ex\xFFmple.com", "UTF-8"},
      {std::string("exa\0mple.com", 12), "contains '\\x00'"},
      {std::string(10000, 'a'), "10000 bytes"},
  };
  for (const Case& c : cases) {
    StatusOr<DomainInfo> d = NormalizeDomain(c.raw);
    ASSERT_FALSE(d.ok()) << c.raw.substr(0, 40);
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(d.status().message(), HasSubstr(c.message)) << c.raw.substr(0, 40);
  }
}

TEST(NormalizeDomain, OutputIsAFixedPoint) {
  for (const char* raw : {"WWW.Example.COM.", "中国银行.中国", "BÜCHER.de", "pay_now.a.top"}) {
    StatusOr<DomainInfo> first = NormalizeDomain(raw);
    ASSERT_TRUE(first.ok()) << raw;
    StatusOr<DomainInfo> from_ascii = NormalizeDomain(first->domain);
    StatusOr<DomainInfo> from_unicode = NormalizeDomain(first->unicode);
    ASSERT_TRUE(from_ascii.ok() && from_unicode.ok()) << raw;
    EXPECT_EQ(from_ascii->domain, first->domain);
    EXPECT_EQ(from_unicode->domain, first->domain);
    EXPECT_EQ(from_ascii->unicode, first->unicode);
  }
}

// The hot paths' variant: the same name, or the same error, without the public suffix.
TEST(NormalizeDomainName, SameAsNormalizeDomain) {
  for (const char* raw :
       {"WWW.Example.COM.", "中国银行.中国", "BÜCHER.de", "pay_now.a.top", "xn--fiqs8s", "a..b.com",
        "-bad.com", "ok.com/path", "10.0.0.1", "", "  ", "xn--zz.com",
        "ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ", "a。b。cn", "com.cn", "\xff.com"}) {
    StatusOr<DomainInfo> full = NormalizeDomain(raw);
    StatusOr<std::string> name = NormalizeDomainName(raw);
    ASSERT_EQ(full.ok(), name.ok()) << raw;
    if (full.ok()) {
      EXPECT_EQ(*name, full->domain) << raw;
    } else {
      EXPECT_EQ(name.status(), full.status()) << raw;
    }
  }
}

// NormalizeDomainName's fast path for plain ASCII names against the full path, on generated
// names that stress its edges: case, '-' and '_' at label ends, empty and 63/64-byte labels,
// "xn--" in any case, numeric and hex last labels, 253/254-byte names, trailing dots, spaces
// and bytes the fast path must leave to the full path.
TEST(NormalizeDomainName, PlainAsciiFastPathSameAsFullPath) {
  std::mt19937 rng(20261127);
  const std::vector<std::string> pieces = {"a",
                                           "Z",
                                           "q",
                                           "0",
                                           "9",
                                           "-",
                                           "_",
                                           ".",
                                           ".",
                                           "xn--",
                                           "XN--",
                                           "Xn--",
                                           "0x",
                                           "0X",
                                           "f",
                                           "1",
                                           "com",
                                           "top",
                                           "COM",
                                           "www",
                                           " ",
                                           "/",
                                           ":",
                                           "..",
                                           "\xEF\xBC\x8E",
                                           "\xE3\x80\x82",
                                           "\xC3\xBC",
                                           "\t",
                                           std::string(63, 'b'),
                                           std::string(64, 'c'),
                                           std::string(120, 'd')};
  std::vector<std::string> names = {"a",
                                    "A",
                                    "a.b",
                                    "0x1f",
                                    "a.0x",
                                    "a.0xg",
                                    "a.1b",
                                    "a.b1",
                                    "1.a",
                                    "-a.b",
                                    "a-.b",
                                    "a.b.",
                                    ".a",
                                    "a..b",
                                    "_.a",
                                    "xn--a",
                                    "a.xn--fiqs8s",
                                    std::string(253, 'a'),
                                    std::string(254, 'a')};
  std::string long_name;  // 253 bytes in labels of 63
  while (long_name.size() < 253) {
    long_name += std::string(std::min<size_t>(63, 253 - long_name.size()), 'e');
    if (long_name.size() < 252) long_name += '.';
  }
  names.push_back(long_name);
  names.push_back(long_name + "e");
  for (int i = 0; i < 30000; ++i) {
    std::string name;
    const int n = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < n; ++k) name += pieces[rng() % pieces.size()];
    names.push_back(name);
  }
  for (const std::string& raw : names) {
    StatusOr<DomainInfo> full = NormalizeDomain(raw);
    StatusOr<std::string> name = NormalizeDomainName(raw);
    ASSERT_EQ(full.ok(), name.ok()) << raw;
    if (full.ok()) {
      ASSERT_EQ(*name, full->domain) << raw;
    } else {
      ASSERT_EQ(name.status(), full.status()) << raw;
    }
  }
}

// The SSE2 shortcut takes a name only when NormalizeDomainName accepts it unchanged but for
// case, and then writes exactly its answer; otherwise it leaves the output alone.
TEST(PlainDomainNameToTest, AgreesWithNormalizeDomainName) {
  std::mt19937 rng(11);
  // Characters the masks tell apart, plus some they must reject.
  const std::string alphabet = "abzAZ09_-.xXnN.-..@ /:\x80\xe4";
  std::vector<std::string> names = {"www.site235.com",
                                    "WWW.Example.COM",
                                    "a",
                                    "a-b.c_d.cn",
                                    "xn--fiqs8s.cn",
                                    "x.XN--abc.com",
                                    "abc.1com",
                                    "abc.com1",
                                    "1.2.3.4",
                                    "-a.com",
                                    "a-.com",
                                    "a..com",
                                    ".a.com",
                                    "a.com.",
                                    "exactly-sixteen1",
                                    "exactly-sixteen.",
                                    "a234567890123456789012345678.com",
                                    "a2345678901234567890123456789.com",
                                    "xn-a.com",
                                    "xn--",
                                    "xn-.com",
                                    "nx--a.com"};
  for (int i = 0; i < 200000; ++i) {
    std::string name;
    const size_t size = rng() % 38;
    for (size_t k = 0; k < size; ++k) {
      // Mostly letters and dots, so that many names are valid.
      name +=
          rng() % 3 != 0 ? static_cast<char>('a' + rng() % 26) : alphabet[rng() % alphabet.size()];
    }
    names.push_back(name);
  }
  int taken = 0;
  int taken_long = 0;  // 16-32 bytes: the two-window path
  for (const std::string& raw : names) {
    std::string out = "before";
    const bool took = PlainDomainNameTo(raw, &out);
    StatusOr<std::string> ref = NormalizeDomainName(raw);
    if (!took) {
      ASSERT_EQ(out, "before") << raw;
      continue;
    }
    ASSERT_TRUE(ref.ok()) << raw << ": " << ref.status();
    ASSERT_EQ(out, *ref) << raw;
    ++taken;
    if (raw.size() >= 16) ++taken_long;
  }
  EXPECT_GT(taken, 20000);
  EXPECT_GT(taken_long, 5000);
  // The plain names it must take (not only may): every size from 1 to 32.
  for (size_t size = 1; size <= 32; ++size) {
    std::string raw(size, 'q');
    if (size > 4) raw[size / 2] = '.';
    std::string out;
    EXPECT_TRUE(PlainDomainNameTo(raw, &out)) << raw;
    EXPECT_EQ(out, raw);
  }
}

}  // namespace
}  // namespace fz::normalize
