// Numbers per second through the reference path (libphonenumber on every number, the in-run
// baseline) and through PhoneNormalizer on a mix shaped like a city's carrier feed.
//
//   phone_benchmark --benchmark_filter=Mix
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "fz/common/str_cat.h"
#include "fz/normalize/phone.h"
#include "fz/normalize/phone_normalizer.h"

namespace fz::normalize {
namespace {

std::string Digits(int count, std::mt19937& rng) {
  std::string out;
  for (int i = 0; i < count; ++i) out += static_cast<char>('0' + rng() % 10);
  return out;
}

std::string FormatMobile(const std::string& n, std::mt19937& rng) {
  switch (rng() % 6) {
    case 0:
      return "+86" + n;
    case 1:
      return "86" + n;
    case 2:
      return n.substr(0, 3) + " " + n.substr(3, 4) + " " + n.substr(7);
    case 3:
      return "0086" + n;
    default:
      return n;  // most carrier feeds send the bare 11 digits
  }
}

// ~70% mobiles (half local to Yinchuan), ~15% landlines, ~7% service and 400/800 numbers,
// ~4% international, ~4% hashed subjects.
std::vector<std::string> RealisticMix() {
  std::mt19937 rng(7);
  std::vector<std::string> local_prefixes, other_prefixes;
  for (int i = 0; i < 200; ++i) local_prefixes.push_back(fz::StrCat("13895", 10 + i % 90));
  for (int i = 0; i < 3000; ++i)
    other_prefixes.push_back(fz::StrCat(130 + rng() % 70, Digits(4, rng)));
  const std::vector<std::string> areas = {"0951", "0952", "0953", "010",
                                          "021",  "020",  "0755", "029"};
  const std::vector<std::string> services = {"95588",      "10086",      "96110", "12381",
                                             "4008108888", "8008108888", "95555"};
  // Foreign callers repeat (one number calls many victims): a pool of 2,000 numbers in 5
  // countries, sized to fit the memo. One-off foreign numbers cost a reference-path run each.
  const std::vector<std::string> country_prefixes = {"+1415", "00855", "+8526", "+63917", "+6681"};
  std::vector<std::string> foreign;
  for (int i = 0; i < 2000; ++i) {
    foreign.push_back(country_prefixes[i % country_prefixes.size()] + Digits(7, rng));
  }
  std::vector<std::string> mix;
  for (int i = 0; i < 100000; ++i) {
    int r = static_cast<int>(rng() % 100);
    if (r < 35) {
      mix.push_back(
          FormatMobile(local_prefixes[rng() % local_prefixes.size()] + Digits(4, rng), rng));
    } else if (r < 70) {
      mix.push_back(
          FormatMobile(other_prefixes[rng() % other_prefixes.size()] + Digits(4, rng), rng));
    } else if (r < 85) {
      const std::string& area = areas[rng() % areas.size()];
      std::string subscriber =
          std::to_string(2 + rng() % 7) + Digits(area.size() == 3 ? 7 : 6, rng);
      mix.push_back(rng() % 2 ? area + "-" + subscriber : area + subscriber);
    } else if (r < 92) {
      mix.push_back(services[rng() % services.size()]);
    } else if (r < 96) {
      mix.push_back(foreign[rng() % foreign.size()]);
    } else {
      mix.push_back(
          fz::StrCat(Digits(16, rng), Digits(16, rng), "abcdef0123456789abcdef0123456789"));
    }
  }
  return mix;
}

const std::vector<std::string>& Mix() {
  static const std::vector<std::string> mix = RealisticMix();
  return mix;
}

// `count` numbers taking the prefixes in turn, each followed by 7 random digits.
std::vector<std::string> OneOffNumbers(const std::vector<std::string>& prefixes, int count) {
  std::mt19937 rng(11);
  std::vector<std::string> numbers;
  for (int i = 0; i < count; ++i) numbers.push_back(prefixes[i % prefixes.size()] + Digits(7, rng));
  return numbers;
}

void BM_ReferencePath_Mix(benchmark::State& state) {
  const std::vector<std::string>& mix = Mix();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizePhone(mix[i]));
    i = (i + 1) % mix.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReferencePath_Mix);

// What loading an intelligence list of foreign numbers costs: each number is new, so every
// one takes the reference path (the generator's gang numbers are mostly +855, +63, +66).
void BM_ReferencePath_ForeignOneOff(benchmark::State& state) {
  const std::vector<std::string> numbers =
      OneOffNumbers({"+85512", "+63917", "+6681", "+8526", "+1415"}, 20000);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizePhone(numbers[i]));
    i = (i + 1) % numbers.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReferencePath_ForeignOneOff);

// The same job through the event path: one-off numbers of the countries the country prefix
// cache covers (phone_country_cache.h), each seen once, as an intelligence list loads them.
// The first numbers of each key run libphonenumber; the figure includes those fills.
void BM_NormalizeKey_ForeignOneOff(benchmark::State& state) {
  const std::vector<std::string> numbers =
      OneOffNumbers({"+85512", "+63917", "+6681", "+8551", "+9597"}, 200000);
  PhoneNormalizer normalizer;  // a cold cache per run, as at start-up
  PhoneKey key;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(normalizer.NormalizeKey(numbers[i], &key));
    i = (i + 1) % numbers.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["fills"] = static_cast<double>(normalizer.country_cache_fills());
}
BENCHMARK(BM_NormalizeKey_ForeignOneOff)->Iterations(200000);

void BM_NormalizeKey_Mix(benchmark::State& state) {
  const std::vector<std::string>& mix = Mix();
  const PhoneNormalizer& normalizer = PhoneNormalizer::Default();
  PhoneKey key;
  for (const std::string& raw : mix) benchmark::DoNotOptimize(normalizer.NormalizeKey(raw, &key));
  size_t i = state.thread_index() * 977;
  for (auto _ : state) {
    benchmark::DoNotOptimize(normalizer.NormalizeKey(mix[i % mix.size()], &key));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeKey_Mix)->Threads(1)->Threads(2)->UseRealTime();

void BM_NormalizeKey_MobileOnly(benchmark::State& state) {
  std::mt19937 rng(3);
  std::vector<std::string> numbers;
  for (int i = 0; i < 10000; ++i)
    numbers.push_back(fz::StrCat(138951, 1000 + rng() % 9000, Digits(4, rng)).substr(0, 11));
  const PhoneNormalizer& normalizer = PhoneNormalizer::Default();
  PhoneKey key;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(normalizer.NormalizeKey(numbers[i], &key));
    i = (i + 1) % numbers.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeKey_MobileOnly);

void BM_Normalize_FullInfo_Mix(benchmark::State& state) {
  const std::vector<std::string>& mix = Mix();
  const PhoneNormalizer& normalizer = PhoneNormalizer::Default();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(normalizer.Normalize(mix[i]));
    i = (i + 1) % mix.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Normalize_FullInfo_Mix);

}  // namespace
}  // namespace fz::normalize

BENCHMARK_MAIN();
