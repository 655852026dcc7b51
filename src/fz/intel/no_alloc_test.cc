// Lookups must not allocate (intel_store.h): counts operator new calls around them. The
// replacement operators below apply to this whole test binary; they only count.
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "fz/intel/intel_store.h"
#include "fz/intel/text_patterns.h"
#include "gtest/gtest.h"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

// Every unaligned form is replaced, so that no allocation made by one allocator (e.g. ASan's
// operator new[]) is freed by the other.
namespace {
void* CountedAlloc(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
}  // namespace

void* operator new(std::size_t n) {
  if (void* p = CountedAlloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = CountedAlloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return CountedAlloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return CountedAlloc(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace fz::intel {
namespace {

using model::IndicatorKind;

TEST(NoAllocTest, LookupsAndScansDoNotAllocate) {
  const absl::Time now = absl::FromUnixSeconds(1795656600);
  IntelStore store;
  for (auto [kind, value] : std::initializer_list<std::pair<IndicatorKind, const char*>>{
           {IndicatorKind::kPhone, "13895101234"},
           {IndicatorKind::kPhone, "h:0123456789abcdef0123456789abcdef"},
           {IndicatorKind::kDomain, "bad.top"},
           {IndicatorKind::kUrl, "http://x.top/a"},
           {IndicatorKind::kIp, "203.0.113.7"},
           {IndicatorKind::kAccount, "6222021234567890123"},
           {IndicatorKind::kApp, "com.fake.app"},
           {IndicatorKind::kImei, "352099001761481"}}) {
    model::Indicator ind;
    ind.kind = kind;
    ind.value = value;
    ASSERT_TRUE(store.Add(ind).ok()) << value;
  }
  StatusOr<TextPatterns> patterns =
      TextPatterns::Compile({{"a", "安全账户", false, model::FraudType{8}, 1, "r"},
                             {"b", "征信(修复|洗白)", true, model::FraudType{6}, 1, "r"}});
  ASSERT_TRUE(patterns.ok());
  TextPatterns::Scratch scratch = patterns->NewScratch();
  const std::function<void(const TextPattern&)> on_hit = [](const TextPattern&) {};
  const std::string sms = "请转入安全账户\xFF，征信修复 http://x.top/a";

  const long before = g_allocations.load();
  int hits = 0;
  for (int round = 0; round < 3; ++round) {  // first hits fill the match pool: no malloc
    hits += store.MatchPhone("+8613895101234", now) != nullptr;
    hits += store.MatchPhone("+8613895101235", now) != nullptr;
    hits += store.MatchPhone("h:0123456789abcdef0123456789abcdef", now) != nullptr;
    hits += store.MatchDomain("a.b.bad.top", now) != nullptr;
    hits += store.MatchDomain("a.b.good.top", now) != nullptr;
    hits += store.MatchUrl("https://x.top/a", now) != nullptr;
    hits += store.MatchUrl("http://www.bad.top/zzz", now) != nullptr;
    hits += store.MatchIp("203.0.113.7", now) != nullptr;
    hits += store.MatchAccount("6222021234567890123", now) != nullptr;
    hits += store.MatchApp("com.fake.app", now) != nullptr;
    hits += store.MatchImei("352099001761481", now) != nullptr;
    patterns->Scan(sms, scratch, on_hit);
  }
  EXPECT_EQ(g_allocations.load() - before, 0);
  EXPECT_EQ(hits, 3 * 9);
}

}  // namespace
}  // namespace fz::intel
