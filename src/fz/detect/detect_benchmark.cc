// Events/s through Detector and ParallelDetector with rules/default.toml on synthetic call,
// SMS and net events: mostly background, ~3% touching intelligence (fraud numbers, domains).
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "fz/common/str_cat.h"
#include "fz/detect/detector.h"
#include "fz/detect/expr.h"

namespace fz::detect {
namespace {

struct Fixture {
  model::FraudTypeRegistry types = model::FraudTypeRegistry::WithBuiltins();
  std::unique_ptr<RuleSet> rules;
  intel::IntelStore intel;
  std::vector<model::Event> events;

  Fixture() {
    const char* dir = std::getenv("FZ_SOURCE_DIR");
    StatusOr<RuleSet> r =
        RuleSet::LoadFile(StrCat(dir == nullptr ? "." : dir, "/rules/default.toml"), types);
    if (!r.ok()) std::abort();
    rules = std::make_unique<RuleSet>(std::move(r).value());
    for (int i = 0; i < 1000; ++i) {
      model::Indicator ind;
      ind.kind = model::IndicatorKind::kPhone;
      ind.value = StrCat("+855176", 10000 + i);
      ind.fraud_type = model::FraudType{1};
      (void)intel.Add(ind);
      ind.kind = model::IndicatorKind::kDomain;
      ind.value = StrCat("scam", i, ".top");
      (void)intel.Add(ind);
    }
    std::mt19937_64 rng(1);
    const absl::Time t0 = absl::FromUnixSeconds(1795656600);
    const int n = 1'000'000;
    events.reserve(n);
    for (int i = 0; i < n; ++i) {
      model::Event e;
      e.header.id = model::EventId(StrCat("e", i));
      e.header.time = t0 + absl::Milliseconds(i * 50);
      const std::string subject = StrCat("+86138951", 10000 + rng() % 90000);
      const bool hit = rng() % 100 < 3;
      const uint64_t kind = rng() % 100;
      if (kind < 60) {
        e.header.type = model::EventType::kCall;
        model::CallEvent c;
        c.caller = model::PhoneNumber(hit ? StrCat("+855176", 10000 + rng() % 1000)
                                          : StrCat("+86139951", 10000 + rng() % 90000));
        c.callee = model::PhoneNumber(subject);
        c.duration_s = static_cast<int32_t>(rng() % 300);
        e.body = std::move(c);
      } else if (kind < 85) {
        e.header.type = model::EventType::kSms;
        model::SmsEvent s;
        s.sender = model::PhoneNumber(StrCat("+86106900", rng() % 1000));
        s.receiver = model::PhoneNumber(subject);
        s.text = hit ? "您的刷单佣金待领取，点击 http://scam1.top/a 提现" : "您的验证码是123456";
        e.body = std::move(s);
      } else {
        e.header.type = model::EventType::kNet;
        model::NetEvent net;
        net.subscriber = model::PhoneNumber(subject);
        net.domain = model::Domain(hit ? StrCat("scam", rng() % 1000, ".top")
                                       : StrCat("site", rng() % 5000, ".com"));
        e.body = std::move(net);
      }
      events.push_back(std::move(e));
    }
  }
};

Fixture& GetFixture() {
  static auto* f = new Fixture();
  return *f;
}

void BM_Detector(benchmark::State& state) {
  Fixture& f = GetFixture();
  for (auto _ : state) {
    Detector d(*f.rules, f.intel, nullptr);
    for (const auto& e : f.events) d.Process(e);
    benchmark::DoNotOptimize(d.Stats().warnings_opened);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(f.events.size()));
}
BENCHMARK(BM_Detector)->Unit(benchmark::kMillisecond)->UseRealTime();

// net.lure_name's `contains` list (rules/default.toml) over bench-like domains, none of which
// holds a needle: the walk every quiet net event pays.
class DomainSource : public ValueSource {
 public:
  std::string_view domain;
  Value Get(const Node&, std::string_view) override { return Value::String(domain); }
};

void BM_LureNameContains(benchmark::State& state) {
  FieldUse use;
  absl::Duration longest = absl::ZeroDuration();
  StatusOr<Program> p = CompileExpression(
      R"(domain contains ["icbc", "ccb", "abc-", "boc-", "alipay", "taobao", "jd-", "-jd", "sf-",
         "95588", "95533", "kefu", "tuikuan", "lipei", "refund", "daikuan", "jiedai", "loan",
         "licai", "invest", "fanli", "rebate", "jianzhi", "dianzan", "zhengxin", "xiufu",
         "credit", "anquan", "qingcha", "jiancha", "court", "-gov", "gov-", "tejia", "outlet",
         "zhuangbei", "jiaoyi", "xiangqin", "fund", "quant", "shop-", "sale-", "mall-"])",
      1u << static_cast<unsigned>(model::EventType::kNet),
      [](std::string_view) { return std::vector<int32_t>{0}; }, &use, &longest);
  if (!p.ok()) std::abort();
  std::vector<std::string> domains;
  for (int i = 0; i < 4096; ++i) domains.push_back(StrCat("www.site", i * 7919 % 30000, ".com"));
  DomainSource source;
  size_t i = 0;
  int64_t found = 0;
  for (auto _ : state) {
    source.domain = domains[i++ & 4095];
    found += p->Evaluate(source) ? 1 : 0;
  }
  benchmark::DoNotOptimize(found);
}
BENCHMARK(BM_LureNameContains);

