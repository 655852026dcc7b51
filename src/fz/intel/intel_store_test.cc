#include "fz/intel/intel_store.h"

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "fz/intel/store_impl.h"
#include "gtest/gtest.h"

namespace fz::intel {
namespace {

using model::FraudType;
using model::FraudTypeRegistry;
using model::Indicator;
using model::IndicatorKind;

const absl::Time kNow = absl::FromUnixSeconds(1795656600);  // 2026-11-26T09:30:00+08:00

Indicator Ind(IndicatorKind kind, std::string value, std::string source = "national",
              uint16_t type = 3) {
  Indicator i;
  i.kind = kind;
  i.value = std::move(value);
  i.source = std::move(source);
  i.fraud_type = FraudType{type};
  i.confidence = 0.9;
  return i;
}

TEST(IntelStoreTest, PhoneMatchesCanonicalFormWhateverTheInputForm) {
  for (std::string written : {"13895101234", "+86 138 9510 1234", "008613895101234",
                              "１３８９５１０１２３４", "+86-138-9510-1234"}) {
    IntelStore store;
    ASSERT_TRUE(store.Add(Ind(IndicatorKind::kPhone, written)).ok()) << written;
    const IntelMatch* m = store.MatchPhone("+8613895101234", kNow);
    ASSERT_NE(m, nullptr) << written;
    EXPECT_EQ(m->value, "+8613895101234");
    EXPECT_EQ(m->kind, IndicatorKind::kPhone);
    EXPECT_EQ(m->source, "national");
    EXPECT_EQ(m->fraud_type, FraudType{3});
    EXPECT_FLOAT_EQ(m->confidence, 0.9f);
    EXPECT_EQ(m->expires_at, absl::InfiniteFuture());
    EXPECT_EQ(store.MatchPhone("+8613895101235", kNow), nullptr);
    EXPECT_EQ(store.MatchPhone("13895101234", kNow), nullptr) << "lookups take canonical form";
  }
}

TEST(IntelStoreTest, InternationalLandlineAndHashedPhones) {
  IntelStore store;
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kPhone, "+855 17 652 903")).ok());
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kPhone, "0951-5012345")).ok());
  const std::string hex(64, 'A');
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kPhone, "sha256:" + hex)).ok());
  EXPECT_NE(store.MatchPhone("+85517652903", kNow), nullptr);
  EXPECT_NE(store.MatchPhone("+869515012345", kNow), nullptr);
  const IntelMatch* h = store.MatchPhone("h:" + std::string(64, 'a'), kNow);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->value, "h:" + std::string(64, 'a'));
  EXPECT_EQ(store.CountOfKind(IndicatorKind::kPhone), 3u);
  EXPECT_EQ(store.size(), 3u);
}

TEST(IntelStoreTest, BadValuesAreErrors) {
  IntelStore store;
  EXPECT_FALSE(store.Add(Ind(IndicatorKind::kPhone, "not a phone")).ok());
  EXPECT_FALSE(store.Add(Ind(IndicatorKind::kDomain, "bad..top")).ok());
  EXPECT_FALSE(store.Add(Ind(IndicatorKind::kAccount, "62220x")).ok());
  EXPECT_FALSE(store.Add(Ind(IndicatorKind::kImei, "123")).ok());
  EXPECT_FALSE(store.Add(Ind(IndicatorKind::kIp, "300.1.1.1")).ok());
  EXPECT_FALSE(store.Add(Ind(IndicatorKind::kUrl, "ftp://x.top/")).ok());
  Indicator bad_conf = Ind(IndicatorKind::kApp, "com.x");
  bad_conf.confidence = 1.5;
  EXPECT_FALSE(store.Add(bad_conf).ok());
  EXPECT_EQ(store.size(), 0u);
}

TEST(IntelStoreTest, DomainMatchesItselfAndSubdomainsOnly) {
  IntelStore store;
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kDomain, "BAD.Top")).ok());
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kDomain, "*.evil.cn", "carrier", 5)).ok());
  ASSERT_NE(store.MatchDomain("bad.top", kNow), nullptr);
  EXPECT_EQ(store.MatchDomain("bad.top", kNow)->value, "bad.top");
  EXPECT_NE(store.MatchDomain("a.b.bad.top", kNow), nullptr);
  EXPECT_NE(store.MatchDomain("bad.top.", kNow), nullptr);
  EXPECT_EQ(store.MatchDomain("notbad.top", kNow), nullptr);
  EXPECT_EQ(store.MatchDomain("bad.top.cn", kNow), nullptr);
  EXPECT_EQ(store.MatchDomain("top", kNow), nullptr);
  ASSERT_NE(store.MatchDomain("www.evil.cn", kNow), nullptr);
  EXPECT_EQ(store.MatchDomain("www.evil.cn", kNow)->source, "carrier");
}

