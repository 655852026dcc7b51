#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "fz/intel/text_patterns.h"
#include "gtest/gtest.h"

namespace fz::intel {
namespace {

std::vector<std::string> Urls(std::string_view text) {
  std::vector<std::string> out;
  for (std::string_view u : ExtractUrls(text)) out.emplace_back(u);
  return out;
}

using V = std::vector<std::string>;

TEST(ExtractUrlsTest, RealShapedChineseSms) {
  EXPECT_EQ(Urls("【ETC服务】您的ETC已失效，请点击 http://etc-gov.top/a?id=7 重新认证。"),
            V{"http://etc-gov.top/a?id=7"});
  EXPECT_EQ(Urls("点击https://t.cn/A6xYz领取补贴"), V{"https://t.cn/A6xYz"});
  EXPECT_EQ(Urls("登录 www.abc-bank.top，完成验证"), V{"www.abc-bank.top"});
  EXPECT_EQ(Urls("详情见abc-bank.top/x。"), V{"abc-bank.top/x"});
  EXPECT_EQ(Urls("网址：HTTPS://Pay.Example.COM:8443/p/q.html！回复TD退订"),
            V{"HTTPS://Pay.Example.COM:8443/p/q.html"});
  EXPECT_EQ(Urls("访问 http://bad.top/login. 或 http://bad2.top/x, 谢谢"),
            (V{"http://bad.top/login", "http://bad2.top/x"}));
  EXPECT_EQ(Urls("（链接：https://a.top/b）"), V{"https://a.top/b"});
  EXPECT_EQ(Urls("“www.fake-jd.cn/refund”"), V{"www.fake-jd.cn/refund"});
  EXPECT_EQ(Urls("打开 http://3232235777/x 或 http://1.2.3.4:8080/"),
            (V{"http://3232235777/x", "http://1.2.3.4:8080/"}));
  EXPECT_EQ(Urls("下载 app.xn--fiqs8s/d"), V{"app.xn--fiqs8s/d"});
  EXPECT_EQ(Urls("two:a.top,b.top"), (V{"a.top", "b.top"}));
}

TEST(ExtractUrlsTest, NoFalsePositivesOnNumbersAndText) {
  EXPECT_TRUE(Urls("本月话费3.5元，流量1.2.3GB，版本v2.0已更新").empty());
  EXPECT_TRUE(Urls("余额12,345.67元。验证码1234.").empty());
  EXPECT_TRUE(Urls("http:// 空的 https://").empty());
  EXPECT_TRUE(Urls("http://localhost/x").empty());
  EXPECT_TRUE(Urls("a..top").empty());
  EXPECT_TRUE(Urls("").empty());
  EXPECT_TRUE(Urls("纯中文短信，没有链接。").empty());
}

TEST(ExtractUrlsTest, OutputReusesVector) {
  std::vector<std::string_view> out = {"stale"};
  ExtractUrls("x.top", &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], "x.top");
}

TEST(ExtractUrlsTest, SpansPointIntoTheText) {
  const std::string text = "请访问www.x.top查看";
  const std::vector<std::string_view> urls = ExtractUrls(text);
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_EQ(urls[0].data(), text.data() + text.find("www"));
}

// A URL char for the purposes of the expectation below: what the list's URLs are cut at.
bool Terminates(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u >= 0x7F ||
         std::string_view("\"'`<>()[]{}\\|^").find(c) != std::string_view::npos;
}

// Every link of a real phishing list, inside Chinese SMS text: the extraction is the link
// itself, or — for links holding a character that ends a URL in text (quote, bracket, space)
// or ending in punctuation — parts of it, almost always a prefix holding scheme and host.
TEST(ExtractUrlsTest, RealPhishingLinksInChineseText) {
  const char* shared = std::getenv("FZ_SHARED_DIR");
  ASSERT_NE(shared, nullptr) << "FZ_SHARED_DIR is not set (CTest sets it)";
  const std::string path =
      std::string(shared) + "/data/blocklists/phishing-links-ACTIVE_2026-03-13.txt";
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "missing " << path;
  size_t total = 0, exact = 0, prefix = 0, prefix_with_host = 0;
  std::string url;
  while (std::getline(in, url)) {
    if (url.empty()) continue;
    ++total;
    const std::string sms =
        "【通知】尊敬的客户，您的账户存在异常，请立即点击" + url + "，核实身份，逾期将冻结。";
    const std::vector<std::string_view> found = ExtractUrls(sms);
    const bool clean = std::find_if(url.begin(), url.end(), Terminates) == url.end() &&
                       std::string_view(".,;:!?").find(url.back()) == std::string_view::npos;
    if (clean) {
      ASSERT_EQ(found.size(), 1u) << url;
      EXPECT_EQ(found[0], url);
      exact += found.size() == 1 && found[0] == url;
      continue;
    }
    ASSERT_FALSE(found.empty()) << url;
    for (std::string_view f : found) {
      EXPECT_NE(url.find(f), std::string::npos) << url << " -> " << f;
    }
    // Usually the link is cut at the first such character, after its host.
    prefix_with_host +=
        url.rfind(std::string(found[0]), 0) == 0 && found[0].size() > url.find("://") + 3;
    ++prefix;
  }
  EXPECT_EQ(total, 50086u);
  EXPECT_EQ(exact + prefix, total);
  EXPECT_GE(exact, total * 99 / 100);
  EXPECT_GE(prefix_with_host, prefix * 95 / 100);
}

// The screen in front of ExtractUrls must never hide a URL: on random texts made of the bytes
// URLs are made of (and CJK text), whenever the full tokenizer finds one, MayHoldUrl says so.
TEST(ExtractUrlsTest, ScreenNeverHidesAUrl) {
  const std::vector<std::string> pieces = {".",    ":",    "/",     "//",  "://", "a",  "Z",  "x",
                                           "xn--", "0",    "9",     "-",   "_",   "?",  "#",  "@",
                                           " ",    "http", "HTTPS", "www", "top", "元", "。", "：",
                                           "点击", "\xff", "\"",    "(",   ",",   "!"};
  std::mt19937 rng(20261127);
  int with_url = 0, screened_out = 0;
  std::vector<std::string_view> full, screened;
  for (int n = 0; n < 200000; ++n) {
    std::string text;
    const int len = static_cast<int>(rng() % 12);
    for (int i = 0; i < len; ++i) text += pieces[rng() % pieces.size()];
    internal::ExtractUrlsUnscreened(text, &full);
    ExtractUrls(text, &screened);
    ASSERT_EQ(full, screened) << text;
    if (!full.empty()) {
      ++with_url;
      ASSERT_TRUE(MayHoldUrl(text)) << text;
    }
    screened_out += MayHoldUrl(text) ? 0 : 1;
  }
  // Both kinds are common, so the check above has teeth.
  EXPECT_GT(with_url, 1000);
  EXPECT_GT(screened_out, 10000);
  EXPECT_FALSE(MayHoldUrl("【银行】您尾号1234的账户消费100.00元"));
  EXPECT_TRUE(MayHoldUrl("点击 http://1.2.3.4/a"));
  EXPECT_TRUE(MayHoldUrl("登录 abc.xn--fiqs8s"));
}

}  // namespace
}  // namespace fz::intel