// The same events against intelligence of the end-to-end benchmark's size (1M phones, 100k
// accounts besides the fixture's): almost every probe is a miss into large tables, which is
// what the store's prefilter (intel/bloom_filter.h) is for.
const intel::IntelStore& LargeIntel() {
  static const intel::IntelStore* store = [] {
    auto* s = new intel::IntelStore();
    for (int i = 0; i < 1000; ++i) {
      model::Indicator ind;
      ind.fraud_type = model::FraudType{1};
      ind.kind = model::IndicatorKind::kPhone;
      ind.value = StrCat("+855176", 10000 + i);
      (void)s->Add(ind);
      ind.kind = model::IndicatorKind::kDomain;
      ind.value = StrCat("scam", i, ".top");
      (void)s->Add(ind);
    }
    for (int i = 0; i < 1'000'000; ++i) {
      model::Indicator ind;
      ind.fraud_type = model::FraudType{1};
      ind.kind = model::IndicatorKind::kPhone;
      ind.value = i % 4 == 0 ? StrCat("+8551", 10000000 + i) : StrCat("+86170", 10000000 + i);
      (void)s->Add(ind);
      if (i % 10 == 0) {
        ind.kind = model::IndicatorKind::kAccount;
        ind.value = StrCat("62220212", 10000000000LL + i);
        (void)s->Add(ind);
      }
    }
    return s;
  }();
  return *store;
}

void BM_DetectorLargeIntel(benchmark::State& state) {
  Fixture& f = GetFixture();
  const intel::IntelStore& intel = LargeIntel();
  for (auto _ : state) {
    Detector d(*f.rules, intel, nullptr);
    for (const auto& e : f.events) d.Process(e);
    benchmark::DoNotOptimize(d.Stats().warnings_opened);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(f.events.size()));
}
BENCHMARK(BM_DetectorLargeIntel)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ParallelDetector(benchmark::State& state) {
  Fixture& f = GetFixture();
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<std::vector<model::Event>> batches;
    for (size_t i = 0; i < f.events.size(); i += 4096) {
      batches.emplace_back(
          f.events.begin() + static_cast<std::ptrdiff_t>(i),
          f.events.begin() + static_cast<std::ptrdiff_t>(std::min(f.events.size(), i + 4096)));
    }
    state.ResumeTiming();
    ParallelDetector d(*f.rules, f.intel, nullptr, static_cast<int>(state.range(0)));
    for (auto& b : batches) d.Process(std::move(b));
    benchmark::DoNotOptimize(d.Stats().warnings_opened);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(f.events.size()));
}
BENCHMARK(BM_ParallelDetector)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace fz::detect

BENCHMARK_MAIN();
