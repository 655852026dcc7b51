// PlainDomainNameTo: NormalizeDomainName's answer for the plain shape, decided on bit masks.
//
// Why: an ISP feed's net rows visit tens of thousands of domains about equally often. The
// reader's memo of normalized names (ingest/value_memo.h) then misses the CPU cache on most
// rows (one miss to memory was ~5% of a whole `fanzha detect` run), while a name of up to 32
// bytes can be checked and lower-cased in a few dozen instructions with SSE2 (baseline x86-64,
// no -m flags), touching nothing but the name.
//
// How: every check of the plain shape (see PlainAsciiName in domain.cc) is a test on masks with
// one bit per byte: allowed characters, dots, dashes, 'x'/'n' at a label's start ("xn--"), the
// digit after the last dot. Names of 16-32 bytes are read as two overlapping 16-byte windows
// whose masks are combined; shorter ones are copied into a zeroed 16-byte buffer first.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fz/normalize/domain.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fz::normalize {
namespace {

#if defined(__SSE2__)

// One bit per byte of a 16-byte window.
struct WindowMasks {
  uint32_t allowed = 0;  // letters, digits, '-', '_', '.'
  uint32_t dot = 0;
  uint32_t dash = 0;
  uint32_t x = 0;  // 'x' or 'X'
  uint32_t n = 0;  // 'n' or 'N'
  uint32_t digit = 0;
};

// The masks of `v`, and `v` lower-cased into `*lowered`.
WindowMasks Classify(__m128i v, __m128i* lowered) {
  auto in_range = [](__m128i x, char lo, char hi) {
    // Signed compares: bytes >= 0x80 are negative and fall outside every range here.
    return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(static_cast<char>(lo - 1))),
                         _mm_cmplt_epi8(x, _mm_set1_epi8(static_cast<char>(hi + 1))));
  };
  auto mask = [](__m128i m) { return static_cast<uint32_t>(_mm_movemask_epi8(m)); };
  const __m128i upper = in_range(v, 'A', 'Z');
  const __m128i low = _mm_or_si128(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
  *lowered = low;
  const __m128i letter = in_range(low, 'a', 'z');
  const __m128i digit = in_range(v, '0', '9');
  const __m128i dot = _mm_cmpeq_epi8(v, _mm_set1_epi8('.'));
  const __m128i dash = _mm_cmpeq_epi8(v, _mm_set1_epi8('-'));
  const __m128i under = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
  WindowMasks m;
  m.allowed =
      mask(_mm_or_si128(_mm_or_si128(letter, digit), _mm_or_si128(dot, _mm_or_si128(dash, under))));
  m.dot = mask(dot);
  m.dash = mask(dash);
  m.x = mask(_mm_cmpeq_epi8(low, _mm_set1_epi8('x')));
  m.n = mask(_mm_cmpeq_epi8(low, _mm_set1_epi8('n')));
  m.digit = mask(digit);
  return m;
}

// Whether a name of `size` bytes (1-32) with these masks (bit i: byte i) has the plain shape.
bool PlainShape(const WindowMasks& m, size_t size) {
  const uint32_t all = size == 32 ? ~uint32_t{0} : (uint32_t{1} << size) - 1;
  const uint32_t last = uint32_t{1} << (size - 1);
  if ((m.allowed & all) != all) return false;
  const uint32_t dot = m.dot & all;
  // No empty label: no dot first or last, no two dots in a row.
  if ((dot & (1u | last)) != 0 || (dot & (dot >> 1)) != 0) return false;
  const uint32_t label_start = (dot << 1) | 1u;
  const uint32_t label_end = (dot >> 1) | last;
  if ((m.dash & (label_start | label_end)) != 0) return false;
  // "xn--" at a label's start: an A-label, which the full path must check.
  if ((m.x & label_start & (m.n >> 1) & (m.dash >> 2) & (m.dash >> 3)) != 0) return false;
  // A last label starting with a digit may be numeric (an IPv4 address): the full path decides.
  const int last_start = dot == 0 ? 0 : 32 - __builtin_clz(dot);
  return (m.digit >> last_start & 1u) == 0;
}

#endif  // __SSE2__

}  // namespace

bool PlainDomainNameTo(std::string_view raw, std::string* out) {
#if defined(__SSE2__)
  const size_t size = raw.size();
  if (size == 0 || size > 32) return false;
  __m128i low_head;
  __m128i low_tail;
  WindowMasks m;
  if (size >= 16) {
    const __m128i head = _mm_loadu_si128(reinterpret_cast<const __m128i*>(raw.data()));
    const __m128i tail = _mm_loadu_si128(reinterpret_cast<const __m128i*>(raw.data() + size - 16));
    const WindowMasks a = Classify(head, &low_head);
    const WindowMasks b = Classify(tail, &low_tail);
    const int shift = static_cast<int>(size) - 16;
    m.allowed = a.allowed | b.allowed << shift;
    m.dot = a.dot | b.dot << shift;
    m.dash = a.dash | b.dash << shift;
    m.x = a.x | b.x << shift;
    m.n = a.n | b.n << shift;
    m.digit = a.digit | b.digit << shift;
  } else {
    alignas(16) char buffer[16] = {};
    std::memcpy(buffer, raw.data(), size);
    m = Classify(_mm_load_si128(reinterpret_cast<const __m128i*>(buffer)), &low_head);
  }
  if (!PlainShape(m, size)) return false;
  out->resize(size);
  char* p = out->data();
  if (size >= 16) {
    // The tail first: the head's bytes overwrite the overlap with the same values.
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p + size - 16), low_tail);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), low_head);
  } else {
    alignas(16) char buffer[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(buffer), low_head);
    std::memcpy(p, buffer, size);
  }
  return true;
#else
  (void)raw;
  (void)out;
  return false;
#endif
}

}  // namespace fz::normalize
