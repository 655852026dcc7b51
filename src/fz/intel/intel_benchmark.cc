// IntelStore and TextPatterns micro-benchmarks at production scale: 1M synthetic phone
// indicators, the 141k real phishing domains (../shared/data/blocklists) and 100k accounts,
// loaded through the CSV path. Prints load time, MemoryBytes() and RSS growth, then runs
// lookups (phone hit/miss, domain hit/miss with the subdomain walk) against a baseline of the
// same phone lookups in std::unordered_map<std::string, Entry>, and TextPatterns MB/s with
// ~200 patterns on SMS-like text.
//
// Needs FZ_SHARED_DIR (default: <source>/../shared).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "fz/intel/intel_store.h"
#include "fz/intel/text_patterns.h"

namespace fz::intel {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1795656600);

size_t RssBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// A Chinese mobile number "+861XXXXXXXXXX"; distinct for distinct i < 10^8 (the multiplier
// is coprime to 10^8, so i -> i * K mod 10^8 is a bijection).
std::string Mobile(uint64_t i) {
  static constexpr const char* kPrefixes[] = {"139", "138", "187", "151", "133", "177", "199"};
  char buf[32];
  std::snprintf(buf, sizeof(buf), "+86%s%08llu", kPrefixes[i % 7],
                static_cast<unsigned long long>(i * 2654435761ULL % 100000000ULL));
  return buf;
}

struct Fixture {
  IntelStore store;
  std::vector<std::string> phone_hits, phone_misses, domain_hits, domain_misses;
  std::unordered_map<std::string, IntelMatch> baseline;
  std::vector<std::string> sms;
  TextPatterns patterns;
};

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "intel_benchmark: cannot read %s\n", path.c_str());
    std::exit(1);
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::string SharedDir() {
  const char* env = std::getenv("FZ_SHARED_DIR");
  return env != nullptr ? env : std::string(FZ_SOURCE_DIR) + "/../shared";
}

// Loads one CSV text into the store and prints time, rows/s, MemoryBytes and RSS growth.
void LoadPart(Fixture& f, const std::string& csv, const char* what, size_t rows, size_t rss_start) {
  static const model::FraudTypeRegistry types = model::FraudTypeRegistry::WithBuiltins();
  std::vector<RejectedIndicator> rejected;
  const auto start = std::chrono::steady_clock::now();
  const Status s = f.store.LoadCsvText(csv, what, types, &rejected);
  const double secs = Seconds(start);
  std::printf(
      "load %-8s %8zu rows in %5.2f s (%7.0f rows/s), %zu rejected%s%s; store now "
      "MemoryBytes %.1f MB, RSS growth %.1f MB\n",
      what, rows, secs, rows / secs, rejected.size(),
      s.ok() ? "" : ", error: ", s.ok() ? "" : std::string(s.message()).c_str(),
      f.store.MemoryBytes() / 1e6, (static_cast<double>(RssBytes()) - rss_start) / 1e6);
  if (!rejected.empty()) {
    std::printf("  e.g. line %lld: %s | %s\n", static_cast<long long>(rejected[0].line),
                rejected[0].raw.c_str(), rejected[0].reason.c_str());
  }
}

