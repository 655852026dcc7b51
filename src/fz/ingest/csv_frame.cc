// The line framers of csv_frame.h. Each classifies 64 bytes at a time into three 64-bit masks
// ('\n', ',', '"'), then keeps only the bits before the block's first '\n': a '"' among them
// hands the line to the quoted path, the commas among them are stored by walking their bits.
// A line's last bytes (fewer than a block) are framed one at a time, so nothing is read past
// the caller's bytes; that only happens at the end of the scanner's buffered window.
//
// The AVX2 version is compiled with a target attribute and chosen at run time: the project
// builds without -m flags, and SSE2 is all that baseline x86-64 promises.

#include "fz/ingest/csv_frame.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define FZ_CSV_FRAME_X86 1
#include <immintrin.h>
#endif

namespace fz::ingest::internal {
namespace {

bool g_overridden = false;
FrameLineFn g_override = nullptr;

// Bits below the lowest set bit of `m`; all bits when m == 0.
inline uint64_t BelowFirst(uint64_t m) { return (m - 1) & ~m; }

#if defined(FZ_CSV_FRAME_X86)

inline uint64_t Mask16(__m128i a, __m128i b, __m128i c, __m128i d, __m128i x) {
  auto m0 = static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(a, x))));
  auto m1 = static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(b, x))));
  auto m2 = static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(c, x))));
  auto m3 = static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(d, x))));
  return m0 | (m1 << 16) | (m2 << 32) | (m3 << 48);
}

// The byte mask of two 32-byte compare results.
__attribute__((target("avx2"))) inline uint64_t Mask32(__m256i lo, __m256i hi) {
  auto m0 = static_cast<uint32_t>(_mm256_movemask_epi8(lo));
  auto m1 = static_cast<uint32_t>(_mm256_movemask_epi8(hi));
  return m0 | (static_cast<uint64_t>(m1) << 32);
}

#endif

// From byte `i` on, with `k` commas already found: the scalar framer, and the vector framers'
// last bytes (fewer than a block), so that they never read past p + n.
[[gnu::noinline]] size_t FrameRest(const char* p, size_t n, size_t i, uint32_t k,
                                   LineCommas* commas) {
  for (; i < n; ++i) {
    if (p[i] == '\n') {
      commas->count = k;
      return i;
    }
    if (p[i] == '"') return kQuoteFirst;
    if (p[i] == ',') {
      if (k < LineCommas::kMaxStored) commas->at[k] = static_cast<uint32_t>(i);
      ++k;
    }
  }
  commas->count = k;
  return n;
}

}  // namespace

size_t FrameLineScalar(const char* p, size_t n, LineCommas* commas) {
  return FrameRest(p, n, 0, 0, commas);
}

#if defined(FZ_CSV_FRAME_X86)

size_t FrameLineSse2(const char* p, size_t n, LineCommas* commas) {
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i quote = _mm_set1_epi8('"');
  uint32_t k = 0;
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16));
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 32));
    const __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 48));
    const uint64_t nl = Mask16(a, b, c, d, newline);
    const uint64_t before = BelowFirst(nl);
    if ((Mask16(a, b, c, d, quote) & before) != 0) return kQuoteFirst;
    uint64_t cm = Mask16(a, b, c, d, comma) & before;
    // Within bounds: k <= kMaxStored here and a block adds at most 64.
    const bool store = k <= LineCommas::kMaxStored;
    for (; cm != 0; cm &= cm - 1) {
      if (store) commas->at[k] = static_cast<uint32_t>(i) + __builtin_ctzll(cm);
      ++k;
    }
    if (nl != 0) {
      commas->count = k;
      return i + __builtin_ctzll(nl);
    }
  }
  return FrameRest(p, n, i, k, commas);
}

__attribute__((target("avx2,bmi,popcnt"))) size_t FrameLineAvx2(const char* p, size_t n,
                                                                LineCommas* commas) {
  const __m256i newline = _mm256_set1_epi8('\n');
  const __m256i comma = _mm256_set1_epi8(',');
  const __m256i quote = _mm256_set1_epi8('"');
  uint32_t k = 0;
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 32));
    // One mask for where the line may stop ('\n' or '"'): its first bit decides which.
    const uint64_t stop =
        Mask32(_mm256_or_si256(_mm256_cmpeq_epi8(lo, newline), _mm256_cmpeq_epi8(lo, quote)),
               _mm256_or_si256(_mm256_cmpeq_epi8(hi, newline), _mm256_cmpeq_epi8(hi, quote)));
    uint64_t cm =
        Mask32(_mm256_cmpeq_epi8(lo, comma), _mm256_cmpeq_epi8(hi, comma)) & BelowFirst(stop);
    if (cm != 0) {
      // Four offsets stored unconditionally (tzcnt of 0 is 64; slots past the count are
      // garbage nobody reads), so that a short line's walk has no data-dependent exit.
      const auto count = static_cast<uint32_t>(_mm_popcnt_u64(cm));
      if (k <= LineCommas::kMaxStored) [[likely]] {
        uint32_t* out = commas->at + k;
        const auto base = static_cast<uint32_t>(i);
        out[0] = base + static_cast<uint32_t>(_tzcnt_u64(cm));
        cm = _blsr_u64(cm);
        out[1] = base + static_cast<uint32_t>(_tzcnt_u64(cm));
        cm = _blsr_u64(cm);
        out[2] = base + static_cast<uint32_t>(_tzcnt_u64(cm));
        cm = _blsr_u64(cm);
        out[3] = base + static_cast<uint32_t>(_tzcnt_u64(cm));
        cm = _blsr_u64(cm);
        for (uint32_t j = 4; cm != 0; ++j, cm = _blsr_u64(cm)) {
          out[j] = base + static_cast<uint32_t>(_tzcnt_u64(cm));
        }
      }
      k += count;
    }
    if (stop != 0) {
      const size_t at = i + _tzcnt_u64(stop);
      if (p[at] == '"') return kQuoteFirst;
      commas->count = k;
      return at;
    }
  }
  return FrameRest(p, n, i, k, commas);
}

bool HasAvx2Framer() {
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
         __builtin_cpu_supports("popcnt");
}

FrameLineFn DefaultFrameLine() {
  if (g_overridden) return g_override;
  return HasAvx2Framer() ? FrameLineAvx2 : FrameLineSse2;
}

#else  // not x86-64

size_t FrameLineSse2(const char* p, size_t n, LineCommas* commas) {
  return FrameLineScalar(p, n, commas);
}
size_t FrameLineAvx2(const char* p, size_t n, LineCommas* commas) {
  return FrameLineScalar(p, n, commas);
}
bool HasAvx2Framer() { return false; }

FrameLineFn DefaultFrameLine() {
  if (g_overridden) return g_override;
  return FrameLineScalar;
}

#endif

ScopedFrameLineForTesting::ScopedFrameLineForTesting(FrameLineFn fn)
    : was_overridden_(g_overridden), previous_(g_override) {
  g_overridden = true;
  g_override = fn;
}

ScopedFrameLineForTesting::~ScopedFrameLineForTesting() {
  g_overridden = was_overridden_;
  g_override = previous_;
}

}  // namespace fz::ingest::internal