TEST(IntelStoreTest, WhitelistIsAKnownGoodListForDomainsAndApps) {
  IntelStore store;
  ASSERT_TRUE(
      store
          .LoadWhitelistCsvText("kind,value\ndomain,baidu.com\napp,com.eg.android.AlipayGphone\n",
                                "known.csv", nullptr)
          .ok());
  EXPECT_TRUE(store.IsWhitelistedDomain("baidu.com"));
  EXPECT_TRUE(store.IsWhitelistedDomain("m.baidu.com"));
  EXPECT_TRUE(store.IsWhitelistedDomain("a.b.baidu.com"));
  EXPECT_FALSE(store.IsWhitelistedDomain("baidu.com.evil.top"));
  EXPECT_FALSE(store.IsWhitelistedDomain("notbaidu.com"));
  EXPECT_FALSE(store.IsWhitelistedDomain("com"));
  // App ids are stored lower-case (ingest lower-cases event app ids the same way).
  EXPECT_TRUE(store.IsWhitelisted(model::IndicatorKind::kApp, "com.eg.android.alipaygphone"));
  EXPECT_FALSE(store.IsWhitelisted(model::IndicatorKind::kApp, "com.eg.android.alipay"));
  EXPECT_FALSE(IntelStore().IsWhitelistedDomain("baidu.com"));
}

TEST(IntelStoreTest, MostSpecificActiveDomainWins) {
  IntelStore store;
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kDomain, "bad.top", "national", 1)).ok());
  Indicator sub = Ind(IndicatorKind::kDomain, "pay.bad.top", "analyst:wang", 2);
  sub.expires_at = kNow + absl::Hours(1);
  ASSERT_TRUE(store.Add(sub).ok());
  EXPECT_EQ(store.MatchDomain("x.pay.bad.top", kNow)->value, "pay.bad.top");
  EXPECT_EQ(store.MatchDomain("x.pay.bad.top", kNow + absl::Hours(2))->value, "bad.top");
}

TEST(IntelStoreTest, UrlMatchesByUrlThenDomainThenIp) {
  IntelStore store;
  ASSERT_TRUE(
      store.Add(Ind(IndicatorKind::kUrl, "HTTP://sites.example.com/Pay/../Fake", "u")).ok());
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kDomain, "bad.top", "d")).ok());
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kIp, "203.0.113.7", "i")).ok());
  const IntelMatch* m = store.MatchUrl("http://sites.example.com/Fake", kNow);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->kind, IndicatorKind::kUrl);
  EXPECT_EQ(m->value, "http://sites.example.com/Fake");
  // The scheme is not part of the key.
  ASSERT_NE(store.MatchUrl("https://sites.example.com/Fake", kNow), nullptr);
  EXPECT_EQ(store.MatchUrl("http://sites.example.com/Other", kNow), nullptr);
  m = store.MatchUrl("https://www.bad.top:8443/login?id=1", kNow);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->kind, IndicatorKind::kDomain);
  m = store.MatchUrl("http://203.0.113.7/x", kNow);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->kind, IndicatorKind::kIp);
  EXPECT_EQ(store.MatchUrl("http://notbad.top/", kNow), nullptr);
  EXPECT_EQ(store.MatchUrl("", kNow), nullptr);
}

TEST(IntelStoreTest, IpV6AndUrlWithIpv6Host) {
  IntelStore store;
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kIp, "2001:0DB8:0000::0001")).ok());
  EXPECT_NE(store.MatchIp("2001:db8::1", kNow), nullptr);
  EXPECT_NE(store.MatchUrl("http://[2001:db8::1]/a", kNow), nullptr);
}

TEST(IntelStoreTest, AccountsImeisAppsMatchExactly) {
  IntelStore store;
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kAccount, "6222 0212 3456 7890 123")).ok());
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kImei, "35-209900-176148-1")).ok());
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kApp, " Com.Fake.Meeting ")).ok());
  EXPECT_NE(store.MatchAccount("6222021234567890123", kNow), nullptr);
  EXPECT_EQ(store.MatchAccount("622202123456789012", kNow), nullptr);
  EXPECT_NE(store.MatchImei("352099001761481", kNow), nullptr);
  EXPECT_NE(store.MatchApp("com.fake.meeting", kNow), nullptr);
  EXPECT_EQ(store.MatchApp("com.fake", kNow), nullptr);
  EXPECT_EQ(store.CountOfKind(IndicatorKind::kAccount), 1u);
}