void LoadIntel(Fixture& f) {
  constexpr size_t kPhones = 1000000, kAccounts = 100000;
  const std::vector<std::string> domains =
      ReadLines(SharedDir() + "/data/blocklists/phishing-domains-ACTIVE_2026-03-13.txt");
  const std::string header = "kind,value,fraud_type,source,confidence,expires_at\n";
  std::string phone_csv = header, domain_csv = header, account_csv = header;
  for (size_t i = 0; i < kPhones; ++i) {
    phone_csv += "phone," + Mobile(i) + ",task_rebate,national,0.9,\n";
  }
  // The list mixes in ~5.5k IPv4 addresses, which are IP indicators, not domains.
  for (const std::string& d : domains) {
    const bool ip = d.find_first_not_of("0123456789.") == std::string::npos;
    domain_csv += (ip ? "ip," : "domain,") + d + ",fake_investment,national,,\n";
  }
  for (size_t i = 0; i < kAccounts; ++i) {
    account_csv +=
        "account,62220" + std::to_string(10000000000000ULL + i * 7919) + ",fake_loan,bank,,\n";
  }
  // Warm the normalizers first (libphonenumber metadata, the PSL, and PhoneNormalizer's prefix
  // cache, which runs libphonenumber once per 7-digit prefix: ~70k here) so that the timings
  // and RSS growth below are the store's own; the CSV texts stay allocated until measured.
  const auto warm_start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < kPhones; ++i) {
    (void)IntelStore::CanonicalValue(model::IndicatorKind::kPhone, Mobile(i));
  }
  (void)IntelStore::CanonicalValue(model::IndicatorKind::kDomain, domains[0]);
  std::printf("normalizer warm-up over the 1M phones (cold prefix cache): %.2f s\n",
              Seconds(warm_start));
  const size_t rss_before = RssBytes();
  LoadPart(f, phone_csv, "phones", kPhones, rss_before);
  LoadPart(f, domain_csv, "domains", domains.size(), rss_before);  // + the IPs
  LoadPart(f, account_csv, "accounts", kAccounts, rss_before);
  std::printf("store: %zu indicators (%zu phones, %zu domains, %zu ips, %zu accounts)\n",
              f.store.size(), f.store.CountOfKind(model::IndicatorKind::kPhone),
              f.store.CountOfKind(model::IndicatorKind::kDomain),
              f.store.CountOfKind(model::IndicatorKind::kIp),
              f.store.CountOfKind(model::IndicatorKind::kAccount));

  std::mt19937_64 rng(1);
  for (int i = 0; i < 100000; ++i) {
    f.phone_hits.push_back(Mobile(rng() % kPhones));
    f.phone_misses.push_back(Mobile(kPhones + rng() % (100000000 - kPhones)));
    std::string d = domains[rng() % domains.size()];
    while (d.find_first_not_of("0123456789.") == std::string::npos) {
      d = domains[rng() % domains.size()];
    }
    f.domain_hits.push_back("login.secure." + d);
    f.domain_misses.push_back("www.shop" + std::to_string(rng() % 1000000) + ".example.com.cn");
  }
}

void BuildBaseline(Fixture& f) {
  const size_t rss_before = RssBytes();
  IntelMatch entry;
  for (size_t i = 0; i < 1000000; ++i) f.baseline.emplace(Mobile(i), entry);
  std::printf(
      "baseline std::unordered_map<std::string, IntelMatch> of 1M phones: RSS growth "
      "%.1f MB\n",
      (RssBytes() - rss_before) / 1e6);
}

void BuildPatterns(Fixture& f) {
  static constexpr const char* kWords[] = {
      "安全账户", "刷单", "返利", "保证金", "解冻", "征信",   "修复", "贷款", "额度",     "冻结",
      "公检法",   "通缉", "洗钱", "客服",   "退款", "理赔",   "快递", "丢失", "点赞",     "佣金",
      "投资",     "收益", "导师", "内幕",   "博彩", "游戏币", "装备", "交友", "屏幕共享", "会议"};
  std::vector<TextPattern> patterns;
  for (int i = 0; i < 180; ++i) {
    patterns.push_back({"lit." + std::to_string(i),
                        std::string(kWords[i % 30]) + kWords[(i / 30 + i) % 30], false,
                        model::FraudType{static_cast<uint16_t>(i % 11)}, 1, "关键词"});
  }
  for (int i = 0; i < 20; ++i) {
    patterns.push_back({"re." + std::to_string(i),
                        std::string(kWords[i]) + ".{0,12}[0-9]{2,6}(元|万)", true,
                        model::FraudType{static_cast<uint16_t>(i % 11)}, 1, "正则"});
  }
  StatusOr<TextPatterns> p = TextPatterns::Compile(std::move(patterns));
  if (!p.ok()) {
    std::fprintf(stderr, "compile: %s\n", std::string(p.status().message()).c_str());
    std::exit(1);
  }
  f.patterns = std::move(*p);
  static constexpr const char* kSms[] = {
      "【顺丰速运】您的快递在运输途中丢失，请添加客服QQ办理理赔，理赔金额300元。",
      "您好，这里是XX银行，您的信用卡额度已提升至50000元，详询 http://bank-up.top/a 回复TD退订",
      "【兼职】在家动动手指点赞即可日赚300元，详情咨询微信abc123。",
      "妈，我手机掉了，这是我新号码，有急事需要用钱，先转2000元给我。",
      "您的验证码为384756，5分钟内有效，请勿泄露给他人。",
      "尊敬的用户，您本月话费账单已出，消费58.00元，感谢您的使用。",
  };
  for (int i = 0; i < 1000; ++i) f.sms.push_back(kSms[i % 6]);
}

