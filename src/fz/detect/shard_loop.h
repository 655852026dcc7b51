// Internal to fz/detect: a detector shard's inner loop over a run of events, shared by
// ParallelDetector's shard threads and the per-shard file pipelines (file_pipeline.h).
//
// The loop prefetches, at several distances ahead, what Process will touch: the subject
// table's slot and the duplicate filter (furthest: the subject's record address depends on
// the slot), the event and the subject's record, then what the event points to (its SMS
// text, its other party's block of the intel phone filter), then the intel filter blocks of a
// net event's domains, hashed from that text.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fz/detect/detector_impl.h"
#include "fz/detect/subject.h"
#include "fz/model/event.h"

namespace fz::detect::internal {

// How far ahead the next events are prefetched: enough to cover a miss to memory behind one
// event's rules, little enough that the lines are still cached when used.
inline constexpr size_t kPrefetchAhead = 8;
inline constexpr size_t kPrefetchIndexAhead = 2 * kPrefetchAhead;
inline constexpr size_t kPrefetchDataAhead = kPrefetchAhead / 2;
inline constexpr size_t kPrefetchIntelAhead = kPrefetchDataAhead / 2;

// Every cache line of the event (header and body variant, a few hundred bytes; phones and ids
// live inside it, short-string optimised).
inline void PrefetchEvent(const model::Event* event) {
  const char* p = reinterpret_cast<const char*>(event);
  for (size_t off = 0; off < sizeof(model::Event); off += 64) __builtin_prefetch(p + off);
}

// Processes, in order, the events i of [0, n) for which owned(i), with the look-ahead above.
template <typename Owned>
inline void ProcessRun(Detector::Impl& detector, size_t n, const model::Event* const* refs,
                       const SubjectRef* subjects, const uint64_t* id_hashes, Owned owned) {
  for (size_t i = 0; i < n; ++i) {
    if (const size_t j = i + kPrefetchIndexAhead; j < n && owned(j)) {
      detector.PrefetchIndex(subjects[j]);
      detector.PrefetchSeenId(id_hashes[j]);
    }
    if (const size_t j = i + kPrefetchAhead; j < n && owned(j)) {
      PrefetchEvent(refs[j]);
      detector.PrefetchState(subjects[j]);
    }
    if (const size_t j = i + kPrefetchDataAhead; j < n && owned(j)) {
      detector.PrefetchEventData(*refs[j]);
    }
    if (const size_t j = i + kPrefetchIntelAhead; j < n && owned(j)) {
      detector.PrefetchEventIntel(*refs[j]);
    }
    if (owned(i)) detector.Process(*refs[i], subjects[i], id_hashes[i]);
  }
}

}  // namespace fz::detect::internal