TEST(IntelStoreTest, ExpiryBoundary) {
  IntelStore store;
  Indicator i = Ind(IndicatorKind::kPhone, "+8613895101234");
  i.expires_at = kNow;
  ASSERT_TRUE(store.Add(i).ok());
  EXPECT_NE(store.MatchPhone("+8613895101234", kNow - absl::Milliseconds(1)), nullptr);
  EXPECT_EQ(store.MatchPhone("+8613895101234", kNow), nullptr);
  EXPECT_EQ(store.MatchPhone("+8613895101234", kNow + absl::Seconds(1)), nullptr);
  EXPECT_EQ(store.size(), 1u) << "expired indicators still count";
  const IntelMatch* m = store.MatchPhone("+8613895101234", kNow - absl::Seconds(1));
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->expires_at, kNow);
}

TEST(IntelStoreTest, NewestAddReplaces) {
  IntelStore store;
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kPhone, "13895101234", "national", 1)).ok());
  const IntelMatch* first = store.MatchPhone("+8613895101234", kNow);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->fraud_type, FraudType{1});
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kPhone, "+8613895101234", "case:2026-0012", 7)).ok());
  const IntelMatch* second = store.MatchPhone("+8613895101234", kNow);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->fraud_type, FraudType{7});
  EXPECT_EQ(second->source, "case:2026-0012");
  EXPECT_EQ(store.size(), 1u);
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kUrl, "http://x.top/a", "s1", 1)).ok());
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kUrl, "https://x.top/a", "s2", 2)).ok());
  EXPECT_EQ(store.MatchUrl("http://x.top/a", kNow)->value, "https://x.top/a");
  EXPECT_EQ(store.CountOfKind(IndicatorKind::kUrl), 1u);
}

TEST(IntelStoreTest, WhitelistBeatsReAdd) {
  IntelStore store;
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kPhone, "13895101234")).ok());
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kDomain, "bank.com")).ok());
  ASSERT_TRUE(store.Whitelist(IndicatorKind::kPhone, "138-9510-1234").ok());
  ASSERT_TRUE(store.Whitelist(IndicatorKind::kDomain, "BANK.com").ok());
  EXPECT_EQ(store.MatchPhone("+8613895101234", kNow), nullptr);
  EXPECT_EQ(store.MatchDomain("www.bank.com", kNow), nullptr);
  EXPECT_EQ(store.size(), 0u);
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kPhone, "+86 13895101234")).ok());
  EXPECT_EQ(store.MatchPhone("+8613895101234", kNow), nullptr);
  EXPECT_EQ(store.whitelisted_skips(), 1u);
  EXPECT_EQ(store.whitelist_size(), 2u);
  Indicator wl = Ind(IndicatorKind::kAccount, "6222021234567890123");
  wl.whitelisted = true;
  ASSERT_TRUE(store.Add(wl).ok());
  ASSERT_TRUE(store.Add(Ind(IndicatorKind::kAccount, "6222021234567890123")).ok());
  EXPECT_EQ(store.MatchAccount("6222021234567890123", kNow), nullptr);
  EXPECT_FALSE(store.Whitelist(IndicatorKind::kPhone, "garbage").ok());
}

TEST(IntelStoreTest, ManyPhonesAndRemovalKeepIndexConsistent) {
  IntelStore store;
  constexpr int kN = 20000;
  for (int i = 0; i < kN; ++i) {
    ASSERT_TRUE(
        store.Add(Ind(IndicatorKind::kPhone, "+86139" + std::to_string(10000000 + i))).ok());
  }
  for (int i = 0; i < kN; i += 3) {
    ASSERT_TRUE(
        store.Whitelist(IndicatorKind::kPhone, "+86139" + std::to_string(10000000 + i)).ok());
  }
  int hits = 0;
  for (int i = 0; i < kN; ++i) {
    const bool hit = store.MatchPhone("+86139" + std::to_string(10000000 + i), kNow) != nullptr;
    EXPECT_EQ(hit, i % 3 != 0) << i;
    hits += hit;
  }
  EXPECT_EQ(static_cast<size_t>(hits), store.size());
  EXPECT_EQ(store.MatchPhone("+8613920000000", kNow), nullptr);
}

