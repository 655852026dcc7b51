// Token bucket per client address: `rate` requests per second with bursts up to `burst`.
// The server asks Admit() once per request; a refusal carries the seconds until a token is
// available, for the Retry-After header.
//
// Thread-safe. Memory is bounded: buckets that have refilled completely carry no information
// and are dropped when the table grows past max_clients.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "fz/common/clock.h"

namespace fz::http {

class RateLimiter {
 public:
  // rate <= 0 admits everything. burst < 1 is treated as 1.
  RateLimiter(double rate, double burst, Clock* clock, size_t max_clients = 100000);

  struct Decision {
    bool admitted = true;
    int retry_after_seconds = 0;  // >= 1 when refused
  };
  Decision Admit(std::string_view client);

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  void EvictFullBuckets(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const double rate_;
  const double burst_;
  Clock* const clock_;
  const size_t max_clients_;
  absl::Mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fz::http
