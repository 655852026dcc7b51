#include "fz/http/rate_limiter.h"

#include "gtest/gtest.h"

namespace fz::http {
namespace {

TEST(RateLimiterTest, BurstThenSteadyRatePerClient) {
  SimulatedClock clock(absl::FromUnixSeconds(1700000000));
  RateLimiter limiter(/*rate=*/2, /*burst=*/2, &clock);
  EXPECT_TRUE(limiter.Admit("10.0.0.1").admitted);
  EXPECT_TRUE(limiter.Admit("10.0.0.1").admitted);
  RateLimiter::Decision refused = limiter.Admit("10.0.0.1");
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  EXPECT_TRUE(limiter.Admit("10.0.0.2").admitted);  // Another address has its own bucket.
  clock.Advance(absl::Milliseconds(500));           // One token at 2/s.
  EXPECT_TRUE(limiter.Admit("10.0.0.1").admitted);
  EXPECT_FALSE(limiter.Admit("10.0.0.1").admitted);
  clock.Advance(absl::Hours(1));  // Refills to the burst, not beyond.
  EXPECT_TRUE(limiter.Admit("10.0.0.1").admitted);
  EXPECT_TRUE(limiter.Admit("10.0.0.1").admitted);
  EXPECT_FALSE(limiter.Admit("10.0.0.1").admitted);
}

TEST(RateLimiterTest, ZeroRateAdmitsEverything) {
  SimulatedClock clock;
  RateLimiter limiter(0, 0, &clock);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.Admit("10.0.0.1").admitted);
}

TEST(RateLimiterTest, TinyRateCapsRetryAfter) {
  SimulatedClock clock;
  RateLimiter limiter(1e-12, 1, &clock);
  EXPECT_TRUE(limiter.Admit("a").admitted);
  RateLimiter::Decision refused = limiter.Admit("a");
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after_seconds, 86400);
}

TEST(RateLimiterTest, ManyAddressesStayBounded) {
  SimulatedClock clock;
  RateLimiter limiter(1, 1, &clock, /*max_clients=*/10);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.Admit(std::to_string(i)).admitted);
  // A forgotten address starts with a full bucket again: at most one extra burst.
  EXPECT_TRUE(limiter.Admit("0").admitted);
}

}  // namespace
}  // namespace fz::http
