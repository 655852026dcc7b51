// The split-block Bloom filter's probe with AVX2 (bloom_filter.h): the eight salted multiplies,
// shifts and bit tests of a block in one register. Chosen at run time, since the build targets
// baseline x86-64 (no -m flags): every x86-64 server of the last decade has AVX2, and the
// scalar loop stays for the others.
#include "fz/intel/bloom_filter.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define FZ_BLOOM_AVX2 1
#endif

namespace fz::intel::internal {

#ifdef FZ_BLOOM_AVX2
namespace {
__attribute__((target("avx2"))) bool MayContainAvx2(const uint32_t* words, uint32_t h,
                                                    const uint32_t* salts) {
  const __m256i salt = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(salts));
  const __m256i shift =
      _mm256_srli_epi32(_mm256_mullo_epi32(_mm256_set1_epi32(static_cast<int>(h)), salt), 27);
  const __m256i bits = _mm256_sllv_epi32(_mm256_set1_epi32(1), shift);
  const __m256i block = _mm256_load_si256(reinterpret_cast<const __m256i*>(words));
  // All bits set in the block: (bits & ~block) == 0.
  return _mm256_testc_si256(block, bits) != 0;
}

bool (*PickProbe())(const uint32_t*, uint32_t, const uint32_t*) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") ? &MayContainAvx2 : nullptr;
}
}  // namespace

bool (*const BloomFilter::probe_)(const uint32_t*, uint32_t, const uint32_t*) = PickProbe();
#else
bool (*const BloomFilter::probe_)(const uint32_t*, uint32_t, const uint32_t*) = nullptr;
#endif

}  // namespace fz::intel::internal