// Every table grows its prefilter (bloom_filter.h) by re-adding all keys: values added before
// and after each growth still match, absent ones still do not.
TEST(IntelStoreTest, EveryKindStillMatchesAfterItsFilterGrew) {
  IntelStore store;
  constexpr int kN = 5000;
  for (int i = 0; i < kN; ++i) {
    ASSERT_TRUE(store.Add(Ind(IndicatorKind::kDomain, "d" + std::to_string(i) + ".bad.top")).ok());
    ASSERT_TRUE(store.Add(Ind(IndicatorKind::kAccount, std::to_string(6222021200000 + i))).ok());
    ASSERT_TRUE(
        store.Add(Ind(IndicatorKind::kPhone, "+855 12 " + std::to_string(100000 + i))).ok());
  }
  for (int i = 0; i < kN; ++i) {
    EXPECT_NE(store.MatchDomain("www.d" + std::to_string(i) + ".bad.top", kNow), nullptr) << i;
    EXPECT_NE(store.MatchAccount(std::to_string(6222021200000 + i), kNow), nullptr) << i;
    EXPECT_NE(store.MatchPhone("+85512" + std::to_string(100000 + i), kNow), nullptr) << i;
    EXPECT_EQ(store.MatchDomain("e" + std::to_string(i) + ".bad.top", kNow), nullptr) << i;
    EXPECT_EQ(store.MatchAccount(std::to_string(6222021300000 + i), kNow), nullptr) << i;
    EXPECT_EQ(store.MatchPhone("+85512" + std::to_string(200000 + i), kNow), nullptr) << i;
  }
}

TEST(IntelStoreTest, ConcurrentFirstHitsAgree) {
  IntelStore store;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(
        store.Add(Ind(IndicatorKind::kPhone, "+86137" + std::to_string(20000000 + i))).ok());
  }
  std::vector<std::vector<const IntelMatch*>> seen(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) {
        seen[t].push_back(store.MatchPhone("+86137" + std::to_string(20000000 + i), kNow));
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int i = 0; i < 1000; ++i) {
    ASSERT_NE(seen[0][i], nullptr);
    EXPECT_EQ(seen[0][i]->value, "+86137" + std::to_string(20000000 + i));
    for (int t = 1; t < 4; ++t) EXPECT_EQ(seen[t][i], seen[0][i]);
  }
}

TEST(IntelStoreTest, MoveKeepsMatches) {
  IntelStore a;
  ASSERT_TRUE(a.Add(Ind(IndicatorKind::kDomain, "bad.top")).ok());
  IntelStore b = std::move(a);
  EXPECT_NE(b.MatchDomain("x.bad.top", kNow), nullptr);
  EXPECT_GT(b.MemoryBytes(), 0u);
}

// EncodePhone parses 8 digits at a time: it must agree with the digit-by-digit definition on
// every length and on non-digits anywhere (bytes just below '0' and above '9' included).
TEST(EncodePhoneTest, AgreesWithDigitByDigit) {
  const auto reference = [](std::string_view e164, uint64_t* key) {
    if (e164.size() < 2 || e164.size() > 16 || e164[0] != '+') return false;
    uint64_t digits = 0;
    for (size_t i = 1; i < e164.size(); ++i) {
      const unsigned d = static_cast<unsigned char>(e164[i]) - '0';
      if (d > 9) return false;
      digits = digits * 10 + d;
    }
    *key = (digits << 4) | (e164.size() - 1);
    return true;
  };
  const std::string bytes = "0123456789/:+ a\x80\xff";
  std::mt19937 rng(5);
  int ok = 0;
  for (int n = 0; n < 300000; ++n) {
    std::string s = rng() % 8 == 0 ? "" : "+";
    const size_t len = rng() % 18;
    const bool digits_only = rng() % 2 == 0;
    for (size_t i = 0; i < len; ++i) {
      s.push_back(digits_only ? static_cast<char>('0' + rng() % 10) : bytes[rng() % bytes.size()]);
    }
    uint64_t want = 0, got = 0;
    const bool want_ok = reference(s, &want);
    ASSERT_EQ(internal::EncodePhone(s, &got), want_ok) << s;
    if (want_ok) {
      ASSERT_EQ(got, want) << s;
      ++ok;
    }
  }
  EXPECT_GT(ok, 50000);
  uint64_t key = 0;
  ASSERT_TRUE(internal::EncodePhone("+999999999999999", &key));
  EXPECT_EQ(key, (999999999999999ULL << 4) | 15);
}

}  // namespace
}  // namespace fz::intel