Fixture& F() {
  static Fixture* f = [] {
    auto* fx = new Fixture;
    LoadIntel(*fx);
    BuildBaseline(*fx);
    BuildPatterns(*fx);
    return fx;
  }();
  return *f;
}

template <typename Fn>
void Lookups(benchmark::State& state, const std::vector<std::string>& keys, Fn&& fn) {
  size_t i = 0, hits = 0;
  for (auto _ : state) {
    hits += fn(keys[i]) ? 1 : 0;
    if (++i == keys.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["hit_rate"] = static_cast<double>(hits) / state.iterations();
}

void BM_PhoneHit(benchmark::State& state) {
  Lookups(state, F().phone_hits,
          [](const std::string& k) { return F().store.MatchPhone(k, kNow); });
}
void BM_PhoneMiss(benchmark::State& state) {
  Lookups(state, F().phone_misses,
          [](const std::string& k) { return F().store.MatchPhone(k, kNow); });
}
void BM_BaselineUnorderedMapPhoneHit(benchmark::State& state) {
  Lookups(state, F().phone_hits,
          [](const std::string& k) { return F().baseline.find(k) != F().baseline.end(); });
}
void BM_BaselineUnorderedMapPhoneMiss(benchmark::State& state) {
  Lookups(state, F().phone_misses,
          [](const std::string& k) { return F().baseline.find(k) != F().baseline.end(); });
}
void BM_DomainHitSubdomainWalk(benchmark::State& state) {
  Lookups(state, F().domain_hits,
          [](const std::string& k) { return F().store.MatchDomain(k, kNow); });
}
void BM_DomainMissSubdomainWalk(benchmark::State& state) {
  Lookups(state, F().domain_misses,
          [](const std::string& k) { return F().store.MatchDomain(k, kNow); });
}

void BM_TextPatterns200(benchmark::State& state) {
  const Fixture& f = F();
  TextPatterns::Scratch scratch = f.patterns.NewScratch();
  size_t i = 0, bytes = 0, hits = 0;
  const std::function<void(const TextPattern&)> on_hit = [&](const TextPattern&) { ++hits; };
  for (auto _ : state) {
    f.patterns.Scan(f.sms[i], scratch, on_hit);
    bytes += f.sms[i].size();
    if (++i == f.sms.size()) i = 0;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["hits_per_sms"] = static_cast<double>(hits) / state.iterations();
}

void BM_ExtractUrls(benchmark::State& state) {
  const Fixture& f = F();
  std::vector<std::string_view> out;
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    ExtractUrls(f.sms[i], &out);
    benchmark::DoNotOptimize(out.data());
    bytes += f.sms[i].size();
    if (++i == f.sms.size()) i = 0;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

BENCHMARK(BM_PhoneHit);
BENCHMARK(BM_PhoneMiss);
BENCHMARK(BM_BaselineUnorderedMapPhoneHit);
BENCHMARK(BM_BaselineUnorderedMapPhoneMiss);
BENCHMARK(BM_DomainHitSubdomainWalk);
BENCHMARK(BM_DomainMissSubdomainWalk);
BENCHMARK(BM_PhoneHit)->Threads(2);
BENCHMARK(BM_TextPatterns200);
BENCHMARK(BM_ExtractUrls);

}  // namespace
}  // namespace fz::intel

int main(int argc, char** argv) {
  fz::intel::F();  // load and report memory before any timing
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
