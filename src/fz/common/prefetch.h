// fz::Prefetch(p): starts loading the cache line at `p` into every cache level, for tables
// probed at random whose next address is known a few items ahead.
//
// Why not __builtin_prefetch directly: GCC 12 marks a function whose only statement is
// __builtin_prefetch as free of side effects (ipa-pure-const) and deletes calls to it that it
// has not inlined yet — a `Table::Prefetch` calling `BloomFilter::Prefetch` compiled to a bare
// `ret`. An asm statement is never deleted.
#pragma once

namespace fz {

inline void Prefetch(const void* p) {
#if defined(__x86_64__)
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p);
#endif
}

}  // namespace fz
