#include "fz/normalize/url.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::normalize {
namespace {

using ::testing::HasSubstr;

std::string Url(std::string_view raw) {
  StatusOr<UrlInfo> url = NormalizeUrl(raw);
  return url.ok() ? url->url : absl::StrCat("error: ", url.status().message());
}

TEST(NormalizeUrl, HeaderExample) {
  StatusOr<UrlInfo> u = NormalizeUrl("HTTPS://user@中国银行.中国:443/%7Euser/../pay?id=1#top");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->url, "https://xn--fiqs8s856bruk.xn--fiqs8s/pay?id=1");
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "xn--fiqs8s856bruk.xn--fiqs8s");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->path_and_query, "/pay?id=1");
  ASSERT_TRUE(u->domain.has_value());
  EXPECT_EQ(u->domain->unicode, "中国银行.中国");
  EXPECT_FALSE(u->ip.has_value());
  EXPECT_TRUE(u->had_userinfo);
}

TEST(NormalizeUrl, BareHostFromSmsGetsHttp) {
  StatusOr<UrlInfo> u = NormalizeUrl("www.ABC-bank.top/x");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->url, "http://www.abc-bank.top/x");
  EXPECT_EQ(u->port, 80);
  EXPECT_EQ(u->domain->registrable_domain, "abc-bank.top");
  EXPECT_FALSE(u->had_userinfo);
  EXPECT_EQ(Url("//abc-bank.top"), "http://abc-bank.top/");
  EXPECT_EQ(Url("abc-bank.top:8080"), "http://abc-bank.top:8080/");
}

TEST(NormalizeUrl, DefaultPortsAndCase) {
  EXPECT_EQ(Url("HTTP://Example.COM:80/A/B"), "http://example.com/A/B");  // path keeps case
  EXPECT_EQ(Url("https://example.com:443"), "https://example.com/");
  EXPECT_EQ(Url("https://example.com:80/"), "https://example.com:80/");
  EXPECT_EQ(Url("http://example.com:0080/"), "http://example.com/");
  EXPECT_EQ(Url("http://example.com:/"), "http://example.com/");
  EXPECT_EQ(NormalizeUrl("https://example.com:8443/")->port, 8443);
}

TEST(NormalizeUrl, FragmentAndEmptyQueryDropped) {
  EXPECT_EQ(Url("http://example.com/a?b=1#frag"), "http://example.com/a?b=1");
  EXPECT_EQ(Url("http://example.com/a#frag?x"), "http://example.com/a");
  EXPECT_EQ(Url("http://example.com/a?"), "http://example.com/a");
  EXPECT_EQ(Url("http://example.com?q=1"), "http://example.com/?q=1");
}

TEST(NormalizeUrl, PercentEncoding) {
  // Unreserved escapes decoded; reserved ones kept with upper-case hex.
  EXPECT_EQ(Url("http://a.com/%61%62%63%2d%7e%2f%3f?x=%41%26%2b"),
            "http://a.com/abc-~%2F%3F?x=A%26%2B");
  // Raw non-ASCII and spaces are encoded as UTF-8 bytes; a stray '%' becomes %25.
  EXPECT_EQ(Url("http://a.com/领取 奖品?id=100%"),
            "http://a.com/%E9%A2%86%E5%8F%96%20%E5%A5%96%E5%93%81?id=100%25");
  EXPECT_EQ(Url("http://a.com/%zz%4"), "http://a.com/%25zz%254");
}

TEST(NormalizeUrl, DotSegments) {
  EXPECT_EQ(Url("http://a.com/a/./b/../c"), "http://a.com/a/c");
  EXPECT_EQ(Url("http://a.com/a/b/.."), "http://a.com/a/");
  EXPECT_EQ(Url("http://a.com/../../x"), "http://a.com/x");
  EXPECT_EQ(Url("http://a.com/%2e%2E/x"), "http://a.com/x");
  EXPECT_EQ(Url("http://a.com//x"), "http://a.com//x");  // not a dot segment
}

