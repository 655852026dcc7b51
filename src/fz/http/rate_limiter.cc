#include "fz/http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace fz::http {

RateLimiter::RateLimiter(double rate, double burst, Clock* clock, size_t max_clients)
    : rate_(rate), burst_(std::max(burst, 1.0)), clock_(clock), max_clients_(max_clients) {}

RateLimiter::Decision RateLimiter::Admit(std::string_view client) {
  if (rate_ <= 0) return {};
  absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(std::string(client));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) EvictFullBuckets(now);
    it = buckets_.emplace(std::string(client), Bucket{burst_, now}).first;
  }
  Bucket& bucket = it->second;
  double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - bucket.updated));
  bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
  bucket.updated = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return {};
  }
  double wait = (1.0 - bucket.tokens) / rate_;
  return {false, std::max(1, static_cast<int>(std::ceil(wait)))};
}

void RateLimiter::EvictFullBuckets(absl::Time now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    double tokens = it->second.tokens + absl::ToDoubleSeconds(now - it->second.updated) * rate_;
    it = tokens >= burst_ ? buckets_.erase(it) : std::next(it);
  }
  // Every client is mid-burst (a flood from many addresses): forget them all rather than grow
  // without bound; the worst case is one extra burst per address.
  if (buckets_.size() >= max_clients_) buckets_.clear();
}

}  // namespace fz::http
