// The generator's random numbers: xoshiro256** seeded through SplitMix64, with the few
// distributions the synthetic city needs built on top by hand.
//
//   Rng rng = Rng::ForStream(seed, kStreamBackground, day * 24 + hour);
//   if (rng.Chance(0.25)) duration = 0;
//   int64_t amount = static_cast<int64_t>(rng.LogNormal(200, 1.0));
//
// Why not <random>: std:: distributions are implementation-defined and differ between library
// versions, and the generator promises byte-identical output for a seed. Every stream is
// derived from (seed, purpose, index), so a day's traffic does not depend on how much
// randomness another day used. Not thread-safe; one Rng per stream.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace fz::gen {

__extension__ typedef unsigned __int128 Uint128;  // -Wpedantic: a GNU extension, on purpose

// A stateless 64-bit mix (SplitMix64's finalizer): stable hashes for derived values.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a over bytes: a stable hash of strings (std::hash is implementation-defined).
inline uint64_t HashBytes(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t s = seed;
    for (uint64_t& word : state_) {
      s += 0x9e3779b97f4a7c15ULL;
      word = Mix64(s);
    }
  }

  // An independent stream for one purpose (`stream`) and index (day, hour, person...).
  static Rng ForStream(uint64_t seed, uint64_t stream, uint64_t index = 0) {
    return Rng(Mix64(Mix64(seed) ^ Mix64(stream * 0x100000001b3ULL + index)));
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n); n > 0. Lemire's multiply-shift (bias < 2^-64 * n, irrelevant here).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<Uint128>(Next()) * n) >> 64);
  }
  size_t Index(size_t n) { return static_cast<size_t>(Below(n)); }

  // Uniform in [lo, hi], inclusive.
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }

  // Uniform in [0, 1) with 53 random bits.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Unit(); }
  bool Chance(double p) { return Unit() < p; }

  double Exponential(double mean) { return -std::log1p(-Unit()) * mean; }

  // Standard normal by Box-Muller (one value per call; simplicity over speed).
  double Normal() {
    double u1 = Unit();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * Unit());
  }

  // exp(N(log(median), sigma^2)): durations, amounts.
  double LogNormal(double median, double sigma) { return median * std::exp(sigma * Normal()); }

  // Poisson counts: Knuth's product method for small means, a rounded normal for large ones
  // (the generator only needs plausible counts, not exact tails).
  int64_t Poisson(double mean) {
    if (mean <= 0) return 0;
    if (mean > 50) {
      double x = mean + std::sqrt(mean) * Normal() + 0.5;
      return x < 0 ? 0 : static_cast<int64_t>(x);
    }
    const double limit = std::exp(-mean);
    int64_t k = 0;
    double p = Unit();
    while (p > limit) {
      ++k;
      p *= Unit();
    }
    return k;
  }

  // An index drawn with probability proportional to weights[i]; weights sum to > 0.
  template <typename Weights>
  size_t Weighted(const Weights& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Unit() * total;
    size_t i = 0;
    for (double w : weights) {
      if (x < w) return i;
      x -= w;
      ++i;
    }
    return i - 1;
  }

  template <typename Container>
  const auto& Pick(const Container& items) {
    return items[Index(items.size())];
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

}  // namespace fz::gen