TEST(NormalizeUrl, BrowserQuirks) {
  EXPECT_EQ(Url("http:\\\\evil.top\\a\\b"), "http://evil.top/a/b");
  EXPECT_EQ(Url("http:evil.top"), "http://evil.top/");
  EXPECT_EQ(Url("https:///evil.top/x"), "https://evil.top/x");
  // The classic disguise: the real host is after the '@'.
  StatusOr<UrlInfo> u = NormalizeUrl("http://www.icbc.com.cn@evil.top/login");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->url, "http://evil.top/login");
  EXPECT_TRUE(u->had_userinfo);
  EXPECT_EQ(Url("http://%65vil.top/"), "http://evil.top/");  // escaped host
}

TEST(NormalizeUrl, IpHosts) {
  StatusOr<UrlInfo> v4 = NormalizeUrl("http://192.168.1.1:8080/admin");
  ASSERT_TRUE(v4.ok()) << v4.status();
  EXPECT_EQ(v4->host, "192.168.1.1");
  ASSERT_TRUE(v4->ip.has_value());
  EXPECT_TRUE(v4->ip->is_private);
  EXPECT_FALSE(v4->domain.has_value());
  EXPECT_EQ(v4->url, "http://192.168.1.1:8080/admin");

  StatusOr<UrlInfo> v6 = NormalizeUrl("https://[2001:DB8:0:0::1]:443/x");
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(v6->host, "2001:db8::1");
  EXPECT_EQ(v6->url, "https://[2001:db8::1]/x");
  EXPECT_EQ(v6->ip->version, 6);

  // Obfuscated IPv4 hosts, as browsers read them.
  EXPECT_EQ(Url("http://3232235777/"), "http://192.168.1.1/");
  EXPECT_EQ(Url("http://0x7f.1/"), "http://127.0.0.1/");
  EXPECT_EQ(Url("http://[::ffff:1.2.3.4]/"), "http://1.2.3.4/");
}

TEST(NormalizeUrl, JunkIsAnErrorNotACrash) {
  struct Case {
    std::string raw;
    std::string message;
  };
  const Case cases[] = {
      {"", "empty"},
      {"http://", "no host"},
      {"http:///", "no host"},
      {"javascript:alert(1)", "scheme 'javascript' is not supported"},
      {"ftp://example.com/", "scheme 'ftp'"},
      {"http://exa mple.com/", "contains ' '"},
      {"http://example.com:65536/", "out of range"},
      {"http://example.com:99999999999999999999/", "out of range"},
      {"http://example.com:8o/", "not a number"},
      {"http://[::1/", "'[' without ']'"},
      {"http://[::1]x/", "after the IPv6 host"},
      {"http://[1.2.3.4]/", "only IPv6"},
      {"http://1.2.3.256/", "out of range"},
      {"http://-bad.com/", "starts or ends with '-'"},
      {"http://a%zz.com/", "bad percent-escape"},
      {"http://a.com/\nx", "control character"},
      {std::string("http://a.com/\0x", 15), "control character"},
      {"http://\xFF\xFE/", "UTF-8"},
      {"点击领取", "has no scheme"},
      {"hello", "has no scheme"},
      {std::string(10000, 'a'), "10000 bytes"},
  };
  for (const Case& c : cases) {
    StatusOr<UrlInfo> u = NormalizeUrl(c.raw);
    ASSERT_FALSE(u.ok()) << c.raw.substr(0, 40) << " -> " << u->url;
    EXPECT_EQ(u.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(u.status().message(), HasSubstr(c.message)) << c.raw.substr(0, 40);
  }
}

TEST(NormalizeUrl, OutputIsAFixedPoint) {
  for (const char* raw :
       {"HTTPS://user@中国银行.中国:443/%7Euser/../pay?id=1#top", "www.abc-bank.top/x",
        "http://a.com/领取 奖品?id=100%", "http://a.com/%zz%4", "http://a.com/..//evil.top/x",
        "http://[::1]:8080", "http://0x7f.1/?a=%2f"}) {
    StatusOr<UrlInfo> first = NormalizeUrl(raw);
    ASSERT_TRUE(first.ok()) << raw << ": " << first.status();
    StatusOr<UrlInfo> second = NormalizeUrl(first->url);
    ASSERT_TRUE(second.ok()) << first->url;
    EXPECT_EQ(second->url, first->url);
  }
}

}  // namespace
}  // namespace fz::normalize
