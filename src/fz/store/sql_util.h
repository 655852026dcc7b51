// Small helpers shared by the SqlStore files: time <-> microseconds, duration buckets for
// percentiles, subtree ranges over unit paths.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace fz::store {

inline int64_t Us(absl::Time t) { return absl::ToUnixMicros(t); }
inline absl::Time FromUs(int64_t us) { return absl::FromUnixMicros(us); }

// Log-scale buckets of elapsed seconds, each 15% wider than the last: a percentile read from
// bucket counts is within 15% of the true value, and ~110 buckets cover 30 days.
inline constexpr double kBucketGrowth = 1.15;
inline int DurationBucket(absl::Duration d) {
  double s = absl::ToDoubleSeconds(d);
  if (s < 1) return 0;
  return 1 + static_cast<int>(std::log(s) / std::log(kBucketGrowth));
}
// Upper edge of a bucket, in seconds.
inline double BucketUpperSeconds(int bucket) {
  return bucket == 0 ? 1.0 : std::pow(kBucketGrowth, bucket);
}

// Every path in the subtree of `path` ("/640100/640104/") sorts in [path, SubtreeEnd(path)):
// '0' follows '/' in ASCII, so the range is a plain index range in both databases.
inline std::string SubtreeEnd(std::string_view path) {
  std::string end(path);
  if (!end.empty()) end.back() = '0';
  return end;
}

// The subtree condition on unit_path. On SQLite the column is written "+unit_path": the unary
// plus keeps the planner from choosing the unit-path index (a subtree is a wide range) over
// the time-first index, which serves "newest first" and period filters without sorting.
// PostgreSQL's planner has statistics and needs no hint.
inline std::string SubtreeCondition(bool sqlite, std::string_view from, std::string_view to) {
  std::string column = sqlite ? "+unit_path" : "unit_path";
  return column + " >= " + std::string(from) + " AND " + column + " < " + std::string(to);
}

}  // namespace fz::store
